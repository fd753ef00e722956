//! Confirmation: the one place an order becomes paid and is fulfilled.
//!
//! Shared by the confirm endpoint and the payment webhooks. It runs in the caller's
//! transaction and starts by locking the order row with a no-op `UPDATE`: on Postgres
//! that is a row lock, on SQLite it takes the database's write lock before anything is
//! read (so a read snapshot can never go stale under a concurrent writer). Concurrent
//! confirmations of one order therefore run one after the other, and the second finds
//! the order fulfilled and creates nothing.

use chrono::Utc;
use paidloop_orders::OrderStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::Value;

use super::emails::{EmailSettings, queue_order_emails};
use super::fulfil::fulfil;
use crate::entities::{customer_accounts, orders, payment_transactions, profiles};
use crate::error::ApiError;

/// What proves the payment, as recorded on the order and its transaction.
#[derive(Debug, Clone)]
pub struct PaymentProof {
    /// `clerk` or `manual`.
    pub provider: &'static str,
    /// The provider's payment id, if any.
    pub external_id: Option<String>,
    /// The Clerk checkout id, if any.
    pub checkout_id: Option<String>,
    /// What the provider sent, kept on the transaction.
    pub raw_payload: Value,
}

/// The order after confirmation.
#[derive(Debug)]
pub struct Confirmed {
    /// The order, now `fulfilled`.
    pub order: orders::Model,
    /// It was already paid before this call.
    pub already_confirmed: bool,
}

/// Takes the order's lock for the rest of the transaction; `false` if it does not exist.
async fn lock_order<C: ConnectionTrait>(txn: &C, order_id: i64) -> Result<bool, ApiError> {
    let result = orders::Entity::update_many()
        .col_expr(
            orders::Column::UpdatedAt,
            Expr::col(orders::Column::UpdatedAt),
        )
        .filter(orders::Column::Id.eq(order_id))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Runs Confirmation in its own transaction.
pub async fn confirm<C: TransactionTrait>(
    db: &C,
    order_id: i64,
    proof: &PaymentProof,
    emails: &EmailSettings,
) -> Result<Confirmed, ApiError> {
    let txn = db.begin().await?;
    let confirmed = confirm_in(&txn, order_id, proof, emails).await?;
    txn.commit().await?;
    Ok(confirmed)
}

/// Runs Confirmation inside the caller's transaction: mark paid, record the succeeded
/// payment, fulfil, mark fulfilled, queue the emails. Idempotent.
#[tracing::instrument(skip(txn, proof, emails), fields(provider = proof.provider))]
pub async fn confirm_in<C: ConnectionTrait>(
    txn: &C,
    order_id: i64,
    proof: &PaymentProof,
    emails: &EmailSettings,
) -> Result<Confirmed, ApiError> {
    if !lock_order(txn, order_id).await? {
        return Err(ApiError::NotFound);
    }
    let order = orders::Entity::find_by_id(order_id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let status = OrderStatus::parse(&order.status)
        .map_err(|err| ApiError::Internal(format!("stored order status: {err}")))?;
    let now = Utc::now();
    let (order, already_confirmed) = match status {
        OrderStatus::Fulfilled => {
            return Ok(Confirmed {
                order,
                already_confirmed: true,
            });
        }
        OrderStatus::Canceled | OrderStatus::Refunded | OrderStatus::Draft => {
            return Err(ApiError::BadRequest(format!(
                "An order that is {} cannot be confirmed.",
                status.as_str()
            )));
        }
        OrderStatus::Paid => (order, true),
        OrderStatus::PendingPayment => {
            let mut paid = order.into_active_model();
            paid.status = Set(OrderStatus::Paid.as_str().to_owned());
            paid.paid_at = Set(Some(now));
            if let Some(checkout) = proof.checkout_id.as_deref().filter(|c| !c.is_empty()) {
                paid.clerk_checkout_id = Set(checkout.chars().take(128).collect());
            }
            if let Some(external) = proof.external_id.as_deref().filter(|e| !e.is_empty()) {
                paid.external_reference = Set(external.chars().take(128).collect());
            }
            paid.updated_at = Set(now);
            (paid.update(txn).await?, false)
        }
    };
    record_payment(txn, &order, proof, "succeeded").await?;
    let fulfilled = fulfil(txn, &order, now).await?;

    let mut done = order.into_active_model();
    done.status = Set(OrderStatus::Fulfilled.as_str().to_owned());
    done.fulfilled_at = Set(Some(now));
    done.updated_at = Set(now);
    let order = done.update(txn).await?;

    let to = buyer_email(txn, order.customer_account_id).await?;
    queue_order_emails(txn, &order, &to, fulfilled.work_orders, emails, now).await?;
    tracing::info!(order = %order.public_id, already_confirmed, "order fulfilled");
    Ok(Confirmed {
        order,
        already_confirmed,
    })
}

/// Upserts the order's transaction for this provider and payment id with `status`
/// (`succeeded`, `failed` or `pending`); the amount is always the order's own total.
pub async fn record_payment<C: ConnectionTrait>(
    txn: &C,
    order: &orders::Model,
    proof: &PaymentProof,
    status: &str,
) -> Result<(), ApiError> {
    let external_id: String = proof
        .external_id
        .clone()
        .or_else(|| proof.checkout_id.clone())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| format!("order-{}", order.public_id))
        .chars()
        .take(128)
        .collect();
    let now = Utc::now();
    let existing = payment_transactions::Entity::find()
        .filter(payment_transactions::Column::OrderId.eq(order.id))
        .filter(payment_transactions::Column::Provider.eq(proof.provider))
        .filter(payment_transactions::Column::ExternalId.eq(external_id.as_str()))
        .one(txn)
        .await?;
    let mut row = match existing {
        Some(row) => row.into_active_model(),
        None => payment_transactions::ActiveModel {
            order_id: Set(Some(order.id)),
            subscription_id: Set(None),
            provider: Set(proof.provider.to_owned()),
            external_id: Set(external_id),
            currency: Set(order.currency.clone()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    row.status = Set(status.to_owned());
    row.amount_cents = Set(order.total_cents);
    row.raw_payload = Set(proof.raw_payload.clone());
    row.updated_at = Set(now);
    row.save(txn).await?;
    Ok(())
}

/// Where the buyer's emails go: the billing email, else the profile's.
async fn buyer_email<C: ConnectionTrait>(txn: &C, account_id: i64) -> Result<String, ApiError> {
    let found = customer_accounts::Entity::find_by_id(account_id)
        .find_also_related(profiles::Entity)
        .one(txn)
        .await?;
    Ok(match found {
        Some((account, _)) if !account.billing_email.is_empty() => account.billing_email,
        Some((_, Some(profile))) => profile.email,
        _ => String::new(),
    })
}
