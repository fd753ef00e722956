//! `account/customer/`: the caller's billing identity.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::customer::{self, CustomerPatch};
use crate::state::AppState;
use crate::views::CustomerAccountView;

/// `GET account/customer/`.
#[utoipa::path(
    get,
    path = "/api/account/customer/",
    tag = "identity",
    summary = "The caller's customer account",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The account.", body = CustomerAccountView)),
)]
pub async fn get_customer(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(CustomerAccountView::new(&user.account, &user.profile))
}

/// `PATCH account/customer/`.
#[utoipa::path(
    patch,
    path = "/api/account/customer/",
    tag = "identity",
    summary = "Change the caller's billing details",
    request_body = CustomerPatch,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The changed account.", body = CustomerAccountView)),
)]
pub async fn patch_customer(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<CustomerPatch>,
) -> Result<HttpResponse, ApiError> {
    let account = customer::patch(&state.db, user.account, &body.0).await?;
    // The next request must see the new row, not the cached one.
    state.identities.forget(&user.profile.clerk_user_id);
    Ok(HttpResponse::Ok().json(CustomerAccountView::new(&account, &user.profile)))
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(get_customer, patch_customer))]
pub struct Api;
