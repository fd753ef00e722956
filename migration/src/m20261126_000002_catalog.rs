//! Catalog: every seller's `products`, their `prices`, downloadable `digital_assets`
//! and the `service_offers` of service products.
//!
//! `products.active_price_id` and `prices.product_id` reference each other. SQLite
//! accepts the forward reference to `prices` in `CREATE TABLE products` (and cannot add a
//! foreign key later), Postgres does not (but can): so on SQLite the foreign key is
//! declared with the table, and on Postgres it is added once `prices` exists.

use sea_orm_migration::prelude::*;

use crate::table_def::{TableDef, add_fk, drop_fk, drop_tables};

/// Creates `products`, `prices`, `digital_assets` and `service_offers`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        TableDef::new(db, "products")
            .fk("owner_id", "profiles", ForeignKeyAction::Cascade)
            .varchar("name", 180)
            .varchar("slug", 200)
            .varchar_blank("tagline", 240)
            .text_blank("description")
            .choice("product_type", 24, &["digital", "service"], Some("digital"))
            .choice(
                "visibility",
                24,
                &["draft", "published", "archived"],
                Some("draft"),
            )
            .json_list("feature_keys")
            .fk_null_forward("active_price_id", "prices", ForeignKeyAction::SetNull)
            .json_object("metadata")
            .timestamps()
            .check("product_name_not_empty", Expr::col("name").ne(""))
            .check("product_slug_not_empty", Expr::col("slug").ne(""))
            .unique("product_owner_slug_unique", &["owner_id", "slug"])
            .index("product_owner_visibility_idx", &["owner_id", "visibility"])
            .index(
                "product_type_visibility_idx",
                &["product_type", "visibility"],
            )
            .index("products_active_price_id_idx", &["active_price_id"])
            .create(manager)
            .await?;

        TableDef::new(db, "prices")
            .fk("product_id", "products", ForeignKeyAction::Cascade)
            .varchar_blank("name", 120)
            .bigint_non_negative("amount_cents", 0)
            .varchar_default("currency", 3, "USD")
            .choice(
                "billing_period",
                20,
                &["one_time", "monthly", "yearly"],
                Some("one_time"),
            )
            .varchar_blank("clerk_plan_id", 128)
            .varchar_blank("clerk_price_id", 128)
            .boolean("is_active", true)
            .boolean("is_default", false)
            .json_object("metadata")
            .timestamps()
            .index("price_product_active_idx", &["product_id", "is_active"])
            .index("price_period_active_idx", &["billing_period", "is_active"])
            .index("prices_clerk_plan_id_idx", &["clerk_plan_id"])
            .index("prices_clerk_price_id_idx", &["clerk_price_id"])
            // At most one default price per product: UNIQUE (product_id) WHERE is_default.
            .unique_where(
                "price_one_default_per_product",
                &["product_id"],
                Expr::col("is_default"),
            )
            .create(manager)
            .await?;

        add_fk(
            manager,
            "products",
            "active_price_id",
            "prices",
            ForeignKeyAction::SetNull,
        )
        .await?;

        TableDef::new(db, "digital_assets")
            .fk("product_id", "products", ForeignKeyAction::Cascade)
            .varchar("title", 180)
            .varchar("file_path", 420)
            .bigint_non_negative("file_size_bytes", 0)
            .varchar_blank("checksum_sha256", 64)
            .varchar_blank("version_label", 40)
            .boolean("is_active", true)
            .json_object("metadata")
            .timestamps()
            .index("asset_product_active_idx", &["product_id", "is_active"])
            .unique("asset_product_path_unique", &["product_id", "file_path"])
            .create(manager)
            .await?;

        TableDef::new(db, "service_offers")
            .fk("product_id", "products", ForeignKeyAction::Cascade)
            .int_min("session_minutes", 60, 0)
            .int_min("delivery_days", 7, 0)
            .int_min("revision_count", 0, 0)
            .text_blank("onboarding_instructions")
            .json_object("metadata")
            .timestamps()
            .unique("service_offers_product_id_key", &["product_id"])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_fk(manager, "products", "active_price_id").await?;
        drop_tables(
            manager,
            &["service_offers", "digital_assets", "prices", "products"],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
