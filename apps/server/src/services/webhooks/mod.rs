//! The Clerk webhook receiver: verify, record once, process exactly once.
//!
//! 1. The Svix signature is checked before anything else; a failure stores nothing.
//! 2. One transaction records the event by `(provider, svix-id)` with `ON CONFLICT DO
//!    NOTHING` and processes it. The insert holds the key until commit, so a concurrent
//!    delivery of the same event waits, finds the row, locks it (a no-op `UPDATE`), and
//!    answers `deduplicated` once it is `processed` or `ignored`.
//! 3. Events that need no work besides their own row (`session.created`, unknown
//!    types) skip that transaction: they are stored with their final status, grouped
//!    with concurrent deliveries (see [`recorder`]), and a redelivery finds the row and
//!    is deduplicated.
//! 4. Payment events (the money path) follow the same rules in shared transactions:
//!    concurrent deliveries are recorded, locked and confirmed together (see
//!    [`payments`]).
//! 5. A handler error rolls the work back, stores the event `failed` with the error,
//!    and answers 500 so that Svix retries; a retry processes it again.

pub mod payments;
pub mod recorder;
mod users;

use actix_web::http::StatusCode;
use chrono::Utc;
use paidloop_clerk::{SvixHeaders, verify_webhook};
use paidloop_orders::ClerkEventType;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait, TryInsertResult};
use serde_json::{Value, json};

use crate::entities::webhook_events;
use crate::error::ApiError;
use crate::services::billing;
use crate::state::AppState;
use payments::PaymentDelivery;

/// The provider name events are stored under.
const PROVIDER: &str = "clerk";

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Handled now.
    Processed,
    /// Stored without action (unknown type, no matching order, …).
    Ignored(String),
    /// Already processed or ignored earlier; nothing done.
    Deduplicated,
}

/// What a handler decided.
pub enum Handled {
    /// Work was done.
    Processed,
    /// Nothing to do, and why.
    Ignored(String),
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::WithBody(StatusCode::BAD_REQUEST, json!({"error": message.into()}))
}

/// Verifies and processes one delivery.
#[tracing::instrument(skip_all, fields(svix_id = headers.id.as_deref().unwrap_or("")))]
pub async fn receive(
    state: &AppState,
    headers: &SvixHeaders,
    body: &[u8],
) -> Result<Outcome, ApiError> {
    let secret = state
        .config
        .clerk
        .webhook_signing_secret
        .as_deref()
        .ok_or_else(|| bad_request("Webhook signing secret is not configured."))?;
    verify_webhook(secret, headers, body, Utc::now().timestamp())
        .map_err(|err| bad_request(err.to_string()))?;
    let payload: Value =
        serde_json::from_slice(body).map_err(|_| bad_request("Webhook body is not JSON."))?;
    let event_type = payload
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| bad_request("Webhook body has no event type."))?
        .to_owned();
    let event_id: String = headers
        .id
        .clone()
        .unwrap_or_default()
        .chars()
        .take(191)
        .collect();

    let kind = ClerkEventType::parse(&event_type);
    if let Some(handled) = record_only(kind, &event_type) {
        return store_final(state, &event_id, &event_type, &payload, handled).await;
    }
    if let ClerkEventType::Payment(kind) = kind {
        let delivery = PaymentDelivery {
            event_id: event_id.clone(),
            event_type: event_type.clone(),
            kind,
            payload: payload.clone(),
        };
        return match state.payment_groups.receive(state, delivery).await {
            Ok(outcome) => Ok(outcome),
            Err(err) => {
                let turn = state.writes.enter().await;
                Err(store_failure(state, &event_id, &event_type, &payload, err, turn).await)
            }
        };
    }
    let turn = state.writes.enter().await;
    let txn = state.db.begin().await?;
    // Written `processed`, the usual outcome: no other transaction sees the row before
    // the commit, so it is rewritten below only when the event ends otherwise.
    let row = finished_row(&event_id, &event_type, &payload, "processed", String::new());
    let inserted = matches!(
        webhook_events::Entity::insert(row)
            .on_conflict_do_nothing_on([
                webhook_events::Column::Provider,
                webhook_events::Column::EventId,
            ])
            .exec_without_returning(&txn)
            .await?,
        TryInsertResult::Inserted(n) if n > 0
    );
    if !inserted {
        // A redelivery: wait for any delivery still working on it, then look.
        webhook_events::Entity::update_many()
            .col_expr(
                webhook_events::Column::Status,
                Expr::col(webhook_events::Column::Status),
            )
            .filter(webhook_events::Column::Provider.eq(PROVIDER))
            .filter(webhook_events::Column::EventId.eq(event_id.as_str()))
            .exec(&txn)
            .await?;
        let status = webhook_events::Entity::find()
            .filter(webhook_events::Column::Provider.eq(PROVIDER))
            .filter(webhook_events::Column::EventId.eq(event_id.as_str()))
            .one(&txn)
            .await?
            .map(|e| e.status)
            .unwrap_or_default();
        if matches!(status.as_str(), "processed" | "ignored") {
            txn.commit().await?;
            return Ok(Outcome::Deduplicated);
        }
    }

    match dispatch(state, &txn, kind, &payload).await {
        Ok(handled) => {
            let (status, note, outcome) = match handled {
                Handled::Processed => ("processed", String::new(), Outcome::Processed),
                Handled::Ignored(why) => ("ignored", why.clone(), Outcome::Ignored(why)),
            };
            if !inserted || status != "processed" {
                webhook_events::Entity::update_many()
                    .col_expr(webhook_events::Column::Status, Expr::value(status))
                    .col_expr(webhook_events::Column::ErrorMessage, Expr::value(note))
                    .col_expr(webhook_events::Column::ProcessedAt, Expr::value(Utc::now()))
                    .filter(webhook_events::Column::Provider.eq(PROVIDER))
                    .filter(webhook_events::Column::EventId.eq(event_id.as_str()))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
            if matches!(
                kind,
                ClerkEventType::Payment(_) | ClerkEventType::Subscription(_)
            ) {
                state.order_lists.payments_changed();
            }
            Ok(outcome)
        }
        Err(err) => {
            txn.rollback().await?;
            Err(store_failure(state, &event_id, &event_type, &payload, err, turn).await)
        }
    }
}

