//! Clerk billing as a local projection: subscriptions, their plan entitlements, and the
//! billing sync that keeps both in step with Clerk (the source of truth).
//!
//! - [`subscriptions`] applies one Clerk subscription state, versioned so that late or
//!   shuffled deliveries never win over a newer state;
//! - [`webhook`] is the `subscription.*` webhook handler;
//! - [`sync`] answers how fresh the projection is and refreshes it from Clerk;
//! - [`reads`] lists an account's subscriptions and entitlements.

pub mod reads;
pub mod subscriptions;
pub mod sync;
pub mod webhook;

use chrono::{DateTime, Utc};
use paidloop_billing_sync::{SubscriptionPayload, parse_instant};
use serde_json::Value;

/// The version of the state an event carries: the subscription's own `updated_at`, else
/// the event's `timestamp`, else when it was received.
pub fn version_of(
    payload: &SubscriptionPayload,
    event: &Value,
    received_at: DateTime<Utc>,
) -> DateTime<Utc> {
    payload
        .updated_at
        .or_else(|| event.get("timestamp").and_then(parse_instant))
        .unwrap_or(received_at)
}
