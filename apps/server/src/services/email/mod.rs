//! Transactional email: what a message is, how it is rendered, how it leaves.
//!
//! Emails caused by a change (an order fulfilled) are queued in `email_outbox` inside
//! the transaction of that change (`services::orders::emails`) and delivered later by
//! the [`worker`], so a purchase never waits for, or fails with, an email. The
//! preflight test ([`preflight`]) is the one email sent at once, because its point is
//! to show whether sending works.
//!
//! Every transport sits behind [`transport::EmailTransport`]: the embedded `.eml`
//! outbox ([`eml_outbox`]) and SMTP ([`smtp`]) are built in; Resend is installed by its
//! adapter (`crate::integrations`).

pub mod eml_outbox;
pub mod message;
pub mod preflight;
pub mod smtp;
pub mod templates;
pub mod transport;
pub mod worker;

use crate::config::Config;

/// What every email needs from the configuration.
#[derive(Debug, Clone)]
pub struct EmailSettings {
    /// The sender.
    pub from: String,
    /// Reply-to address, if any.
    pub reply_to: Option<String>,
    /// The SPA's base URL without a trailing slash, for links.
    pub app_url: String,
}

impl EmailSettings {
    /// Sender from `RESEND_FROM_EMAIL`, else `EMAIL_FROM`; reply-to from
    /// `RESEND_REPLY_TO_EMAIL`; links from `FRONTEND_APP_URL`.
    pub fn from_config(config: &Config) -> Self {
        Self {
            from: config
                .email
                .resend_from_email
                .clone()
                .or_else(|| config.email.from_email.clone())
                .unwrap_or_else(|| "Paidloop <noreply@localhost>".to_owned()),
            reply_to: config.email.resend_reply_to_email.clone(),
            app_url: config
                .app
                .frontend_app_url
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
        }
    }
}
