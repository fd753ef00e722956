//! Billing on the buyer's side: `account/subscriptions/`, `account/subscriptions/status/`,
//! `account/entitlements/`, and `me/clerk/`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use paidloop_clerk::BackendError;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::auth::{CurrentUser, Session};
use crate::error::ApiError;
use crate::openapi::errors::ErrorDetail;
use crate::services::billing::{reads, sync};
use crate::state::AppState;
use crate::views::billing::{BillingSyncView, ClerkUser, EntitlementView, SubscriptionView};

/// `1`, `true`, `yes`, `on` (any case).
fn truthy(raw: Option<&str>) -> bool {
    raw.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}

/// `0`, `false`, `no`, `off` (any case).
fn falsy(raw: Option<&str>) -> bool {
    raw.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        )
    })
}

/// `GET account/subscriptions/`: the local projection; never calls Clerk.
#[utoipa::path(
    get,
    path = "/api/account/subscriptions/",
    operation_id = "list_subscriptions",
    tag = "billing",
    summary = "The caller's subscriptions, newest update first (never calls Clerk)",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The subscriptions.", body = Vec<SubscriptionView>)),
)]
pub async fn subscriptions(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    let db = state.one_connection();
    let account = session.user(&state, &db).await?.account.id;
    let rows = reads::subscriptions(&db, account).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SubscriptionView::from).collect::<Vec<_>>()))
}

/// Query of `account/subscriptions/status/`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// `1`/`true`/`yes`/`on` forces a sync with Clerk first.
    refresh: Option<String>,
}

/// `GET account/subscriptions/status/`: read-only unless `?refresh=1`.
#[utoipa::path(
    get,
    path = "/api/account/subscriptions/status/",
    operation_id = "billing_sync_status",
    tag = "billing",
    summary = "How fresh the local copy of Clerk billing is; ?refresh=1 syncs first",
    params(StatusQuery),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The sync status (after the sync, when forced).", body = BillingSyncView)),
)]
pub async fn sync_status(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<StatusQuery>,
) -> Result<HttpResponse, ApiError> {
    let status = if truthy(query.refresh.as_deref()) {
        sync::ensure(&state, user.account.id, &user.profile.clerk_user_id, true).await?
    } else {
        sync::status(&state.db, &state.config, user.account.id, Utc::now()).await?
    };
    Ok(HttpResponse::Ok().json(BillingSyncView::from(status)))
}

/// Query of `account/entitlements/`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntitlementsQuery {
    /// `false`/`0`/`no`/`off` lists every entitlement, not only current ones.
    current: Option<String>,
}

/// `GET account/entitlements/`.
#[utoipa::path(
    get,
    path = "/api/account/entitlements/",
    operation_id = "list_entitlements",
    tag = "billing",
    summary = "The caller's entitlements by feature key (current ones unless ?current=false)",
    params(EntitlementsQuery),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The entitlements.", body = Vec<EntitlementView>)),
)]
pub async fn entitlements(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<EntitlementsQuery>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let all = falsy(query.current.as_deref());
    let db = state.one_connection();
    let account = session.user(&state, &db).await?.account.id;
    let rows = reads::entitlements(&db, account, all, now).await?;
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(|row| EntitlementView::new(row, now))
            .collect::<Vec<_>>(),
    ))
}

/// `GET me/clerk/`: the caller as Clerk's Backend API knows them.
#[utoipa::path(
    get,
    path = "/api/me/clerk/",
    operation_id = "clerk_user",
    tag = "identity",
    summary = "The caller as Clerk knows them (public fields only)",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The Clerk user.", body = ClerkUser),
        (status = 502, description = "Clerk failed or does not know the user.", body = ErrorDetail),
        (status = 503, description = "CLERK_SECRET_KEY is not set.", body = ErrorDetail),
    ),
)]
pub async fn clerk_user(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let clerk = state.clerk_backend.as_ref().ok_or_else(|| {
        ApiError::ServiceUnavailable(
            "Clerk's Backend API is not configured (CLERK_SECRET_KEY).".into(),
        )
    })?;
    let found = clerk
        .get_user(&user.profile.clerk_user_id)
        .await
        .map_err(|err| {
            tracing::warn!(error = %err, "Clerk user read failed");
            ApiError::BadGateway(match err {
                BackendError::NotFound => "Clerk does not know this user.".into(),
                _ => "Clerk could not be reached.".into(),
            })
        })?;
    Ok(HttpResponse::Ok().json(ClerkUser::from_clerk(&found)))
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(subscriptions, sync_status, entitlements, clerk_user))]
pub struct Api;
