//! The `billing_sync_states` table.

use sea_orm::entity::prelude::*;

/// When Clerk billing was last synced for a customer account and how it went (one row per account), to tell fresh from stale.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_sync_states")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account (unique: one state per account).
    #[sea_orm(unique)]
    pub customer_account_id: i64,
    /// When the last sync was attempted; NULL = never.
    pub last_attempt_at: Option<DateTimeUtc>,
    /// Whether the last attempt succeeded; NULL = never attempted.
    pub last_attempt_succeeded: Option<bool>,
    /// When a sync last succeeded; NULL = never.
    pub last_success_at: Option<DateTimeUtc>,
    /// Reason code of the last attempt; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub last_reason_code: String,
    /// Error code of the last failed attempt, e.g. `clerk_api_error`; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub last_error_code: String,
    /// Safe error detail (<= 240 chars); `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(240))")]
    pub last_error_detail: String,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `billing_sync_states`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The account (`customer_account_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::customer_accounts::Entity",
        from = "Column::CustomerAccountId",
        to = "super::customer_accounts::Column::Id",
        on_delete = "Cascade"
    )]
    CustomerAccount,
}

impl Related<super::customer_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerAccount.def()
    }
}

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
