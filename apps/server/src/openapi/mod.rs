//! The OpenAPI 3.1 document of the whole API, generated from the code.
//!
//! Each handler carries its own `#[utoipa::path]` (summary, tag, parameters, body,
//! answers) and each route module gathers its handlers into an `Api` document; this
//! module merges them, adds the security schemes and the reusable error responses, and
//! adds to every operation the errors that follow from its shape (see
//! [`StandardResponses`]), so the document cannot forget a 401 or a 415.
//!
//! A test keeps the document equal to the router (`routes::configure` reports what it
//! serves), `scripts/test` validates it as OpenAPI 3.1 and fuzzes the running server
//! with it, and the SPA generates its types from it.

pub mod enums;
pub mod errors;
mod required;

use actix_web::http::Method;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::rate_limit::policy::{Charge, classify};
use crate::routes;

/// The security scheme of a Clerk session JWT in `Authorization: Bearer …`.
pub const BEARER: &str = "bearer_jwt";
/// The security scheme of Clerk's `__session` cookie.
pub const SESSION_COOKIE: &str = "session_cookie";

/// The parts every route module's document shares: metadata, tags, schemes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Paidloop API",
        description = "The HTTP contract of Paidloop, a revenue-first SaaS starter: catalog, \
                       orders, payment verified server-side by Clerk webhooks, fulfilment, \
                       account pages. Paths end with a slash; bodies are JSON; errors are \
                       `{\"detail\": …}` or, for 400, messages by field name.",
        license(name = "MIT", identifier = "MIT"),
    ),
    tags(
        (name = "meta", description = "Liveness, readiness, preflight checks and this document."),
        (name = "identity", description = "The caller: profile, customer account, features."),
        (name = "catalog", description = "The public catalog: published products and prices."),
        (name = "seller", description = "The caller's own catalog: products, prices, assets, service offers."),
        (name = "orders", description = "Buying: pending orders, and the local-only confirmation."),
        (name = "billing", description = "Subscriptions, entitlements, and the sync with Clerk billing."),
        (name = "ai", description = "AI usage metered server-side: providers, token estimates, chats and images charged to the plan's quota, the usage summary."),
        (name = "downloads", description = "Fulfilment on the buyer's side: download grants and work orders."),
        (name = "webhooks", description = "Clerk's Svix-signed deliveries: the only payment truth in production."),
        (name = "projects", description = "A small example resource owned by the caller."),
        (name = "dev", description = "Local development only (APP_DEBUG and DEV_AUTH_ENABLED)."),
    ),
    components(schemas(errors::ErrorDetail, errors::ValidationErrors, errors::WebhookError)),
    modifiers(&SecuritySchemes),
)]
struct Base;

/// Adds the two ways of sending a Clerk session (the bearer header and the cookie), the
/// reusable error responses and the choice schemas.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A Clerk session token (or, in local development, one from \
                         `POST /api/dev/session/`).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            SESSION_COOKIE,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "__session",
                "Clerk's same-site session cookie; requests that change something must \
                 come from a trusted origin (CSRF check).",
            ))),
        );
        for (name, response) in errors::responses() {
            components.responses.insert(name, response);
        }
        for (name, schema) in enums::schemas() {
            components.schemas.insert(name, schema);
        }
    }
}

/// Adds to each operation the error answers its shape implies:
/// - signed in (it has `security`) → 401; and, when it changes something, 403 for a
///   cookie request that fails the CSRF check;
/// - a JSON body → 400, 413, 415;
/// - path parameters → 404 (a malformed id is 404 too);
/// - query parameters → 400;
/// - rate limited (the limiter's own [`policy::classify`] decides, so the document and
///   the limiter cannot disagree) → 429 with `Retry-After`.
///
/// An operation that states one of these itself keeps its own.
pub struct StandardResponses;

/// Operations that read their body as raw bytes whatever its content type (the webhook
/// receiver verifies the exact bytes), so a JSON body's 415 does not apply.
const RAW_BODY_PATHS: [&str; 1] = ["/api/webhooks/clerk/"];

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut Document) {
        for (path, item) in &mut openapi.paths.paths {
            let has_path_params = path.contains('{');
            let unsafe_methods = [
                (Method::POST, item.post.as_mut()),
                (Method::PUT, item.put.as_mut()),
                (Method::PATCH, item.patch.as_mut()),
                (Method::DELETE, item.delete.as_mut()),
            ];
            let raw_body = RAW_BODY_PATHS.contains(&path.as_str());
            for (method, operation) in unsafe_methods {
                if let Some(operation) = operation {
                    let limited = classify(&method, path) != Charge::Exempt;
                    add_standard(operation, has_path_params, true, raw_body, limited);
                }
            }
            if let Some(operation) = item.get.as_mut() {
                let limited = classify(&Method::GET, path) != Charge::Exempt;
                add_standard(operation, has_path_params, false, raw_body, limited);
            }
        }
    }
}

fn add_standard(
    operation: &mut Operation,
    has_path_params: bool,
    changes_state: bool,
    raw_body: bool,
    rate_limited: bool,
) {
    let signed_in = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_query = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == ParameterIn::Query);
    let mut wanted: Vec<(&str, &str)> = Vec::new();
    if signed_in {
        wanted.push(("401", "Unauthorized"));
        if changes_state {
            wanted.push(("403", "Forbidden"));
        }
    }
    if operation.request_body.is_some() {
        wanted.extend([("400", "BadRequest"), ("413", "PayloadTooLarge")]);
        if !raw_body {
            wanted.push(("415", "UnsupportedMediaType"));
        }
    }
    if has_path_params {
        wanted.push(("404", "NotFound"));
    }
    if has_query {
        wanted.push(("400", "BadRequest"));
    }
    if rate_limited {
        wanted.push(("429", "TooManyRequests"));
    }
    let responses = &mut operation.responses.responses;
    for (status, name) in wanted {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| errors::reference(name));
    }
}

/// The whole document. `dev_auth_active` decides whether `dev/session/` is in it,
/// exactly as it decides whether the router serves it.
pub fn document(dev_auth_active: bool) -> Document {
    let mut doc = Base::openapi();
    for part in routes::documents() {
        doc.merge(part);
    }
    if !dev_auth_active {
        doc.paths
            .paths
            .retain(|path, _| !path.starts_with("/api/dev/"));
    }
    StandardResponses.modify(&mut doc);
    required::ResponseFieldsRequired.modify(&mut doc);
    doc
}

#[cfg(test)]
mod tests;
