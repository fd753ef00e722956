//! Clerk session-JWT verification.
//!
//! Every authenticated API request carries a Clerk session token; the server must
//! decide locally, and fast, whether to trust it. [`JwtVerifier`] checks the
//! signature with a key picked by `kid` (extra trusted keys, then the cached JWKS,
//! refetched on an unknown `kid` at most once per interval), or with the networkless
//! PEM key, accepts only asymmetric algorithms, and checks `exp`/`nbf` (with leeway),
//! `iss`, `aud`, `sub` and `azp` as the settings ask.

mod bearer;
mod cache;
mod keys;
mod party;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use url::Url;

pub use bearer::parse_bearer;
pub use party::authorized_party_matches;

use keys::{AlgRule, JwksCache, KeyEntry, Miss, Want};

/// Tokens longer than this are refused before any parsing: a session token is a
/// few hundred bytes to a few KiB, and big inputs only cost CPU.
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// How to verify Clerk session tokens. The server builds it from its configuration
/// (`CLERK_JWKS_URL`, `CLERK_JWT_KEY`, …); this crate never reads the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtSettings {
    /// The Clerk instance's JWKS endpoint (`CLERK_JWKS_URL`); tests point it at a mock.
    pub jwks_url: Option<Url>,
    /// The networkless verification key (`CLERK_JWT_KEY`): a PEM public key, RSA or
    /// EC (Ed25519 works too). Lets the server verify without ever calling Clerk.
    pub pem_public_key: Option<String>,
    /// When set (and non-empty), the token's `iss` must equal it (`CLERK_JWT_ISSUER`).
    pub issuer: Option<String>,
    /// When set (and non-empty), the token's `aud` must contain it
    /// (`CLERK_JWT_AUDIENCE`). When unset, tokens that carry an `aud` are still
    /// accepted, as Clerk's default session tokens may.
    pub audience: Option<String>,
    /// When non-empty, the token's `azp` must match one of these origins
    /// (`CLERK_AUTHORIZED_PARTIES`), see [`authorized_party_matches`]. This stops a
    /// token minted for another site of the same Clerk instance from being replayed.
    pub authorized_parties: Vec<String>,
    /// Clock skew tolerated on `exp` and `nbf` (60 s by default).
    pub leeway: Duration,
    /// An unknown `kid` refetches the JWKS at most this often (60 s by default), so a
    /// stream of forged `kid`s cannot turn the server into a load generator on Clerk.
    pub jwks_min_refetch_interval: Duration,
}

impl Default for JwtSettings {
    /// No key source, no claim checks beyond `exp`/`nbf`/`sub`, 60 s leeway and
    /// refetch interval: fill in what the configuration provides.
    fn default() -> Self {
        Self {
            jwks_url: None,
            pem_public_key: None,
            issuer: None,
            audience: None,
            authorized_parties: Vec::new(),
            leeway: Duration::from_secs(60),
            jwks_min_refetch_interval: Duration::from_secs(60),
        }
    }
}

/// A configuration that cannot work; raised at startup so it fails loudly, once,
/// instead of as a 401 on every request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtConfigError {
    /// `CLERK_JWT_KEY` is not a PEM public key this verifier can use.
    #[error(
        "CLERK_JWT_KEY is not a usable PEM public key ({0}); copy the JWT public key \
         (PEM) from the Clerk dashboard, API keys page"
    )]
    InvalidPemKey(String),
    /// `CLERK_JWKS_URL` is not an http(s) URL.
    #[error("CLERK_JWKS_URL must be an http or https URL, not {0:?}")]
    InvalidJwksUrl(String),
}

/// Why a token was refused. Every variant means "401"; the `Display` text is short
/// and safe to send to the client, while causes worth logging stay in the value
/// (see [`AuthError::is_server_side`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Not a JWT (bad shape, base64 or JSON), a required claim of the wrong type or
    /// missing `exp`, or an `Authorization: Bearer` header without exactly one token.
    #[error("Malformed credentials.")]
    Malformed,
    /// The header names `none`, an HS* algorithm, an unknown algorithm, or one the
    /// chosen key is not for.
    #[error("Token signing algorithm is not accepted.")]
    UnsupportedAlgorithm,
    /// No key with the token's `kid`, even after refreshing the JWKS.
    #[error("Token was signed by an unknown key.")]
    UnknownKey,
    /// The signature does not verify with the chosen key.
    #[error("Invalid token signature.")]
    BadSignature,
    /// `exp` is in the past (beyond the leeway).
    #[error("Token has expired.")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("Token is not valid yet.")]
    NotYetValid,
    /// `iss` is missing or not the configured issuer.
    #[error("Token issuer is not accepted.")]
    WrongIssuer,
    /// `aud` is missing or does not contain the configured audience.
    #[error("Token audience is not accepted.")]
    WrongAudience,
    /// `azp` is missing or matches none of the authorized parties.
    #[error(
        "Token authorized party is not allowed. Add your frontend origin to \
         CLERK_AUTHORIZED_PARTIES."
    )]
    UnauthorizedParty,
    /// `sub` is missing, empty or not a string.
    #[error("Token is missing sub claim.")]
    MissingSubject,
    /// Neither a JWKS URL, a PEM key nor a trusted key is configured.
    #[error("Token verification is not configured.")]
    NoKeySource,
    /// The JWKS could not be fetched; the string is the cause, for logs only.
    #[error("Token keys are unavailable right now; try again shortly.")]
    KeyFetch(String),
}

