//! Queuing the "order fulfilled" and "work order received" emails in `email_outbox`.
//!
//! The rows are written in the confirmation transaction (one statement for every order
//! confirmed with it), so an email exists exactly when the fulfilment it announces
//! does; the dedupe key (kind + order) keeps a second confirmation from queuing it
//! twice, and is also the idempotency key every delivery attempt uses. Bodies are rendered here (`services::email::templates`), so the
//! worker sends what the buyer's order looked like when it was paid. An email that
//! fails to render is logged and skipped: an email never fails a purchase. Delivery is
//! the outbox worker's job (`services::email::worker`).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Set};
use serde_json::json;

use crate::bulk;
use crate::entities::{email_outbox, order_items, orders};
use crate::error::ApiError;
pub use crate::services::email::EmailSettings;
use crate::services::email::templates::{
    self, ItemLine, OrderFulfilled, Rendered, WorkOrderReceived,
};

/// One just-fulfilled order, as its emails need it.
pub struct FulfilledOrder<'a> {
    /// The order.
    pub order: &'a orders::Model,
    /// The buyer's address (nothing is queued when it is empty).
    pub to: &'a str,
    /// Its items, oldest first.
    pub items: &'a [order_items::Model],
    /// How many work orders it has (a "work order received" email when any).
    pub work_orders: usize,
}

/// Queues the emails of just-fulfilled orders, in one statement.
pub async fn queue_order_emails<C: ConnectionTrait>(
    txn: &C,
    fulfilled: &[FulfilledOrder<'_>],
    settings: &EmailSettings,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let rows: Vec<email_outbox::ActiveModel> = fulfilled
        .iter()
        .flat_map(|f| rows_for(f, settings, now))
        .collect();
    bulk::insert(txn, rows, &[email_outbox::Column::DedupeKey]).await?;
    Ok(())
}

/// The outbox rows of one order's emails (none without an address, and none for an
/// email that does not render).
fn rows_for(
    fulfilled: &FulfilledOrder<'_>,
    settings: &EmailSettings,
    now: DateTime<Utc>,
) -> Vec<email_outbox::ActiveModel> {
    let FulfilledOrder {
        order,
        to,
        items,
        work_orders,
    } = *fulfilled;
    if to.trim().is_empty() {
        tracing::warn!(order = %order.public_id, "no billing email; fulfilment emails skipped");
        return Vec::new();
    }
    let order_id = order.public_id.to_string();
    let mut rendered = vec![(
        "order_fulfilled",
        templates::order_fulfilled(&OrderFulfilled {
            order_id: order_id.clone(),
            items: items
                .iter()
                .map(|item| ItemLine {
                    name: item.product_name_snapshot.clone(),
                    quantity: item.quantity,
                    total: templates::money(item.total_amount_cents, &order.currency),
                })
                .collect(),
            total: templates::money(order.total_cents, &order.currency),
            purchases_url: format!("{}/account/purchases", settings.app_url),
            downloads_url: format!("{}/account/downloads", settings.app_url),
        }),
    )];
    if work_orders > 0 {
        rendered.push((
            "work_order_received",
            templates::work_order_received(&WorkOrderReceived {
                order_id,
                work_orders,
                services: items
                    .iter()
                    .map(|i| i.product_name_snapshot.clone())
                    .collect(),
                bookings_url: format!("{}/account/bookings", settings.app_url),
            }),
        ));
    }
    rendered
        .into_iter()
        .filter_map(|(kind, result)| match result {
            Ok(email) => Some(row(kind, order, to, settings, email, now)),
            Err(err) => {
                tracing::error!(order = %order.public_id, kind, error = %err, "email not queued: it does not render");
                None
            }
        })
        .collect()
}

fn row(
    kind: &str,
    order: &orders::Model,
    to: &str,
    settings: &EmailSettings,
    email: Rendered,
    now: DateTime<Utc>,
) -> email_outbox::ActiveModel {
    let mut metadata = json!({"order_public_id": order.public_id.to_string()});
    if let Some(reply_to) = &settings.reply_to {
        metadata["reply_to"] = json!(reply_to);
    }
    email_outbox::ActiveModel {
        kind: Set(kind.to_owned()),
        dedupe_key: Set(Some(format!("{kind}:{}", order.public_id))),
        to_email: Set(to.to_owned()),
        from_email: Set(settings.from.clone()),
        subject: Set(email.subject),
        text_body: Set(email.text),
        html_body: Set(email.html),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        last_error: Set(String::new()),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        metadata: Set(metadata),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}
