//! The `subscriptions` table.

use sea_orm::entity::prelude::*;

/// A recurring subscription, from a recurring order item or from Clerk billing.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The subscriber; deleting the account deletes its subscriptions.
    pub customer_account_id: i64,
    /// The product subscribed to; NULL when unknown or deleted.
    pub product_id: Option<i64>,
    /// The price subscribed at; NULL when unknown or deleted.
    pub price_id: Option<i64>,
    /// `trialing`, `active`, `past_due`, `canceled`, `incomplete` or `paused` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(20))")]
    pub status: String,
    /// Clerk's subscription id; unique when present (NULL for local ones).
    #[sea_orm(column_type = "String(StringLen::N(128))", nullable, unique)]
    pub clerk_subscription_id: Option<String>,
    /// Start of the current billing period.
    pub current_period_start: Option<DateTimeUtc>,
    /// End of the current billing period.
    pub current_period_end: Option<DateTimeUtc>,
    /// Whether it ends at the end of the period.
    pub cancel_at_period_end: bool,
    /// When it was canceled.
    pub canceled_at: Option<DateTimeUtc>,
    /// Free-form JSON object (e.g. the source order item).
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// Clerk's timestamp of the state this row shows; an older state is not applied.
    pub clerk_updated_at: Option<DateTimeUtc>,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `subscriptions`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The subscriber (`customer_account_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::customer_accounts::Entity",
        from = "Column::CustomerAccountId",
        to = "super::customer_accounts::Column::Id",
        on_delete = "Cascade"
    )]
    CustomerAccount,
    /// The product (`product_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::products::Entity",
        from = "Column::ProductId",
        to = "super::products::Column::Id",
        on_delete = "SetNull"
    )]
    Product,
    /// The price (`price_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::prices::Entity",
        from = "Column::PriceId",
        to = "super::prices::Column::Id",
        on_delete = "SetNull"
    )]
    Price,
    /// Payments of this subscription.
    #[sea_orm(has_many = "super::payment_transactions::Entity")]
    PaymentTransactions,
    /// AI usage metered in this subscription's cycles.
    #[sea_orm(has_many = "super::ai_usage_events::Entity")]
    AiUsageEvents,
}

impl Related<super::customer_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerAccount.def()
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

impl Related<super::payment_transactions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentTransactions.def()
    }
}

impl Related<super::ai_usage_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AiUsageEvents.def()
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
