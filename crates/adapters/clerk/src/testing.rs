//! Test support (feature `testing`): fixed **test-only** key pairs, JWKS documents
//! and token signing, so tests anywhere in the workspace can mint Clerk-like session
//! tokens that [`JwtVerifier`](crate::JwtVerifier) accepts, and serve the matching
//! JWKS from a `wiremock` server.
//!
//! ```toml
//! [dev-dependencies]
//! paidloop-clerk = { workspace = true, features = ["testing"] }
//! ```
//!
//! ```
//! use paidloop_clerk::testing::TestKeys;
//! use paidloop_clerk::{JwtSettings, JwtVerifier};
//! use wiremock::matchers::{method, path};
//! use wiremock::{Mock, MockServer, ResponseTemplate};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // A fake Clerk serving the test JWKS.
//! let clerk = MockServer::start().await;
//! Mock::given(method("GET"))
//!     .and(path("/.well-known/jwks.json"))
//!     .respond_with(
//!         ResponseTemplate::new(200)
//!             .set_body_json(TestKeys::jwk_set_json(&[("kid-a", &TestKeys::RSA_A)])),
//!     )
//!     .mount(&clerk)
//!     .await;
//!
//! // What the server builds from CLERK_JWKS_URL.
//! let settings = JwtSettings {
//!     jwks_url: Some(format!("{}/.well-known/jwks.json", clerk.uri()).parse().unwrap()),
//!     ..JwtSettings::default()
//! };
//! let verifier = JwtVerifier::new(settings, reqwest::Client::new()).unwrap();
//!
//! // A session token for user_123; send it as `Authorization: Bearer {token}`.
//! let mut claims = TestKeys::claims("user_123");
//! claims["email"] = serde_json::json!("ada@example.com");
//! let token = TestKeys::sign(&claims, Some("kid-a"), &TestKeys::RSA_A);
//! assert_eq!(verifier.verify(&token).await.unwrap().subject, "user_123");
//!
//! // Networkless instead: CLERK_JWT_KEY = TestKeys::RSA_A.public_pem().
//! # }
//! ```
//!
//! The keys are committed under `crates/adapters/clerk/tests/fixtures/`; they are
//! public and must never sign anything real.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey, Header};
use serde_json::{Value, json};

/// One test key pair (PEM, PKCS#8 private / SPKI public) and its default algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestKey {
    name: &'static str,
    private_pem: &'static str,
    public_pem: &'static str,
    algorithm: Algorithm,
}

impl TestKey {
    /// A short name for messages ("rsa_a", "ec", …).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The private key, PEM (PKCS#8).
    pub fn private_pem(&self) -> &'static str {
        self.private_pem
    }

    /// The public key, PEM (SPKI): what `CLERK_JWT_KEY` would hold.
    pub fn public_pem(&self) -> &'static str {
        self.public_pem
    }

    /// The algorithm [`TestKey::sign`] uses (RS256, ES256 or EdDSA).
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The signing key.
    ///
    /// # Panics
    /// Never for the bundled fixtures.
    pub fn encoding_key(&self) -> EncodingKey {
        let pem = self.private_pem.as_bytes();
        match self.algorithm.family() {
            AlgorithmFamily::Rsa => EncodingKey::from_rsa_pem(pem),
            AlgorithmFamily::Ec => EncodingKey::from_ec_pem(pem),
            _ => EncodingKey::from_ed_pem(pem),
        }
        .expect("bundled test private key parses")
    }

    /// The verification key, e.g. for [`JwtVerifier::with_trusted_key`](crate::JwtVerifier::with_trusted_key).
    ///
    /// # Panics
    /// Never for the bundled fixtures.
    pub fn decoding_key(&self) -> DecodingKey {
        let pem = self.public_pem.as_bytes();
        match self.algorithm.family() {
            AlgorithmFamily::Rsa => DecodingKey::from_rsa_pem(pem),
            AlgorithmFamily::Ec => DecodingKey::from_ec_pem(pem),
            _ => DecodingKey::from_ed_pem(pem),
        }
        .expect("bundled test public key parses")
    }

    /// The public key as one JWK (`kty`, `n`/`e` or `crv`/`x`/`y`, `kid`, `alg`,
    /// `use: sig`), shaped like an entry of Clerk's JWKS.
    ///
    /// # Panics
    /// Never for the bundled fixtures.
    pub fn jwk(&self, kid: &str) -> Value {
        let mut jwk = Jwk::from_encoding_key(&self.encoding_key(), self.algorithm)
            .expect("bundled test key converts to a JWK");
        jwk.common.key_id = Some(kid.to_owned());
        jwk.common.public_key_use = Some(jsonwebtoken::jwk::PublicKeyUse::Signature);
        serde_json::to_value(jwk).expect("a JWK serializes")
    }

    /// Signs `claims` with this key's default algorithm, `typ: JWT`, and `kid` if given.
    pub fn sign(&self, claims: &Value, kid: Option<&str>) -> String {
        self.sign_with(self.algorithm, claims, kid)
    }

    /// Signs with an explicit algorithm of the key's family (RS384, PS256, …).
    ///
    /// # Panics
    /// When `alg` does not suit the key.
    pub fn sign_with(&self, alg: Algorithm, claims: &Value, kid: Option<&str>) -> String {
        let mut header = Header::new(alg);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &self.encoding_key())
            .expect("test token signs with a suitable algorithm")
    }
}

