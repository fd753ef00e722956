//! AI usage: `ai/providers/`, `ai/tokens/estimate/`, `ai/chat/complete/`,
//! `ai/images/generate/`, `ai/usage/summary/`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;
use utoipa::OpenApi;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::openapi::errors::ErrorDetail;
use crate::services::ai::input::{ChatInput, EstimateInput, ImageInput};
use crate::services::ai::{self, AiError};
use crate::state::AppState;
use crate::views::ai::{
    BillingSyncBlocked, ChatCompletionView, ImagesView, ProviderView, TokenEstimateView,
    UsageSummaryView,
};
use crate::views::billing::BillingSyncView;

/// Maps the refusals of metered requests to their answers.
fn refused(err: AiError) -> ApiError {
    match err {
        AiError::Api(err) => err,
        AiError::BillingSyncBlocked(status) => {
            let body = BillingSyncBlocked {
                detail: status.detail.clone(),
                error_code: "billing_sync_hard_stale",
                billing_sync: BillingSyncView::from(status),
            };
            ApiError::WithBody(
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::to_value(body).unwrap_or_else(|_| json!({})),
            )
        }
        AiError::Quota { metric, exceeded } => ApiError::WithBody(
            StatusCode::TOO_MANY_REQUESTS,
            json!({
                "detail": format!(
                    "This request needs {} {} but only {} of this cycle's {} remain; it was \
                     not sent to the provider.",
                    exceeded.requested,
                    metric.as_str(),
                    exceeded.remaining,
                    exceeded.limit
                ),
            }),
        ),
    }
}

/// `GET ai/providers/`.
#[utoipa::path(
    get,
    path = "/api/ai/providers/",
    operation_id = "list_ai_providers",
    tag = "ai",
    summary = "The AI providers and whether this server can use each now",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "Every provider, simulator first.", body = Vec<ProviderView>)),
)]
pub async fn providers(state: web::Data<AppState>, _user: CurrentUser) -> HttpResponse {
    let list: Vec<ProviderView> = ai::providers(&state.config.ai, &state.integrations.ai)
        .into_iter()
        .map(ProviderView::from)
        .collect();
    HttpResponse::Ok().json(list)
}

/// `POST ai/tokens/estimate/`.
#[utoipa::path(
    post,
    path = "/api/ai/tokens/estimate/",
    operation_id = "estimate_ai_tokens",
    tag = "ai",
    summary = "Count tokens with OpenAI's encodings (nothing is charged)",
    description = "Counts with o200k_base (cl100k_base for the GPT-4 and GPT-3.5 families), \
                   the model's provider prefix ignored; messages count as a chat: 4 per \
                   message + role + content (+ name - 1) + 2.",
    request_body = EstimateInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The counts.", body = TokenEstimateView)),
)]
pub async fn estimate(
    state: web::Data<AppState>,
    _user: CurrentUser,
    body: JsonBody<EstimateInput>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0.parse()?;
    let counted = ai::estimate(&state.config.ai, &request);
    Ok(HttpResponse::Ok().json(TokenEstimateView::from(counted)))
}

/// `POST ai/chat/complete/`.
#[utoipa::path(
    post,
    path = "/api/ai/chat/complete/",
    operation_id = "complete_ai_chat",
    tag = "ai",
    summary = "A chat answer, charged to the tokens quota",
    description = "Reserves the counted input plus `max_output_tokens` under a lock on the \
                   account before the provider is called, then settles to the usage the \
                   provider reports. A remote provider needs AI_PROVIDER_CALLS_ENABLED.",
    request_body = ChatInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The answer and what it cost.", body = ChatCompletionView),
        (status = 429, description = "Over the cycle's tokens quota (the provider was not called), or over a rate limit (with Retry-After).", body = ErrorDetail),
        (status = 502, description = "The provider failed; nothing was charged.", body = ErrorDetail),
        (status = 503, description = "The billing sync is hard-stale: usage is blocked until it succeeds.", body = BillingSyncBlocked),
    ),
)]
pub async fn chat(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ChatInput>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0.parse()?;
    let outcome = ai::complete_chat(&state, &user, request)
        .await
        .map_err(refused)?;
    Ok(HttpResponse::Ok().json(ChatCompletionView::from(outcome)))
}

/// `POST ai/images/generate/`.
#[utoipa::path(
    post,
    path = "/api/ai/images/generate/",
    operation_id = "generate_ai_images",
    tag = "ai",
    summary = "Generated images, one unit of the images quota each",
    request_body = ImageInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The images and what they cost.", body = ImagesView),
        (status = 429, description = "Over the cycle's images quota (the provider was not called), or over a rate limit (with Retry-After).", body = ErrorDetail),
        (status = 502, description = "The provider failed; nothing was charged.", body = ErrorDetail),
        (status = 503, description = "The billing sync is hard-stale: usage is blocked until it succeeds.", body = BillingSyncBlocked),
    ),
)]
pub async fn images(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ImageInput>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0.parse()?;
    let outcome = ai::generate_images(&state, &user, request)
        .await
        .map_err(refused)?;
    Ok(HttpResponse::Ok().json(ImagesView::from(outcome)))
}

/// `GET ai/usage/summary/`.
#[utoipa::path(
    get,
    path = "/api/ai/usage/summary/",
    operation_id = "ai_usage_summary",
    tag = "ai",
    summary = "Usage of the current billing cycle against the plan's limits",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The summary.", body = UsageSummaryView)),
)]
pub async fn summary(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let summary = ai::summary(&state, &user).await?;
    Ok(HttpResponse::Ok().json(UsageSummaryView::from(summary)))
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(providers, estimate, chat, images, summary))]
pub struct Api;
