//! `account/customer/`: the caller's billing identity.

use actix_web::{HttpResponse, web};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::customer::{self, CustomerPatch};
use crate::state::AppState;
use crate::views::CustomerAccountView;

/// `GET account/customer/`.
pub async fn get_customer(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(CustomerAccountView::new(&user.account, &user.profile))
}

/// `PATCH account/customer/`.
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
