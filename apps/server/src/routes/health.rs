//! Liveness and readiness probes.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde_json::json;

use crate::state::AppState;

/// `GET health/`: the process answers; touches nothing else.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok", "timestamp": Utc::now()}))
}

/// `GET ready/`: 200 when the database answers, else 503.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(json!({"status": "ok", "database": "ok"})),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(json!({"status": "unavailable", "database": "unavailable"}))
        }
    }
}
