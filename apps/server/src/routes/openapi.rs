//! `openapi.json`: the OpenAPI 3.1 document of this API, as this instance serves it.

use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

/// The document, serialised once when the routes are built.
pub struct DocumentJson(Bytes);

impl DocumentJson {
    /// Serialises [`crate::openapi::document`] for this configuration.
    pub fn new(dev_auth_active: bool) -> Self {
        let doc = crate::openapi::document(dev_auth_active);
        // Serialising a document of plain maps and strings cannot fail.
        Self(Bytes::from(doc.to_pretty_json().unwrap_or_default()))
    }
}

/// `GET openapi.json`.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "openapi_document",
    tag = "meta",
    summary = "This API's OpenAPI 3.1 document",
    responses((status = 200, description = "The OpenAPI document.", content_type = "application/json", body = Object)),
)]
pub async fn document(doc: web::Data<DocumentJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(doc.0.clone())
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(document))]
pub struct Api;
