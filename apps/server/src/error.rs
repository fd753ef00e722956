//! One error type for every handler, mapped to the error shapes of `spec/API.md`.
//!
//! Handlers and services return `Result<_, ApiError>`; the status and body follow from the
//! variant. Internal errors never put their text in the body: it goes to the log, and to
//! the response extensions, from where the debug-only middleware may show it.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

/// Field name → messages, the body of a 400 validation error.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// The text of an internal error, kept out of the body and attached to the response so
/// that debug mode can show it.
#[derive(Debug, Clone)]
pub struct InternalErrorText(pub String);

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 with per-field messages.
    #[error("invalid input: {0:?}")]
    Validation(FieldErrors),
    /// 400 about the whole request.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no or bad credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: authenticated but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: unknown, or someone else's.
    #[error("Not found.")]
    NotFound,
    /// 409: the request conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// 413: body over the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 502: an outside service (payment provider, asset storage, …) failed; the text is
    /// a safe summary, the cause goes to the log.
    #[error("{0}")]
    BadGateway(String),
    /// 503: an integration is not configured or not available.
    #[error("{0}")]
    ServiceUnavailable(String),
    /// 500: a bug or an outage; the text is logged, never sent outside debug.
    #[error("internal error: {0}")]
    Internal(String),
    /// Any status with a body that carries more than `detail` (e.g. the 409 of a
    /// pending payment with `pending_verification: true`, a 403 with the grant).
    #[error("{1}")]
    WithBody(StatusCode, serde_json::Value),
}

impl ApiError {
    /// A 400 with one message on one field.
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(name.to_owned(), vec![message.into()]);
        Self::Validation(errors)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Internal(format!("database: {err}"))
    }
}

impl<E: std::fmt::Display> From<sea_orm::TransactionError<E>> for ApiError
where
    ApiError: From<E>,
{
    fn from(err: sea_orm::TransactionError<E>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner.into(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BadGateway(_) => StatusCode::BAD_GATEWAY,
            Self::ServiceUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::WithBody(status, _) => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        match self {
            Self::Validation(errors) => response.json(errors),
            Self::Unauthorized(detail) => response
                .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
                .json(json!({ "detail": detail })),
            Self::Internal(text) => {
                tracing::error!(error = %text, "request failed");
                let mut res = response.json(json!({ "detail": "Internal server error." }));
                res.extensions_mut().insert(InternalErrorText(text.clone()));
                res
            }
            Self::WithBody(_, body) => response.json(body),
            other => response.json(json!({ "detail": other.to_string() })),
        }
    }
}