/// The bundled test keys and helpers to build JWKS documents, claims and tokens.
#[derive(Debug, Clone, Copy)]
pub struct TestKeys;

impl TestKeys {
    /// RSA 2048 key "A" (RS256): the one a test JWKS usually serves.
    pub const RSA_A: TestKey = TestKey {
        name: "rsa_a",
        private_pem: include_str!("../tests/fixtures/test_rsa_a_private.pem"),
        public_pem: include_str!("../tests/fixtures/test_rsa_a_public.pem"),
        algorithm: Algorithm::RS256,
    };

    /// RSA 2048 key "B" (RS256): a second key, for rotation and wrong-key tests.
    pub const RSA_B: TestKey = TestKey {
        name: "rsa_b",
        private_pem: include_str!("../tests/fixtures/test_rsa_b_private.pem"),
        public_pem: include_str!("../tests/fixtures/test_rsa_b_public.pem"),
        algorithm: Algorithm::RS256,
    };

    /// EC P-256 key (ES256).
    pub const EC_P256: TestKey = TestKey {
        name: "ec",
        private_pem: include_str!("../tests/fixtures/test_ec_private.pem"),
        public_pem: include_str!("../tests/fixtures/test_ec_public.pem"),
        algorithm: Algorithm::ES256,
    };

    /// Ed25519 key (EdDSA), e.g. to stand in for a dev sign-in key.
    pub const ED25519: TestKey = TestKey {
        name: "ed25519",
        private_pem: include_str!("../tests/fixtures/test_ed25519_private.pem"),
        public_pem: include_str!("../tests/fixtures/test_ed25519_public.pem"),
        algorithm: Algorithm::EdDSA,
    };

    /// A JWKS document `{"keys": [...]}` with the public half of each `(kid, key)`,
    /// ready for `ResponseTemplate::new(200).set_body_json(..)`.
    pub fn jwk_set_json(keys: &[(&str, &TestKey)]) -> Value {
        json!({ "keys": keys.iter().map(|(kid, key)| key.jwk(kid)).collect::<Vec<_>>() })
    }

    /// Signs `claims` with `key` (its default algorithm), putting `kid` in the header.
    pub fn sign(claims: &Value, kid: Option<&str>, key: &TestKey) -> String {
        key.sign(claims, kid)
    }

    /// Claims of a fresh Clerk-like session token for `sub`: `iat`/`nbf` now, `exp`
    /// in five minutes, an `iss` and a `sid`. Add or overwrite fields as needed
    /// (`claims["email"] = json!(...)`).
    pub fn claims(sub: &str) -> Value {
        let now = Self::now();
        json!({
            "sub": sub,
            "iss": "https://clerk.test.paidloop.invalid",
            "sid": "sess_test",
            "iat": now,
            "nbf": now,
            "exp": now + 300,
        })
    }

    /// Current Unix time in seconds, for building `exp`/`nbf`.
    ///
    /// # Panics
    /// If the clock is before 1970.
    pub fn now() -> i64 {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs();
        i64::try_from(secs).expect("time fits in i64")
    }

    /// A token with the given header and claims and an empty signature, for the
    /// "`alg: none` is refused" kind of test.
    pub fn unsigned_token(header: &Value, claims: &Value) -> String {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.", part(header), part(claims))
    }
}
