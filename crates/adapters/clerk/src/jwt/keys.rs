//! Verification keys: the PEM key, JWKS entries, and the JWKS cache with its
//! rate-limited, single-flight refetch.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};
use serde::Deserialize;
use url::Url;

/// How long one JWKS request may take before it counts as failed.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// After a *failed* fetch, retry no later than this (capped by the configured
/// interval), so a JWKS endpoint that blipped at startup does not lock everyone out
/// for a whole interval.
const FAILED_FETCH_RETRY: Duration = Duration::from_secs(5);

/// Which algorithms a key may verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AlgRule {
    /// Only this algorithm (a JWK with `alg`, an EC curve, Ed25519, a trusted key).
    Exactly(Algorithm),
    /// Any algorithm of the family (an RSA key without a declared `alg`).
    Family(AlgorithmFamily),
}

/// A parsed, ready-to-use verification key and the algorithms it may verify.
pub(crate) struct KeyEntry {
    pub(crate) key: DecodingKey,
    pub(crate) rule: AlgRule,
}

impl KeyEntry {
    /// Whether a token signed with `alg` may be checked with this key. The family must
    /// match (an RSA key never verifies HS256), and a declared algorithm must be exact.
    pub(crate) fn allows(&self, alg: Algorithm) -> bool {
        if self.key.family() != alg.family() {
            return false;
        }
        match self.rule {
            AlgRule::Exactly(only) => only == alg,
            AlgRule::Family(family) => family == alg.family(),
        }
    }
}

/// The asymmetric algorithms a Clerk session token may use. HS* never: a shared
/// secret is not how Clerk signs, and accepting it invites key-confusion attacks.
pub(crate) fn is_allowed_algorithm(alg: Algorithm) -> bool {
    matches!(
        alg.family(),
        AlgorithmFamily::Rsa | AlgorithmFamily::Ec | AlgorithmFamily::Ed
    )
}

/// Parses the networkless verification key (`CLERK_JWT_KEY`): a PEM public key, RSA,
/// EC (P-256/P-384) or Ed25519. Literal `\n` sequences (how PEMs often survive a
/// `.env` file) are turned into newlines first.
pub(crate) fn parse_pem_public_key(pem: &str) -> Result<KeyEntry, String> {
    let text = pem.trim().replace("\\n", "\n");
    if text.contains("PRIVATE KEY") {
        return Err("it is a private key; use the public key".into());
    }
    if !(text.contains("-----BEGIN PUBLIC KEY-----")
        || text.contains("-----BEGIN RSA PUBLIC KEY-----"))
    {
        return Err("expected -----BEGIN PUBLIC KEY-----".into());
    }
    let bytes = text.as_bytes();

    if let Ok(key) = DecodingKey::from_rsa_pem(bytes) {
        // Parsing the components proves the DER really is an RSA public key.
        Jwk::from_decoding_key(&key, None).map_err(|e| format!("bad RSA key: {e}"))?;
        return Ok(KeyEntry {
            key,
            rule: AlgRule::Family(AlgorithmFamily::Rsa),
        });
    }
    if let Ok(key) = DecodingKey::from_ec_pem(bytes) {
        let alg = match key.try_get_as_bytes().map(<[u8]>::len) {
            Ok(65) => Algorithm::ES256,
            Ok(97) => Algorithm::ES384,
            _ => return Err("unsupported EC curve (use P-256 or P-384)".into()),
        };
        Jwk::from_decoding_key(&key, None).map_err(|e| format!("bad EC key: {e}"))?;
        return Ok(KeyEntry {
            key,
            rule: AlgRule::Exactly(alg),
        });
    }
    if let Ok(key) = DecodingKey::from_ed_pem(bytes) {
        if key.try_get_as_bytes().map(<[u8]>::len) != Ok(32) {
            return Err("unsupported EdDSA key (use Ed25519)".into());
        }
        return Ok(KeyEntry {
            key,
            rule: AlgRule::Exactly(Algorithm::EdDSA),
        });
    }
    Err("not an RSA, EC or Ed25519 public key".into())
}

