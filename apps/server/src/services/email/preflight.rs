//! The preflight email test: one email sent at once to the caller, to prove that the
//! configured transport, the sender and the recipient all work before a real purchase
//! depends on them.

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};
use serde_json::{Value, json};

use super::EmailSettings;
use super::message::Email;
use super::templates::{self, PreflightTest};
use super::transport::Mailer;
use crate::entities::customer_accounts;

/// The shortest time between two tests of one account: each one sends a real email,
/// and the billing email is the caller's to change.
pub const COOLDOWN_SECONDS: i64 = 30;

/// How the test went.
#[derive(Debug)]
pub enum Preflight {
    /// Sent, and the time and recipient saved in the account's metadata.
    Sent {
        /// Who got it.
        recipient: String,
        /// When.
        sent_at: DateTime<Utc>,
    },
    /// No transport is configured; the message says what to set.
    NoTransport(String),
    /// The account has no address to send to.
    NoRecipient,
    /// The last test was less than [`COOLDOWN_SECONDS`] ago; retry after this many
    /// seconds.
    TooSoon(i64),
    /// The transport failed; the error is for the log (and debug answers) only.
    Failed(String),
}

/// When the account's last test was sent, from its metadata.
fn last_sent(account: &customer_accounts::Model) -> Option<DateTime<Utc>> {
    account
        .metadata
        .get("preflight_email_last_sent_at")
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Sends the test email to the account's billing email (else the profile's) and, on
/// success, keeps the time and recipient in the account's metadata.
#[tracing::instrument(skip_all, fields(account = account.id))]
pub async fn send_test<C: ConnectionTrait>(
    db: &C,
    mailer: &Mailer,
    settings: &EmailSettings,
    account: customer_accounts::Model,
    profile_email: &str,
) -> Result<Preflight, sea_orm::DbErr> {
    let transport = match mailer {
        Mailer::Ready(transport) => transport,
        Mailer::Off(why) => return Ok(Preflight::NoTransport(why.clone())),
    };
    let recipient = [account.billing_email.trim(), profile_email.trim()]
        .into_iter()
        .find(|e| !e.is_empty())
        .map(str::to_lowercase);
    let Some(recipient) = recipient else {
        return Ok(Preflight::NoRecipient);
    };
    let now = Utc::now();
    if let Some(last) = last_sent(&account) {
        let wait = COOLDOWN_SECONDS - (now - last).num_seconds();
        if wait > 0 {
            return Ok(Preflight::TooSoon(wait));
        }
    }
    let sent_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let rendered = match templates::preflight_test(&PreflightTest {
        recipient: recipient.clone(),
        sent_at: sent_at.clone(),
        transport: transport.name().to_owned(),
        dashboard_url: format!("{}/app", settings.app_url),
    }) {
        Ok(rendered) => rendered,
        Err(err) => return Ok(Preflight::Failed(err.to_string())),
    };
    let email = Email {
        from: settings.from.clone(),
        to: recipient.clone(),
        reply_to: settings.reply_to.clone(),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        kind: "preflight_test".to_owned(),
        idempotency_key: format!("preflight_test:{}:{}", account.id, now.timestamp()),
    };
    if let Err(err) = transport.send(&email).await {
        tracing::warn!(error = %err, transport = transport.name(), "preflight email failed");
        return Ok(Preflight::Failed(err.to_string()));
    }
    let mut metadata = match &account.metadata {
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    metadata.insert("preflight_email_last_sent_at".into(), json!(sent_at));
    metadata.insert("preflight_email_last_recipient".into(), json!(recipient));
    let mut row = account.into_active_model();
    row.metadata = Set(Value::Object(metadata));
    row.updated_at = Set(now);
    row.update(db).await?;
    tracing::info!(transport = transport.name(), "preflight email sent");
    Ok(Preflight::Sent {
        recipient,
        sent_at: now,
    })
}
