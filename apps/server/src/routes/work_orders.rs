//! `account/orders/work/` (and its legacy alias `account/bookings/`): the caller's work
//! orders, newest first.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use utoipa::OpenApi;

use crate::auth::Session;
use crate::error::ApiError;
use crate::services::downloads;
use crate::state::AppState;
use crate::views::downloads::WorkOrderView;

/// `GET account/orders/work/`.
#[utoipa::path(
    get,
    path = "/api/account/orders/work/",
    operation_id = "list_work_orders",
    tag = "downloads",
    summary = "The caller's work orders (service purchases), newest first",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The work orders.", body = Vec<WorkOrderView>)),
)]
pub async fn list(state: web::Data<AppState>, session: Session) -> Result<HttpResponse, ApiError> {
    let db = state.one_connection();
    let account = session.user(&state, &db).await?.account.id;
    let rows = downloads::list_work_orders(&db, account).await?;
    let now = Utc::now();
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(|row| WorkOrderView::new(row, now))
            .collect::<Vec<_>>(),
    ))
}

/// `GET account/bookings/`: the legacy name of [`list`].
#[utoipa::path(
    get,
    path = "/api/account/bookings/",
    operation_id = "list_bookings",
    tag = "downloads",
    summary = "The caller's work orders (legacy alias of account/orders/work/)",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The work orders.", body = Vec<WorkOrderView>)),
)]
pub async fn bookings(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    list(state, session).await
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(list, bookings))]
pub struct Api;
