//! The `profiles` table.

use sea_orm::entity::prelude::*;

/// A signed-in user, upserted from their Clerk session claims on every authenticated request.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "profiles")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The Clerk user id (`sub` claim); unique, it identifies the user.
    #[sea_orm(column_type = "String(StringLen::N(64))", unique)]
    pub clerk_user_id: String,
    /// Primary email from the claims; `''` when unknown.
    #[sea_orm(column_type = "String(StringLen::N(254))")]
    pub email: String,
    /// Given name from the claims; `''` when unknown.
    #[sea_orm(column_type = "String(StringLen::N(150))")]
    pub first_name: String,
    /// Family name from the claims; `''` when unknown.
    #[sea_orm(column_type = "String(StringLen::N(150))")]
    pub last_name: String,
    /// Avatar URL from the claims; `''` when unknown.
    #[sea_orm(column_type = "Text")]
    pub image_url: String,
    /// `free`, `pro` or `enterprise` (DB check), derived from the billing features.
    #[sea_orm(column_type = "String(StringLen::N(24))")]
    pub plan_tier: String,
    /// The normalised billing features (a JSON list of strings) from the billing claim.
    #[sea_orm(column_type = "JsonBinary")]
    pub billing_features: Json,
    /// False once Clerk reports the user deleted.
    pub is_active: bool,
    /// Free-form JSON object from the claims.
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `profiles`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The user's example projects.
    #[sea_orm(has_many = "super::projects::Entity")]
    Projects,
    /// The user's customer account (at most one).
    #[sea_orm(has_one = "super::customer_accounts::Entity")]
    CustomerAccount,
    /// The products this user sells.
    #[sea_orm(has_many = "super::products::Entity")]
    Products,
}

impl Related<super::projects::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Projects.def()
    }
}

impl Related<super::customer_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CustomerAccount.def()
    }
}

impl Related<super::products::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Products.def()
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
