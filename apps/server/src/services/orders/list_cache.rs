//! A short-lived, per-instance cache of each buyer's order list (`GET account/orders/`).
//!
//! Why: buyers reload this page while they wait for a payment to land, and clients
//! poll it. Reading a 20-order list costs one statement but hundreds of values, and on
//! 2 cores it serves about 7k requests/s from SQLite and 5k from Postgres, where
//! `health/` serves over 100k (on Postgres a single trivial statement already costs
//! 90% of that budget). A list's body is therefore kept for at most
//! `ORDER_LIST_CACHE_SECONDS` (default 2; 0 turns the cache off: no lookup, no store).
//!
//! Consistency, which matters more here than speed:
//! - Every write of this instance that changes what a buyer's list shows calls
//!   [`OrderListCache::orders_changed`] (one account) or
//!   [`OrderListCache::payments_changed`] (any account) *after* it commits: order
//!   creation, confirmation through the API, and payment webhooks. Catalog writes bump
//!   the instance's [`CatalogGeneration`] (a list shows each item's current product slug
//!   and type), and that generation is part of the stamp too.
//! - A body is served only while the stamp it was read under is current. The stamp is
//!   taken *before* the database is read, so a write that commits during the read
//!   leaves that read's body stale at once. This instance therefore never shows a buyer
//!   an order list older than its own last write.
//! - A write made through another instance shows here within the TTL.
//!
//! Money never depends on this cache: creation, confirmation and fulfilment always read
//! the database.
//!
//! The generation counters belong to the cache, so two instances in one process (tests)
//! never see each other's writes as their own. Accounts share counters in [`STRIPES`]
//! stripes (account id modulo), so memory stays fixed; a write to one account only
//! makes its stripe-mates read again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

use crate::services::catalog::cache::CatalogGeneration;

/// Number of generation counters the accounts share.
const STRIPES: usize = 1024;

/// The most lists kept at once; past it, expired entries go first, then everything.
const CAPACITY: usize = 10_000;

/// What a body was read under: take it before reading the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    account: u64,
    payments: u64,
    catalog: u64,
}

struct Entry {
    body: Bytes,
    stamp: Stamp,
    stored_at: Instant,
}

/// Order list bodies by customer account id, shared by every worker of the instance,
/// with the generations that say when one is stale.
pub struct OrderListCache {
    ttl: Duration,
    entries: Mutex<HashMap<i64, Entry>>,
    /// One counter per stripe of accounts, bumped after their orders change.
    accounts: Box<[AtomicU64]>,
    /// Bumped after a write that may change any account's orders (a payment event names
    /// an order, not its buyer).
    payments: AtomicU64,
    catalog: Arc<CatalogGeneration>,
}

impl OrderListCache {
    /// A cache keeping bodies for `ttl` (zero: keeps nothing), stale as soon as
    /// `catalog` moves on.
    pub fn new(ttl: Duration, catalog: Arc<CatalogGeneration>) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
            accounts: (0..STRIPES).map(|_| AtomicU64::new(0)).collect(),
            payments: AtomicU64::new(0),
            catalog,
        }
    }

    fn stripe(&self, account_id: i64) -> &AtomicU64 {
        let index = usize::try_from(account_id.rem_euclid(STRIPES as i64)).unwrap_or(0);
        &self.accounts[index]
    }

    /// Marks the cached order list of `account_id` stale; call it after the write commits.
    pub fn orders_changed(&self, account_id: i64) {
        self.stripe(account_id).fetch_add(1, Ordering::SeqCst);
    }

    /// Marks every cached order list stale; call it after a payment event's write commits.
    pub fn payments_changed(&self) {
        self.payments.fetch_add(1, Ordering::SeqCst);
    }

    /// The current stamp of `account_id`'s list.
    pub fn stamp(&self, account_id: i64) -> Stamp {
        Stamp {
            account: self.stripe(account_id).load(Ordering::SeqCst),
            payments: self.payments.load(Ordering::SeqCst),
            catalog: self.catalog.current(),
        }
    }

    /// The body read under `stamp`, if it is still the current one and younger than
    /// the TTL at `now`.
    pub fn get(&self, account_id: i64, stamp: Stamp, now: Instant) -> Option<Bytes> {
        if self.ttl.is_zero() {
            return None;
        }
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

    const TTL: Duration = Duration::from_secs(2);

    fn body(text: &'static str) -> Bytes {
        Bytes::from_static(text.as_bytes())
    }

    fn cache(ttl: Duration) -> OrderListCache {
        OrderListCache::new(ttl, Arc::default())
    }

    #[test]
    fn a_body_is_served_only_under_its_stamp_and_within_the_ttl() {
        let cache = cache(TTL);
        let t0 = Instant::now();
        let account = 9_000_001;
        let before = cache.stamp(account);
        cache.put(account, body("[1]"), before, t0);
        assert_eq!(cache.get(account, before, t0), Some(body("[1]")));
        assert_eq!(cache.get(account + 1, before, t0), None, "another account");
        assert_eq!(
            cache.get(account, before, t0 + Duration::from_secs(2)),
            None,
            "expired"
        );

        cache.orders_changed(account);
        assert_ne!(cache.stamp(account), before);
        assert_eq!(
            cache.get(account, cache.stamp(account), t0),
            None,
            "its orders changed"
        );
    }

    #[test]
    fn payments_and_catalog_changes_move_every_stamp() {
        let catalog = Arc::new(CatalogGeneration::default());
        let cache = OrderListCache::new(TTL, catalog.clone());
        let account = 9_000_002;
        let before = cache.stamp(account);
        cache.payments_changed();
        let after_payment = cache.stamp(account);
        assert_ne!(after_payment, before);
        catalog.changed();
        assert_ne!(cache.stamp(account), after_payment);
    }

    #[test]
    fn two_instances_do_not_share_generations() {
        let (a, b) = (cache(TTL), cache(TTL));
        let before = b.stamp(7);
        a.orders_changed(7);
        a.payments_changed();
        assert_eq!(b.stamp(7), before);
    }

    #[test]
    fn a_write_during_a_read_leaves_that_read_stale() {
        let cache = cache(TTL);
        let now = Instant::now();
        let account = 9_000_003;
        let read_under = cache.stamp(account);
        cache.orders_changed(account); // commits while the list is being read
        cache.put(account, body("[old]"), read_under, now);
        assert_eq!(cache.get(account, cache.stamp(account), now), None);
    }

    #[test]
    fn a_zero_ttl_keeps_nothing_and_the_map_stays_bounded() {
        let off = cache(Duration::ZERO);
        let now = Instant::now();
        off.put(1, body("[]"), off.stamp(1), now);
        assert!(off.entries.lock().unwrap().is_empty(), "nothing stored");
        assert_eq!(off.get(1, off.stamp(1), now), None);

        let cache = cache(TTL);
        for account in 0..(CAPACITY as i64 + 10) {
            cache.put(account, body("[]"), cache.stamp(account), now);
        }
        assert!(cache.entries.lock().unwrap().len() <= CAPACITY);
    }

    #[test]
    fn negative_ids_have_a_stripe() {
        let cache = cache(TTL);
        let before = cache.stamp(-5);
        cache.orders_changed(-5);
        assert_ne!(cache.stamp(-5), before);
        assert_eq!(cache.stamp(i64::MIN), cache.stamp(i64::MIN));
    }
}
