//! The Clerk webhook receiver: verify, record once, process exactly once.
//!
//! 1. The Svix signature is checked before anything else; a failure stores nothing.
//! 2. The event is recorded by `(provider, svix-id)` with `ON CONFLICT DO NOTHING`.
//! 3. Processing runs in one transaction that first locks the event row (a no-op
//!    `UPDATE`), so concurrent deliveries of one event wait for each other; the later
//!    ones find it `processed` (or `ignored`) and answer `deduplicated`.
//! 4. A handler error rolls the work back, stores the event `failed` with the error,
//!    and answers 500 so that Svix retries; a retry processes it again.

mod payments;
mod users;

use actix_web::http::StatusCode;
use chrono::Utc;
use paidloop_clerk::{SvixHeaders, verify_webhook};
use paidloop_orders::ClerkEventType;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};
use serde_json::{Value, json};

use crate::entities::webhook_events;
use crate::error::ApiError;
use crate::state::AppState;

/// The provider name events are stored under.
const PROVIDER: &str = "clerk";

/// How a delivery ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Handled now.
    Processed,
    /// Stored without action (unknown type, no matching order, …).
    Ignored(String),
    /// Already processed or ignored earlier; nothing done.
    Deduplicated,
}

/// What a handler decided.
pub(crate) enum Handled {
    Processed,
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

    record(state, &event_id, &event_type, &payload).await?;

    let txn = state.db.begin().await?;
    webhook_events::Entity::update_many()
        .col_expr(
            webhook_events::Column::Status,
            Expr::col(webhook_events::Column::Status),
        )
        .filter(webhook_events::Column::Provider.eq(PROVIDER))
        .filter(webhook_events::Column::EventId.eq(event_id.as_str()))
        .exec(&txn)
        .await?;
    let event = webhook_events::Entity::find()
        .filter(webhook_events::Column::Provider.eq(PROVIDER))
        .filter(webhook_events::Column::EventId.eq(event_id.as_str()))
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::Internal("webhook event vanished after its insert".into()))?;
    if matches!(event.status.as_str(), "processed" | "ignored") {
        txn.commit().await?;
        return Ok(Outcome::Deduplicated);
    }

    let data = payload.get("data").cloned().unwrap_or(Value::Null);
    match dispatch(state, &txn, &event_type, &data).await {
        Ok(handled) => {
            let (status, note, outcome) = match handled {
                Handled::Processed => ("processed", String::new(), Outcome::Processed),
                Handled::Ignored(why) => ("ignored", why.clone(), Outcome::Ignored(why)),
            };
            let mut row = event.into_active_model();
            row.status = Set(status.to_owned());
            row.error_message = Set(note);
            row.processed_at = Set(Some(Utc::now()));
            row.update(&txn).await?;
            txn.commit().await?;
            Ok(outcome)
        }
        Err(err) => {
            txn.rollback().await?;
            tracing::error!(event_type, error = %err, "webhook handler failed");
            webhook_events::Entity::update_many()
                .col_expr(webhook_events::Column::Status, Expr::value("failed"))
                .col_expr(
                    webhook_events::Column::ErrorMessage,
                    Expr::value(err.to_string().chars().take(2000).collect::<String>()),
                )
                .filter(webhook_events::Column::Provider.eq(PROVIDER))
                .filter(webhook_events::Column::EventId.eq(event_id.as_str()))
                .exec(&state.db)
                .await?;
            Err(ApiError::Internal(format!(
                "webhook {event_type} failed: {err}"
            )))
        }
    }
}

/// Stores the event once; a redelivery finds the row already there.
async fn record(
    state: &AppState,
    event_id: &str,
    event_type: &str,
    payload: &Value,
) -> Result<(), ApiError> {
    webhook_events::Entity::insert(webhook_events::ActiveModel {
        provider: Set(PROVIDER.to_owned()),
        event_id: Set(event_id.to_owned()),
        event_type: Set(event_type.chars().take(191).collect()),
        payload: Set(payload.clone()),
        status: Set("received".to_owned()),
        error_message: Set(String::new()),
        received_at: Set(Utc::now()),
        processed_at: Set(None),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([
        webhook_events::Column::Provider,
        webhook_events::Column::EventId,
    ])
    .exec_without_returning(&state.db)
    .await?;
    Ok(())
}

/// Routes an event to its handler.
async fn dispatch(
    state: &AppState,
    txn: &sea_orm::DatabaseTransaction,
    event_type: &str,
    data: &Value,
) -> Result<Handled, ApiError> {
    match ClerkEventType::parse(event_type) {
        ClerkEventType::UserCreated | ClerkEventType::UserUpdated => {
            users::upsert(state, txn, data).await
        }
        ClerkEventType::UserDeleted => users::deactivate(state, txn, data).await,
        ClerkEventType::SessionCreated => {
            let user = data.get("user_id").and_then(Value::as_str).unwrap_or("");
            tracing::info!(user, "Clerk session created");
            Ok(Handled::Processed)
        }
        ClerkEventType::Payment(kind) => payments::handle(state, txn, kind, data).await,
        ClerkEventType::Subscription(_) => Ok(Handled::Ignored(
            "subscription events are applied by billing sync".into(),
        )),
        ClerkEventType::Other => Ok(Handled::Ignored(format!(
            "unhandled event type {event_type}"
        ))),
    }
}
