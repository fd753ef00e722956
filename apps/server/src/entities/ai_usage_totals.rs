//! The `ai_usage_totals` table.

use sea_orm::entity::prelude::*;

/// What an account has settled of one metric in one usage cycle: the sum of its ledger
/// rows other than holds, kept in the same transaction as those rows, so the quota
/// check reads one row instead of the whole cycle.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ai_usage_totals")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account; deleting it deletes its totals.
    pub customer_account_id: i64,
    /// `tokens`, `images` or `videos` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(16))")]
    pub metric: String,
    /// Start of the cycle.
    pub period_start: DateTimeUtc,
    /// End of the cycle; after `period_start` (DB check).
    pub period_end: DateTimeUtc,
    /// Units settled in the cycle, `>= 0` (DB check).
    pub used: i64,
}

/// The foreign key of `ai_usage_totals`.
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

impl ActiveModelBehavior for ActiveModel {}
