//! Billing shapes of `spec/API.md`: subscriptions, entitlements, the billing sync
//! status, and the caller as Clerk knows them (`me/clerk/`).

use chrono::{DateTime, Utc};
use paidloop_billing_sync::{SyncStatus, parse_instant};
use paidloop_entitlements::is_current;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::entities::{entitlements, prices};
use crate::services::billing::reads::SubscriptionRow;

/// The price a subscription is billed at, in short.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceSummary<'a> {
    /// Price id.
    pub id: i64,
    /// Display name.
    pub name: &'a str,
    /// Amount in cents.
    pub amount_cents: i64,
    /// Three-letter code.
    pub currency: &'a str,
    /// `monthly` or `yearly` (or `one_time`).
    #[schema(schema_with = crate::openapi::enums::billing_period)]
    pub billing_period: &'a str,
}

impl<'a> From<&'a prices::Model> for PriceSummary<'a> {
    fn from(p: &'a prices::Model) -> Self {
        Self {
            id: p.id,
            name: &p.name,
            amount_cents: p.amount_cents,
            currency: &p.currency,
            billing_period: &p.billing_period,
        }
    }
}

/// A subscription of the caller (`account/subscriptions/`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Subscription)]
pub struct SubscriptionView<'a> {
    /// Row id.
    pub id: i64,
    /// Product id, while it exists.
    pub product: Option<i64>,
    /// The product's name, while it exists.
    pub product_name: Option<&'a str>,
    /// Price id, while it exists.
    pub price: Option<i64>,
    /// The price, while it exists.
    pub price_summary: Option<PriceSummary<'a>>,
    /// trialing / active / past_due / canceled / incomplete / paused.
    #[schema(schema_with = crate::openapi::enums::subscription_status)]
    pub status: &'a str,
    /// Clerk's id; null for a subscription from a local order.
    pub clerk_subscription_id: Option<&'a str>,
    /// Start of the current period.
    pub current_period_start: Option<DateTime<Utc>>,
    /// End of the current period.
    pub current_period_end: Option<DateTime<Utc>>,
    /// Whether it ends with the period.
    pub cancel_at_period_end: bool,
    /// When it was canceled.
    pub canceled_at: Option<DateTime<Utc>>,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> From<&'a SubscriptionRow> for SubscriptionView<'a> {
    fn from(row: &'a SubscriptionRow) -> Self {
        let s = &row.subscription;
        Self {
            id: s.id,
            product: s.product_id,
            product_name: row.product_name.as_deref(),
            price: s.price_id,
            price_summary: row.price.as_ref().map(PriceSummary::from),
            status: &s.status,
            clerk_subscription_id: s.clerk_subscription_id.as_deref(),
            current_period_start: s.current_period_start,
            current_period_end: s.current_period_end,
            cancel_at_period_end: s.cancel_at_period_end,
            canceled_at: s.canceled_at,
            metadata: &s.metadata,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// An entitlement of the caller (`account/entitlements/`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Entitlement)]
pub struct EntitlementView<'a> {
    /// Row id.
    pub id: i64,
    /// The feature it grants.
    pub feature_key: &'a str,
    /// `plan` (a subscription), `purchase` (an order) or `manual`.
    #[schema(schema_with = crate::openapi::enums::entitlement_source)]
    pub source_type: &'a str,
    /// The subscription's Clerk id, the order's public id, or free text.
    pub source_reference: &'a str,
    /// From when it grants.
    pub starts_at: DateTime<Utc>,
    /// Until when it grants; null = open-ended.
    pub ends_at: Option<DateTime<Utc>>,
    /// False once ended or revoked.
    pub is_active: bool,
    /// Whether it grants its feature now.
    pub is_current: bool,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> EntitlementView<'a> {
    /// The entitlement as seen at `now`.
    pub fn new(e: &'a entitlements::Model, now: DateTime<Utc>) -> Self {
        Self {
            id: e.id,
            feature_key: &e.feature_key,
            source_type: &e.source_type,
            source_reference: &e.source_reference,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            is_active: e.is_active,
            is_current: is_current(e.is_active, e.starts_at, e.ends_at, now),
            metadata: &e.metadata,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// How fresh the local copy of Clerk billing is (`account/subscriptions/status/`, and
/// `billing_sync` in AI answers).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BillingSyncStatus)]
pub struct BillingSyncView {
    /// fresh / soft_stale / hard_stale.
    #[schema(schema_with = crate::openapi::enums::sync_state)]
    pub state: &'static str,
    /// Whether usage-generating requests are refused until a sync succeeds.
    pub blocking: bool,
    /// Why, e.g. `fresh`, `never_synced`, `soft_stale_with_sync_error`, `synced`.
    pub reason_code: String,
    /// The last attempt's error code when it failed, e.g. `clerk_api_error`.
    pub error_code: Option<String>,
    /// A sentence for the buyer.
    pub detail: String,
    /// When the last attempt finished.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When the last successful attempt finished.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Seconds since the last success; null when never synced.
    pub age_seconds: Option<u64>,
    /// `BILLING_SYNC_SOFT_STALE_SECONDS`.
    pub soft_window_seconds: u64,
    /// `BILLING_SYNC_HARD_TTL_SECONDS` (always above the soft window).
    pub hard_ttl_seconds: u64,
}

impl From<SyncStatus> for BillingSyncView {
    fn from(s: SyncStatus) -> Self {
        Self {
            state: s.state.as_str(),
            blocking: s.blocking,
            reason_code: s.reason_code,
            error_code: s.error_code,
            detail: s.detail,
            last_attempt_at: s.last_attempt_at,
            last_success_at: s.last_success_at,
            age_seconds: s.age_seconds,
            soft_window_seconds: s.soft_window_seconds,
            hard_ttl_seconds: s.hard_ttl_seconds,
        }
    }
}

/// One of the user's email addresses at Clerk.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClerkEmail {
    /// The address.
    pub email: String,
    /// Whether Clerk verified it.
    pub verified: bool,
}

/// The caller as Clerk's Backend API knows them (`me/clerk/`); never private metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClerkUser {
    /// Clerk user id.
    pub clerk_user_id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Avatar URL.
    pub image_url: String,
    /// Every address, verified or not.
    pub email_addresses: Vec<ClerkEmail>,
    /// Public metadata.
    #[schema(value_type = Object)]
    pub public_metadata: Value,
    /// When the user was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When they last signed in.
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

impl ClerkUser {
    /// Reduces Clerk's user object to the fields the API shows.
    pub fn from_clerk(user: &Value) -> Self {
        let text = |key: &str| {
            user.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let email_addresses = user
            .get("email_addresses")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|address| {
                let email = address.get("email_address")?.as_str()?.to_owned();
                let verified = address
                    .pointer("/verification/status")
                    .and_then(Value::as_str)
                    == Some("verified");
                Some(ClerkEmail { email, verified })
            })
            .collect();
        let instant = |key: &str| user.get(key).and_then(parse_instant);
        Self {
            clerk_user_id: text("id"),
            first_name: text("first_name"),
            last_name: text("last_name"),
            image_url: text("image_url"),
            email_addresses,
            public_metadata: user
                .get("public_metadata")
                .filter(|m| m.is_object())
                .cloned()
                .unwrap_or_else(|| Value::Object(serde_json::Map::new())),
            created_at: instant("created_at"),
            last_sign_in_at: instant("last_sign_in_at"),
        }
    }
}
