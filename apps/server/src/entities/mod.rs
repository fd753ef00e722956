//! sea-orm entities, one module per table of `migration/` (which alone defines the schema),
//! named like the table (`profiles`, `order_items`, ...), as `sea-orm-cli generate` would.
//!
//! Conventions: ids are `i64`; timestamps are `DateTimeUtc` (always written in UTC, so
//! that SQLite, which stores them as text, compares and orders them correctly); JSON
//! columns are `serde_json::Value`; choice fields are `String`s whose allowed values the
//! database checks (and the app validates first, to answer 400 rather than 500).
//!
//! Saving an `ActiveModel` with `ActiveModelTrait::{insert, update, save}` fills in
//! `created_at` (`received_at` for webhook events) on insert, `updated_at` on every save,
//! and the random UUIDs (`orders.public_id`, `download_grants.token`,
//! `ai_usage_events.request_id`) on insert, unless they are set explicitly. Statements
//! built on the entity (`Entity::insert(..)`, `insert_many`, `update_many`, upserts with
//! `on_conflict`) do not run these hooks: set those columns yourself there.

use sea_orm::entity::prelude::{DateTimeUtc, Uuid};
use sea_orm::{ActiveValue, Set};

pub mod ai_usage_events;
pub mod ai_usage_totals;
pub mod billing_sync_states;
pub mod bookings;
pub mod customer_accounts;
pub mod digital_assets;
pub mod download_grants;
pub mod email_outbox;
pub mod entitlements;
pub mod fulfillment_orders;
pub mod order_items;
pub mod orders;
pub mod payment_transactions;
pub mod prices;
pub mod products;
pub mod profiles;
pub mod projects;
pub mod service_offers;
pub mod subscriptions;
pub mod webhook_events;

/// The entities under their row's singular name, for `use crate::entities::prelude::*`.
pub mod prelude {
    pub use super::ai_usage_events::Entity as AiUsageEvent;
    pub use super::ai_usage_totals::Entity as AiUsageTotal;
    pub use super::billing_sync_states::Entity as BillingSyncState;
    pub use super::bookings::Entity as Booking;
    pub use super::customer_accounts::Entity as CustomerAccount;
    pub use super::digital_assets::Entity as DigitalAsset;
    pub use super::download_grants::Entity as DownloadGrant;
    pub use super::email_outbox::Entity as EmailOutbox;
    pub use super::entitlements::Entity as Entitlement;
    pub use super::fulfillment_orders::Entity as FulfillmentOrder;
    pub use super::order_items::Entity as OrderItem;
    pub use super::orders::Entity as Order;
    pub use super::payment_transactions::Entity as PaymentTransaction;
    pub use super::prices::Entity as Price;
    pub use super::products::Entity as Product;
    pub use super::profiles::Entity as Profile;
    pub use super::projects::Entity as Project;
    pub use super::service_offers::Entity as ServiceOffer;
    pub use super::subscriptions::Entity as Subscription;
    pub use super::webhook_events::Entity as WebhookEvent;
}

/// Sets `created_at` on insert and `updated_at` on every save, unless set explicitly.
fn touch(
    created_at: &mut ActiveValue<DateTimeUtc>,
    updated_at: &mut ActiveValue<DateTimeUtc>,
    insert: bool,
) {
    let now = chrono::Utc::now();
    if insert && created_at.is_not_set() {
        *created_at = Set(now);
    }
    if !updated_at.is_set() {
        *updated_at = Set(now);
    }
}

/// Sets a creation timestamp on insert, unless set explicitly.
fn stamp_created(created_at: &mut ActiveValue<DateTimeUtc>, insert: bool) {
    if insert && created_at.is_not_set() {
        *created_at = Set(chrono::Utc::now());
    }
}

/// Sets a random (v4) UUID on insert, unless set explicitly.
fn default_uuid(value: &mut ActiveValue<Uuid>, insert: bool) {
    if insert && value.is_not_set() {
        *value = Set(Uuid::new_v4());
    }
}
