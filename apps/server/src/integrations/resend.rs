// remove-adapter-file: resend
//! Wiring of the Resend adapter: with `EMAIL_BACKEND=resend`, emails go through
//! Resend's HTTP API (`paidloop-resend`).

use std::sync::Arc;

use futures_util::future::BoxFuture;
use paidloop_resend::{ResendClient, ResendEmail, ResendSettings, ResendTag};

use super::Integrations;
use crate::config::Config;
use crate::services::email::message::Email;
use crate::services::email::transport::{EmailTransport, Mailer, SendError};

/// Resend as an [`EmailTransport`].
struct ResendTransport {
    client: ResendClient,
}

impl EmailTransport for ResendTransport {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(async move {
            let message = ResendEmail {
                from: email.from.clone(),
                to: vec![email.to.clone()],
                subject: email.subject.clone(),
                html: email.html.clone(),
                text: email.text.clone(),
                reply_to: email.reply_to.iter().cloned().collect(),
                tags: vec![ResendTag::new("event", &email.kind)],
            };
            self.client
                .send(&message, &email.idempotency_key)
                .await
                .map(|_| ())
                .map_err(|err| {
                    if err.is_permanent() {
                        SendError::Permanent(err.to_string())
                    } else {
                        SendError::Transient(err.to_string())
                    }
                })
        })
    }

    fn name(&self) -> &'static str {
        "resend"
    }
}

/// With `EMAIL_BACKEND=resend`, replaces the mailer with Resend; it needs
/// `RESEND_API_KEY`.
pub fn install(
    integrations: &mut Integrations,
    config: &Config,
    http: &reqwest::Client,
) -> Result<(), String> {
    if config.email.backend != "resend" {
        return Ok(());
    }
    let api_key = config
        .email
        .resend_api_key
        .clone()
        .ok_or("EMAIL_BACKEND=resend needs RESEND_API_KEY")?;
    let settings = ResendSettings::new(
        config.email.resend_api_url.clone(),
        api_key,
        config.email.resend_timeout,
    );
    integrations.mailer = Mailer::Ready(Arc::new(ResendTransport {
        client: ResendClient::new(settings, http.clone()),
    }));
    Ok(())
}
