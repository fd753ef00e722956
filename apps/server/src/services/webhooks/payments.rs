//! `paymentAttempt.*` and `checkout.*` events: record the payment, confirm on success.

use chrono::Utc;
use paidloop_orders::{
    ConfirmDecision, OrderLookup, OrderStatus, PaymentEvent, PaymentEventType, webhook_confirmation,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use serde_json::Value;

use super::Handled;
use crate::entities::orders;
use crate::error::ApiError;
use crate::services::orders::confirm::{PaymentProof, confirm_in, record_payment};
use crate::services::orders::emails::EmailSettings;
use crate::state::AppState;

/// Finds the order the event is about: public id, else checkout id, else reference.
async fn find_order(
    txn: &DatabaseTransaction,
    event: &PaymentEvent,
) -> Result<Option<orders::Model>, ApiError> {
    for lookup in event.order_lookups() {
        let query = orders::Entity::find();
        let query = match lookup {
            OrderLookup::PublicId(id) => query.filter(orders::Column::PublicId.eq(id)),
            OrderLookup::CheckoutId(id) => query.filter(orders::Column::ClerkCheckoutId.eq(id)),
            OrderLookup::ExternalReference(id) => {
                query.filter(orders::Column::ExternalReference.eq(id))
            }
        };
        if let Some(order) = query.one(txn).await? {
            return Ok(Some(order));
        }
    }
    Ok(None)
}

/// Handles one payment attempt or checkout event.
pub(super) async fn handle(
    state: &AppState,
    txn: &DatabaseTransaction,
    kind: PaymentEventType,
    data: &Value,
) -> Result<Handled, ApiError> {
    let event = PaymentEvent::read(kind.source, data);
    let Some(mut order) = find_order(txn, &event).await? else {
        return Ok(Handled::Ignored("no order matches this payment".into()));
    };
    // Remember the checkout, so later events that only carry its id find the order.
    if let Some(checkout) = event.checkout_id.as_deref()
        && order.clerk_checkout_id.is_empty()
    {
        let mut row = order.into_active_model();
        row.clerk_checkout_id = Set(checkout.chars().take(128).collect());
        row.updated_at = Set(Utc::now());
        order = row.update(txn).await?;
    }
    let proof = PaymentProof {
        provider: "clerk",
        external_id: event.external_id.clone(),
        checkout_id: event.checkout_id.clone(),
        raw_payload: data.clone(),
    };
    if !event.outcome.is_success() {
        record_payment(txn, &order, &proof, event.outcome.transaction_status()).await?;
        tracing::info!(order = %order.public_id, status = %event.status, "payment not successful");
        return Ok(Handled::Processed);
    }
    let status = OrderStatus::parse(&order.status)
        .map_err(|err| ApiError::Internal(format!("stored order status: {err}")))?;
    match webhook_confirmation(status) {
        ConfirmDecision::InvalidState(state) => {
            record_payment(txn, &order, &proof, "succeeded").await?;
            tracing::warn!(order = %order.public_id, status = state.as_str(), "payment for an order that cannot be confirmed");
            Ok(Handled::Ignored(format!(
                "order is {}; payment recorded, nothing fulfilled",
                state.as_str()
            )))
        }
        _ => {
            let emails = EmailSettings::from_config(&state.config);
            confirm_in(txn, order.id, &proof, &emails).await?;
            Ok(Handled::Processed)
        }
    }
}
