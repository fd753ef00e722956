//! `seller/…`: the caller's own catalog (products, prices, assets, service offers).
//! Another seller's rows answer 404.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::openapi::errors::{ErrorDetail, ValidationErrors};
use crate::services::catalog::assets::{self, AssetInput};
use crate::services::catalog::offers::{self, OfferInput};
use crate::services::catalog::prices::{self, PriceInput};
use crate::services::catalog::products::{self, ProductInput};
use crate::state::AppState;
use crate::views::catalog::{
    SellerAssetView, SellerPriceView, SellerProductView, ServiceOfferView,
};

/// `GET seller/products/`.
#[utoipa::path(
    get,
    path = "/api/seller/products/",
    tag = "seller",
    summary = "The caller's products, with prices, assets and offer",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The caller's products.", body = Vec<SellerProductView>),
    ),
)]
pub async fn list_products(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let rows = products::list(&state.db, user.profile.id).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SellerProductView::from).collect::<Vec<_>>()))
}

/// `POST seller/products/`.
#[utoipa::path(
    post,
    path = "/api/seller/products/",
    tag = "seller",
    summary = "Create a product",
    request_body = ProductInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 201, description = "The new product.", body = SellerProductView),
    ),
)]
pub async fn create_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let row = products::create(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        &body.0,
    )
    .await?;
    Ok(HttpResponse::Created().json(SellerProductView::from(&row)))
}

/// `GET seller/products/{id}/`.
#[utoipa::path(
    get,
    path = "/api/seller/products/{id}/",
    tag = "seller",
    summary = "One of the caller's products",
    params(("id" = i64, Path, description = "The product's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The product.", body = SellerProductView),
    ),
)]
pub async fn get_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = products::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(SellerProductView::from(&row)))
}

/// `PATCH seller/products/{id}/`.
#[utoipa::path(
    patch,
    path = "/api/seller/products/{id}/",
    tag = "seller",
    summary = "Change some fields of a product",
    params(("id" = i64, Path, description = "The product's id.")),
    request_body = ProductInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The changed product.", body = SellerProductView),
    ),
)]
pub async fn patch_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let row = products::update(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *id,
        &body.0,
        false,
    )
    .await?;
    Ok(HttpResponse::Ok().json(SellerProductView::from(&row)))
}

/// `PUT seller/products/{id}/`.
#[utoipa::path(
    put,
    path = "/api/seller/products/{id}/",
    tag = "seller",
    summary = "Replace a product (name required)",
    params(("id" = i64, Path, description = "The product's id.")),
    request_body = ProductInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The replaced product.", body = SellerProductView),
    ),
)]
pub async fn put_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let row = products::update(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *id,
        &body.0,
        true,
    )
    .await?;
    Ok(HttpResponse::Ok().json(SellerProductView::from(&row)))
}

