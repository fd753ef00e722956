//! SMTP delivery through lettre (`SMTP_URL`: `smtps://user:pass@host:465`, or
//! `smtp://host:port?tls=required` for STARTTLS, or plain `smtp://host:port` for a
//! local catcher such as Mailpit).

use std::time::Duration;

use futures_util::future::BoxFuture;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::message::Email;
use super::transport::{EmailTransport, SendError};

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// A pooled connection to one SMTP relay.
#[derive(Clone)]
pub struct SmtpRelay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpRelay {
    /// A relay from `SMTP_URL`; the error names the variable, never the password.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|err| format!("SMTP_URL is not a usable SMTP URL: {err}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self { transport })
    }
}

impl EmailTransport for SmtpRelay {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(async move {
            let message = email.to_mime()?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|err| {
                    if err.is_permanent() {
                        SendError::Permanent(format!("the SMTP server refused the message: {err}"))
                    } else {
                        SendError::Transient(format!("SMTP delivery failed: {err}"))
                    }
                })
        })
    }

    fn name(&self) -> &'static str {
        "smtp"
    }
}
