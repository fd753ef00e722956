//! Queuing the "order fulfilled" and "work order received" emails in `email_outbox`.
//!
//! The rows are written in the confirmation transaction, so an email exists exactly
//! when the fulfilment it announces does; the dedupe key (kind + order) keeps a second
//! confirmation from queuing it twice. Delivery is the outbox worker's job.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use serde_json::json;

use crate::config::Config;
use crate::entities::{email_outbox, orders};
use crate::error::ApiError;

/// What every queued email needs from the configuration.
#[derive(Debug, Clone)]
pub struct EmailSettings {
    /// The sender.
    pub from: String,
    /// The SPA's base URL, for links.
    pub app_url: String,
}

impl EmailSettings {
    /// Sender and links from `RESEND_FROM_EMAIL`/`EMAIL_FROM` and `FRONTEND_APP_URL`.
    pub fn from_config(config: &Config) -> Self {
        Self {
            from: config
                .email
                .resend_from_email
                .clone()
                .or_else(|| config.email.from_email.clone())
                .unwrap_or_else(|| "Paidloop <noreply@localhost>".to_owned()),
            app_url: config
                .app
                .frontend_app_url
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
        }
    }
}

/// Queues the emails of a just-fulfilled order (nothing when the buyer has no address).
pub async fn queue_order_emails<C: ConnectionTrait>(
    txn: &C,
    order: &orders::Model,
    to: &str,
    work_orders: usize,
    settings: &EmailSettings,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if to.trim().is_empty() {
        tracing::warn!(order = %order.public_id, "no billing email; fulfilment emails skipped");
        return Ok(());
    }
    let short = &order.public_id.simple().to_string()[..8];
    let mut rows = vec![row(
        "order_fulfilled",
        order,
        to,
        settings,
        format!("Your order {short} is ready"),
        format!(
            "Thanks for your purchase.\n\nOrder {} is paid and fulfilled. Your downloads and \
             access are in your account:\n{}/account/purchases\n",
            order.public_id, settings.app_url
        ),
        now,
    )];
    if work_orders > 0 {
        rows.push(row(
            "work_order_received",
            order,
            to,
            settings,
            format!("We received your request ({short})"),
            format!(
                "Your order {} opened {work_orders} work order(s). We will deliver by the due \
                 date shown in your account:\n{}/account/bookings\n",
                order.public_id, settings.app_url
            ),
            now,
        ));
    }
    email_outbox::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([email_outbox::Column::DedupeKey])
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

fn row(
    kind: &str,
    order: &orders::Model,
    to: &str,
    settings: &EmailSettings,
    subject: String,
    text_body: String,
    now: DateTime<Utc>,
) -> email_outbox::ActiveModel {
    email_outbox::ActiveModel {
        kind: Set(kind.to_owned()),
        dedupe_key: Set(Some(format!("{kind}:{}", order.public_id))),
        to_email: Set(to.to_owned()),
        from_email: Set(settings.from.clone()),
        subject: Set(subject),
        text_body: Set(text_body),
        html_body: Set(String::new()),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        last_error: Set(String::new()),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        metadata: Set(json!({"order_public_id": order.public_id.to_string()})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}
