//! Pure billing-sync policy: freshness states and reason codes, and reading Clerk's
//! subscription payloads ([`read_subscription`], [`read_clerk_subscriptions`]).
//!
//! Clerk is the billing source of truth. For each customer account the server keeps a
//! [`SyncRecord`] of its last sync attempt; [`evaluate`] turns that record, the clock
//! reading and the configured windows into the [`SyncStatus`] the API answers with and
//! that decides whether usage-generating requests are blocked.

mod payload;
mod policy;
pub mod reason_codes;
mod record;
mod status;

pub use payload::{
    ClerkSubscriptions, SubscriptionPayload, looks_like_subscription, parse_instant,
    read_clerk_subscriptions, read_subscription, subscriber_id,
};
pub use policy::{SyncMessages, SyncPolicy};
pub use record::{AttemptReason, MAX_ERROR_DETAIL_CHARS, SyncRecord};
pub use status::{SyncState, SyncStatus, evaluate};
