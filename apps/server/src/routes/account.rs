//! `account/customer/`: the caller's billing identity; `account/preflight/email-test/`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::customer::{self, CustomerPatch};
use crate::services::email::EmailSettings;
use crate::services::email::preflight::{self, Preflight};
use crate::state::AppState;
use crate::views::CustomerAccountView;

/// `GET account/customer/`.
#[utoipa::path(
    get,
    path = "/api/account/customer/",
    tag = "identity",
    summary = "The caller's customer account",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The account.", body = CustomerAccountView)),
)]
pub async fn get_customer(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(CustomerAccountView::new(&user.account, &user.profile))
}

/// `PATCH account/customer/`.
#[utoipa::path(
    patch,
    path = "/api/account/customer/",
    tag = "identity",
    summary = "Change the caller's billing details",
    request_body = CustomerPatch,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The changed account.", body = CustomerAccountView)),
)]
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

/// The answer of the preflight email test, sent or not.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreflightEmailResult {
    /// Whether the test email was sent.
    pub sent: bool,
    /// What happened, for a person to read.
    pub detail: String,
    /// Where it went (when sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_email: Option<String>,
    /// When it was sent (when sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// The transport's error; only in debug, never in production answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl PreflightEmailResult {
    fn not_sent(detail: impl Into<String>) -> Self {
        Self {
            sent: false,
            detail: detail.into(),
            recipient_email: None,
            sent_at: None,
            error: None,
        }
    }
}

/// `POST account/preflight/email-test/`: sends a test email to the caller now.
#[utoipa::path(
    post,
    path = "/api/account/preflight/email-test/",
    tag = "meta",
    summary = "Send a test email to the caller's billing email",
    description = "Sends one email through the configured transport at once (not through \
                   the outbox), to the billing email, else the profile's email. On success \
                   the time and recipient are kept in the account's metadata \
                   (`preflight_email_last_sent_at`, `preflight_email_last_recipient`). At \
                   most one test per account every 30 seconds: a sooner one is a 429 \
                   like the rate limiter's, with `Retry-After`.",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "Sent.", body = PreflightEmailResult),
        (status = 400, description = "No email transport is configured, or the account has no email address.", body = PreflightEmailResult),
        (status = 502, description = "The transport failed to send it.", body = PreflightEmailResult),
    ),
)]
#[tracing::instrument(skip_all, fields(user_id = %user.profile.clerk_user_id))]
pub async fn preflight_email_test(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let settings = EmailSettings::from_config(&state.config);
    let outcome = preflight::send_test(
        &state.db,
        &state.integrations.mailer,
        &settings,
        user.account.clone(),
        &user.profile.email,
    )
    .await?;
    Ok(match outcome {
        Preflight::Sent { recipient, sent_at } => {
            // The account's metadata changed: the next request must not see the cached row.
            state.identities.forget(&user.profile.clerk_user_id);
            HttpResponse::Ok().json(PreflightEmailResult {
                sent: true,
                detail: format!("Preflight email sent to {recipient}."),
                recipient_email: Some(recipient),
                sent_at: Some(sent_at),
                error: None,
            })
        }
        Preflight::NoTransport(detail) => {
            HttpResponse::BadRequest().json(PreflightEmailResult::not_sent(detail))
        }
        Preflight::NoRecipient => HttpResponse::BadRequest().json(PreflightEmailResult::not_sent(
            "The account has no email address: set billing_email with PATCH \
             /api/account/customer/ first.",
        )),
        Preflight::TooSoon(wait) => HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, wait.to_string()))
            .json(PreflightEmailResult::not_sent(format!(
                "A test email was sent moments ago; try again in {wait} seconds."
            ))),
        Preflight::Failed(error) => HttpResponse::BadGateway().json(PreflightEmailResult {
            error: state.config.app.debug.then_some(error),
            ..PreflightEmailResult::not_sent(
                "The preflight email could not be sent. Check the email settings (sender, \
                 transport) and the server log.",
            )
        }),
    })
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(get_customer, patch_customer, preflight_email_test))]
pub struct Api;
