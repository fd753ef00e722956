//! `subscription.*` events (and their `billing.` aliases): apply the state they carry.

use chrono::Utc;
use paidloop_billing_sync::read_subscription;
use paidloop_orders::SubscriptionEvent;
use sea_orm::DatabaseTransaction;
use serde_json::Value;

use super::subscriptions::{Applied, apply};
use super::version_of;
use crate::error::ApiError;
use crate::services::webhooks::Handled;

/// Upserts (or, for `canceled`, cancels) the subscription the event describes and syncs
/// its plan entitlements, in the delivery's transaction.
pub async fn handle(
    txn: &DatabaseTransaction,
    kind: SubscriptionEvent,
    event: &Value,
) -> Result<Handled, ApiError> {
    let data = event.get("data").unwrap_or(&Value::Null);
    let payload = read_subscription(data);
    let version = version_of(&payload, event, Utc::now());
    Ok(
        match apply(txn, &payload, kind.is_cancellation(), version).await? {
            Applied::Written { .. } => Handled::Processed,
            Applied::Stale => {
                Handled::Ignored("a newer state of this subscription is applied".into())
            }
            Applied::Skipped(why) => Handled::Ignored(why),
        },
    )
}
