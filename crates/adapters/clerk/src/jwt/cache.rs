//! A per-process cache of tokens that already passed verification.
//!
//! A Clerk session token is sent with every request of a page for up to a minute, and
//! checking its signature is the most expensive step of authentication. A token that
//! verified once verifies again until it expires (the checks depend only on the token,
//! the keys and the fixed settings), so a hit skips straight to the time checks.
//! Keys are SHA-256 digests of the token, so the cache holds no usable credentials.
//! The cache is bounded and per instance: nothing has to be shared between instances.
//! A hit still looks its key up again and must find the very key that verified it, so a
//! key withdrawn from the JWKS stops its cached tokens too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::keys::KeyEntry;
use super::{AuthError, VerifiedClaims};

/// The most tokens kept at once; past it, expired entries go first, then everything.
const CAPACITY: usize = 10_000;

struct Entry {
    hit: Hit,
    exp: i64,
    nbf: Option<i64>,
}

/// What a cached token verified with, and what it said.
#[derive(Clone)]
pub(super) struct Hit {
    /// The verified claims.
    pub(super) claims: VerifiedClaims,
    /// The token's `kid`, to look the key up again.
    pub(super) kid: Option<String>,
    /// The key that verified it.
    pub(super) key: Arc<KeyEntry>,
}

/// Verified tokens by digest.
pub(super) struct TokenCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
    leeway: i64,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn timestamp(claims: &VerifiedClaims, name: &str) -> Option<i64> {
    claims
        .claims
        .get(name)
        .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
}

impl TokenCache {
    /// An empty cache applying the same exp/nbf leeway as the full check.
    pub(super) fn new(leeway_seconds: u64) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            leeway: i64::try_from(leeway_seconds).unwrap_or(i64::MAX),
        }
    }

    /// The claims of a token verified earlier, re-checked against the clock; `None`
    /// when the token is unknown (verify it in full).
    pub(super) fn get(&self, token: &str) -> Option<Result<Hit, AuthError>> {
        let key = digest(token);
        let now = now();
        let mut entries = self.entries.lock().ok()?;
        let entry = entries.get(&key)?;
        if entry.exp.saturating_add(self.leeway) < now {
            entries.remove(&key);
            return Some(Err(AuthError::Expired));
        }
        if entry
            .nbf
            .is_some_and(|nbf| nbf.saturating_sub(self.leeway) > now)
        {
            return Some(Err(AuthError::NotYetValid));
        }
        Some(Ok(entry.hit.clone()))
    }

    /// Remembers a token that just passed every check.
    pub(super) fn insert(&self, token: &str, hit: Hit) {
        let Some(exp) = timestamp(&hit.claims, "exp") else {
            return;
        };
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= CAPACITY {
            let now = now();
            let leeway = self.leeway;
            entries.retain(|_, e| e.exp.saturating_add(leeway) >= now);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        let nbf = timestamp(&hit.claims, "nbf");
        entries.insert(digest(token), Entry { hit, exp, nbf });
    }

    /// How many tokens are cached (for tests).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{Algorithm, DecodingKey};
    use serde_json::{Map, Value, json};

    use super::super::keys::AlgRule;
    use super::*;

    fn hit(claims: VerifiedClaims) -> Hit {
        Hit {
            claims,
            kid: None,
            key: Arc::new(KeyEntry {
                key: DecodingKey::from_ed_components("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
                    .expect("a valid Ed25519 public key"),
                rule: AlgRule::Exactly(Algorithm::EdDSA),
            }),
        }
    }

    fn claims_of(
        result: Option<Result<Hit, AuthError>>,
    ) -> Option<Result<VerifiedClaims, AuthError>> {
        result.map(|r| r.map(|h| h.claims))
    }

    fn claims(exp: i64, nbf: Option<i64>) -> VerifiedClaims {
        let mut map = Map::new();
        map.insert("sub".into(), json!("user_1"));
        map.insert("exp".into(), json!(exp));
        if let Some(nbf) = nbf {
            map.insert("nbf".into(), Value::from(nbf));
        }
        VerifiedClaims {
            subject: "user_1".into(),
            claims: map,
        }
    }

    #[test]
    fn a_cached_token_is_served_until_it_expires() {
        let cache = TokenCache::new(60);
        let fresh = claims(now() + 300, Some(now() - 5));
        cache.insert("tok-fresh", hit(fresh.clone()));
        assert_eq!(claims_of(cache.get("tok-fresh")), Some(Ok(fresh)));
        assert!(cache.get("tok-other").is_none());

        cache.insert("tok-old", hit(claims(now() - 61, None)));
        assert_eq!(
            claims_of(cache.get("tok-old")),
            Some(Err(AuthError::Expired))
        );
        assert!(
            cache.get("tok-old").is_none(),
            "an expired entry is dropped"
        );

        cache.insert("tok-early", hit(claims(now() + 600, Some(now() + 120))));
        assert_eq!(
            claims_of(cache.get("tok-early")),
            Some(Err(AuthError::NotYetValid))
        );
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = TokenCache::new(0);
        let live = claims(now() + 300, None);
        for i in 0..(CAPACITY + 10) {
            cache.insert(&format!("tok-{i}"), hit(live.clone()));
        }
        assert!(cache.len() <= CAPACITY);
    }
}