/// Turns one JWKS entry into a key, or says why it is skipped (encryption keys,
/// symmetric keys, unknown curves and algorithms are never used for verification).
pub(crate) fn key_from_jwk(jwk: &Jwk) -> Result<KeyEntry, &'static str> {
    if matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
        return Err("not a signature key (use)");
    }
    if let Some(ops) = &jwk.common.key_operations
        && !ops.contains(&KeyOperations::Verify)
    {
        return Err("not a verification key (key_ops)");
    }
    let declared = match jwk.common.key_algorithm {
        None => None,
        Some(ka) => match Algorithm::try_from(ka) {
            Ok(alg) if is_allowed_algorithm(alg) => Some(alg),
            _ => return Err("algorithm not allowed"),
        },
    };
    let implied = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => AlgRule::Family(AlgorithmFamily::Rsa),
        AlgorithmParameters::EllipticCurve(p) => match p.curve {
            EllipticCurve::P256 => AlgRule::Exactly(Algorithm::ES256),
            EllipticCurve::P384 => AlgRule::Exactly(Algorithm::ES384),
            _ => return Err("unsupported curve"),
        },
        AlgorithmParameters::OctetKeyPair(p) => match p.curve {
            EllipticCurve::Ed25519 => AlgRule::Exactly(Algorithm::EdDSA),
            _ => return Err("unsupported curve"),
        },
        AlgorithmParameters::OctetKey(_) => return Err("symmetric key"),
        _ => return Err("unsupported key type"),
    };
    let rule = match (declared, implied) {
        (None, implied) => implied,
        (Some(alg), AlgRule::Family(family)) if alg.family() == family => AlgRule::Exactly(alg),
        (Some(alg), AlgRule::Exactly(only)) if alg == only => implied,
        _ => return Err("alg does not match the key type"),
    };
    let key = DecodingKey::from_jwk(jwk).map_err(|_| "unparseable key material")?;
    Ok(KeyEntry { key, rule })
}

/// What the caller is looking for in the JWKS.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Want<'a> {
    /// The key with this `kid`.
    Kid(&'a str),
    /// The only key of the set (for a token without `kid`).
    Single,
}

/// The last known JWKS, plus what is needed to decide whether to fetch again.
#[derive(Default)]
struct JwksState {
    by_kid: HashMap<String, Arc<KeyEntry>>,
    /// Set when the JWKS holds exactly one usable key.
    single: Option<Arc<KeyEntry>>,
    /// At least one fetch succeeded.
    loaded: bool,
    /// Bumped on every fetch attempt, so waiters can tell that someone fetched for them.
    generation: u64,
    /// When the last attempt started, and whether it succeeded.
    last_attempt: Option<(Instant, bool)>,
    /// Why the last attempt failed, if it did.
    last_error: Option<String>,
}

impl JwksState {
    fn find(&self, want: Want<'_>) -> Option<Arc<KeyEntry>> {
        match want {
            Want::Kid(kid) => self.by_kid.get(kid).cloned(),
            Want::Single => self.single.clone(),
        }
    }

    fn may_fetch(&self, min_interval: Duration) -> bool {
        match self.last_attempt {
            None => true,
            Some((at, true)) => at.elapsed() >= min_interval,
            Some((at, false)) => at.elapsed() >= min_interval.min(FAILED_FETCH_RETRY),
        }
    }

    fn failure(&self) -> Option<String> {
        match self.last_attempt {
            Some((_, false)) => self.last_error.clone(),
            _ => None,
        }
    }
}

/// Outcome of a cache lookup that could not produce a key.
#[derive(Debug)]
pub(crate) enum Miss {
    /// The JWKS is current (or may not be refetched yet) and has no such key.
    Unknown,
    /// The JWKS could not be fetched; the cause is for the logs.
    FetchFailed(String),
}

