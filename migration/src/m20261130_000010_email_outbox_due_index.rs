//! The outbox worker's claim reads the due rows through an index in claim order.
//!
//! A claim takes the oldest due rows (`status IN ('pending', 'sending')`, ordered by
//! `next_attempt_at, id`). The index on `(status, next_attempt_at)` could not give that
//! order across two statuses, so every claim read and sorted the whole unsent backlog:
//! with 23,000 emails queued during a burst of sales, each claim took 25 ms of the
//! database's time, and the backlog drained more slowly the longer it was. A partial
//! index on `(next_attempt_at, id)` over unsent rows only hands the claim its rows in
//! order, so it stops after a batch; sent rows leave the index, which stays as small as
//! the backlog. The old index has no other reader (the marks find their row by id), and
//! every queued or delivered email paid for it, so it goes.

use sea_orm_migration::prelude::*;

/// Creates `email_outbox_due_idx`; drops `email_outbox_status_next_idx`.
#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "email_outbox";
const DUE: &str = "email_outbox_due_idx";
const BY_STATUS: &str = "email_outbox_status_next_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The predicate must read as the claim's own condition, literally, for either
        // database to match the claim against this partial index.
        let mut due = Index::create();
        due.name(DUE)
            .table(TABLE)
            .col("next_attempt_at")
            .col("id")
            .and_where(Expr::col("status").is_in(["pending", "sending"]));
        manager.create_index(due).await?;
        manager
            .drop_index(Index::drop().name(BY_STATUS).table(TABLE).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(BY_STATUS)
                    .table(TABLE)
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name(DUE).table(TABLE).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
