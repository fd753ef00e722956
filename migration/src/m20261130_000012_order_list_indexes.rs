//! Indexes in the order list's order: a buyer's orders newest first, each order's items
//! by id.
//!
//! The list reads `WHERE customer_account_id = ? ORDER BY created_at DESC, id DESC`,
//! then each order's items by id. The old indexes found the rows, on
//! `(customer_account_id, status)` and `(order_id, product_id)`, but in neither order,
//! so every list was sorted in a temporary b-tree: on SQLite the sort's allocations
//! were about a tenth of an uncached list's CPU samples. `(customer_account_id, created_at,
//! id)` and `(order_id, id)` hand the rows over in order. Nothing read the old indexes
//! beyond their first column, which the new ones lead with, so they go: each order
//! and item paid for them.

use sea_orm_migration::prelude::*;

/// Creates `order_customer_newest_idx` and `order_items_order_id_idx`; drops
/// `order_customer_status_idx` and `order_item_order_product_idx`.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(table, name, columns)` of an index.
type IndexDef = (&'static str, &'static str, &'static [&'static str]);

const NEW: [IndexDef; 2] = [
    (
        "orders",
        "order_customer_newest_idx",
        &["customer_account_id", "created_at", "id"],
    ),
    (
        "order_items",
        "order_items_order_id_idx",
        &["order_id", "id"],
    ),
];

const OLD: [IndexDef; 2] = [
    (
        "orders",
        "order_customer_status_idx",
        &["customer_account_id", "status"],
    ),
    (
        "order_items",
        "order_item_order_product_idx",
        &["order_id", "product_id"],
    ),
];

/// Creates the `add` indexes, then drops the `remove` ones.
async fn swap(
    manager: &SchemaManager<'_>,
    add: &[IndexDef],
    remove: &[IndexDef],
) -> Result<(), DbErr> {
    for (table, name, columns) in add {
        let mut index = Index::create();
        index.name(*name).table(*table);
        for column in *columns {
            index.col(*column);
        }
        manager.create_index(index).await?;
    }
    for (table, name, _) in remove {
        manager
            .drop_index(Index::drop().name(*name).table(*table).to_owned())
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        swap(manager, &NEW, &OLD).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        swap(manager, &OLD, &NEW).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
