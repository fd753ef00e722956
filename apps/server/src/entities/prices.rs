//! The `prices` table.

use sea_orm::entity::prelude::*;

/// A price of a product. At most one price per product has `is_default` (partial unique index `price_one_default_per_product`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "prices")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The product; deleting it deletes its prices.
    pub product_id: i64,
    /// Display name; `''` falls back to the billing period's label.
    #[sea_orm(column_type = "String(StringLen::N(120))")]
    pub name: String,
    /// Amount in minor units, `>= 0` (DB check).
    pub amount_cents: i64,
    /// ISO 4217 code, upper-cased by the app (default `USD`).
    #[sea_orm(column_type = "String(StringLen::N(3))")]
    pub currency: String,
    /// `one_time`, `monthly` or `yearly` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(20))")]
    pub billing_period: String,
    /// The Clerk plan this price maps to, for subscription webhooks; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub clerk_plan_id: String,
    /// The Clerk price this price maps to; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub clerk_price_id: String,
    /// Only active prices can be bought.
    pub is_active: bool,
    /// The product's default price; unique per product among defaults. Clear the old default before setting a new one.
    pub is_default: bool,
    /// Free-form JSON object (e.g. `checkout_url`).
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `prices`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The product this price belongs to (`product_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_delete = "Cascade"
    )]
    Product,
    /// Order lines bought at this price.
    #[sea_orm(has_many = "super::order_items::Entity")]
    OrderItems,
    /// Subscriptions at this price.
    #[sea_orm(has_many = "super::subscriptions::Entity")]
    Subscriptions,
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
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
