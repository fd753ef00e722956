//! One payment transaction per order, provider and payment id, kept by the database.
//!
//! Confirmation records each payment by that key: a new report of a stored payment
//! updates its row. It used to look the rows up first (one statement more per payment
//! group, under the orders' locks); with this unique index it is one upsert (`INSERT …
//! ON CONFLICT … DO UPDATE`), and the database itself refuses a second row for one
//! payment. The index leads with `order_id`, so it also serves every look-up by order,
//! and the plain index on `order_id` goes (each payment paid for both).
//!
//! Subscription payments have no order (`order_id` NULL) and are not constrained: NULLs
//! are distinct in a unique index.

use sea_orm_migration::prelude::*;

/// Creates `payment_transactions_order_payment_unique`; drops
/// `payment_transactions_order_id_idx`.
#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "payment_transactions";
const UNIQUE: &str = "payment_transactions_order_payment_unique";
const BY_ORDER: &str = "payment_transactions_order_id_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(UNIQUE)
                    .table(TABLE)
                    .col("order_id")
                    .col("provider")
                    .col("external_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name(BY_ORDER).table(TABLE).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(BY_ORDER)
                    .table(TABLE)
                    .col("order_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name(UNIQUE).table(TABLE).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
