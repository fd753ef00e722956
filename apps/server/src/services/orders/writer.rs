//! New orders are written in groups (see [`crate::group_commit`]): one transaction for
//! every order that arrived while the previous group was being written.
//!
//! An order is two rows, the order and its single item, written by one multi-row INSERT
//! each; items are paired with their orders by `public_id`. The transaction commits
//! every order of the group or none; if a group fails, its orders are retried one by
//! one, so one bad row costs only its own request. Every order is still the server's
//! own: amounts were read from the price before the rows were queued, and nothing here
//! changes them.

use std::collections::HashMap;

use sea_orm::{DatabaseConnection, EntityTrait, TransactionTrait};
use uuid::Uuid;

use crate::db::WriteGate;
use crate::entities::{order_items, orders};
use crate::error::ApiError;
use crate::group_commit::{GroupCommit, GroupWrite, write_or_retry_alone};

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

/// The most orders one transaction takes: two multi-row INSERTs of this many rows stay
/// far below SQLite's and Postgres's limits on bound parameters (13 per row).
const MAX_GROUP: usize = 256;

/// Groups concurrent order creations into shared transactions (one per process).
pub struct OrderWriter(GroupCommit<NewOrder, Result<Written, ApiError>>);

impl Default for OrderWriter {
    fn default() -> Self {
        Self(GroupCommit::new(MAX_GROUP))
    }
}

impl OrderWriter {
    /// Writes one order (with whatever else is waiting) and returns its rows.
    pub async fn write(
        &self,
        db: &DatabaseConnection,
        gate: &WriteGate,
        new: NewOrder,
    ) -> Result<Written, ApiError> {
        self.0
            .submit(new, |group| {
                let rows = OrderRows {
                    db: db.clone(),
                    gate: gate.clone(),
                };
                write_or_retry_alone(rows, group)
            })
            .await
            .unwrap_or_else(|| Err(ApiError::Internal("the order writer stopped".into())))
    }
}

/// The order writer's database and SQLite gate.
struct OrderRows {
    db: DatabaseConnection,
    gate: WriteGate,
}

impl GroupWrite for OrderRows {
    type Item = NewOrder;
    type Output = Written;

    async fn insert(&self, items: &[NewOrder]) -> Result<Vec<Written>, ApiError> {
        insert(&self.db, &self.gate, items).await
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