/// `DELETE seller/products/{id}/`: 409 when the product was sold.
#[utoipa::path(
    delete,
    path = "/api/seller/products/{id}/",
    tag = "seller",
    summary = "Delete a product that never sold",
    params(("id" = i64, Path, description = "The product's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, description = "A product with orders cannot be deleted; archive it instead.", body = ErrorDetail),
    ),
)]
pub async fn delete_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    products::delete(&state.db, &state.catalog_generation, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET seller/products/{product_id}/prices/`.
#[utoipa::path(
    get,
    path = "/api/seller/products/{product_id}/prices/",
    tag = "seller",
    summary = "A product's prices, by amount then id",
    params(("product_id" = i64, Path, description = "The product's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The prices.", body = Vec<SellerPriceView>),
    ),
)]
pub async fn list_prices(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let rows = prices::list(&state.db, user.profile.id, *product_id).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SellerPriceView::from).collect::<Vec<_>>()))
}

/// `POST seller/products/{product_id}/prices/`.
#[utoipa::path(
    post,
    path = "/api/seller/products/{product_id}/prices/",
    tag = "seller",
    summary = "Add a price to a product",
    params(("product_id" = i64, Path, description = "The product's id.")),
    request_body = PriceInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 201, description = "The new price.", body = SellerPriceView),
        (status = 409, description = "Another request changed the default price at the same time; try again.", body = ErrorDetail),
    ),
)]
pub async fn create_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
    body: JsonBody<PriceInput>,
) -> Result<HttpResponse, ApiError> {
    let row = prices::create(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *product_id,
        &body.0,
    )
    .await?;
    Ok(HttpResponse::Created().json(SellerPriceView::from(&row)))
}

/// `GET seller/prices/{id}/`.
#[utoipa::path(
    get,
    path = "/api/seller/prices/{id}/",
    tag = "seller",
    summary = "One price",
    params(("id" = i64, Path, description = "The price's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The price.", body = SellerPriceView),
    ),
)]
pub async fn get_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = prices::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(SellerPriceView::from(&row)))
}

/// `PATCH seller/prices/{id}/` (every price field has a default, so PATCH and PUT both
/// keep what is not sent).
#[utoipa::path(
    patch,
    path = "/api/seller/prices/{id}/",
    tag = "seller",
    summary = "Change some fields of a price",
    params(("id" = i64, Path, description = "The price's id.")),
    request_body = PriceInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The changed price.", body = SellerPriceView),
        (status = 409, description = "Another request changed the default price at the same time; try again.", body = ErrorDetail),
    ),
)]
pub async fn patch_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<PriceInput>,
) -> Result<HttpResponse, ApiError> {
    let row = prices::update(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *id,
        &body.0,
    )
    .await?;
    Ok(HttpResponse::Ok().json(SellerPriceView::from(&row)))
}

/// `PUT seller/prices/{id}/`: the same as PATCH.
#[utoipa::path(
    put,
    path = "/api/seller/prices/{id}/",
    tag = "seller",
    summary = "Update a price (fields not sent keep their value)",
    params(("id" = i64, Path, description = "The price's id.")),
    request_body = PriceInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The changed price.", body = SellerPriceView),
        (status = 409, description = "Another request changed the default price at the same time; try again.", body = ErrorDetail),
    ),
)]
pub async fn put_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<PriceInput>,
) -> Result<HttpResponse, ApiError> {
    patch_price(state, user, id, body).await
}

/// `DELETE seller/prices/{id}/`.
#[utoipa::path(
    delete,
    path = "/api/seller/prices/{id}/",
    tag = "seller",
    summary = "Delete a price",
    params(("id" = i64, Path, description = "The price's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 204, description = "Deleted."),
    ),
)]
pub async fn delete_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    prices::delete(&state.db, &state.catalog_generation, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET seller/products/{product_id}/assets/`.
#[utoipa::path(
    get,
    path = "/api/seller/products/{product_id}/assets/",
    tag = "seller",
    summary = "A product's assets, by title then id",
    params(("product_id" = i64, Path, description = "The product's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The assets.", body = Vec<SellerAssetView>),
    ),
)]
pub async fn list_assets(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let rows = assets::list(&state.db, user.profile.id, *product_id).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SellerAssetView::from).collect::<Vec<_>>()))
}

/// `POST seller/products/{product_id}/assets/`.
#[utoipa::path(
    post,
    path = "/api/seller/products/{product_id}/assets/",
    tag = "seller",
    summary = "Add a downloadable asset to a product",
    params(("product_id" = i64, Path, description = "The product's id.")),
    request_body = AssetInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 201, description = "The new asset.", body = SellerAssetView),
    ),
)]
pub async fn create_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
    body: JsonBody<AssetInput>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::create(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *product_id,
        &body.0,
    )
    .await?;
    Ok(HttpResponse::Created().json(SellerAssetView::from(&row)))
}

/// `GET seller/assets/{id}/`.
#[utoipa::path(
    get,
    path = "/api/seller/assets/{id}/",
    tag = "seller",
    summary = "One asset",
    params(("id" = i64, Path, description = "The asset's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The asset.", body = SellerAssetView),
    ),
)]
pub async fn get_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(SellerAssetView::from(&row)))
}

