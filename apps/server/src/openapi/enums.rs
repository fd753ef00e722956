//! The string choices of the contract as named schemas, built from the domain crates'
//! own lists, so the document names exactly the values the server accepts and sends.
//!
//! Views point a `String` field at one of these with `#[schema(schema_with = …)]`.

use paidloop_billing_sync::SyncState;
use paidloop_catalog::{BillingPeriod, DeliveryMode, ProductType, Visibility};
use paidloop_entitlements::{PlanTier, SubscriptionStatus};
use paidloop_orders::{OrderStatus, PaymentProvider};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};

use crate::services::projects;

/// An entitlement's `source_type` values (a database CHECK holds the same list).
const ENTITLEMENT_SOURCES: [&str; 3] = ["plan", "purchase", "manual"];

/// `(name, description, values)` of every choice schema.
fn choices() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    vec![
        (
            "PlanTier",
            "The caller's plan, from their billing features.",
            PlanTier::ALL.map(PlanTier::as_str).to_vec(),
        ),
        (
            "ProductType",
            "What buying it delivers: files, or work.",
            ProductType::ALL.map(ProductType::as_str).to_vec(),
        ),
        (
            "Visibility",
            "Only `published` products are in the public catalog.",
            Visibility::ALL.map(Visibility::as_str).to_vec(),
        ),
        (
            "BillingPeriod",
            "One-time, or recurring every month or year.",
            BillingPeriod::ALL.map(BillingPeriod::as_str).to_vec(),
        ),
        (
            "OrderStatus",
            "Where an order is in the paid loop.",
            OrderStatus::ALL.map(OrderStatus::as_str).to_vec(),
        ),
        (
            "PaymentProvider",
            "Who vouches for a payment.",
            PaymentProvider::ALL.map(PaymentProvider::as_str).to_vec(),
        ),
        (
            "DeliveryMode",
            "How a work order's result reaches the buyer.",
            [DeliveryMode::Downloadable, DeliveryMode::PhysicalShipped]
                .map(DeliveryMode::as_str)
                .to_vec(),
        ),
        (
            "SubscriptionStatus",
            "A subscription's state; only active and trialing grant its plan.",
            SubscriptionStatus::ALL
                .map(SubscriptionStatus::as_str)
                .to_vec(),
        ),
        (
            "SyncState",
            "How fresh the local copy of Clerk billing is.",
            [SyncState::Fresh, SyncState::SoftStale, SyncState::HardStale]
                .map(SyncState::as_str)
                .to_vec(),
        ),
        (
            "EntitlementSource",
            "What granted an entitlement.",
            ENTITLEMENT_SOURCES.to_vec(),
        ),
        (
            "ProjectStatus",
            "Where a project stands.",
            projects::STATUSES.to_vec(),
        ),
    ]
}

/// The choice schemas, for `components.schemas`.
pub fn schemas() -> Vec<(String, RefOr<Schema>)> {
    choices()
        .into_iter()
        .map(|(name, description, values)| {
            let schema = ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(description))
                .enum_values(Some(values))
                .build();
            (name.to_owned(), RefOr::T(Schema::Object(schema)))
        })
        .collect()
}

/// `PlanTier`.
pub fn plan_tier() -> Ref {
    Ref::from_schema_name("PlanTier")
}

/// `ProductType`.
pub fn product_type() -> Ref {
    Ref::from_schema_name("ProductType")
}

/// `Visibility`.
pub fn visibility() -> Ref {
    Ref::from_schema_name("Visibility")
}

/// `BillingPeriod`.
pub fn billing_period() -> Ref {
    Ref::from_schema_name("BillingPeriod")
}

/// `OrderStatus`.
pub fn order_status() -> Ref {
    Ref::from_schema_name("OrderStatus")
}

/// `PaymentProvider`.
pub fn payment_provider() -> Ref {
    Ref::from_schema_name("PaymentProvider")
}

/// `DeliveryMode`.
pub fn delivery_mode() -> Ref {
    Ref::from_schema_name("DeliveryMode")
}

/// `ProjectStatus`.
pub fn project_status() -> Ref {
    Ref::from_schema_name("ProjectStatus")
}

/// `SubscriptionStatus`.
pub fn subscription_status() -> Ref {
    Ref::from_schema_name("SubscriptionStatus")
}

/// `SyncState`.
pub fn sync_state() -> Ref {
    Ref::from_schema_name("SyncState")
}

/// `EntitlementSource`.
pub fn entitlement_source() -> Ref {
    Ref::from_schema_name("EntitlementSource")
}
