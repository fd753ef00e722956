//! `account/orders/work/` (and its legacy alias `account/bookings/`): the caller's work
//! orders, newest first.

use actix_web::{HttpResponse, web};
use chrono::Utc;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::services::downloads;
use crate::state::AppState;
use crate::views::downloads::WorkOrderView;

/// `GET account/orders/work/` and `GET account/bookings/`.
pub async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let rows = downloads::list_work_orders(&state.db, user.account.id).await?;
    let now = Utc::now();
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(|row| WorkOrderView::new(row, now))
            .collect::<Vec<_>>(),
    ))
}
