//! The one interface every email transport implements, and the transport the
//! configuration selects among those built into the server.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::eml_outbox::EmlOutbox;
use super::message::Email;
use super::smtp::SmtpRelay;
use crate::config::EmailConfig;

/// Why a message was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The message itself was refused (bad address, rejected by the provider): retrying
    /// cannot help.
    #[error("{0}")]
    Permanent(String),
    /// The transport failed for now (network, timeout, provider outage): retry later.
    #[error("{0}")]
    Transient(String),
}

impl SendError {
    /// Whether a retry cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }
}

/// Something that delivers one email.
///
/// Boxed futures keep it usable as a trait object, so the outbox worker and the
/// preflight test take whichever transport was configured, and tests pass their own.
pub trait EmailTransport: Send + Sync {
    /// Delivers `email`, or says why not.
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), SendError>>;

    /// A short name for logs and answers (`outbox`, `smtp`, `resend`).
    fn name(&self) -> &'static str;
}

/// The configured transport, or why there is none.
#[derive(Clone)]
pub enum Mailer {
    /// Ready to send.
    Ready(Arc<dyn EmailTransport>),
    /// No transport (`EMAIL_BACKEND=disabled`): queued emails wait, and the preflight
    /// test answers 400 with this message.
    Off(String),
}

impl Mailer {
    /// The transport `config` selects among those built into the server. `resend`
    /// falls back to the `.eml` outbox until the Resend adapter replaces it. A bad
    /// `SMTP_URL` is an error: the server refuses to start half-configured.
    pub fn builtin(config: &EmailConfig) -> Result<Self, String> {
        match config.backend.as_str() {
            "disabled" => Ok(Self::Off(
                "No email transport is configured (EMAIL_BACKEND=disabled). Set EMAIL_BACKEND \
                 to outbox, smtp or resend."
                    .to_owned(),
            )),
            "smtp" => {
                let url = config
                    .smtp_url
                    .as_deref()
                    .ok_or("EMAIL_BACKEND=smtp needs SMTP_URL (e.g. smtps://user:pass@host:465)")?;
                Ok(Self::Ready(Arc::new(SmtpRelay::from_url(url)?)))
            }
            _ => Ok(Self::Ready(Arc::new(EmlOutbox::new(&config.outbox_dir)))),
        }
    }
}
