//! The error shapes of `spec/API.md` as OpenAPI schemas and reusable responses.
//!
//! Every error body the server sends is one of three shapes: `{"detail": …}`, the 400
//! field map (`{"field": ["message"], …}`, which may also carry `detail` or
//! `non_field_errors`), and the webhook receiver's `{"error": …}`. The responses below
//! are referenced by name from the operations, most of them added by
//! [`super::StandardResponses`] so that no operation forgets one.

use serde::Serialize;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

/// `{"detail": "…"}`: the body of every error that is about the whole request.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ErrorDetail)]
pub struct ErrorDetail {
    /// What went wrong, for a person to read.
    pub detail: String,
}

/// The 400 body: messages by field name. Whole-body problems come as `detail` (a
/// string) or `non_field_errors` (a list), so the map is open.
pub struct ValidationErrors;

impl PartialSchema for ValidationErrors {
    fn schema() -> RefOr<Schema> {
        let messages = ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(Type::String))
            .build();
        ObjectBuilder::new()
            .description(Some(
                "Messages by field name; `detail` is a message about the whole body.",
            ))
            .property("detail", ObjectBuilder::new().schema_type(Type::String))
            .additional_properties(Some(Schema::Array(messages)))
            .build()
            .into()
    }
}

impl ToSchema for ValidationErrors {}

/// `{"error": "…"}`: the webhook receiver's answer to a delivery it could not verify.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookError {
    /// Why the delivery was refused.
    pub error: String,
}

/// A reusable response: its component name, the description, and the body schema.
struct Reusable {
    name: &'static str,
    description: &'static str,
    schema: &'static str,
    retry_after: bool,
}

/// The reusable error responses, by the name operations refer to them with.
const REUSABLE: [Reusable; 10] = [
    Reusable {
        name: "BadRequest",
        description: "Invalid input: messages by field name, or `detail`.",
        schema: "ValidationErrors",
        retry_after: false,
    },
    Reusable {
        name: "Unauthorized",
        description: "No credentials, or a token that failed verification \
                      (`WWW-Authenticate: Bearer`).",
        schema: "ErrorDetail",
        retry_after: false,
    },
    Reusable {
        name: "Forbidden",
        description: "Signed in but not allowed (a cookie request from an untrusted \
                      origin fails the CSRF check).",
        schema: "ErrorDetail",
        retry_after: false,
    },
    Reusable {
        name: "NotFound",
        description: "No such row, or it belongs to someone else.",
        schema: "ErrorDetail",
        retry_after: false,
    },
    Reusable {
        name: "Conflict",
        description: "The request conflicts with the current state.",
        schema: "ErrorDetail",
        retry_after: false,
    },
    Reusable {
        name: "PayloadTooLarge",
        description: "The body is larger than 1 MiB.",
        schema: "ErrorDetail",
        retry_after: false,
    },
    Reusable {
        name: "UnsupportedMediaType",
        description: "The body is not `application/json`.",
        schema: "ErrorDetail",
        retry_after: false,
    },
    Reusable {
        name: "TooManyRequests",
        description: "Over a rate limit; retry after `Retry-After` seconds.",
        schema: "ErrorDetail",
        retry_after: true,
    },
    Reusable {
        name: "BadGateway",
        description: "An outside service (storage, Clerk, an AI provider) failed.",
        schema: "ErrorDetail",
        retry_after: false,
    },
    Reusable {
        name: "ServiceUnavailable",
        description: "An integration is not configured or not available.",
        schema: "ErrorDetail",
        retry_after: false,
    },
];

/// The reusable responses, for `components.responses`.
pub fn responses() -> Vec<(String, RefOr<Response>)> {
    REUSABLE
        .iter()
        .map(|r| {
            let content = ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    r.schema,
                ))))
                .build();
            let mut response = ResponseBuilder::new()
                .description(r.description)
                .content("application/json", content);
            if r.retry_after {
                response = response.header(
                    "Retry-After",
                    utoipa::openapi::HeaderBuilder::new()
                        .schema(
                            ObjectBuilder::new()
                                .schema_type(Type::Integer)
                                .minimum(Some(0)),
                        )
                        .description(Some("Seconds until a request may succeed."))
                        .build(),
                );
            }
            (r.name.to_owned(), RefOr::T(response.build()))
        })
        .collect()
}

/// A reference to the reusable response `name` (one of [`REUSABLE`]).
pub fn reference(name: &str) -> RefOr<Response> {
    debug_assert!(
        REUSABLE.iter().any(|r| r.name == name),
        "unknown response {name}"
    );
    RefOr::Ref(utoipa::openapi::Ref::from_response_name(name))
}
