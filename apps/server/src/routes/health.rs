//! Liveness and readiness probes.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::state::AppState;

/// The answer of `health/`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Health)]
pub struct HealthView {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// The server's clock.
    pub timestamp: DateTime<Utc>,
}

/// The answer of `ready/`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Readiness)]
pub struct ReadyView {
    /// `ok`, or `unavailable`.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// Whether the database answered: `ok` or `unavailable`.
    pub database: &'static str,
}

/// `GET health/`: the process answers; touches nothing else.
#[utoipa::path(
    get,
    path = "/api/health/",
    tag = "meta",
    summary = "Liveness: the process answers",
    responses((status = 200, description = "Alive.", body = HealthView)),
)]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(HealthView {
        status: "ok",
        timestamp: Utc::now(),
    })
}

/// `GET ready/`: 200 when the database answers, else 503.
#[utoipa::path(
    get,
    path = "/api/ready/",
    tag = "meta",
    summary = "Readiness: the database answers",
    responses(
        (status = 200, description = "Ready to serve.", body = ReadyView),
        (status = 503, description = "The database does not answer.", body = ReadyView),
    ),
)]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(ReadyView {
            status: "ok",
            database: "ok",
        }),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            HttpResponse::ServiceUnavailable().json(ReadyView {
                status: "unavailable",
                database: "unavailable",
            })
        }
    }
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(health, ready))]
pub struct Api;