/// The JWKS of one Clerk instance: cached parsed keys, refetched on an unknown `kid`
/// at most once per `min_interval`, with concurrent callers sharing one fetch.
pub(crate) struct JwksCache {
    url: Url,
    min_interval: Duration,
    state: RwLock<JwksState>,
    /// Held while fetching: one request in flight, the others wait and reuse it.
    refresh: tokio::sync::Mutex<()>,
}

impl JwksCache {
    pub(crate) fn new(url: Url, min_interval: Duration) -> Self {
        Self {
            url,
            min_interval,
            state: RwLock::new(JwksState::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// Finds a key, fetching the JWKS first when it is not cached and the rate limit
    /// allows. A known `kid` never causes a fetch.
    pub(crate) async fn lookup(
        &self,
        http: &reqwest::Client,
        want: Want<'_>,
    ) -> Result<Arc<KeyEntry>, Miss> {
        let seen_generation = {
            let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(key) = state.find(want) {
                return Ok(key);
            }
            if matches!(want, Want::Single) && state.loaded {
                // The current set simply does not have exactly one key; a refetch
                // would not be prompted by anything new.
                return Err(Miss::Unknown);
            }
            state.generation
        };

        let _in_flight = self.refresh.lock().await;
        {
            let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(key) = state.find(want) {
                return Ok(key);
            }
            if state.generation != seen_generation || !state.may_fetch(self.min_interval) {
                // Someone fetched while we waited, or we fetched too recently.
                return Err(state.failure().map_or(Miss::Unknown, Miss::FetchFailed));
            }
        }

        let started = Instant::now();
        let fetched = self.fetch(http).await;
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.generation += 1;
        match fetched {
            Ok(keys) => {
                state.single = (keys.len() == 1).then(|| keys[0].1.clone());
                state.by_kid = keys
                    .into_iter()
                    .filter_map(|(kid, key)| kid.map(|kid| (kid, key)))
                    .collect();
                state.loaded = true;
                state.last_attempt = Some((started, true));
                state.last_error = None;
                state.find(want).ok_or(Miss::Unknown)
            }
            Err(cause) => {
                tracing::warn!(jwks_url = %self.url, %cause, "could not fetch the Clerk JWKS");
                state.last_attempt = Some((started, false));
                state.last_error = Some(cause.clone());
                Err(Miss::FetchFailed(cause))
            }
        }
    }

    /// GETs the JWKS and parses every usable key; unusable ones are skipped.
    async fn fetch(
        &self,
        http: &reqwest::Client,
    ) -> Result<Vec<(Option<String>, Arc<KeyEntry>)>, String> {
        /// The JWKS document, with entries kept raw so one odd key cannot spoil the set.
        #[derive(Deserialize)]
        struct RawJwks {
            keys: Vec<serde_json::Value>,
        }

        let response = http
            .get(self.url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(FETCH_TIMEOUT)
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("JWKS endpoint answered HTTP {status}"));
        }
        let raw: RawJwks = response
            .json()
            .await
            .map_err(|e| format!("JWKS body is not a JSON key set: {e}"))?;

        let mut keys = Vec::with_capacity(raw.keys.len());
        for value in raw.keys {
            let jwk: Jwk = match serde_json::from_value(value) {
                Ok(jwk) => jwk,
                Err(e) => {
                    tracing::debug!(error = %e, "skipping an unparseable JWKS entry");
                    continue;
                }
            };
            let kid = jwk.common.key_id.clone().filter(|k| !k.is_empty());
            match key_from_jwk(&jwk) {
                Ok(entry) => keys.push((kid, Arc::new(entry))),
                Err(reason) => tracing::debug!(?kid, reason, "skipping a JWKS entry"),
            }
        }
        if keys.is_empty() {
            tracing::warn!(jwks_url = %self.url, "the Clerk JWKS has no usable signing key");
        } else {
            tracing::debug!(jwks_url = %self.url, keys = keys.len(), "fetched the Clerk JWKS");
        }
        Ok(keys)
    }
}
