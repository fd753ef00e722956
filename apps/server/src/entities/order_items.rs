//! The `order_items` table.

use sea_orm::entity::prelude::*;

/// One line of an order, with snapshots of the names so that later catalog edits do not rewrite history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_items")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The order; deleting it deletes its lines.
    pub order_id: i64,
    /// The product sold; a sold product cannot be deleted (ON DELETE RESTRICT).
    pub product_id: i64,
    /// The price paid; set to NULL when the price is deleted (amounts stay in the snapshot).
    pub price_id: Option<i64>,
    /// Units, `>= 1` (DB check).
    pub quantity: i32,
    /// Price per unit at purchase time, `>= 0`.
    pub unit_amount_cents: i64,
    /// `unit_amount_cents * quantity` (computed by the app), `>= 0`.
    pub total_amount_cents: i64,
    /// Product name at purchase time.
    #[sea_orm(column_type = "String(StringLen::N(180))")]
    pub product_name_snapshot: String,
    /// Price name (or billing period label) at purchase time.
    #[sea_orm(column_type = "String(StringLen::N(120))")]
    pub price_name_snapshot: String,
    /// Free-form JSON object.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `order_items`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The order (`order_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::orders::Entity",
        from = "Column::OrderId",
        to = "super::orders::Column::Id",
        on_delete = "Cascade"
    )]
    Order,
    /// The product sold (`product_id`, on delete restrict).
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_delete = "Restrict"
    )]
    Product,
    /// The price paid (`price_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::prices::Entity",
        from = "Column::PriceId",
        to = "super::prices::Column::Id",
        on_delete = "SetNull"
    )]
    Price,
    /// Download grants given for this line.
    #[sea_orm(has_many = "super::download_grants::Entity")]
    DownloadGrants,
    /// Work orders created for this line.
    #[sea_orm(has_many = "super::fulfillment_orders::Entity")]
    FulfillmentOrders,
    /// Bookings made for this line.
    #[sea_orm(has_many = "super::bookings::Entity")]
    Bookings,
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::prices::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Price.def()
    }
}

impl Related<super::download_grants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DownloadGrants.def()
    }
}

impl Related<super::fulfillment_orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FulfillmentOrders.def()
    }
}

impl Related<super::bookings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Bookings.def()
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
