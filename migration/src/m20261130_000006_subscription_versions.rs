//! `subscriptions.clerk_updated_at`: the version of Clerk's state a row shows.
//!
//! Clerk's subscription events can arrive late, twice, or out of order (Svix retries,
//! a sync replaying stored events). Each row remembers the Clerk timestamp of the state
//! it was last written from, and an older state is never applied over a newer one, so
//! the projection always ends at the newest state, whatever the arrival order.

use sea_orm_migration::prelude::*;

/// Adds `subscriptions.clerk_updated_at` (nullable: local subscriptions have none).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("subscriptions")
                    .add_column(
                        ColumnDef::new("clerk_updated_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("subscriptions")
                    .drop_column("clerk_updated_at")
                    .to_owned(),
            )
            .await
    }
}
