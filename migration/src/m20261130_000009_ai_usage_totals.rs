//! Running totals for the quota check.
//!
//! The quota check summed every ledger row of the account's cycle under the lock, so
//! each metered request cost more than the one before it: in a ten-second load test the
//! groups of reservations per second fell by more than half as the cycle filled up.
//! `ai_usage_totals` keeps one row per (account, metric, cycle) with the amount settled
//! so far, written in the same transaction as the ledger rows it adds up; the check
//! reads that row plus the cycle's live holds. Holds are few (one per request in
//! flight) and now have a partial index of their own.
//!
//! The covering index of the old sum has no reader left, and every ledger insert paid
//! for it, so it goes. The ledger itself stays append-only and complete: the totals can
//! always be recomputed from it, and this migration does so for existing rows.

use sea_orm_migration::prelude::*;

use crate::table_def::{TableDef, drop_tables};

/// Creates `ai_usage_totals` (filled from the ledger) and the holds' partial index;
/// drops `aiuse_cust_metric_period_cover`.
#[derive(DeriveMigrationName)]
pub struct Migration;

const LEDGER: &str = "ai_usage_events";
const TOTALS: &str = "ai_usage_totals";
const BUCKET: [&str; 4] = [
    "customer_account_id",
    "metric",
    "period_start",
    "period_end",
];
const COVER: &str = "aiuse_cust_metric_period_cover";
const COVERED: [&str; 3] = ["direction", "created_at", "amount"];
const HOLDS: &str = "aiuse_holds";

fn ledger_index(name: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(LEDGER);
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

/// The amounts settled so far per bucket: every ledger row but the holds (direction
/// `total`, which only holds use).
fn backfill() -> InsertStatement {
    let mut settled = Query::select();
    settled.from(LEDGER);
    for column in BUCKET {
        settled.column(column).group_by_col(column);
    }
    settled
        .expr(Expr::col("amount").sum())
        .and_where(Expr::col("direction").ne("total"));
    let mut columns: Vec<&'static str> = BUCKET.to_vec();
    columns.push("used");
    Query::insert()
        .into_table(TOTALS)
        .columns(columns)
        .select_from(settled)
        .expect("the select has one column per inserted column")
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        TableDef::new(db, TOTALS)
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .choice("metric", 16, &["tokens", "images", "videos"], None)
            .timestamp("period_start")
            .timestamp("period_end")
            .bigint_non_negative("used", 0)
            .check(
                "aiusetotal_period_valid",
                Expr::col("period_end").gt(Expr::col("period_start")),
            )
            .unique("aiusetotal_bucket", &BUCKET)
            .create(manager)
            .await?;
        manager.exec_stmt(backfill()).await?;

        let mut holds = ledger_index(HOLDS, &BUCKET);
        holds.and_where(Expr::col("direction").eq("total"));
        manager.create_index(holds).await?;
        manager
            .drop_index(Index::drop().name(COVER).table(LEDGER).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns: Vec<&'static str> = BUCKET.iter().chain(COVERED.iter()).copied().collect();
        manager.create_index(ledger_index(COVER, &columns)).await?;
        manager
            .drop_index(Index::drop().name(HOLDS).table(LEDGER).to_owned())
            .await?;
        drop_tables(manager, &[TOTALS]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
