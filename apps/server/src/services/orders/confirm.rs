//! Confirmation: the one place an order becomes paid and is fulfilled.
//!
//! Shared by the confirm endpoint and the payment webhooks (which confirm a group of
//! orders at once, see [`confirm_locked`]). It runs in the caller's transaction and
//! starts by locking the order rows: on Postgres a row lock, on SQLite the database's
//! write lock, taken before anything is read (so a read snapshot can never go stale
//! under a concurrent writer). Concurrent confirmations of one order therefore run one
//! after the other, and the second finds the order fulfilled and creates nothing.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use paidloop_orders::OrderStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set, TransactionSession,
    TransactionTrait,
};
use serde_json::Value;

use super::emails::{EmailSettings, FulfilledOrder, queue_order_emails};
use super::fulfil::fulfil_all;
use crate::bulk::{self, any_of};
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

/// Runs Confirmation inside the caller's transaction: lock the order, then (unless it
/// is already fulfilled) mark it paid and fulfilled, record the succeeded payment,
/// fulfil it and queue the emails ([`confirm_locked`]). Idempotent.
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
    let already_confirmed = match status {
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
        OrderStatus::Paid => true,
        OrderStatus::PendingPayment => false,
    };
    let order = confirm_locked(txn, &[(order, proof)], emails, Utc::now())
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(format!("order {order_id} was not confirmed")))?;
    Ok(Confirmed {
        order,
        already_confirmed,
    })
}

/// Pays for and fulfils orders whose rows the caller has locked and found pending or
/// paid (each order at most once): records each succeeded payment, fulfils, marks the
/// orders fulfilled (paid now unless they already were, with the proof's checkout and
/// payment ids) and queues the emails. The statements are the same few for one order
/// or a hundred. Answers the orders as stored, in the order given.
pub async fn confirm_locked<C: ConnectionTrait>(
    txn: &C,
    paid: &[(orders::Model, &PaymentProof)],
    emails: &EmailSettings,
    now: DateTime<Utc>,
) -> Result<Vec<orders::Model>, ApiError> {
    if paid.is_empty() {
        return Ok(Vec::new());
    }
    let payments: Vec<_> = paid
        .iter()
        .map(|(order, proof)| (order, *proof, "succeeded"))
        .collect();
    record_payments(txn, &payments).await?;
    let orders: Vec<orders::Model> = paid.iter().map(|(order, _)| order.clone()).collect();
    let fulfilled = fulfil_all(txn, &orders, now).await?;
    let stored = mark_fulfilled(txn, paid, now).await?;
    let buyers = buyer_emails(txn, orders.iter().map(|o| o.customer_account_id)).await?;
    let announced: Vec<FulfilledOrder<'_>> = stored
        .iter()
        .zip(&fulfilled)
        .map(|(order, done)| FulfilledOrder {
            order,
            to: buyers
                .get(&order.customer_account_id)
                .map_or("", String::as_str),
            items: &done.items,
            work_orders: done.work_orders,
        })
        .collect();
    queue_order_emails(txn, &announced, emails, now).await?;
    for order in &stored {
        tracing::info!(order = %order.public_id, "order fulfilled");
    }
    Ok(stored)
}

/// Marks the orders fulfilled in one `UPDATE … RETURNING`; an order still pending is
/// paid now and takes the proof's checkout and payment ids (a CASE per column, as they
/// differ per order). Answers the stored rows in the order of `paid`.
async fn mark_fulfilled<C: ConnectionTrait>(
    txn: &C,
    paid: &[(orders::Model, &PaymentProof)],
    now: DateTime<Utc>,
) -> Result<Vec<orders::Model>, ApiError> {
    // Per-order values, as `CASE id WHEN … THEN … ELSE <the column> END`; a column no
    // order changes is left out (a CASE needs at least one WHEN).
    let mut paid_now = Vec::new();
    let mut checkout = Vec::new();
    let mut external = Vec::new();
    for (order, proof) in paid {
        if order.status != OrderStatus::PendingPayment.as_str() {
            continue;
        }
        paid_now.push(order.id);
        if let Some(id) = proof.checkout_id.as_deref().filter(|c| !c.is_empty()) {
            checkout.push((order.id, id.chars().take(128).collect::<String>()));
        }
        if let Some(id) = proof.external_id.as_deref().filter(|e| !e.is_empty()) {
            external.push((order.id, id.chars().take(128).collect::<String>()));
        }
    }
    let backend = txn.get_database_backend();
    let ids = paid.iter().map(|(order, _)| order.id);
    let mut update = orders::Entity::update_many().col_expr(
        orders::Column::Status,
        Expr::value(OrderStatus::Fulfilled.as_str()),
    );
    if !paid_now.is_empty() {
        update = update.col_expr(
            orders::Column::PaidAt,
            Expr::case(any_of(backend, orders::Column::Id, paid_now), now)
                .finally(Expr::col(orders::Column::PaidAt))
                .into(),
        );
    }
    if !checkout.is_empty() {
        update = update.col_expr(
            orders::Column::ClerkCheckoutId,
            per_order(backend, orders::Column::ClerkCheckoutId, checkout),
        );
    }
    if !external.is_empty() {
        update = update.col_expr(
            orders::Column::ExternalReference,
            per_order(backend, orders::Column::ExternalReference, external),
        );
    }
    let mut stored: HashMap<i64, orders::Model> = update
        .col_expr(orders::Column::FulfilledAt, Expr::value(now))
        .col_expr(orders::Column::UpdatedAt, Expr::value(now))
        .filter(any_of(backend, orders::Column::Id, ids))
        .exec_with_returning(txn)
        .await?
        .into_iter()
        .map(|order| (order.id, order))
        .collect();
    paid.iter()
        .map(|(order, _)| {
            stored
                .remove(&order.id)
                .ok_or_else(|| ApiError::Internal(format!("order {} was not updated", order.id)))
        })
        .collect()
}

