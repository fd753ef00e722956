//! A short-lived cache of the public catalog's response bodies (`products/` and
//! `products/{slug}/`).
//!
//! Reading the catalog costs far more than answering from memory: on 2 cores with
//! SQLite, `products/` with 50 products serves about 4k requests/s from the database
//! (one statement, 50 rows) against about 120k for `health/`, and a detail runs four
//! statements. A body is therefore kept for `CATALOG_CACHE_SECONDS` (default 2; 0
//! turns the cache off: no lookup, no store) and reused while the catalog has not
//! changed.
//!
//! When a body expires, the first request to find it so reads the catalog again, and
//! the worker's other requests keep answering with the expired body until it is back
//! (for at most one more TTL, should that read fail or hang). Before, every request in
//! flight at expiry read the database at once, 16 per worker in the bench; on Postgres
//! some of those reads hung for seconds, and the cached detail row lost 42 requests to
//! wrk's 2-second timeout over three 10-second runs, against 4 over six with one reader.
//!
//! Consistency: every catalog write of this instance bumps the instance's
//! [`CatalogGeneration`] (after the write commits), and a cached body is only served
//! while the generation it was read under is still current, so this instance never
//! serves a catalog older than its own last write, whichever worker answers. A write on
//! another instance shows here within the TTL. The generation is read before the
//! database is, so a write that commits during a read leaves that read's body already
//! stale.
//!
//! Each actix worker holds its own [`PublicCatalogCache`] (it is registered with the
//! app, which every worker builds); the generation lives in the instance's state and is
//! shared by all of them (and read by the order-list cache, whose bodies show product
//! slugs and types).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

/// The most product details kept at once; past it, the detail map starts over.
const MAX_DETAILS: usize = 1024;

/// The instance's catalog generation, bumped after every catalog write it commits.
#[derive(Debug, Default)]
pub struct CatalogGeneration(AtomicU64);

impl CatalogGeneration {
    /// Marks every cached body that shows the catalog stale. Catalog writes call it once
    /// they are committed.
    pub fn changed(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    /// The current generation: read it *before* reading the catalog, and store the body
    /// under it.
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

struct Entry {
    body: Bytes,
    generation: u64,
    stored_at: Instant,
    /// When a request found the body expired and went to read it again.
    refreshing_since: Option<Instant>,
}

impl Entry {
    fn new(body: Bytes, generation: u64, now: Instant) -> Self {
        Self {
            body,
            generation,
            stored_at: now,
            refreshing_since: None,
        }
    }

    /// The body to answer with: a fresh one, or an expired one while another request
    /// reads the catalog again (for at most `ttl`). `None` tells the caller to read it
    /// (and, for an expired body of this generation, that the others are answered with
    /// the expired body meanwhile).
    fn serve(&mut self, ttl: Duration, generation: u64, now: Instant) -> Option<Bytes> {
        if self.generation != generation {
            return None;
        }
        if now.saturating_duration_since(self.stored_at) < ttl {
            return Some(self.body.clone());
        }
        match self.refreshing_since {
            Some(since) if now.saturating_duration_since(since) < ttl => Some(self.body.clone()),
            _ => {
                self.refreshing_since = Some(now);
                None
            }
        }
    }
}

/// The cached bodies of one worker: the list, and details by slug.
pub struct PublicCatalogCache {
    ttl: Duration,
    list: Mutex<Option<Entry>>,
    details: Mutex<HashMap<String, Entry>>,
}

impl PublicCatalogCache {
    /// A cache keeping bodies for `ttl` (zero: keeps nothing).
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            list: Mutex::new(None),
            details: Mutex::new(HashMap::new()),
        }
    }

    /// The list body, if it was read under `generation` less than the TTL before `now`
    /// (or expired, while another request reads it again). `None`: read it, and store it.
    pub fn list(&self, generation: u64, now: Instant) -> Option<Bytes> {
        if self.ttl.is_zero() {
            return None;
        }
        let mut list = self.list.lock().ok()?;
        list.as_mut()?.serve(self.ttl, generation, now)
    }

