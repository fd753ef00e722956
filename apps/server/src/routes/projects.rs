//! `projects/`: CRUD on the caller's own projects.

use actix_web::{HttpResponse, web};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::projects::{self, ProjectInput};
use crate::state::AppState;
use crate::views::ProjectView;

/// `GET projects/`.
pub async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let rows = projects::list(&state.db, user.profile.id).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(ProjectView::from).collect::<Vec<_>>()))
}

/// `POST projects/`.
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ProjectInput>,
) -> Result<HttpResponse, ApiError> {
    let row = projects::create(&state.db, user.profile.id, &body.0).await?;
    Ok(HttpResponse::Created().json(ProjectView::from(&row)))
}

/// `GET projects/{id}/`.
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = projects::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(ProjectView::from(&row)))
}

/// `PATCH projects/{id}/`.
pub async fn patch(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ProjectInput>,
) -> Result<HttpResponse, ApiError> {
    let row = projects::update(&state.db, user.profile.id, *id, &body.0, false).await?;
    Ok(HttpResponse::Ok().json(ProjectView::from(&row)))
}

/// `PUT projects/{id}/`.
pub async fn put(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ProjectInput>,
) -> Result<HttpResponse, ApiError> {
    let row = projects::update(&state.db, user.profile.id, *id, &body.0, true).await?;
    Ok(HttpResponse::Ok().json(ProjectView::from(&row)))
}

/// `DELETE projects/{id}/`.
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    projects::delete(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
