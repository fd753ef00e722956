//! Clerk adapter.
//!
//! Paidloop trusts Clerk for identity. This crate talks to Clerk and nothing else: it
//! verifies Clerk session JWTs locally (against the instance JWKS, fetched and cached
//! with `reqwest`, or against the networkless PEM key), verifies Svix webhook
//! signatures, and reads users and billing subscriptions from the Backend API
//! ([`ClerkBackend`]); it knows nothing of actix,
//! the database or environment variables. The server reads its configuration, builds a
//! [`JwtSettings`] and shares one [`JwtVerifier`] (in an `Arc`) between requests.
//!
//! With the `testing` feature (for `[dev-dependencies]` only) the `testing` module
//! offers fixed test key pairs, JWKS documents and token signing, so other crates'
//! tests can mint tokens that this verifier accepts.

pub mod backend;
pub mod jwt;
pub mod svix;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use backend::{BackendError, BackendSettings, ClerkBackend};
pub use jwt::{
    AuthError, JwtConfigError, JwtSettings, JwtVerifier, VerifiedClaims, authorized_party_matches,
    parse_bearer,
};
pub use svix::{SvixHeaders, SvixSecret, WebhookError, sign_webhook, verify_webhook};
