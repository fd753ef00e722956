//! A covering index for the quota check.
//!
//! Every metered AI request sums its account's ledger rows of the current cycle under
//! the account lock. With `(customer_account_id, metric, period_start, period_end)`
//! alone, each row of the sum is a table lookup for `direction`, `created_at` and
//! `amount`; with those three appended the sum reads the index only. The new index
//! starts with the old one's columns, so it replaces it.

use sea_orm_migration::prelude::*;

/// Replaces `aiuse_cust_metric_period` with `aiuse_cust_metric_period_cover`.
#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "ai_usage_events";
const OLD: &str = "aiuse_cust_metric_period";
const NEW: &str = "aiuse_cust_metric_period_cover";
const OLD_COLUMNS: [&str; 4] = [
    "customer_account_id",
    "metric",
    "period_start",
    "period_end",
];
const COVERED: [&str; 3] = ["direction", "created_at", "amount"];

fn index(name: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(TABLE);
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

fn drop(name: &'static str) -> IndexDropStatement {
    Index::drop().name(name).table(TABLE).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns: Vec<&'static str> =
            OLD_COLUMNS.iter().chain(COVERED.iter()).copied().collect();
        manager.create_index(index(NEW, &columns)).await?;
        manager.drop_index(drop(OLD)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index(OLD, &OLD_COLUMNS)).await?;
        manager.drop_index(drop(NEW)).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