/// Stores a delivery whose handling failed as `failed`, with the error, and answers
/// the error (500, so that Svix retries). Holds the SQLite write `turn` while writing.
async fn store_failure(
    state: &AppState,
    event_id: &str,
    event_type: &str,
    payload: &Value,
    err: ApiError,
    turn: Option<tokio::sync::OwnedMutexGuard<()>>,
) -> ApiError {
    tracing::error!(event_type, error = %err, "webhook handler failed");
    let message: String = err.to_string().chars().take(2000).collect();
    let stored =
        webhook_events::Entity::insert(event_row(event_id, event_type, payload, "failed", message))
            .on_conflict(
                OnConflict::columns([
                    webhook_events::Column::Provider,
                    webhook_events::Column::EventId,
                ])
                .update_columns([
                    webhook_events::Column::Status,
                    webhook_events::Column::ErrorMessage,
                ])
                .to_owned(),
            )
            .exec_without_returning(&state.db)
            .await;
    drop(turn);
    if let Err(db_err) = stored {
        return db_err.into();
    }
    ApiError::Internal(format!("webhook {event_type} failed: {err}"))
}

/// A `webhook_events` row for this delivery.
fn event_row(
    event_id: &str,
    event_type: &str,
    payload: &Value,
    status: &str,
    error_message: String,
) -> webhook_events::ActiveModel {
    webhook_events::ActiveModel {
        provider: Set(PROVIDER.to_owned()),
        event_id: Set(event_id.to_owned()),
        event_type: Set(event_type.chars().take(191).collect()),
        payload: Set(payload.clone()),
        status: Set(status.to_owned()),
        error_message: Set(error_message),
        received_at: Set(Utc::now()),
        processed_at: Set(None),
        ..Default::default()
    }
}

/// A `webhook_events` row for this delivery, finished now with `status` (`processed` or
/// `ignored`).
fn finished_row(
    event_id: &str,
    event_type: &str,
    payload: &Value,
    status: &str,
    note: String,
) -> webhook_events::ActiveModel {
    let mut row = event_row(event_id, event_type, payload, status, note);
    row.processed_at = Set(Some(Utc::now()));
    row
}

/// The outcome of events that need no database work besides their own row.
fn record_only(kind: ClerkEventType, event_type: &str) -> Option<Handled> {
    match kind {
        ClerkEventType::SessionCreated => {
            tracing::info!("Clerk session created");
            Some(Handled::Processed)
        }
        ClerkEventType::Other => Some(Handled::Ignored(format!(
            "unhandled event type {event_type}"
        ))),
        _ => None,
    }
}

/// Stores a record-only event with its final status (grouped with other deliveries,
/// see [`recorder`]); a redelivery finds the row and is deduplicated.
async fn store_final(
    state: &AppState,
    event_id: &str,
    event_type: &str,
    payload: &Value,
    handled: Handled,
) -> Result<Outcome, ApiError> {
    let (status, note, outcome) = match handled {
        Handled::Processed => ("processed", String::new(), Outcome::Processed),
        Handled::Ignored(why) => ("ignored", why.clone(), Outcome::Ignored(why)),
    };
    let row = finished_row(event_id, event_type, payload, status, note);
    let stored = state
        .event_recorder
        .record(&state.db, &state.writes, row)
        .await?;
    Ok(if stored {
        outcome
    } else {
        Outcome::Deduplicated
    })
}

/// Routes an event to its handler.
async fn dispatch(
    state: &AppState,
    txn: &sea_orm::DatabaseTransaction,
    kind: ClerkEventType,
    event: &Value,
) -> Result<Handled, ApiError> {
    let data = event.get("data").unwrap_or(&Value::Null);
    match kind {
        ClerkEventType::UserCreated | ClerkEventType::UserUpdated => {
            users::upsert(state, txn, data).await
        }
        ClerkEventType::UserDeleted => users::deactivate(state, txn, data).await,
        ClerkEventType::Subscription(kind) => billing::webhook::handle(txn, kind, event).await,
        // Stored by `store_final`, or processed in groups by `payments`, before any
        // transaction starts; never routed here.
        ClerkEventType::Payment(_) | ClerkEventType::SessionCreated | ClerkEventType::Other => {
            Ok(Handled::Processed)
        }
    }
}
