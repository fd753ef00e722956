//! `products/`: the public catalog (no sign-in).
//!
//! Bodies are served from the per-worker [`PublicCatalogCache`] while the catalog has
//! not changed on this instance, for `CATALOG_CACHE_SECONDS` (and, once expired, while
//! one request reads it again); see that module.

use std::time::Instant;

use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::OpenApi;

use crate::error::ApiError;
use crate::services::catalog::cache::PublicCatalogCache;
use crate::services::catalog::public;
use crate::state::AppState;
use crate::views::catalog::{ProductDetailView, ProductListView};

fn json_body<T: Serialize>(value: &T) -> Result<Bytes, ApiError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|err| ApiError::Internal(format!("serialising the catalog: {err}")))
}

fn ok(body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body)
}

/// `GET products/`: every published product, by name.
#[utoipa::path(
    get,
    path = "/api/products/",
    operation_id = "list_public_products",
    tag = "catalog",
    summary = "The public catalog: every published product, by name",
    responses((status = 200, description = "Published products.", body = Vec<ProductListView>)),
)]
pub async fn list(
    state: web::Data<AppState>,
    cache: web::Data<PublicCatalogCache>,
) -> Result<HttpResponse, ApiError> {
    let (generation, now) = (state.catalog_generation.current(), Instant::now());
    if let Some(body) = cache.list(generation, now) {
        return Ok(ok(body));
    }
    let items = public::list(&state.one_connection()).await?;
    let body = json_body(&items.iter().map(ProductListView::from).collect::<Vec<_>>())?;
    cache.store_list(body.clone(), generation, now);
    Ok(ok(body))
}

/// `GET products/{slug}/`: one published product.
#[utoipa::path(
    get,
    path = "/api/products/{slug}/",
    operation_id = "get_public_product",
    tag = "catalog",
    summary = "One published product with its prices, assets and service offer",
    params(("slug" = String, Path, description = "The product's slug.")),
    responses((status = 200, description = "The product.", body = ProductDetailView)),
)]
pub async fn detail(
    state: web::Data<AppState>,
    cache: web::Data<PublicCatalogCache>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (generation, now) = (state.catalog_generation.current(), Instant::now());
    if let Some(body) = cache.detail(&slug, generation, now) {
        return Ok(ok(body));
    }
    // Four statements on one connection: one hand-back to the pool (see `one_connection`).
    let detail = public::detail(&state.one_connection(), &slug).await?;
    let body = json_body(&ProductDetailView::from(&detail))?;
    cache.store_detail(&slug, body.clone(), generation, now);
    Ok(ok(body))
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(list, detail))]
pub struct Api;
