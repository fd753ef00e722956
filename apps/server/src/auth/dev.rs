//! Local sign-in without Clerk: short-lived session tokens signed by a key that only
//! development mode trusts.
//!
//! The key is an Ed25519 key derived from `APP_SECRET_KEY`, so tokens survive a restart
//! of `scripts/dev`. It is registered with the JWT verifier under its own `kid`, so a dev
//! token goes through exactly the same checks (issuer, audience, authorized party,
//! expiry) as a Clerk token; outside `APP_DEBUG` + `DEV_AUTH_ENABLED` the key does not
//! exist and dev tokens are rejected as signed by an unknown key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::config::ClerkConfig;

/// The `kid` of dev tokens.
pub const DEV_KEY_ID: &str = "paidloop-dev-sign-in";

/// How long a dev session token lives.
pub const DEV_TOKEN_LIFETIME_MINUTES: i64 = 60;

/// Mints dev session tokens.
pub struct DevSigner {
    encoding: EncodingKey,
    public_x: String,
    issuer: Option<String>,
    audience: Option<String>,
    authorized_party: Option<String>,
}

/// A signed token and when it stops working.
pub struct DevToken {
    /// The JWT.
    pub token: String,
    /// Its `exp`.
    pub expires_at: DateTime<Utc>,
}

impl DevSigner {
    /// Derives the key from the app secret and copies the claims Clerk tokens must carry.
    pub fn new(secret_key: &str, clerk: &ClerkConfig) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(b"paidloop/dev-sign-in/ed25519/v1");
        let seed: [u8; 32] = mac.finalize().into_bytes().into();
        let signing = SigningKey::from_bytes(&seed);
        let der = signing
            .to_pkcs8_der()
            .expect("an Ed25519 key always encodes as PKCS#8");
        Self {
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            public_x: URL_SAFE_NO_PAD.encode(signing.verifying_key().as_bytes()),
            issuer: clerk.jwt_issuer.clone(),
            audience: clerk.jwt_audience.clone(),
            authorized_party: clerk.authorized_parties.first().cloned(),
        }
    }

    /// The public half, for the verifier.
    pub fn decoding_key(&self) -> DecodingKey {
        DecodingKey::from_ed_components(&self.public_x).expect("our own key is valid base64url")
    }

    /// Signs a session for `user_id` with the given extra claims.
    pub fn sign(
        &self,
        user_id: &str,
        extra: Map<String, Value>,
        now: DateTime<Utc>,
    ) -> Result<DevToken, jsonwebtoken::errors::Error> {
        let expires_at = now + Duration::minutes(DEV_TOKEN_LIFETIME_MINUTES);
        let mut claims = extra;
        claims.insert("sub".into(), json!(user_id));
        claims.insert("iat".into(), json!(now.timestamp()));
        claims.insert("nbf".into(), json!(now.timestamp()));
        claims.insert("exp".into(), json!(expires_at.timestamp()));
        claims.insert(
            "iss".into(),
            json!(self.issuer.as_deref().unwrap_or("paidloop-dev")),
        );
        if let Some(aud) = &self.audience {
            claims.insert("aud".into(), json!(aud));
        }
        if let Some(azp) = &self.authorized_party {
            claims.insert("azp".into(), json!(azp));
        }
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(DEV_KEY_ID.to_owned());
        let token = jsonwebtoken::encode(&header, &claims, &self.encoding)?;
        Ok(DevToken { token, expires_at })
    }
}
