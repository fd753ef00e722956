//! `webhooks/clerk/`: Clerk (Svix) deliveries.

use actix_web::{HttpRequest, HttpResponse, web};
use paidloop_clerk::SvixHeaders;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::error::ApiError;
use crate::openapi::errors::{ErrorDetail, WebhookError};
use crate::services::webhooks::{self, Outcome};
use crate::state::AppState;

/// The answer to a verified delivery.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct WebhookAck {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// Why the event needed no work, when it needed none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored: Option<String>,
    /// True when this event id was already processed: nothing was done again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deduplicated: Option<bool>,
}

/// `POST webhooks/clerk/`: verified, recorded once, processed exactly once.
#[utoipa::path(
    post,
    path = "/api/webhooks/clerk/",
    operation_id = "receive_clerk_webhook",
    tag = "webhooks",
    summary = "Receive a Clerk event (Svix-signed)",
    description = "The signature is checked over the exact body before anything else; each \
                   `svix-id` is processed once. Payment events confirm and fulfil orders.",
    params(
        ("svix-id" = String, Header, description = "The delivery's event id."),
        ("svix-timestamp" = String, Header, description = "Unix seconds; within 5 minutes of now."),
        ("svix-signature" = String, Header, description = "Space-separated `v1,<base64 HMAC-SHA256>` entries."),
    ),
    request_body(content = Object, description = "Clerk's event: `{type, data, …}`.", content_type = "application/json"),
    responses(
        (status = 200, description = "Processed, ignored, or already processed.", body = WebhookAck),
        (status = 400, description = "The signature is missing, wrong or too old (nothing stored).", body = WebhookError),
        (status = 413, description = "The body is larger than 1 MiB.", body = ErrorDetail),
        (status = 500, description = "Processing failed; the event is stored `failed` so that Svix retries it.", body = ErrorDetail),
    ),
)]
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
    let ok = WebhookAck {
        status: "ok",
        ..WebhookAck::default()
    };
    let answer = match webhooks::receive(&state, &headers, &body).await? {
        Outcome::Processed => ok,
        Outcome::Ignored(reason) => WebhookAck {
            ignored: Some(reason),
            ..ok
        },
        Outcome::Deduplicated => WebhookAck {
            deduplicated: Some(true),
            ..ok
        },
    };
    Ok(HttpResponse::Ok().json(answer))
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(clerk))]
pub struct Api;
