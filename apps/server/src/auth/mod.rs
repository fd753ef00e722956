//! Who is calling: the `CurrentUser` and `Session` extractors.
//!
//! A request is authenticated by a Clerk session JWT in `Authorization: Bearer …` or in
//! the `__session` cookie. Cookie requests with an unsafe method must pass the CSRF check
//! first. The verified claims then upsert the caller's profile and customer account
//! (one read, and no write when nothing changed), or come from the short-lived
//! [`identity_cache::IdentityCache`].

pub mod csrf;
pub mod dev;
pub mod identity_cache;

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use paidloop_clerk::{VerifiedClaims, parse_bearer};
use sea_orm::ConnectionTrait;

use crate::entities::{customer_accounts, profiles};
use crate::error::ApiError;
use crate::services::identity::{self, ClaimedProfile};
use crate::state::AppState;

/// The name of Clerk's same-site session cookie.
pub const SESSION_COOKIE: &str = "__session";

/// The authenticated caller, with their synced profile and customer account.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The verified token claims.
    pub claims: VerifiedClaims,
    /// The caller's profile row, up to date with the claims.
    pub profile: profiles::Model,
    /// The caller's customer account row.
    pub account: customer_accounts::Model,
}

/// A session token verified earlier in this request (by the rate limiter), kept in the
/// request's extensions so [`CurrentUser`] does not verify it again.
#[derive(Debug, Clone)]
pub struct VerifiedSession(pub VerifiedClaims);

/// The claims of the request's session token when it carries a valid one; `None` for
/// no token, a malformed header or a token that fails verification (the request is then
/// anonymous here, and [`CurrentUser`] answers 401 where a user is required).
pub async fn verified_session(req: &HttpRequest, state: &AppState) -> Option<VerifiedSession> {
    let (token, _) = extract_token(req).ok()??;
    state
        .verifier
        .verify(&token)
        .await
        .ok()
        .map(VerifiedSession)
}

impl CurrentUser {
    /// The caller's Clerk organisation, when the token names one.
    pub fn org_id(&self) -> Option<&str> {
        self.claims.claims.get("org_id").and_then(|v| v.as_str())
    }
}

/// Where the token came from: cookies need a CSRF check on unsafe methods.
enum TokenSource {
    Header,
    Cookie,
}

fn extract_token(req: &HttpRequest) -> Result<Option<(String, TokenSource)>, ApiError> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let value = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized("Invalid Authorization header.".into()))?;
        return match parse_bearer(value) {
            Ok(Some(token)) => Ok(Some((token.to_owned(), TokenSource::Header))),
            Ok(None) => Ok(None),
            Err(err) => Err(ApiError::Unauthorized(err.to_string())),
        };
    }
    Ok(req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
        .map(|v| (v, TokenSource::Cookie)))
}

/// The caller's verified session, before their profile and account are read.
///
/// [`CurrentUser`] is this and those rows, read on a connection of their own. A
/// handler that reads more after them takes a `Session` instead and reads the rows
/// with [`Session::user`] on the connection it reads the rest on (see
/// [`crate::one_connection`]).
#[derive(Debug, Clone)]
pub struct Session {
    claims: VerifiedClaims,
}

impl Session {
    /// The caller with their profile and account: from the identity cache, or synced
    /// from the claims through `db`.
    pub async fn user<C: ConnectionTrait>(
        self,
        state: &AppState,
        db: &C,
    ) -> Result<CurrentUser, ApiError> {
        let claimed = ClaimedProfile::from_claims(&self.claims, &state.config.clerk.billing_claim);
        let (profile, account) = match state.identities.get(&claimed) {
            Some(rows) => rows,
            None => {
                let (profile, account) = identity::sync_from_claims(db, &claimed).await?;
                state.identities.put(claimed, &profile, &account);
                (profile, account)
            }
        };
        Ok(CurrentUser {
            claims: self.claims,
            profile,
            account,
        })
    }

    /// Reads the token, checks CSRF for cookie requests with an unsafe method, and
    /// verifies the token (unless the rate limiter already did).
    async fn verify(req: &HttpRequest, state: &AppState) -> Result<Self, ApiError> {
        let Some((token, source)) = extract_token(req)? else {
            return Err(ApiError::Unauthorized(
                "Authentication credentials were not provided.".into(),
            ));
        };
        if matches!(source, TokenSource::Cookie) && !req.method().is_safe() {
            csrf::check(req, &state.config)?;
        }
        let verified = req.extensions().get::<VerifiedSession>().cloned();
        let claims = match verified {
            Some(VerifiedSession(claims)) => claims,
            None => state.verifier.verify(&token).await.map_err(|err| {
                tracing::info!(reason = %err, "rejected session token");
                ApiError::Unauthorized(err.to_string())
            })?,
        };
        Ok(Self { claims })
    }
}

/// The application state of the request's app.
fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))
}

impl FromRequest for Session {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = app_state(&req)?;
            Session::verify(&req, &state).await
        })
    }
}

/// A [`Session`] whose rows are read on a connection of their own
/// ([`AppState::one_connection`]), given back before the handler runs.
impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let (session, state) = (Session::from_request(req, payload), app_state(req));
        Box::pin(async move {
            let state = state?;
            let session = session.await?;
            session.user(&state, &state.one_connection()).await
        })
    }
}
