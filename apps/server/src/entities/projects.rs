//! The `projects` table.

use sea_orm::entity::prelude::*;

/// A small example resource owned by a profile (the `projects/` endpoints).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    /// Auto-increment primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The owning profile; deleting it deletes its projects.
    pub owner_id: i64,
    /// Trimmed, never empty (DB check).
    #[sea_orm(column_type = "String(StringLen::N(160))")]
    pub name: String,
    /// Slugified, never empty, unique per owner (DB unique).
    #[sea_orm(column_type = "String(StringLen::N(180))")]
    pub slug: String,
    /// Free text; `''` when none.
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// `idea`, `building`, `live` or `paused` (DB check).
    #[sea_orm(column_type = "String(StringLen::N(20))")]
    pub status: String,
    /// MRR in cents (exact on SQLite too); the API shows it as a decimal string. `>= 0` (DB check).
    pub monthly_recurring_revenue_cents: i64,
    /// Planned launch date, if any.
    pub target_launch_date: Option<Date>,
    /// When the row was created (UTC).
    pub created_at: DateTimeUtc,
    /// When the row was last changed (UTC).
    pub updated_at: DateTimeUtc,
}

/// The foreign keys of `projects`, and the tables whose foreign keys point at it.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The owning profile (`owner_id`, on delete cascade).
    #[sea_orm(
        belongs_to = "super::profiles::Entity",
        from = "Column::OwnerId",
        to = "super::profiles::Column::Id",
        on_delete = "Cascade"
    )]
    Owner,
}

impl Related<super::profiles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Owner.def()
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