    /// Keeps the list body read under `generation`.
    pub fn store_list(&self, body: Bytes, generation: u64, now: Instant) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut list) = self.list.lock() {
            *list = Some(Entry::new(body, generation, now));
        }
    }

    /// The detail body of `slug`, as [`PublicCatalogCache::list`] serves the list.
    pub fn detail(&self, slug: &str, generation: u64, now: Instant) -> Option<Bytes> {
        if self.ttl.is_zero() {
            return None;
        }
        let mut details = self.details.lock().ok()?;
        details.get_mut(slug)?.serve(self.ttl, generation, now)
    }

    /// Keeps the detail body of `slug` read under `generation` (answers other than 200
    /// are not kept).
    pub fn store_detail(&self, slug: &str, body: Bytes, generation: u64, now: Instant) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut details) = self.details.lock() {
            if details.len() >= MAX_DETAILS && !details.contains_key(slug) {
                details.retain(|_, entry| entry.generation == generation);
                if details.len() >= MAX_DETAILS {
                    details.clear();
                }
            }
            details.insert(slug.to_owned(), Entry::new(body, generation, now));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &'static str) -> Bytes {
        Bytes::from_static(text.as_bytes())
    }

    #[test]
    fn a_body_is_served_within_the_ttl_and_the_same_generation_only() {
        let cache = PublicCatalogCache::new(Duration::from_secs(2));
        let t0 = Instant::now();
        assert_eq!(cache.list(7, t0), None);
        cache.store_list(body("[1]"), 7, t0);
        assert_eq!(
            cache.list(7, t0 + Duration::from_millis(1999)),
            Some(body("[1]"))
        );
        assert_eq!(cache.list(8, t0), None, "the catalog changed");
        assert_eq!(cache.list(7, t0 + Duration::from_secs(2)), None, "expired");

        cache.store_detail("kit", body("{}"), 7, t0);
        assert_eq!(cache.detail("kit", 7, t0), Some(body("{}")));
        assert_eq!(cache.detail("other", 7, t0), None);
        assert_eq!(cache.detail("kit", 8, t0), None);
    }

    #[test]
    fn one_request_reads_an_expired_body_again_while_the_others_are_served_it() {
        let cache = PublicCatalogCache::new(Duration::from_secs(2));
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        cache.store_list(body("[1]"), 7, t0);
        cache.store_detail("kit", body("{1}"), 7, t0);

        assert_eq!(
            cache.list(7, at(2000)),
            None,
            "the first to find it expired reads"
        );
        assert_eq!(
            cache.list(7, at(2001)),
            Some(body("[1]")),
            "the others do not"
        );
        assert_eq!(
            cache.list(8, at(2001)),
            None,
            "not once the catalog changed"
        );
        cache.store_list(body("[2]"), 7, at(2010));
        assert_eq!(cache.list(7, at(2011)), Some(body("[2]")));

        assert_eq!(cache.detail("kit", 7, at(2500)), None);
        assert_eq!(cache.detail("kit", 7, at(3000)), Some(body("{1}")));
        // Should that read fail, the next request after another TTL reads.
        assert_eq!(
            cache.detail("kit", 7, at(4500)),
            None,
            "the read never came back"
        );
        assert_eq!(cache.detail("kit", 7, at(4501)), Some(body("{1}")));
    }

    #[test]
    fn a_zero_ttl_keeps_nothing() {
        let cache = PublicCatalogCache::new(Duration::ZERO);
        let now = Instant::now();
        cache.store_list(body("[]"), 1, now);
        cache.store_detail("a", body("{}"), 1, now);
        assert!(cache.list.lock().unwrap().is_none(), "nothing stored");
        assert!(cache.details.lock().unwrap().is_empty(), "nothing stored");
        assert_eq!(cache.list(1, now), None);
        assert_eq!(cache.detail("a", 1, now), None);
    }

    #[test]
    fn the_detail_map_stays_bounded() {
        let cache = PublicCatalogCache::new(Duration::from_secs(2));
        let now = Instant::now();
        for n in 0..(MAX_DETAILS + 10) {
            cache.store_detail(&format!("p{n}"), body("{}"), 1, now);
        }
        assert!(cache.details.lock().unwrap().len() <= MAX_DETAILS);
        assert!(
            cache
                .detail(&format!("p{}", MAX_DETAILS + 9), 1, now)
                .is_some()
        );
    }

    #[test]
    fn each_instance_has_its_own_generation() {
        let (a, b) = (CatalogGeneration::default(), CatalogGeneration::default());
        a.changed();
        assert_eq!((a.current(), b.current()), (1, 0));
    }
}