/// `PATCH seller/assets/{id}/`.
#[utoipa::path(
    patch,
    path = "/api/seller/assets/{id}/",
    tag = "seller",
    summary = "Change some fields of an asset",
    params(("id" = i64, Path, description = "The asset's id.")),
    request_body = AssetInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The changed asset.", body = SellerAssetView),
    ),
)]
pub async fn patch_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<AssetInput>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::update(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *id,
        &body.0,
        false,
    )
    .await?;
    Ok(HttpResponse::Ok().json(SellerAssetView::from(&row)))
}

/// `PUT seller/assets/{id}/`: title and file path required.
#[utoipa::path(
    put,
    path = "/api/seller/assets/{id}/",
    tag = "seller",
    summary = "Replace an asset (title and file path required)",
    params(("id" = i64, Path, description = "The asset's id.")),
    request_body = AssetInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The replaced asset.", body = SellerAssetView),
    ),
)]
pub async fn put_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<AssetInput>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::update(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *id,
        &body.0,
        true,
    )
    .await?;
    Ok(HttpResponse::Ok().json(SellerAssetView::from(&row)))
}

/// `DELETE seller/assets/{id}/`.
#[utoipa::path(
    delete,
    path = "/api/seller/assets/{id}/",
    tag = "seller",
    summary = "Delete an asset",
    params(("id" = i64, Path, description = "The asset's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 204, description = "Deleted."),
    ),
)]
pub async fn delete_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    assets::delete(&state.db, &state.catalog_generation, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET seller/products/{product_id}/service-offer/`.
#[utoipa::path(
    get,
    path = "/api/seller/products/{product_id}/service-offer/",
    tag = "seller",
    summary = "A service product's offer (404 until one exists)",
    params(("product_id" = i64, Path, description = "The product's id.")),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 400, description = "The product is not a service product.", body = ValidationErrors),
        (status = 200, description = "The offer.", body = ServiceOfferView),
    ),
)]
pub async fn get_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = offers::get(&state.db, user.profile.id, *product_id).await?;
    Ok(HttpResponse::Ok().json(ServiceOfferView::from(&row)))
}

/// `PUT seller/products/{product_id}/service-offer/`: creates or updates it; fields
/// not sent keep their stored (or default) value.
#[utoipa::path(
    put,
    path = "/api/seller/products/{product_id}/service-offer/",
    tag = "seller",
    summary = "Create or update a service product's offer",
    params(("product_id" = i64, Path, description = "The product's id.")),
    request_body = OfferInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The offer.", body = ServiceOfferView),
        (status = 409, description = "Another request created the offer at the same time; try again.", body = ErrorDetail),
        (status = 400, description = "The product is not a service product, or a field is invalid.", body = ValidationErrors),
    ),
)]
pub async fn put_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
    body: JsonBody<OfferInput>,
) -> Result<HttpResponse, ApiError> {
    let row = offers::upsert(
        &state.db,
        &state.catalog_generation,
        user.profile.id,
        *product_id,
        &body.0,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ServiceOfferView::from(&row)))
}

/// `PATCH seller/products/{product_id}/service-offer/`: the same as PUT.
#[utoipa::path(
    patch,
    path = "/api/seller/products/{product_id}/service-offer/",
    tag = "seller",
    summary = "Create or update some fields of a service product's offer",
    params(("product_id" = i64, Path, description = "The product's id.")),
    request_body = OfferInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "The offer.", body = ServiceOfferView),
        (status = 409, description = "Another request created the offer at the same time; try again.", body = ErrorDetail),
        (status = 400, description = "The product is not a service product, or a field is invalid.", body = ValidationErrors),
    ),
)]
pub async fn patch_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
    body: JsonBody<OfferInput>,
) -> Result<HttpResponse, ApiError> {
    put_offer(state, user, product_id, body).await
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(
    list_products,
    create_product,
    get_product,
    patch_product,
    put_product,
    delete_product,
    list_prices,
    create_price,
    get_price,
    patch_price,
    put_price,
    delete_price,
    list_assets,
    create_asset,
    get_asset,
    patch_asset,
    put_asset,
    delete_asset,
    get_offer,
    put_offer,
    patch_offer,
))]
pub struct Api;
