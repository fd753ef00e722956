//! The `webhook_events` table.

use sea_orm::entity::prelude::*;

/// A received webhook delivery, recorded once per `(provider, event_id)` so that redeliveries are deduplicated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `clerk`, `stripe` or `other` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub provider: String,
    /// The provider's delivery id (Svix `svix-id`); unique per provider.
    #[sea_orm(column_type = "String(StringLen::N(191))")]
    pub event_id: String,
    /// The event type, e.g. `user.created`.
    #[sea_orm(column_type = "String(StringLen::N(191))")]
    pub event_type: String,
    /// The verified JSON payload, replayed by billing sync.
    #[sea_orm(column_type = "JsonBinary")]
    pub payload: Json,
    /// `received`, `processed`, `failed` or `ignored` (DB check); failed ones are retried.
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub status: String,
    /// The handler error of a failed event; `''` otherwise.
    #[sea_orm(column_type = "Text")]
    pub error_message: String,
    /// When it was first received.
    pub received_at: DateTimeUtc,
    /// When handling finished.
    pub processed_at: Option<DateTimeUtc>,
}

/// The foreign keys of `webhook_events`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Fills in what Django filled in on save: `received_at` on insert (unless set explicitly).
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        super::stamp_created(&mut self.received_at, insert);
        Ok(self)
    }
}
