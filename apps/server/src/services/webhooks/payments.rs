//! `paymentAttempt.*` and `checkout.*` events: record the payment, confirm on success.
//!
//! Payments are the money path, and under load they arrive together (a launch, a
//! sale). Concurrent deliveries are therefore processed in groups (see
//! [`crate::group_commit`]): one transaction records every waiting event, finds and
//! locks their orders in one statement, and confirms every paid order with the same
//! few statements ([`confirm_locked`]), so the cost per payment falls as load rises
//! and a lone delivery is processed at once, as before. The rules are those of the
//! single receiver in the parent module:
//!
//! - an event is stored once by `(provider, svix-id)`; a redelivery of one already
//!   `processed` or `ignored` is answered `deduplicated` (within a group too), one
//!   stored `received` or `failed` is processed again;
//! - an order is confirmed and fulfilled once, whatever arrives for it in one group or
//!   across groups (its row is locked, then its status decides);
//! - if a group fails, each delivery is processed again on its own, so one bad event
//!   fails only its own delivery, which is then stored `failed` and answered 500.
//!
//! On Postgres two groups are written at once (each locks its orders in id order, so
//! they cannot deadlock one another); on SQLite one at a time.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use paidloop_orders::{
    ConfirmDecision, OrderLookup, OrderStatus, PaymentEvent, PaymentEventType, webhook_confirmation,
};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde_json::Value;
use uuid::Uuid;

use super::{Handled, Outcome, PROVIDER, finished_row};
use crate::bulk::{self, any_of};
use crate::entities::{orders, webhook_events};
use crate::error::ApiError;
use crate::group_commit::{GroupCommit, GroupWrite, write_or_retry_alone};
use crate::services::orders::confirm::{PaymentProof, confirm_locked, per_order, record_payments};
use crate::services::orders::emails::EmailSettings;
use crate::state::AppState;

/// The most deliveries one transaction takes: its multi-row statements (grants are the
/// widest, 11 bound columns and two per order here) stay far below both databases'
/// limits on bound parameters.
const MAX_GROUP: usize = 128;

/// One verified payment delivery.
pub struct PaymentDelivery {
    /// Its Svix id (the deduplication key).
    pub event_id: String,
    /// Its `type`, as sent.
    pub event_type: String,
    /// What kind of payment event it is.
    pub kind: PaymentEventType,
    /// The whole event.
    pub payload: Value,
}

/// Groups written at once on Postgres: each takes one pooled connection and its rows'
/// locks; two in flight hide each other's round trips. More make smaller groups, and
/// Postgres pays for each statement (its executor start, constraint checks, commit)
/// whatever its size: on the fulfilment bench row (2 cores), two turns fulfilled 8%
/// more payments than four, with a lower p99. On SQLite, one (it has one writer).
const POSTGRES_TURNS: usize = 2;

/// Groups concurrent payment deliveries into shared transactions (one per process).
pub struct PaymentGroups(GroupCommit<PaymentDelivery, Result<Outcome, ApiError>>);

impl PaymentGroups {
    /// The groups of a server on `database_url`.
    pub fn for_url(database_url: &str) -> Self {
        Self(GroupCommit::for_database(
            database_url,
            MAX_GROUP,
            POSTGRES_TURNS,
        ))
    }

    /// Processes one delivery (with whatever else is waiting) and answers its outcome.
    pub async fn receive(
        &self,
        state: &AppState,
        delivery: PaymentDelivery,
    ) -> Result<Outcome, ApiError> {
        self.0
            .submit(delivery, |group| {
                write_or_retry_alone(
                    PaymentWrite {
                        state: state.clone(),
                    },
                    group,
                )
            })
            .await
            .unwrap_or_else(|| Err(ApiError::Internal("the payment processor stopped".into())))
    }
}

/// The state a group is processed with.
struct PaymentWrite {
    state: AppState,
}

impl GroupWrite for PaymentWrite {
    type Item = PaymentDelivery;
    type Output = Outcome;

    async fn insert(&self, deliveries: &[PaymentDelivery]) -> Result<Vec<Outcome>, ApiError> {
        let state = &self.state;
        let started = std::time::Instant::now();
        let turn = state.writes.enter().await;
        let txn = state.db.begin().await?;
        let outcomes = process(state, &txn, deliveries).await?;
        let changed = outcomes.contains(&Outcome::Processed);
        txn.commit().await?;
        drop(turn);
        tracing::debug!(
            deliveries = deliveries.len(),
            micros = started.elapsed().as_micros(),
            "payment group committed"
        );
        if changed {
            state.order_lists.payments_changed();
        }
        Ok(outcomes)
    }
}

