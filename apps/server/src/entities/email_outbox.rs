//! The `email_outbox` table.

use sea_orm::entity::prelude::*;

/// An email queued in the same transaction as the change that causes it, then sent by a worker (claimed with `FOR UPDATE SKIP LOCKED` on Postgres).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What the email is, e.g. `order_fulfilled`, `work_order_received`, `preflight_test`.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub kind: String,
    /// Unique when present, e.g. `order_fulfilled:<order public id>`, so an email is queued once; NULL = no deduplication.
    #[sea_orm(column_type = "String(StringLen::N(191))", nullable, unique)]
    pub dedupe_key: Option<String>,
    /// Recipient address.
    #[sea_orm(column_type = "String(StringLen::N(254))")]
    pub to_email: String,
    /// Sender address; `''` = the configured default.
    #[sea_orm(column_type = "String(StringLen::N(254))")]
    pub from_email: String,
    /// Subject line.
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// Plain-text body.
    #[sea_orm(column_type = "Text")]
    pub text_body: String,
    /// HTML body; `''` when none.
    #[sea_orm(column_type = "Text")]
    pub html_body: String,
    /// `pending`, `sending`, `sent` or `failed` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(16))")]
    pub status: String,
    /// Send attempts so far, `>= 0`.
    pub attempts: i32,
    /// Error of the last failed attempt; `''` when none.
    #[sea_orm(column_type = "Text")]
    pub last_error: String,
    /// When the worker may (re)try it; for a `sending` row, the end of its claim.
    pub next_attempt_at: DateTimeUtc,
    /// When it was sent.
    pub sent_at: Option<DateTimeUtc>,
    /// Free-form JSON object (e.g. the order public id).
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `email_outbox`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Fills in what Django filled in on save: `created_at` on insert, `updated_at` on every save (unless set explicitly).
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        super::touch(&mut self.created_at, &mut self.updated_at, insert);
        Ok(self)
    }
}
