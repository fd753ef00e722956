//! `dev/session/`: local sign-in, registered only with `APP_DEBUG` and `DEV_AUTH_ENABLED`.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::{OpenApi, ToSchema};

use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::validate::{Errors, looks_like_email};
use crate::state::AppState;

/// Who to sign in as; every field optional.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DevSessionInput {
    /// The local user's id (`user_local_dev` by default): letters, digits, `_`, `-`.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9_-]+$")]
    user_id: Option<String>,
    /// Their email (`{user_id}@example.com` by default).
    #[schema(max_length = 254)]
    email: Option<String>,
    /// Their given name.
    #[schema(max_length = 150)]
    first_name: Option<String>,
    /// Billing features: a list, an object of flags, or a comma-separated string.
    #[schema(schema_with = entitlements_schema, required = false)]
    entitlements: Option<Value>,
}

/// What `entitlements` may be: a list, an object of flags, or a comma-separated string.
fn entitlements_schema() -> Schema {
    let list = ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String));
    let flags = ObjectBuilder::new().schema_type(Type::Object);
    let text = ObjectBuilder::new().schema_type(Type::String);
    let null = ObjectBuilder::new().schema_type(Type::Null);
    Schema::OneOf(
        OneOfBuilder::new()
            .item(list)
            .item(flags)
            .item(text)
            .item(null)
            .build(),
    )
}

/// A local session token.
#[derive(Debug, Serialize, ToSchema)]
pub struct DevSession {
    /// Send as `Authorization: Bearer …`.
    pub token: String,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// The local user when none is named.
const DEFAULT_USER: &str = "user_local_dev";

/// `POST dev/session/`: a short-lived session token for a local user.
#[utoipa::path(
    post,
    path = "/api/dev/session/",
    operation_id = "create_dev_session",
    tag = "dev",
    summary = "Sign in locally without Clerk (development only)",
    request_body = DevSessionInput,
    responses((status = 200, description = "A session token.", body = DevSession)),
)]
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
    Ok(HttpResponse::Ok().json(DevSession {
        token: token.token,
        expires_at: token.expires_at,
    }))
}

/// This module's part of the document (dropped from it when dev sign-in is off).
#[derive(OpenApi)]
#[openapi(paths(session))]
pub struct Api;