/// What one delivery of the group is: answered already, or to be handled.
enum Step {
    /// Answered without work (a redelivery of a finished event).
    Done(Outcome),
    /// To be handled, with the payment it reports; `fresh`: its row was written by this
    /// group, already marked `processed` (see [`record_events`]).
    Handle { event: PaymentEvent, fresh: bool },
}

/// Records, handles and finishes the group's events in the caller's transaction.
async fn process(
    state: &AppState,
    txn: &DatabaseTransaction,
    deliveries: &[PaymentDelivery],
) -> Result<Vec<Outcome>, ApiError> {
    let steps = record_events(txn, deliveries).await?;
    let events: Vec<&PaymentEvent> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Handle { event, .. } => Some(event),
            Step::Done(_) => None,
        })
        .collect();
    let mut orders = lock_orders(txn, &events).await?;
    // Every statement from here on looks rows up by key or writes them; the order
    // look-up above (its arms match columns that are mostly empty) keeps its own plans.
    bulk::reuse_plans(txn).await?;

    // Decide each delivery in arrival order, as if they had come one after the other;
    // an order confirmed earlier in the group counts as fulfilled for later ones.
    let mut handled: Vec<Option<Handled>> = Vec::with_capacity(deliveries.len());
    let mut to_confirm: Vec<(i64, PaymentProof)> = Vec::new();
    let mut payments: Vec<(i64, PaymentProof, &'static str)> = Vec::new();
    let mut checkouts: Vec<(i64, String)> = Vec::new();
    let mut confirming: HashSet<i64> = HashSet::new();
    for (delivery, step) in deliveries.iter().zip(&steps) {
        let Step::Handle { event, .. } = step else {
            handled.push(None);
            continue;
        };
        let Some(order_id) = find_order(&orders, event) else {
            handled.push(Some(Handled::Ignored(
                "no order matches this payment".into(),
            )));
            continue;
        };
        let proof = PaymentProof {
            provider: "clerk",
            external_id: event.external_id.clone(),
            checkout_id: event.checkout_id.clone(),
            raw_payload: delivery.payload.get("data").cloned().unwrap_or(Value::Null),
        };
        let order = orders
            .get_mut(&order_id)
            .ok_or_else(|| ApiError::Internal(format!("order {order_id} vanished")))?;
        // Remember the checkout, so later events that only carry its id find the order.
        if let Some(checkout) = event.checkout_id.as_deref()
            && order.clerk_checkout_id.is_empty()
        {
            order.clerk_checkout_id = checkout.chars().take(128).collect();
            checkouts.push((order.id, order.clerk_checkout_id.clone()));
        }
        let order = &*order;
        if !event.outcome.is_success() {
            tracing::info!(order = %order.public_id, status = %event.status, "payment not successful");
            payments.push((order.id, proof, event.outcome.transaction_status()));
            handled.push(Some(Handled::Processed));
            continue;
        }
        let status = if confirming.contains(&order.id) {
            OrderStatus::Fulfilled
        } else {
            OrderStatus::parse(&order.status)
                .map_err(|err| ApiError::Internal(format!("stored order status: {err}")))?
        };
        match webhook_confirmation(status) {
            ConfirmDecision::InvalidState(stuck) => {
                tracing::warn!(order = %order.public_id, status = stuck.as_str(), "payment for an order that cannot be confirmed");
                payments.push((order.id, proof, "succeeded"));
                handled.push(Some(Handled::Ignored(format!(
                    "order is {}; payment recorded, nothing fulfilled",
                    stuck.as_str()
                ))));
            }
            _ if status == OrderStatus::Fulfilled => handled.push(Some(Handled::Processed)),
            _ => {
                confirming.insert(order.id);
                to_confirm.push((order.id, proof));
                handled.push(Some(Handled::Processed));
            }
        }
    }

    remember_checkouts(txn, checkouts).await?;
    let recorded: Vec<_> = payments
        .iter()
        .filter_map(|(id, proof, status)| Some((orders.get(id)?, proof, *status)))
        .collect();
    record_payments(txn, &recorded).await?;
    let paid: Vec<(orders::Model, &PaymentProof)> = to_confirm
        .iter()
        .filter_map(|(id, proof)| Some((orders.remove(id)?, proof)))
        .collect();
    let emails = EmailSettings::from_config(&state.config);
    confirm_locked(txn, &paid, &emails, Utc::now()).await?;

    finish_events(txn, deliveries, &steps, handled).await
}

