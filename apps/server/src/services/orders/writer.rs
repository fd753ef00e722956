//! New orders are written in groups: one transaction for every order that arrived
//! while the previous group was being written.
//!
//! Why: an order is two rows (the order and its item) written in one transaction, and
//! the transaction's statements, not their work, set the pace. On SQLite only one
//! transaction writes at a time and every statement is a hand-off to the driver's
//! thread; on Postgres every statement is a round trip. Written one by one, concurrent
//! buyers queue behind each other's `BEGIN`/`INSERT`/`INSERT`/`COMMIT`. Written as a
//! group, the same four statements carry every order that is waiting, so the cost per
//! order falls as load rises, and a lone order is written at once, as before.
//!
//! How: each caller queues its rows and then waits for the writer's turn. Whoever gets
//! the turn writes the queue, oldest first and at most [`MAX_GROUP`] orders at a time,
//! until its own rows are written (an earlier turn may already have written them). The write itself runs as a spawned task, so a client that
//! disconnects mid-write cannot drop other buyers' orders half-way; the transaction
//! either commits every order of the group or none. If a group fails, its orders are
//! retried one by one, so one bad row costs only its own request.
//!
//! Every order is still the server's own: amounts were read from the price before the
//! rows were queued, and nothing here changes them.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use sea_orm::{DatabaseConnection, EntityTrait, TransactionTrait};
use tokio::sync::oneshot::{self, error::TryRecvError};
use uuid::Uuid;

use crate::db::WriteGate;
use crate::entities::{order_items, orders};
use crate::error::ApiError;
use crate::services::orders::list_cache;

/// The rows of one new order; the item's `order_id` is filled in once the order exists.
#[derive(Clone)]
pub struct NewOrder {
    /// The order, with its `public_id` set (it pairs the item with its order).
    pub order: orders::ActiveModel,
    /// Its single item.
    pub item: order_items::ActiveModel,
}

/// A written order and its item.
pub type Written = (orders::Model, order_items::Model);

type Reply = oneshot::Sender<Result<Written, ApiError>>;

/// The most orders one transaction takes: two multi-row INSERTs of this many rows stay
/// far below SQLite's and Postgres's limits on bound parameters (13 per row).
const MAX_GROUP: usize = 256;

/// Groups concurrent order creations into shared transactions (one per process).
#[derive(Default)]
pub struct OrderWriter {
    queue: Mutex<Vec<(NewOrder, Reply)>>,
    turn: tokio::sync::Mutex<()>,
}

impl OrderWriter {
    /// Writes one order (with whatever else is waiting) and returns its rows.
    pub async fn write(
        &self,
        db: &DatabaseConnection,
        gate: &WriteGate,
        new: NewOrder,
    ) -> Result<Written, ApiError> {
        let (reply, mut answer) = oneshot::channel();
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((new, reply));
        let turn = self.turn.lock().await;
        loop {
            match answer.try_recv() {
                Ok(result) => return result,
                Err(TryRecvError::Closed) => return Err(stopped()),
                Err(TryRecvError::Empty) => {}
            }
            let group: Vec<_> = {
                let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                let n = queue.len().min(MAX_GROUP);
                queue.drain(..n).collect()
            };
            if group.is_empty() {
                // This order is in a group whose writer's caller went away; that
                // write still runs, and answers.
                break;
            }
            // Hold the turn until the group is written; a failed task has dropped its
            // replies, which `answer` reports.
            let _ = tokio::spawn(write_group(db.clone(), gate.clone(), group)).await;
        }
        drop(turn);
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }
}

fn stopped() -> ApiError {
    ApiError::Internal("the order writer stopped".into())
}

/// Writes a group and answers each of its callers.
async fn write_group(db: DatabaseConnection, gate: WriteGate, group: Vec<(NewOrder, Reply)>) {
    let (orders, replies): (Vec<NewOrder>, Vec<Reply>) = group.into_iter().unzip();
    match insert(&db, &gate, &orders).await {
        Ok(written) => {
            for (reply, rows) in replies.into_iter().zip(written) {
                let _ = reply.send(Ok(rows));
            }
        }
        Err(err) if orders.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(err));
            }
        }
        Err(err) => {
            tracing::warn!(orders = orders.len(), error = %err, "order group failed; writing its orders one by one");
            for (order, reply) in orders.into_iter().zip(replies) {
                let result = insert(&db, &gate, std::slice::from_ref(&order))
                    .await
                    .map(|mut rows| rows.remove(0));
                let _ = reply.send(result);
            }
        }
    }
}

/// Inserts the orders, then their items, in one transaction; rows come back in the
/// order of `new`.
async fn insert(
    db: &DatabaseConnection,
    gate: &WriteGate,
    new: &[NewOrder],
) -> Result<Vec<Written>, ApiError> {
    let txn = db.begin().await?;
    let _turn = gate.enter().await;
    let mut orders: HashMap<Uuid, orders::Model> =
        orders::Entity::insert_many(new.iter().map(|n| n.order.clone()))
            .exec_with_returning(&txn)
            .await?
            .into_iter()
            .map(|order| (order.public_id, order))
            .collect();
    let mut pending = Vec::with_capacity(new.len());
    for n in new {
        let public_id = *n.order.public_id.as_ref();
        let order = orders
            .remove(&public_id)
            .ok_or_else(|| ApiError::Internal(format!("order {public_id} was not returned")))?;
        let mut item = n.item.clone();
        item.order_id = sea_orm::Set(order.id);
        pending.push((order, item));
    }
    let mut items: HashMap<i64, order_items::Model> =
        order_items::Entity::insert_many(pending.iter().map(|(_, item)| item.clone()))
            .exec_with_returning(&txn)
            .await?
            .into_iter()
            .map(|item| (item.order_id, item))
            .collect();
    txn.commit().await?;
    for (order, _) in &pending {
        list_cache::orders_changed(order.customer_account_id);
    }
    pending
        .into_iter()
        .map(|(order, _)| {
            let item = items
                .remove(&order.id)
                .ok_or_else(|| ApiError::Internal(format!("order {} lost its item", order.id)))?;
            Ok((order, item))
        })
        .collect()
}
