//! The `payment_transactions` table.

use sea_orm::entity::prelude::*;

/// A payment attempt or result for an order or a subscription (at least one of the two: DB check).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_transactions")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The order paid; deleting it deletes its transactions.
    pub order_id: Option<i64>,
    /// The subscription paid; deleting it deletes its transactions.
    pub subscription_id: Option<i64>,
    /// `clerk` or `manual` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub provider: String,
    /// The provider's payment id; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub external_id: String,
    /// `pending`, `succeeded`, `failed`, `refunded` or `canceled` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub status: String,
    /// Amount in minor units, `>= 0`.
    pub amount_cents: i64,
    /// ISO 4217 code.
    #[sea_orm(column_type = "String(StringLen::N(3))")]
    pub currency: String,
    /// The provider payload, kept for audits.
    #[sea_orm(column_type = "JsonBinary")]
    pub raw_payload: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `payment_transactions`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The order paid (`order_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::orders::Entity",
        from = "Column::OrderId",
        to = "super::orders::Column::Id",
        on_delete = "Cascade"
    )]
    Order,
    /// The subscription paid (`subscription_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::subscriptions::Entity",
        from = "Column::SubscriptionId",
        to = "super::subscriptions::Column::Id",
        on_delete = "Cascade"
    )]
    Subscription,
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl Related<super::subscriptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscription.def()
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