/// Stores the group's events (one `INSERT … ON CONFLICT DO NOTHING RETURNING`), then
/// looks at those stored before: a finished one is a redelivery, answered
/// `deduplicated`; one `received` or `failed` is handled again. A second delivery of an
/// event within the group is a redelivery of the first.
///
/// New rows are written `processed` at once, the outcome of nearly every payment event:
/// no other transaction sees them before the group commits, and the group commits only
/// once every event is handled (else it rolls back and each delivery is processed on
/// its own). So [`finish_events`] rewrites only the rows that end otherwise (ignored,
/// or stored before), instead of every row: on Postgres each rewrite is a new row
/// version with a new entry in each of the table's three indexes, as `status` is one of
/// the indexed columns.
async fn record_events(
    txn: &DatabaseTransaction,
    deliveries: &[PaymentDelivery],
) -> Result<Vec<Step>, ApiError> {
    let mut seen = HashSet::new();
    let first: Vec<bool> = deliveries
        .iter()
        .map(|d| seen.insert(d.event_id.as_str()))
        .collect();
    let rows = deliveries
        .iter()
        .zip(&first)
        .filter(|(_, first)| **first)
        .map(|(d, _)| {
            finished_row(
                &d.event_id,
                &d.event_type,
                &d.payload,
                "processed",
                String::new(),
            )
        });
    let stored: HashSet<String> = bulk::insert_returning(
        txn,
        rows.collect(),
        &[
            webhook_events::Column::Provider,
            webhook_events::Column::EventId,
        ],
    )
    .await?
    .into_iter()
    .map(|e| e.event_id)
    .collect();
    let earlier: Vec<&str> = deliveries
        .iter()
        .zip(&first)
        .filter(|(d, first)| **first && !stored.contains(&d.event_id))
        .map(|(d, _)| d.event_id.as_str())
        .collect();
    // Lock the earlier rows (a delivery still working on one holds it until it ends),
    // then read their status.
    let finished: HashSet<String> = if earlier.is_empty() {
        HashSet::new()
    } else {
        webhook_events::Entity::find()
            .filter(webhook_events::Column::Provider.eq(PROVIDER))
            .filter(any_of(
                txn.get_database_backend(),
                webhook_events::Column::EventId,
                earlier,
            ))
            .lock_exclusive()
            .all(txn)
            .await?
            .into_iter()
            .filter(|e| matches!(e.status.as_str(), "processed" | "ignored"))
            .map(|e| e.event_id)
            .collect()
    };
    Ok(deliveries
        .iter()
        .zip(first)
        .map(|(d, first)| {
            if !first || finished.contains(&d.event_id) {
                Step::Done(Outcome::Deduplicated)
            } else {
                let data = d.payload.get("data").unwrap_or(&Value::Null);
                Step::Handle {
                    event: PaymentEvent::read(d.kind.source, data),
                    fresh: stored.contains(&d.event_id),
                }
            }
        })
        .collect())
}