/// One value per order (by id) for `column`, in one statement; orders not listed keep
/// their `column` (see [`bulk::per_row`]).
pub(crate) fn per_order<V: Into<sea_orm::Value>>(
    backend: DbBackend,
    column: orders::Column,
    values: impl IntoIterator<Item = (i64, V)>,
) -> sea_orm::sea_query::SimpleExpr {
    bulk::per_row(backend, orders::Column::Id, column, values)
}

/// Upserts each order's transaction for its provider and payment id with its status
/// (`succeeded`, `failed` or `pending`); the amount is always the order's own total.
/// One statement: a payment already stored (the unique index on order, provider and
/// payment id) has its status, amount, payload and update time replaced, as does an
/// earlier report of the same payment in `payments`.
pub async fn record_payments<C: ConnectionTrait>(
    txn: &C,
    payments: &[(&orders::Model, &PaymentProof, &str)],
) -> Result<(), ApiError> {
    let now = Utc::now();
    // By key, in first-seen order: one statement cannot touch a row twice.
    let mut rows: Vec<payment_transactions::ActiveModel> = Vec::new();
    let mut at: HashMap<(i64, &str, String), usize> = HashMap::new();
    for &(order, proof, status) in payments {
        let external_id = payment_external_id(order, proof);
        let row = payment_transactions::ActiveModel {
            order_id: Set(Some(order.id)),
            subscription_id: Set(None),
            provider: Set(proof.provider.to_owned()),
            external_id: Set(external_id.clone()),
            status: Set(status.to_owned()),
            amount_cents: Set(order.total_cents),
            currency: Set(order.currency.clone()),
            raw_payload: Set(proof.raw_payload.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        match at.entry((order.id, proof.provider, external_id)) {
            Entry::Occupied(seen) => rows[*seen.get()] = row,
            Entry::Vacant(new) => {
                new.insert(rows.len());
                rows.push(row);
            }
        }
    }
    use payment_transactions::Column;
    bulk::upsert(
        txn,
        rows,
        &[Column::OrderId, Column::Provider, Column::ExternalId],
        &[
            Column::Status,
            Column::AmountCents,
            Column::RawPayload,
            Column::UpdatedAt,
        ],
    )
    .await?;
    Ok(())
}

/// The id a payment is recorded under: the provider's payment id, else the checkout
/// id, else one made from the order.
fn payment_external_id(order: &orders::Model, proof: &PaymentProof) -> String {
    proof
        .external_id
        .clone()
        .or_else(|| proof.checkout_id.clone())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| format!("order-{}", order.public_id))
        .chars()
        .take(128)
        .collect()
}

/// Where each buyer's emails go, by customer account: the billing email, else the
/// profile's (one query).
async fn buyer_emails<C: ConnectionTrait>(
    txn: &C,
    account_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, ApiError> {
    let ids: HashSet<i64> = account_ids.into_iter().collect();
    Ok(customer_accounts::Entity::find()
        .filter(any_of(
            txn.get_database_backend(),
            customer_accounts::Column::Id,
            ids,
        ))
        .find_also_related(profiles::Entity)
        .all(txn)
        .await?
        .into_iter()
        .map(|(account, profile)| {
            let email = if account.billing_email.is_empty() {
                profile.map(|p| p.email).unwrap_or_default()
            } else {
                account.billing_email
            };
            (account.id, email)
        })
        .collect())
}
