//! The `orders` table.

use sea_orm::entity::prelude::*;

/// A purchase by a customer account; amounts come from the server's prices, never from the client.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The id shown to clients and used in URLs and payment payloads.
    #[sea_orm(unique)]
    pub public_id: Uuid,
    /// The buyer; deleting the account deletes its orders.
    pub customer_account_id: i64,
    /// `draft`, `pending_payment`, `paid`, `fulfilled`, `canceled` or `refunded` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub status: String,
    /// ISO 4217 code of all amounts.
    #[sea_orm(column_type = "String(StringLen::N(3))")]
    pub currency: String,
    /// Sum of the item totals, `>= 0`.
    pub subtotal_cents: i64,
    /// Tax, `>= 0`.
    pub tax_cents: i64,
    /// Always `subtotal_cents + tax_cents` (DB check `order_total_matches`).
    pub total_cents: i64,
    /// Buyer's notes (<= 4000 chars, validated by the app); `''` when none.
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// Clerk checkout id, to match payment events; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub clerk_checkout_id: String,
    /// Provider payment reference, to match payment events; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub external_reference: String,
    /// When payment was confirmed.
    pub paid_at: Option<DateTimeUtc>,
    /// When fulfilment completed.
    pub fulfilled_at: Option<DateTimeUtc>,
    /// Free-form JSON object.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `orders`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The buyer (`customer_account_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::customer_accounts::Entity",
        from = "Column::CustomerAccountId",
        to = "super::customer_accounts::Column::Id",
        on_delete = "Cascade"
    )]
    CustomerAccount,
    /// The order's lines.
    #[sea_orm(has_many = "super::order_items::Entity")]
    OrderItems,
    /// Payments recorded for the order.
    #[sea_orm(has_many = "super::payment_transactions::Entity")]
    PaymentTransactions,
}

impl Related<super::customer_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerAccount.def()
    }
}

impl Related<super::order_items::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderItems.def()
    }
}

impl Related<super::payment_transactions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentTransactions.def()
    }
}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Fills in what Django filled in on save: a random `public_id` on insert, `created_at` on insert, `updated_at` on every save (unless set explicitly).
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        super::default_uuid(&mut self.public_id, insert);
        super::touch(&mut self.created_at, &mut self.updated_at, insert);
        Ok(self)
    }
}