/// Finds every order the events may be about, by public id, checkout id or reference,
/// and locks them (`FOR UPDATE`, in id order, so concurrent groups never deadlock; on
/// SQLite the transaction already holds the write lock). One statement.
async fn lock_orders(
    txn: &DatabaseTransaction,
    events: &[&PaymentEvent],
) -> Result<HashMap<i64, orders::Model>, ApiError> {
    let mut public_ids: Vec<Uuid> = Vec::new();
    let mut checkouts: Vec<&str> = Vec::new();
    let mut references: Vec<&str> = Vec::new();
    for lookup in events.iter().flat_map(|e| e.order_lookups()) {
        match lookup {
            OrderLookup::PublicId(id) => public_ids.push(id),
            OrderLookup::CheckoutId(id) => checkouts.push(id),
            OrderLookup::ExternalReference(id) => references.push(id),
        }
    }
    if public_ids.is_empty() && checkouts.is_empty() && references.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = txn.get_database_backend();
    let mut any = Condition::any();
    if !public_ids.is_empty() {
        any = any.add(any_of(backend, orders::Column::PublicId, public_ids));
    }
    if !checkouts.is_empty() {
        any = any.add(any_of(backend, orders::Column::ClerkCheckoutId, checkouts));
    }
    if !references.is_empty() {
        any = any.add(any_of(
            backend,
            orders::Column::ExternalReference,
            references,
        ));
    }
    Ok(orders::Entity::find()
        .filter(any)
        .order_by_asc(orders::Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?
        .into_iter()
        .map(|order| (order.id, order))
        .collect())
}

/// The order an event is about: by public id, else checkout id, else reference (the
/// first that matches, as the single receiver looked them up).
fn find_order(orders: &HashMap<i64, orders::Model>, event: &PaymentEvent) -> Option<i64> {
    event.order_lookups().into_iter().find_map(|lookup| {
        orders
            .values()
            .filter(|o| matches_lookup(o, lookup))
            .map(|o| o.id)
            .min()
    })
}

fn matches_lookup(order: &orders::Model, lookup: OrderLookup<'_>) -> bool {
    match lookup {
        OrderLookup::PublicId(id) => order.public_id == id,
        OrderLookup::CheckoutId(id) => order.clerk_checkout_id == id,
        OrderLookup::ExternalReference(id) => order.external_reference == id,
    }
}

/// Stores checkout ids on orders that had none (Clerk's own checkout flow), in one
/// statement.
async fn remember_checkouts(
    txn: &DatabaseTransaction,
    checkouts: Vec<(i64, String)>,
) -> Result<(), ApiError> {
    if checkouts.is_empty() {
        return Ok(());
    }
    let backend = txn.get_database_backend();
    let ids: Vec<i64> = checkouts.iter().map(|(id, _)| *id).collect();
    orders::Entity::update_many()
        .col_expr(
            orders::Column::ClerkCheckoutId,
            per_order(backend, orders::Column::ClerkCheckoutId, checkouts),
        )
        .col_expr(orders::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(any_of(backend, orders::Column::Id, ids))
        .filter(orders::Column::ClerkCheckoutId.eq(""))
        .exec(txn)
        .await?;
    Ok(())
}

/// Marks the handled events `processed` or `ignored` with their notes (one `UPDATE`
/// per distinct outcome; none for rows this group wrote that ended `processed`, as
/// [`record_events`] wrote them so) and answers every delivery.
async fn finish_events(
    txn: &DatabaseTransaction,
    deliveries: &[PaymentDelivery],
    steps: &[Step],
    handled: Vec<Option<Handled>>,
) -> Result<Vec<Outcome>, ApiError> {
    let now = Utc::now();
    let mut by_result: HashMap<(&'static str, String), Vec<&str>> = HashMap::new();
    let mut outcomes = Vec::with_capacity(deliveries.len());
    for ((delivery, step), handled) in deliveries.iter().zip(steps).zip(handled) {
        let outcome = match (step, handled) {
            (Step::Done(outcome), _) => outcome.clone(),
            (Step::Handle { fresh: true, .. }, Some(Handled::Processed)) => Outcome::Processed,
            (Step::Handle { .. }, Some(Handled::Processed)) => {
                by_result
                    .entry(("processed", String::new()))
                    .or_default()
                    .push(&delivery.event_id);
                Outcome::Processed
            }
            (Step::Handle { .. }, Some(Handled::Ignored(why))) => {
                by_result
                    .entry(("ignored", why.clone()))
                    .or_default()
                    .push(&delivery.event_id);
                Outcome::Ignored(why)
            }
            (Step::Handle { .. }, None) => {
                return Err(ApiError::Internal("a payment event was not handled".into()));
            }
        };
        outcomes.push(outcome);
    }
    for ((status, note), event_ids) in by_result {
        webhook_events::Entity::update_many()
            .col_expr(webhook_events::Column::Status, Expr::value(status))
            .col_expr(webhook_events::Column::ErrorMessage, Expr::value(note))
            .col_expr(webhook_events::Column::ProcessedAt, Expr::value(now))
            .filter(webhook_events::Column::Provider.eq(PROVIDER))
            .filter(any_of(
                txn.get_database_backend(),
                webhook_events::Column::EventId,
                event_ids,
            ))
            .exec(txn)
            .await?;
    }
    Ok(outcomes)
}
