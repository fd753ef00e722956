//! Commerce: `orders` and their `order_items`, `subscriptions`, `payment_transactions`,
//! received `webhook_events`, `entitlements`, `download_grants`, service work orders
//! (`fulfillment_orders`) and `bookings`.

use sea_orm_migration::prelude::*;

use crate::table_def::{TableDef, drop_tables};

/// Creates the order, payment and fulfilment tables.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();

        TableDef::new(db, "orders")
            .uuid("public_id")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .choice(
                "status",
                24,
                &[
                    "draft",
                    "pending_payment",
                    "paid",
                    "fulfilled",
                    "canceled",
                    "refunded",
                ],
                Some("pending_payment"),
            )
            .varchar_default("currency", 3, "USD")
            .bigint_non_negative("subtotal_cents", 0)
            .bigint_non_negative("tax_cents", 0)
            .bigint_non_negative("total_cents", 0)
            .text_blank("notes")
            .varchar_blank("clerk_checkout_id", 128)
            .varchar_blank("external_reference", 128)
            .timestamp_null("paid_at")
            .timestamp_null("fulfilled_at")
            .json_object("metadata")
            .timestamps()
            .check(
                "order_total_matches",
                Expr::col("total_cents")
                    .eq(Expr::col("subtotal_cents").add(Expr::col("tax_cents"))),
            )
            .unique("orders_public_id_key", &["public_id"])
            .index(
                "order_customer_status_idx",
                &["customer_account_id", "status"],
            )
            .index("order_status_updated_idx", &["status", "updated_at"])
            .index("orders_clerk_checkout_id_idx", &["clerk_checkout_id"])
            .index("orders_external_reference_idx", &["external_reference"])
            .create(manager)
            .await?;

        TableDef::new(db, "order_items")
            .fk("order_id", "orders", ForeignKeyAction::Cascade)
            // Django's PROTECT: a product that was sold cannot be deleted.
            .fk("product_id", "products", ForeignKeyAction::Restrict)
            .fk_null("price_id", "prices", ForeignKeyAction::SetNull)
            .int_min("quantity", 1, 1)
            .bigint_non_negative("unit_amount_cents", 0)
            .bigint_non_negative("total_amount_cents", 0)
            .varchar_blank("product_name_snapshot", 180)
            .varchar_blank("price_name_snapshot", 120)
            .json_object("metadata")
            .timestamps()
            .index("order_item_order_product_idx", &["order_id", "product_id"])
            .index("order_items_product_id_idx", &["product_id"])
            .index("order_items_price_id_idx", &["price_id"])
            .create(manager)
            .await?;

        TableDef::new(db, "subscriptions")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .fk_null("product_id", "products", ForeignKeyAction::SetNull)
            .fk_null("price_id", "prices", ForeignKeyAction::SetNull)
            .choice(
                "status",
                20,
                &[
                    "trialing",
                    "active",
                    "past_due",
                    "canceled",
                    "incomplete",
                    "paused",
                ],
                Some("incomplete"),
            )
            .varchar_null("clerk_subscription_id", 128)
            .timestamp_null("current_period_start")
            .timestamp_null("current_period_end")
            .boolean("cancel_at_period_end", false)
            .timestamp_null("canceled_at")
            .json_object("metadata")
            .timestamps()
            .unique(
                "subscriptions_clerk_subscription_id_key",
                &["clerk_subscription_id"],
            )
            .index(
                "sub_customer_status_idx",
                &["customer_account_id", "status"],
            )
            .index("subscriptions_product_id_idx", &["product_id"])
            .index("subscriptions_price_id_idx", &["price_id"])
            .create(manager)
            .await?;

        TableDef::new(db, "payment_transactions")
            .fk_null("order_id", "orders", ForeignKeyAction::Cascade)
            .fk_null(
                "subscription_id",
                "subscriptions",
                ForeignKeyAction::Cascade,
            )
            .choice("provider", 24, &["clerk", "manual"], Some("clerk"))
            .varchar_blank("external_id", 128)
            .choice(
                "status",
                24,
                &["pending", "succeeded", "failed", "refunded", "canceled"],
                Some("pending"),
            )
            .bigint_non_negative("amount_cents", 0)
            .varchar_default("currency", 3, "USD")
            .json_object("raw_payload")
            .timestamps()
            .check(
                "txn_order_or_sub_required",
                Expr::col("order_id")
                    .is_not_null()
                    .or(Expr::col("subscription_id").is_not_null()),
            )
            .index("txn_provider_external_idx", &["provider", "external_id"])
            .index("txn_status_updated_idx", &["status", "updated_at"])
            .index("payment_transactions_external_id_idx", &["external_id"])
            .index("payment_transactions_order_id_idx", &["order_id"])
            .index(
                "payment_transactions_subscription_id_idx",
                &["subscription_id"],
            )
            .create(manager)
            .await?;

        TableDef::new(db, "webhook_events")
            .choice("provider", 24, &["clerk", "stripe", "other"], Some("clerk"))
            .varchar("event_id", 191)
            .varchar("event_type", 191)
            .json_object("payload")
            .choice(
                "status",
                24,
                &["received", "processed", "failed", "ignored"],
                Some("received"),
            )
            .text_blank("error_message")
            .timestamp("received_at")
            .timestamp_null("processed_at")
            .unique("webhook_provider_event_unique", &["provider", "event_id"])
            .index("webhook_status_received_idx", &["status", "received_at"])
            .create(manager)
            .await?;

        TableDef::new(db, "entitlements")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .varchar("feature_key", 80)
            .choice(
                "source_type",
                24,
                &["plan", "purchase", "manual"],
                Some("purchase"),
            )
            .varchar_blank("source_reference", 128)
            .timestamp("starts_at")
            .timestamp_null("ends_at")
            .boolean("is_active", true)
            .json_object("metadata")
            .timestamps()
            .unique(
                "entitlement_source_unique",
                &[
                    "customer_account_id",
                    "feature_key",
                    "source_type",
                    "source_reference",
                ],
            )
            .index(
                "entitlement_cust_active_idx",
                &["customer_account_id", "is_active"],
            )
            .index(
                "entitlement_feature_active_idx",
                &["feature_key", "is_active"],
            )
            .create(manager)
            .await?;

        TableDef::new(db, "download_grants")
            .uuid("token")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .fk("order_item_id", "order_items", ForeignKeyAction::Cascade)
            .fk("asset_id", "digital_assets", ForeignKeyAction::Cascade)
            .timestamp_null("expires_at")
            .int_min("max_downloads", 5, 0)
            .int_min("download_count", 0, 0)
            .timestamp_null("last_downloaded_at")
            .boolean("is_active", true)
            .timestamps()
            .unique("download_grants_token_key", &["token"])
            .unique(
                "grant_order_item_asset_unique",
                &["order_item_id", "asset_id"],
            )
            .index(
                "grant_customer_active_idx",
                &["customer_account_id", "is_active"],
            )
            .index("download_grants_asset_id_idx", &["asset_id"])
            .create(manager)
            .await?;

        TableDef::new(db, "fulfillment_orders")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .fk_null("order_item_id", "order_items", ForeignKeyAction::SetNull)
            .fk_null("product_id", "products", ForeignKeyAction::SetNull)
            .fk_null(
                "download_grant_id",
                "download_grants",
                ForeignKeyAction::SetNull,
            )
            .choice(
                "status",
                24,
                &[
                    "requested",
                    "in_progress",
                    "ready_for_delivery",
                    "completed",
                    "canceled",
                ],
                Some("requested"),
            )
            .choice(
                "delivery_mode",
                24,
                &["downloadable", "physical_shipped"],
                Some("downloadable"),
            )
            .text_blank("customer_request")
            .text_blank("delivery_notes")
            .text_blank("internal_notes")
            .timestamp_null("due_at")
            .timestamp_null("completed_at")
            .timestamp_null("shipped_at")
            .varchar_blank("shipping_carrier", 120)
            .varchar_blank("shipping_tracking_number", 120)
            .varchar_blank("shipping_tracking_url", 200)
            .json_object("metadata")
            .timestamps()
            .unique(
                "fulfillment_orders_download_grant_id_key",
                &["download_grant_id"],
            )
            .index(
                "fulfill_cust_status_idx",
                &["customer_account_id", "status"],
            )
            .index("fulfill_mode_status_idx", &["delivery_mode", "status"])
            .index("fulfillment_orders_order_item_id_idx", &["order_item_id"])
            .index("fulfillment_orders_product_id_idx", &["product_id"])
            .create(manager)
            .await?;

        TableDef::new(db, "bookings")
            .fk(
                "customer_account_id",
                "customer_accounts",
                ForeignKeyAction::Cascade,
            )
            .fk(
                "service_offer_id",
                "service_offers",
                ForeignKeyAction::Cascade,
            )
            .fk_null("order_item_id", "order_items", ForeignKeyAction::SetNull)
            .choice(
                "status",
                24,
                &["requested", "confirmed", "completed", "canceled"],
                Some("requested"),
            )
            .timestamp_null("scheduled_start")
            .timestamp_null("scheduled_end")
            .varchar_blank("meeting_url", 200)
            .text_blank("customer_notes")
            .text_blank("internal_notes")
            .timestamps()
            .index(
                "booking_customer_status_idx",
                &["customer_account_id", "status"],
            )
            .index("booking_scheduled_start_idx", &["scheduled_start"])
            .index("bookings_service_offer_id_idx", &["service_offer_id"])
            .index("bookings_order_item_id_idx", &["order_item_id"])
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "bookings",
                "fulfillment_orders",
                "download_grants",
                "entitlements",
                "webhook_events",
                "payment_transactions",
                "subscriptions",
                "order_items",
                "orders",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
