//! The `ai_usage_events` table.

use sea_orm::entity::prelude::*;

/// One entry of the append-only AI usage ledger that per-cycle quotas are summed from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ai_usage_events")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Groups the events of one AI request (not unique: input and output share it).
    pub request_id: Uuid,
    /// The account charged; deleting it deletes its usage.
    pub customer_account_id: i64,
    /// The subscription whose cycle this counts in, if any.
    pub subscription_id: Option<i64>,
    /// `tokens`, `images` or `videos` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(16))")]
    pub metric: String,
    /// `input`, `output` or `total` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(16))")]
    pub direction: String,
    /// Units used, `> 0` (DB check).
    pub amount: i64,
    /// Provider key, e.g. `simulator`; `''` when unknown.
    #[sea_orm(column_type = "String(StringLen::N(32))")]
    pub provider: String,
    /// Model used; `''` when unknown.
    #[sea_orm(column_type = "String(StringLen::N(128))")]
    pub model_name: String,
    /// Start of the usage cycle counted in.
    pub period_start: DateTimeUtc,
    /// End of the usage cycle; after `period_start` (DB check).
    pub period_end: DateTimeUtc,
    /// Free-form JSON object.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When it was recorded (the ledger is never updated).
    pub created_at: DateTimeUtc,
}

/// The foreign keys of `ai_usage_events`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The account charged (`customer_account_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::customer_accounts::Entity",
        from = "Column::CustomerAccountId",
        to = "super::customer_accounts::Column::Id",
        on_delete = "Cascade"
    )]
    CustomerAccount,
    /// The subscription (`subscription_id`, on delete set null).
    #[sea_orm(
        belongs_to = "super::subscriptions::Entity",
        from = "Column::SubscriptionId",
        to = "super::subscriptions::Column::Id",
        on_delete = "SetNull"
    )]
    Subscription,
}

impl Related<super::customer_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerAccount.def()
    }
}

impl Related<super::subscriptions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscription.def()
    }
}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Fills in what Django filled in on save: a random `request_id` on insert, `created_at` on insert (unless set explicitly).
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        super::default_uuid(&mut self.request_id, insert);
        super::stamp_created(&mut self.created_at, insert);
        Ok(self)
    }
}
