//! The `download_grants` table.

use sea_orm::entity::prelude::*;

/// The right of a customer account to download one asset of an order item; unique per (order item, asset).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "download_grants")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The id used in download URLs.
    #[sea_orm(unique)]
    pub token: Uuid,
    /// The grantee; deleting the account deletes its grants.
    pub customer_account_id: i64,
    /// The order line this grant comes from.
    pub order_item_id: i64,
    /// The asset to download (a pending placeholder until delivered).
    pub asset_id: i64,
    /// When it expires; NULL = never.
    pub expires_at: Option<DateTimeUtc>,
    /// Download limit, `>= 0` (default 5; 0 = unlimited, as in Django).
    pub max_downloads: i32,
    /// Downloads so far, `>= 0`.
    pub download_count: i32,
    /// When it was last used.
    pub last_downloaded_at: Option<DateTimeUtc>,
    /// False while locked (pending delivery) or revoked.
    pub is_active: bool,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `download_grants`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The grantee (`customer_account_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::customer_accounts::Entity",
        from = "Column::CustomerAccountId",
        to = "super::customer_accounts::Column::Id",
        on_delete = "Cascade"
    )]
    CustomerAccount,
    /// The order line (`order_item_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::order_items::Entity",
        from = "Column::OrderItemId",
        to = "super::order_items::Column::Id",
        on_delete = "Cascade"
    )]
    OrderItem,
    /// The asset (`asset_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::digital_assets::Entity",
        from = "Column::AssetId",
        to = "super::digital_assets::Column::Id",
        on_delete = "Cascade"
    )]
    DigitalAsset,
    /// The work order delivering through this grant, if any.
    #[sea_orm(has_one = "super::fulfillment_orders::Entity")]
    FulfillmentOrder,
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

impl Related<super::digital_assets::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DigitalAsset.def()
    }
}

impl Related<super::fulfillment_orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FulfillmentOrder.def()
    }
}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Fills in what Django filled in on save: a random `token` on insert, `created_at` on insert, `updated_at` on every save (unless set explicitly).
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        super::default_uuid(&mut self.token, insert);
        super::touch(&mut self.created_at, &mut self.updated_at, insert);
        Ok(self)
    }
}
