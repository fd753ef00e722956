//! A short-lived, per-instance cache of each buyer's order list (`GET account/orders/`).
//!
//! Why: buyers reload this page while they wait for a payment to land, and clients
//! poll it. Reading a 20-order list costs one statement but hundreds of values, and on
//! 2 cores it serves about 7k requests/s from SQLite and 5k from Postgres, where
//! `health/` serves over 100k (on Postgres a single trivial statement already costs
//! 90% of that budget). A list's body is therefore kept for at most [`TTL`].
//!
//! Consistency, which matters more here than speed:
//! - Every write of this process that changes what a buyer's list shows calls
//!   [`orders_changed`] (one account) or [`payments_changed`] (any account) *after* it
//!   commits: order creation, confirmation through the API, and payment webhooks.
//!   Catalog writes already bump the catalog's generation (a list shows each item's
//!   current product slug and type), and that generation is part of the stamp too.
//! - A body is served only while the stamp it was read under is current. The stamp is
//!   taken *before* the database is read, so a write that commits during the read
//!   leaves that read's body stale at once. This instance therefore never shows a buyer
//!   an order list older than its own last write.
//! - A write made through another instance shows here within [`TTL`].
//!
//! Money never depends on this cache: creation, confirmation and fulfilment always read
//! the database.
//!
//! Accounts share generation counters in [`STRIPES`] stripes (account id modulo), so
//! memory stays fixed; a write to one account only makes its stripe-mates read again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

use crate::services::catalog::cache as catalog_cache;

/// How long a body may be served when nothing changed on this instance: the most a
/// list lags behind a payment that landed on another instance.
pub const TTL: Duration = Duration::from_secs(2);

/// Number of generation counters the accounts share.
const STRIPES: usize = 1024;

/// The most lists kept at once; past it, expired entries go first, then everything.
const CAPACITY: usize = 10_000;

/// One counter per stripe of accounts, bumped after their orders change.
static ACCOUNT_GENERATIONS: [AtomicU64; STRIPES] = [const { AtomicU64::new(0) }; STRIPES];

/// Bumped after a write that may change any account's orders (a payment event names an
/// order, not its buyer).
static PAYMENT_GENERATION: AtomicU64 = AtomicU64::new(0);

fn stripe(account_id: i64) -> &'static AtomicU64 {
    let index = usize::try_from(account_id.rem_euclid(STRIPES as i64)).unwrap_or(0);
    &ACCOUNT_GENERATIONS[index]
}

/// Marks the cached order list of `account_id` stale; call it after the write commits.
pub fn orders_changed(account_id: i64) {
    stripe(account_id).fetch_add(1, Ordering::SeqCst);
}

/// Marks every cached order list stale; call it after a payment event's write commits.
pub fn payments_changed() {
    PAYMENT_GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// What a body was read under: take it before reading the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    account: u64,
    payments: u64,
    catalog: u64,
}

/// The current stamp of `account_id`'s list.
pub fn stamp(account_id: i64) -> Stamp {
    Stamp {
        account: stripe(account_id).load(Ordering::SeqCst),
        payments: PAYMENT_GENERATION.load(Ordering::SeqCst),
        catalog: catalog_cache::generation(),
    }
}

struct Entry {
    body: Bytes,
    stamp: Stamp,
    stored_at: Instant,
}

/// Order list bodies by customer account id, shared by every worker of the process.
pub struct OrderListCache {
    ttl: Duration,
    entries: Mutex<HashMap<i64, Entry>>,
}

impl Default for OrderListCache {
    fn default() -> Self {
        Self::new(TTL)
    }
}

impl OrderListCache {
    /// A cache keeping bodies for `ttl` (zero: keeps nothing).
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The body read under `stamp`, if it is still the current one and younger than
    /// the TTL at `now`.
    pub fn get(&self, account_id: i64, stamp: Stamp, now: Instant) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(&account_id)?;
        (entry.stamp == stamp && now.saturating_duration_since(entry.stored_at) < self.ttl)
            .then(|| entry.body.clone())
    }

    /// Keeps the body read under `stamp`.
    pub fn put(&self, account_id: i64, body: Bytes, stamp: Stamp, now: Instant) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&account_id) {
            let ttl = self.ttl;
            entries.retain(|_, e| now.saturating_duration_since(e.stored_at) < ttl);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            account_id,
            Entry {
                body,
                stamp,
                stored_at: now,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &'static str) -> Bytes {
        Bytes::from_static(text.as_bytes())
    }

    #[test]
    fn a_body_is_served_only_under_its_stamp_and_within_the_ttl() {
        let cache = OrderListCache::new(Duration::from_secs(2));
        let t0 = Instant::now();
        let account = 9_000_001;
        let before = stamp(account);
        cache.put(account, body("[1]"), before, t0);
        assert_eq!(cache.get(account, before, t0), Some(body("[1]")));
        assert_eq!(cache.get(account + 1, before, t0), None, "another account");
        assert_eq!(
            cache.get(account, before, t0 + Duration::from_secs(2)),
            None,
            "expired"
        );

        orders_changed(account);
        assert_ne!(stamp(account), before);
        assert_eq!(
            cache.get(account, stamp(account), t0),
            None,
            "its orders changed"
        );
    }

    #[test]
    fn payments_and_catalog_changes_move_every_stamp() {
        let account = 9_000_002;
        let before = stamp(account);
        payments_changed();
        let after_payment = stamp(account);
        assert_ne!(after_payment, before);
        catalog_cache::catalog_changed();
        assert_ne!(stamp(account), after_payment);
    }

    #[test]
    fn a_write_during_a_read_leaves_that_read_stale() {
        let cache = OrderListCache::new(TTL);
        let now = Instant::now();
        let account = 9_000_003;
        let read_under = stamp(account);
        orders_changed(account); // commits while the list is being read
        cache.put(account, body("[old]"), read_under, now);
        assert_eq!(cache.get(account, stamp(account), now), None);
    }

    #[test]
    fn a_zero_ttl_keeps_nothing_and_the_map_stays_bounded() {
        let off = OrderListCache::new(Duration::ZERO);
        let now = Instant::now();
        off.put(1, body("[]"), stamp(1), now);
        assert_eq!(off.get(1, stamp(1), now), None);

        let cache = OrderListCache::new(TTL);
        for account in 0..(CAPACITY as i64 + 10) {
            cache.put(account, body("[]"), stamp(account), now);
        }
        assert!(cache.entries.lock().unwrap().len() <= CAPACITY);
    }

    #[test]
    fn negative_ids_have_a_stripe() {
        let before = stamp(-5);
        orders_changed(-5);
        assert_ne!(stamp(-5), before);
        assert_eq!(stamp(i64::MIN), stamp(i64::MIN));
    }
}
