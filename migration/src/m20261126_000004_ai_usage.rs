//! AI usage: the append-only ledger of metered AI usage (`ai_usage_events`), which the
//! per-cycle quota sums.

use sea_orm_migration::prelude::*;

use crate::table_def::{TableDef, drop_tables};

/// Creates `ai_usage_events`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        TableDef::new(db, "ai_usage_events")
            .uuid("request_id")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .fk_null(
                "subscription_id",
                "subscriptions",
                ForeignKeyAction::SetNull,
            )
            .choice("metric", 16, &["tokens", "images", "videos"], None)
            .choice(
                "direction",
                16,
                &["input", "output", "total"],
                Some("total"),
            )
            .bigint("amount")
            .varchar_blank("provider", 32)
            .varchar_blank("model_name", 128)
            .timestamp("period_start")
            .timestamp("period_end")
            .json_object("metadata")
            // An append-only ledger: rows are never updated, so there is no updated_at.
            .timestamp("created_at")
            .check("aiusage_amount_positive", Expr::col("amount").gt(0))
            .check(
                "aiusage_period_valid",
                Expr::col("period_end").gt(Expr::col("period_start")),
            )
            .index("ai_usage_events_request_id_idx", &["request_id"])
            .index(
                "aiuse_cust_metric_created",
                &["customer_account_id", "metric", "created_at"],
            )
            .index(
                "aiuse_cust_metric_period",
                &[
                    "customer_account_id",
                    "metric",
                    "period_start",
                    "period_end",
                ],
            )
            .index("ai_usage_events_subscription_id_idx", &["subscription_id"])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["ai_usage_events"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
