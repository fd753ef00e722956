//! `dev/session/`: local sign-in, registered only with `APP_DEBUG` and `DEV_AUTH_ENABLED`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::validate::{Errors, looks_like_email};
use crate::state::AppState;

/// Who to sign in as; every field optional.
#[derive(Debug, Deserialize)]
pub struct DevSessionInput {
    user_id: Option<String>,
    email: Option<String>,
    first_name: Option<String>,
    entitlements: Option<Value>,
}

/// The local user when none is named.
const DEFAULT_USER: &str = "user_local_dev";

/// `POST dev/session/`: a short-lived session token for a local user.
pub async fn session(
    state: web::Data<AppState>,
    body: JsonBody<DevSessionInput>,
) -> Result<HttpResponse, ApiError> {
    let signer = state.dev_signer.as_ref().ok_or(ApiError::NotFound)?;
    let input = body.0;
    let mut errors = Errors::default();
    let user_id = errors.text(
        "user_id",
        input.user_id.as_deref().unwrap_or(DEFAULT_USER),
        64,
    );
    if user_id.is_empty()
        || !user_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.add("user_id", "Use 1-64 letters, digits, `_` or `-`.");
    }
    let email = match input.email.as_deref().map(str::trim) {
        Some(email) if !looks_like_email(email) => {
            errors.add("email", "Enter a valid email address.");
            String::new()
        }
        Some(email) => email.to_owned(),
        None => format!("{}@example.com", user_id.to_ascii_lowercase()),
    };
    let first_name = errors.text("first_name", input.first_name.as_deref().unwrap_or(""), 150);
    let entitlements = match input.entitlements {
        None | Some(Value::Null) => None,
        Some(v @ (Value::Array(_) | Value::String(_) | Value::Object(_))) => Some(v),
        Some(_) => {
            errors.add(
                "entitlements",
                "Expected a list, an object or a comma-separated string.",
            );
            None
        }
    };
    errors.finish()?;
    let mut claims = Map::new();
    claims.insert("email".into(), json!(email));
    if !first_name.is_empty() {
        claims.insert("given_name".into(), json!(first_name));
    }
    if let Some(entitlements) = entitlements {
        claims.insert("entitlements".into(), entitlements);
    }
    let token = signer
        .sign(&user_id, claims, Utc::now())
        .map_err(|err| ApiError::Internal(format!("signing a dev token: {err}")))?;
    Ok(HttpResponse::Ok().json(json!({"token": token.token, "expires_at": token.expires_at})))
}