impl AuthError {
    /// True when the refusal is the server's fault (no key source, JWKS unreachable),
    /// not the client's: still a 401 for the client, but worth an operator's look.
    pub fn is_server_side(&self) -> bool {
        matches!(self, Self::NoKeySource | Self::KeyFetch(_))
    }
}

/// A token that passed every check: who it is for, and all of its claims (profile
/// fields, billing entitlements, `sid`, …) for the caller to read.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedClaims {
    /// The `sub` claim: the Clerk user id (`user_…`); never empty.
    pub subject: String,
    /// Every claim of the payload, `sub` included.
    pub claims: Map<String, Value>,
}

impl VerifiedClaims {
    /// One claim by name, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    /// One claim by name, when it is a string.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

/// Verifies Clerk session tokens. Build one at startup and share it (`Arc`): it
/// caches the parsed JWKS keys, so a token with a known `kid` costs no network.
pub struct JwtVerifier {
    http: reqwest::Client,
    pem: Option<Arc<KeyEntry>>,
    trusted: HashMap<String, Arc<KeyEntry>>,
    jwks: Option<JwksCache>,
    /// exp/nbf/iss/aud rules; `algorithms` is set per token.
    validation: Validation,
    /// Tokens that already passed, so repeat requests skip the signature check.
    verified: cache::TokenCache,
    authorized_parties: Vec<String>,
}

impl fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("jwks_url", &self.jwks.as_ref().map(|j| j.url().as_str()))
            .field("pem_key", &self.pem.is_some())
            .field("trusted_kids", &self.trusted.keys().collect::<Vec<_>>())
            .field("authorized_parties", &self.authorized_parties)
            .finish_non_exhaustive()
    }
}

