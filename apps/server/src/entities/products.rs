//! The `products` table.

use sea_orm::entity::prelude::*;

/// Something a seller sells: a digital product (downloads) or a service (work orders).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The selling profile; deleting it deletes its products (unless sold: order items protect them).
    pub owner_id: i64,
    /// Trimmed, never empty (DB check).
    #[sea_orm(column_type = "String(StringLen::N(180))")]
    pub name: String,
    /// Slugified, never empty, unique per owner (DB unique).
    #[sea_orm(column_type = "String(StringLen::N(200))")]
    pub slug: String,
    /// Short pitch; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(240))")]
    pub tagline: String,
    /// Long description; `''` when none.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// `digital` or `service` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub product_type: String,
    /// `draft`, `published` or `archived` (DB check); only published products are public.
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub visibility: String,
    /// JSON list of normalised feature keys granted by buying or subscribing.
    #[sea_orm(column_type = "JsonBinary")]
    pub feature_keys: Json,
    /// The price shown publicly; set to NULL when that price is deleted.
    pub active_price_id: Option<i64>,
    /// Free-form JSON object.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `products`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The selling profile (`owner_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::profiles::Entity",
        from = "Column::OwnerId",
        to = "super::profiles::Column::Id",
        on_delete = "Cascade"
    )]
    Owner,
    /// The active price, if set (`active_price_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::prices::Entity",
        from = "Column::ActivePriceId",
        to = "super::prices::Column::Id",
        on_delete = "SetNull"
    )]
    ActivePrice,
    /// All prices of the product.
    #[sea_orm(has_many = "super::prices::Entity")]
    Prices,
    /// The product's downloadable files.
    #[sea_orm(has_many = "super::digital_assets::Entity")]
    DigitalAssets,
    /// The service terms of a service product.
    #[sea_orm(has_one = "super::service_offers::Entity")]
    ServiceOffer,
    /// Order lines that sold this product.
    #[sea_orm(has_many = "super::order_items::Entity")]
    OrderItems,
    /// Subscriptions to this product.
    #[sea_orm(has_many = "super::subscriptions::Entity")]
    Subscriptions,
    /// Work orders for this product.
    #[sea_orm(has_many = "super::fulfillment_orders::Entity")]
    FulfillmentOrders,
}

impl Related<super::profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Owner.def()
    }
}

impl Related<super::prices::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Prices.def()
    }
}

impl Related<super::digital_assets::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DigitalAssets.def()
    }
}

impl Related<super::service_offers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceOffer.def()
    }
}

impl Related<super::order_items::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderItems.def()
    }
}

impl Related<super::subscriptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscriptions.def()
    }
}

impl Related<super::fulfillment_orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FulfillmentOrders.def()
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
