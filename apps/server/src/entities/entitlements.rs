//! The `entitlements` table.

use sea_orm::entity::prelude::*;

/// A feature granted to a customer account by a plan, a purchase or by hand; unique per (account, feature, source type, source reference).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entitlements")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The entitled account; deleting it deletes its entitlements.
    pub customer_account_id: i64,
    /// Normalised feature key (lower case, `_` for spaces).
    #[sea_orm(column_type = "String(StringLen::N(80))")]
    pub feature_key: String,
    /// `plan`, `purchase` or `manual` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub source_type: String,
    /// Subscription id (plan) or order public id (purchase); `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub source_reference: String,
    /// When it starts to apply.
    pub starts_at: DateTimeUtc,
    /// When it stops applying; NULL = open-ended.
    pub ends_at: Option<DateTimeUtc>,
    /// False once revoked or ended.
    pub is_active: bool,
    /// Free-form JSON object (e.g. the order item).
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `entitlements`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The entitled account (`customer_account_id`, on delete cascade).
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
