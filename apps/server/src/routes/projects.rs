//! `projects/`: CRUD on the caller's own projects.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

use crate::auth::{CurrentUser, Session};
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::projects::{self, ProjectInput};
use crate::state::AppState;
use crate::views::ProjectView;

/// `GET projects/`.
#[utoipa::path(
    get,
    path = "/api/projects/",
    operation_id = "list_projects",
    tag = "projects",
    summary = "The caller's projects",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The projects.", body = Vec<ProjectView>)),
)]
pub async fn list(state: web::Data<AppState>, session: Session) -> Result<HttpResponse, ApiError> {
    let db = state.one_connection();
    let owner = session.user(&state, &db).await?.profile.id;
    let rows = projects::list(&db, owner).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(ProjectView::from).collect::<Vec<_>>()))
}

/// `POST projects/`.
#[utoipa::path(
    post,
    path = "/api/projects/",
    operation_id = "create_project",
    tag = "projects",
    summary = "Create a project",
    request_body = ProjectInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 201, description = "The new project.", body = ProjectView)),
)]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ProjectInput>,
) -> Result<HttpResponse, ApiError> {
    let row = projects::create(&state.db, user.profile.id, &body.0).await?;
    Ok(HttpResponse::Created().json(ProjectView::from(&row)))
}

/// `GET projects/{id}/`.
#[utoipa::path(
    get,
    path = "/api/projects/{id}/",
    operation_id = "get_project",
    tag = "projects",
    summary = "One of the caller's projects",
    params(("id" = i64, Path, description = "The project's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The project.", body = ProjectView)),
)]
pub async fn get(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = projects::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(ProjectView::from(&row)))
}

/// `PATCH projects/{id}/`.
#[utoipa::path(
    patch,
    path = "/api/projects/{id}/",
    operation_id = "patch_project",
    tag = "projects",
    summary = "Change some fields of a project",
    params(("id" = i64, Path, description = "The project's id.")),
    request_body = ProjectInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The changed project.", body = ProjectView)),
)]
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
#[utoipa::path(
    put,
    path = "/api/projects/{id}/",
    operation_id = "put_project",
    tag = "projects",
    summary = "Replace a project (name required)",
    params(("id" = i64, Path, description = "The project's id.")),
    request_body = ProjectInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The replaced project.", body = ProjectView)),
)]
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
#[utoipa::path(
    delete,
    path = "/api/projects/{id}/",
    operation_id = "delete_project",
    tag = "projects",
    summary = "Delete a project",
    params(("id" = i64, Path, description = "The project's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 204, description = "Deleted.")),
)]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    projects::delete(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(list, create, get, patch, put, delete))]
pub struct Api;
