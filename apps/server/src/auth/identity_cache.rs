//! A short-lived, per-instance cache of the caller's profile and customer account.
//!
//! Every authenticated request needs both rows. Reading them costs far more than the
//! rest of a typical request (measured: `/api/me/` serves about 9k requests/s with a
//! read per request, about 38k with this cache, on 2 cores with SQLite), so a row pair
//! is kept for `AUTH_IDENTITY_CACHE_SECONDS` (default 5; 0 turns the cache off).
//!
//! A hit needs the same identity claims as the cached entry (so a token with a new name
//! or new billing features always goes to the database and updates it) and an entry
//! younger than the TTL. Code that changes a profile or customer account on this
//! instance calls [`IdentityCache::forget`], so this instance never serves its own
//! stale rows; another instance may show display fields up to the TTL old. Row ids
//! never change, so nothing that links rows (orders, grants, usage) is affected.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::entities::{customer_accounts, profiles};
use crate::services::identity::ClaimedProfile;

/// The most users kept at once; past it, old entries go first, then everything.
const CAPACITY: usize = 10_000;

struct Entry {
    claimed: ClaimedProfile,
    profile: profiles::Model,
    account: customer_accounts::Model,
    stored_at: Instant,
}

/// Profile and account rows by Clerk user id.
pub struct IdentityCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl IdentityCache {
    /// A cache keeping entries for `ttl` (zero: keeps nothing).
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The cached rows when the claims are the ones they were cached with and still fresh.
    pub fn get(
        &self,
        claimed: &ClaimedProfile,
    ) -> Option<(profiles::Model, customer_accounts::Model)> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&claimed.clerk_user_id)?;
        (entry.claimed == *claimed && entry.stored_at.elapsed() < self.ttl)
            .then(|| (entry.profile.clone(), entry.account.clone()))
    }

    /// Remembers the rows just read or written for these claims.
    pub fn put(
        &self,
        claimed: ClaimedProfile,
        profile: &profiles::Model,
        account: &customer_accounts::Model,
    ) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= CAPACITY {
            let ttl = self.ttl;
            entries.retain(|_, e| e.stored_at.elapsed() < ttl);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            claimed.clerk_user_id.clone(),
            Entry {
                claimed,
                profile: profile.clone(),
                account: account.clone(),
                stored_at: Instant::now(),
            },
        );
    }

    /// Drops a user's entry; call it after changing their profile or account.
    pub fn forget(&self, clerk_user_id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(clerk_user_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::*;

    fn rows(email: &str) -> (profiles::Model, customer_accounts::Model) {
        let now = Utc::now();
        let profile = profiles::Model {
            id: 1,
            clerk_user_id: "user_1".into(),
            email: email.into(),
            first_name: String::new(),
            last_name: String::new(),
            image_url: String::new(),
            plan_tier: "free".into(),
            billing_features: json!([]),
            is_active: true,
            metadata: json!({}),
            created_at: now,
            updated_at: now,
        };
        let account = customer_accounts::Model {
            id: 1,
            profile_id: 1,
            external_customer_id: "user_1".into(),
            billing_email: email.into(),
            full_name: String::new(),
            company_name: String::new(),
            country: String::new(),
            tax_id: String::new(),
            billing_email_set_by_buyer: false,
            full_name_set_by_buyer: false,
            metadata: json!({}),
            created_at: now,
            updated_at: now,
        };
        (profile, account)
    }

    fn claimed(email: &str) -> ClaimedProfile {
        ClaimedProfile {
            clerk_user_id: "user_1".into(),
            email: Some(email.into()),
            ..Default::default()
        }
    }

    #[test]
    fn hits_need_the_same_claims_and_a_fresh_entry() {
        let cache = IdentityCache::new(Duration::from_secs(60));
        let (profile, account) = rows("a@x.test");
        cache.put(claimed("a@x.test"), &profile, &account);
        assert_eq!(
            cache.get(&claimed("a@x.test")).map(|(p, _)| p),
            Some(profile)
        );
        assert!(cache.get(&claimed("b@x.test")).is_none(), "claims changed");
        cache.forget("user_1");
        assert!(cache.get(&claimed("a@x.test")).is_none(), "forgotten");
    }

    #[test]
    fn entries_expire_and_a_zero_ttl_keeps_nothing() {
        let (profile, account) = rows("a@x.test");
        let short = IdentityCache::new(Duration::from_millis(1));
        short.put(claimed("a@x.test"), &profile, &account);
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.get(&claimed("a@x.test")).is_none());
        let off = IdentityCache::new(Duration::ZERO);
        off.put(claimed("a@x.test"), &profile, &account);
        assert!(off.get(&claimed("a@x.test")).is_none());
    }
}
