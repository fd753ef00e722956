//! The Paidloop schema, as sea-orm migrations that run on SQLite and Postgres.
//!
//! This crate is the only place where tables, foreign keys, unique and check
//! constraints and indexes are defined. Run it with [`Migrator`]:
//! `Migrator::up(&db, None).await?` (this crate re-exports the `sea_orm_migration`
//! prelude, `MigratorTrait` included, as sea-orm's migration template does).
pub use sea_orm_migration::prelude::*;

mod m20261126_000001_accounts;
mod m20261126_000002_catalog;
mod m20261126_000003_commerce;
mod m20261126_000004_ai_usage;
mod m20261126_000005_billing_sync_and_outbox;
mod m20261130_000006_subscription_versions;
mod m20261130_000007_customer_account_edits;
mod m20261130_000008_ai_usage_covering_index;
mod m20261130_000009_ai_usage_totals;
mod m20261130_000010_email_outbox_due_index;
mod m20261130_000011_payment_transactions_unique;
mod m20261130_000012_order_list_indexes;
mod table_def;

/// Every table of the schema, parents before children (the order they are created in).
/// Delete or truncate in the reverse order.
pub const TABLES: &[&str] = &[
    // accounts
    "profiles",
    "projects",
    "customer_accounts",
    // catalog
    "products",
    "prices",
    "digital_assets",
    "service_offers",
    // commerce
    "orders",
    "order_items",
    "subscriptions",
    "payment_transactions",
    "webhook_events",
    "entitlements",
    "download_grants",
    "fulfillment_orders",
    "bookings",
    // ai usage
    "ai_usage_events",
    "ai_usage_totals",
    // billing sync and outbox
    "billing_sync_states",
    "email_outbox",
];

/// Runs the schema migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_accounts::Migration),
            Box::new(m20261126_000002_catalog::Migration),
            Box::new(m20261126_000003_commerce::Migration),
            Box::new(m20261126_000004_ai_usage::Migration),
            Box::new(m20261126_000005_billing_sync_and_outbox::Migration),
            Box::new(m20261130_000006_subscription_versions::Migration),
            Box::new(m20261130_000007_customer_account_edits::Migration),
            Box::new(m20261130_000008_ai_usage_covering_index::Migration),
            Box::new(m20261130_000009_ai_usage_totals::Migration),
            Box::new(m20261130_000010_email_outbox_due_index::Migration),
            Box::new(m20261130_000011_payment_transactions_unique::Migration),
            Box::new(m20261130_000012_order_list_indexes::Migration),
        ]
    }
}