/// `Some(s)` unless blank: an empty `CLERK_JWT_ISSUER=` means "not set".
fn non_blank(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

impl JwtVerifier {
    /// Builds a verifier. The PEM key is parsed now, so a bad `CLERK_JWT_KEY` stops
    /// the server at startup; the JWKS is fetched lazily, on the first token that
    /// needs it. `http` is the shared client (rustls) used for the JWKS.
    pub fn new(settings: JwtSettings, http: reqwest::Client) -> Result<Self, JwtConfigError> {
        let pem = match non_blank(settings.pem_public_key) {
            Some(pem) => Some(Arc::new(
                keys::parse_pem_public_key(&pem).map_err(JwtConfigError::InvalidPemKey)?,
            )),
            None => None,
        };
        let jwks = match settings.jwks_url {
            Some(url) if matches!(url.scheme(), "http" | "https") => {
                Some(JwksCache::new(url, settings.jwks_min_refetch_interval))
            }
            Some(url) => return Err(JwtConfigError::InvalidJwksUrl(url.to_string())),
            None => None,
        };

        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = settings.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        let mut required = vec!["exp"];
        if let Some(issuer) = non_blank(settings.issuer) {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        match non_blank(settings.audience) {
            Some(audience) => {
                validation.set_audience(&[audience]);
                validation.validate_aud = true;
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);

        let authorized_parties = settings
            .authorized_parties
            .into_iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect();

        Ok(Self {
            http,
            pem,
            trusted: HashMap::new(),
            jwks,
            verified: cache::TokenCache::new(settings.leeway.as_secs()),
            validation,
            authorized_parties,
        })
    }

    /// Adds a local key, looked up by `kid` before the JWKS and verified by the same
    /// checks (claims, `azp`, …). The server uses it for its dev sign-in tokens, so
    /// local sign-in exercises the real verification path. Only asymmetric `alg`s are
    /// ever accepted, so an HMAC key added here verifies nothing.
    pub fn with_trusted_key(mut self, kid: &str, key: DecodingKey, alg: Algorithm) -> Self {
        self.trusted.insert(
            kid.to_owned(),
            Arc::new(KeyEntry {
                key,
                rule: AlgRule::Exactly(alg),
            }),
        );
        self
    }

    /// Verifies a session token (the bare JWT, without `Bearer `) and returns its
    /// claims, or the reason it must be refused.
    pub async fn verify(&self, token: &str) -> Result<VerifiedClaims, AuthError> {
        if token.is_empty() || token.len() > MAX_TOKEN_LEN {
            return Err(AuthError::Malformed);
        }
        if let Some(cached) = self.verified.get(token) {
            let hit = cached?;
            // The key must still be the one that verified the token.
            if let Ok(current) = self.select_key(hit.kid.as_deref()).await
                && Arc::ptr_eq(&current, &hit.key)
            {
                return Ok(hit.claims);
            }
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| header_error(token))?;
        let alg = header.alg;
        if !keys::is_allowed_algorithm(alg) {
            return Err(AuthError::UnsupportedAlgorithm);
        }

        let kid = header.kid.as_deref().filter(|k| !k.is_empty());
        let entry = self.select_key(kid).await?;
        if !entry.allows(alg) {
            return Err(AuthError::UnsupportedAlgorithm);
        }

        let mut validation = self.validation.clone();
        validation.algorithms = vec![alg];
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &entry.key, &validation)
            .map_err(|e| claim_error(e.kind()))?;
        let claims = data.claims;

        let subject = match claims.get("sub") {
            Some(Value::String(sub)) if !sub.trim().is_empty() => sub.clone(),
            _ => return Err(AuthError::MissingSubject),
        };
        if !self.authorized_parties.is_empty() {
            let azp = claims
                .get("azp")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !authorized_party_matches(azp, &self.authorized_parties) {
                return Err(AuthError::UnauthorizedParty);
            }
        }
        let verified = VerifiedClaims { subject, claims };
        self.verified.insert(
            token,
            cache::Hit {
                claims: verified.clone(),
                kid: kid.map(str::to_owned),
                key: entry,
            },
        );
        Ok(verified)
    }

    /// Picks the key for a token: by `kid` from the trusted keys, then the JWKS
    /// (refetching when unknown), then the PEM key; without `kid`, the PEM key, else
    /// the JWKS's only key.
    async fn select_key(&self, kid: Option<&str>) -> Result<Arc<KeyEntry>, AuthError> {
        if let Some(kid) = kid
            && let Some(entry) = self.trusted.get(kid)
        {
            return Ok(entry.clone());
        }
        if kid.is_none()
            && let Some(pem) = &self.pem
        {
            return Ok(pem.clone());
        }

        let miss = match &self.jwks {
            Some(jwks) => {
                let want = kid.map_or(Want::Single, Want::Kid);
                match jwks.lookup(&self.http, want).await {
                    Ok(entry) => return Ok(entry),
                    Err(miss) => Some(miss),
                }
            }
            None => None,
        };
        // A `kid` the JWKS does not know may still be the networkless key's (Clerk
        // stamps its instance key id on tokens); the signature check decides.
        if let Some(pem) = &self.pem {
            return Ok(pem.clone());
        }
        match miss {
            Some(Miss::FetchFailed(cause)) => Err(AuthError::KeyFetch(cause)),
            Some(Miss::Unknown) => Err(AuthError::UnknownKey),
            None if self.trusted.is_empty() => Err(AuthError::NoKeySource),
            None => Err(AuthError::UnknownKey),
        }
    }
}

/// Classifies a header `jsonwebtoken` refused: a readable JSON header with an `alg`
/// it does not know (`none`, `HS1`, …) is an algorithm problem, anything else is
/// malformed.
fn header_error(token: &str) -> AuthError {
    let alg_named = token
        .split('.')
        .next()
        .and_then(|part| URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .is_some_and(|header| header.get("alg").is_some_and(Value::is_string));
    if alg_named && token.split('.').count() == 3 {
        AuthError::UnsupportedAlgorithm
    } else {
        AuthError::Malformed
    }
}

/// Maps a `jsonwebtoken` decode/validation failure to our error.
fn claim_error(kind: &ErrorKind) -> AuthError {
    match kind {
        ErrorKind::InvalidSignature
        | ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidEddsaKey
        | ErrorKind::InvalidRsaKey(_)
        | ErrorKind::InvalidKeyFormat => AuthError::BadSignature,
        ErrorKind::InvalidAlgorithm
        | ErrorKind::UnsupportedAlgorithm
        | ErrorKind::InvalidAlgorithmName
        | ErrorKind::MissingAlgorithm => AuthError::UnsupportedAlgorithm,
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
        ErrorKind::InvalidAudience => AuthError::WrongAudience,
        ErrorKind::MissingRequiredClaim(claim) if claim == "iss" => AuthError::WrongIssuer,
        ErrorKind::MissingRequiredClaim(claim) if claim == "aud" => AuthError::WrongAudience,
        ErrorKind::MissingRequiredClaim(claim) if claim == "sub" => AuthError::MissingSubject,
        _ => AuthError::Malformed,
    }
}

#[cfg(test)]
mod tests;
