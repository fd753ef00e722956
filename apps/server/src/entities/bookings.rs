//! The `bookings` table.

use sea_orm::entity::prelude::*;

/// A scheduled session of a service offer (the legacy booking model).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The buyer; deleting the account deletes its bookings.
    pub customer_account_id: i64,
    /// The service offer booked.
    pub service_offer_id: i64,
    /// The order line that paid for it, if any.
    pub order_item_id: Option<i64>,
    /// `requested`, `confirmed`, `completed` or `canceled` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub status: String,
    /// Session start.
    pub scheduled_start: Option<DateTimeUtc>,
    /// Session end.
    pub scheduled_end: Option<DateTimeUtc>,
    /// Meeting link; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(200))")]
    pub meeting_url: String,
    /// Buyer's notes.
    #[sea_orm(column_type = "Text")]
    pub customer_notes: String,
    /// Seller-only notes.
    #[sea_orm(column_type = "Text")]
    pub internal_notes: String,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `bookings`, and the tables whose foreign keys point at it.
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
    /// The offer booked (`service_offer_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::service_offers::Entity",
        from = "Column::ServiceOfferId",
        to = "super::service_offers::Column::Id",
        on_delete = "Cascade"
    )]
    ServiceOffer,
    /// The order line (`order_item_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::order_items::Entity",
        from = "Column::OrderItemId",
        to = "super::order_items::Column::Id",
        on_delete = "SetNull"
    )]
    OrderItem,
}

impl Related<super::customer_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerAccount.def()
    }
}

impl Related<super::service_offers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceOffer.def()
    }
}

impl Related<super::order_items::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderItem.def()
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
