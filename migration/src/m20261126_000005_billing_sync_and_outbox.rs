//! Billing sync state (one row per customer account: when Clerk was last asked and how
//! it went) and the transactional email outbox (emails queued in the same transaction
//! as the change that causes them, then sent by a worker).

use sea_orm_migration::prelude::*;

use crate::table_def::{TableDef, drop_tables};

/// Creates `billing_sync_states` and `email_outbox`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        TableDef::new(db, "billing_sync_states")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .timestamp_null("last_attempt_at")
            .boolean_null("last_attempt_succeeded")
            .timestamp_null("last_success_at")
            .varchar_blank("last_reason_code", 64)
            .varchar_blank("last_error_code", 64)
            .varchar_blank("last_error_detail", 240)
            .timestamps()
            .unique(
                "billing_sync_states_customer_account_id_key",
                &["customer_account_id"],
            )
            .create(manager)
            .await?;

        TableDef::new(db, "email_outbox")
            .varchar("kind", 64)
            // NULL = no deduplication; else at most one email per key, e.g.
            // "order_fulfilled:<order public id>".
            .varchar_null("dedupe_key", 191)
            .varchar("to_email", 254)
            .varchar_blank("from_email", 254)
            .text("subject")
            .text_blank("text_body")
            .text_blank("html_body")
            .choice(
                "status",
                16,
                &["pending", "sending", "sent", "failed"],
                Some("pending"),
            )
            .int_min("attempts", 0, 0)
            .text_blank("last_error")
            .timestamp("next_attempt_at")
            .timestamp_null("sent_at")
            .json_object("metadata")
            .timestamps()
            .unique("email_outbox_dedupe_key_key", &["dedupe_key"])
            .index(
                "email_outbox_status_next_idx",
                &["status", "next_attempt_at"],
            )
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["email_outbox", "billing_sync_states"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
