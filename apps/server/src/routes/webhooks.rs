//! `webhooks/clerk/`: Clerk (Svix) deliveries.

use actix_web::{HttpRequest, HttpResponse, web};
use paidloop_clerk::SvixHeaders;
use serde_json::json;

use crate::error::ApiError;
use crate::services::webhooks::{self, Outcome};
use crate::state::AppState;

/// `POST webhooks/clerk/`: verified, recorded once, processed exactly once.
pub async fn clerk(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let headers = SvixHeaders::from_fn(|name| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    let answer = match webhooks::receive(&state, &headers, &body).await? {
        Outcome::Processed => json!({"status": "ok"}),
        Outcome::Ignored(reason) => json!({"status": "ok", "ignored": reason}),
        Outcome::Deduplicated => json!({"status": "ok", "deduplicated": true}),
    };
    Ok(HttpResponse::Ok().json(answer))
}
