//! The `digital_assets` table.

use sea_orm::entity::prelude::*;

/// A downloadable file of a product (its storage path is never shown to buyers).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "digital_assets")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The product; deleting it deletes its assets.
    pub product_id: i64,
    /// Display title (required).
    #[sea_orm(column_type = "String(StringLen::N(180))")]
    pub title: String,
    /// Path in the asset storage; unique per product (DB unique).
    #[sea_orm(column_type = "String(StringLen::N(420))")]
    pub file_path: String,
    /// Size in bytes, `>= 0` (DB check).
    pub file_size_bytes: i64,
    /// Lower-case hex SHA-256; `''` when unknown.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub checksum_sha256: String,
    /// Free version label; `''` when none (`pending` for placeholders).
    #[sea_orm(column_type = "String(StringLen::N(40))")]
    pub version_label: String,
    /// Only active assets are granted and listed; placeholders are inactive.
    pub is_active: bool,
    /// Free-form JSON object (e.g. `pending_fulfillment`).
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `digital_assets`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The product this asset belongs to (`product_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_delete = "Cascade"
    )]
    Product,
    /// Grants to download this asset.
    #[sea_orm(has_many = "super::download_grants::Entity")]
    DownloadGrants,
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl Related<super::download_grants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DownloadGrants.def()
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
