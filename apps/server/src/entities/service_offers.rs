//! The `service_offers` table.

use sea_orm::entity::prelude::*;

/// The service terms of a service product (one per product).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_offers")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The service product (unique: one offer per product).
    #[sea_orm(unique)]
    pub product_id: i64,
    /// Length of a session, `>= 0` (default 60).
    pub session_minutes: i32,
    /// Days until a work order is due, `>= 0` (default 7).
    pub delivery_days: i32,
    /// Included revisions, `>= 0` (default 0).
    pub revision_count: i32,
    /// Shown to the buyer; `''` when none.
    #[sea_orm(column_type = "Text")]
    pub onboarding_instructions: String,
    /// Free-form JSON object; `delivery_mode` picks physical or downloadable fulfilment.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `service_offers`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The service product (`product_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_delete = "Cascade"
    )]
    Product,
    /// Bookings of this offer.
    #[sea_orm(has_many = "super::bookings::Entity")]
    Bookings,
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
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
