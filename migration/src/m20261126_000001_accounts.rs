//! Accounts: `profiles` (one per Clerk user), their example `projects`, and the
//! `customer_accounts` (one per profile) that orders, subscriptions and entitlements hang on.

use sea_orm_migration::prelude::*;

use crate::table_def::{TableDef, drop_tables};

/// Creates `profiles`, `projects` and `customer_accounts`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        TableDef::new(db, "profiles")
            .varchar("clerk_user_id", 64)
            .varchar_blank("email", 254)
            .varchar_blank("first_name", 150)
            .varchar_blank("last_name", 150)
            // Django's URLField is varchar(200); Clerk's proxied avatar URLs can be longer,
            // and the profile is upserted from the token on every request, so keep it text.
            .text_blank("image_url")
            .choice(
                "plan_tier",
                24,
                &["free", "pro", "enterprise"],
                Some("free"),
            )
            .json_list("billing_features")
            .boolean("is_active", true)
            .json_object("metadata")
            .timestamps()
            .unique("profiles_clerk_user_id_key", &["clerk_user_id"])
            .index("profile_plan_active_idx", &["plan_tier", "is_active"])
            .create(manager)
            .await?;

        TableDef::new(db, "projects")
            .fk("owner_id", "profiles", ForeignKeyAction::Cascade)
            .varchar("name", 160)
            .varchar("slug", 180)
            .text_blank("summary")
            .choice(
                "status",
                20,
                &["idea", "building", "live", "paused"],
                Some("idea"),
            )
            // Django's DecimalField(12, 2), stored as exact cents (SQLite has no decimal).
            .bigint_default("monthly_recurring_revenue_cents", 0)
            .date_null("target_launch_date")
            .timestamps()
            .check(
                "project_mrr_non_negative",
                Expr::col("monthly_recurring_revenue_cents").gte(0),
            )
            .check("project_name_not_empty", Expr::col("name").ne(""))
            .check("project_slug_not_empty", Expr::col("slug").ne(""))
            .unique("project_owner_slug_unique", &["owner_id", "slug"])
            .index("project_owner_status_idx", &["owner_id", "status"])
            .index("project_owner_updated_idx", &["owner_id", "updated_at"])
            .create(manager)
            .await?;

        TableDef::new(db, "customer_accounts")
            .fk("profile_id", "profiles", ForeignKeyAction::Cascade)
            .varchar_blank("external_customer_id", 128)
            .varchar_blank("billing_email", 254)
            .varchar_blank("full_name", 180)
            .varchar_blank("company_name", 180)
            .varchar_blank("country", 2)
            .varchar_blank("tax_id", 64)
            .json_object("metadata")
            .timestamps()
            .unique("customer_accounts_profile_id_key", &["profile_id"])
            .index(
                "customer_accounts_external_customer_id_idx",
                &["external_customer_id"],
            )
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["customer_accounts", "projects", "profiles"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
