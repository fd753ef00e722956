//! The `customer_accounts` table.

use sea_orm::entity::prelude::*;

/// The billing identity of a profile (one per profile): orders, subscriptions, entitlements and grants hang on it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_accounts")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The profile this account belongs to (unique: one account per profile).
    #[sea_orm(unique)]
    pub profile_id: i64,
    /// The billing provider's customer id; defaults to the Clerk user id.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub external_customer_id: String,
    /// Where receipts go; defaults to the profile email.
    #[sea_orm(column_type = "String(StringLen::N(254))")]
    pub billing_email: String,
    /// Billing name; defaults to the profile's display name.
    #[sea_orm(column_type = "String(StringLen::N(180))")]
    pub full_name: String,
    /// Optional company; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(180))")]
    pub company_name: String,
    /// ISO 3166 alpha-2, upper-cased by the app; `''` when unknown.
    #[sea_orm(column_type = "String(StringLen::N(2))")]
    pub country: String,
    /// Optional tax id; `''` when none.
    #[sea_orm(column_type = "String(StringLen::N(64))")]
    pub tax_id: String,
    /// Whether the buyer set `billing_email` through `PATCH account/customer/`; from then
    /// on Clerk's primary email no longer replaces it.
    pub billing_email_set_by_buyer: bool,
    /// Whether the buyer set `full_name` through `PATCH account/customer/`; from then on
    /// Clerk's name no longer replaces it.
    pub full_name_set_by_buyer: bool,
    /// Free-form JSON object (e.g. the last email preflight test).
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `customer_accounts`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The owning profile (`profile_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::profiles::Entity",
        from = "Column::ProfileId",
        to = "super::profiles::Column::Id",
        on_delete = "Cascade"
    )]
    Profile,
    /// The account's orders.
    #[sea_orm(has_many = "super::orders::Entity")]
    Orders,
    /// The account's subscriptions.
    #[sea_orm(has_many = "super::subscriptions::Entity")]
    Subscriptions,
    /// The account's entitlements.
    #[sea_orm(has_many = "super::entitlements::Entity")]
    Entitlements,
    /// The account's download grants.
    #[sea_orm(has_many = "super::download_grants::Entity")]
    DownloadGrants,
    /// The account's work orders.
    #[sea_orm(has_many = "super::fulfillment_orders::Entity")]
    FulfillmentOrders,
    /// The account's bookings.
    #[sea_orm(has_many = "super::bookings::Entity")]
    Bookings,
    /// The account's metered AI usage.
    #[sea_orm(has_many = "super::ai_usage_events::Entity")]
    AiUsageEvents,
    /// The account's settled usage per cycle.
    #[sea_orm(has_many = "super::ai_usage_totals::Entity")]
    AiUsageTotals,
    /// The account's billing sync state (at most one).
    #[sea_orm(has_one = "super::billing_sync_states::Entity")]
    BillingSyncState,
}

impl Related<super::profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Profile.def()
    }
}

impl Related<super::orders::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Orders.def()
    }
}

impl Related<super::subscriptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscriptions.def()
    }
}

impl Related<super::entitlements::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Entitlements.def()
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

impl Related<super::ai_usage_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AiUsageEvents.def()
    }
}

impl Related<super::ai_usage_totals::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AiUsageTotals.def()
    }
}

impl Related<super::billing_sync_states::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BillingSyncState.def()
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
