//! The `fulfillment_orders` table.

use sea_orm::entity::prelude::*;

/// A work order for one unit of a service product, delivered as a download or shipped.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fulfillment_orders")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The buyer; deleting the account deletes its work orders.
    pub customer_account_id: i64,
    /// The order line; NULL once it is deleted.
    pub order_item_id: Option<i64>,
    /// The product; NULL once it is deleted.
    pub product_id: Option<i64>,
    /// The (locked until delivered) grant of a downloadable work order; unique when present.
    #[sea_orm(unique)]
    pub download_grant_id: Option<i64>,
    /// `requested`, `in_progress`, `ready_for_delivery`, `completed` or `canceled` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub status: String,
    /// `downloadable` or `physical_shipped` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub delivery_mode: String,
    /// The buyer's request (the order notes).
    #[sea_orm(column_type = "Text")]
    pub customer_request: String,
    /// Notes shown to the buyer on delivery.
    #[sea_orm(column_type = "Text")]
    pub delivery_notes: String,
    /// Seller-only notes.
    #[sea_orm(column_type = "Text")]
    pub internal_notes: String,
    /// When it is due (now + the offer's delivery days).
    pub due_at: Option<DateTimeUtc>,
    /// When it was completed or canceled.
    pub completed_at: Option<DateTimeUtc>,
    /// When it was shipped (physical).
    pub shipped_at: Option<DateTimeUtc>,
    /// Carrier name; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(120))")]
    pub shipping_carrier: String,
    /// Tracking number; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(120))")]
    pub shipping_tracking_number: String,
    /// Tracking URL; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(200))")]
    pub shipping_tracking_url: String,
    /// Free-form JSON object (order public id, item, sequence).
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `fulfillment_orders`, and the tables whose foreign keys point at it.
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
    /// The order line (`order_item_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::order_items::Entity",
        from = "Column::OrderItemId",
        to = "super::order_items::Column::Id",
        on_delete = "SetNull"
    )]
    OrderItem,
    /// The product (`product_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_delete = "SetNull"
    )]
    Product,
    /// The delivery grant (`download_grant_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::download_grants::Entity",
        from = "Column::DownloadGrantId",
        to = "super::download_grants::Column::Id",
        on_delete = "SetNull"
    )]
    DownloadGrant,
}

impl Related<super::customer_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerAccount.def()
    }
}

impl Related<super::order_items::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderItem.def()
    }
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::download_grants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DownloadGrant.def()
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
