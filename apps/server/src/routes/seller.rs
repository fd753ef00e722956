//! `seller/…`: the caller's own catalog (products, prices, assets, service offers).
//! Another seller's rows answer 404.

use actix_web::{HttpResponse, web};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::catalog::assets::{self, AssetInput};
use crate::services::catalog::offers::{self, OfferInput};
use crate::services::catalog::prices::{self, PriceInput};
use crate::services::catalog::products::{self, ProductInput};
use crate::state::AppState;
use crate::views::catalog::{
    SellerAssetView, SellerPriceView, SellerProductView, ServiceOfferView,
};

/// `GET seller/products/`.
pub async fn list_products(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let rows = products::list(&state.db, user.profile.id).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SellerProductView::from).collect::<Vec<_>>()))
}

/// `POST seller/products/`.
pub async fn create_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let row = products::create(&state.db, user.profile.id, &body.0).await?;
    Ok(HttpResponse::Created().json(SellerProductView::from(&row)))
}

/// `GET seller/products/{id}/`.
pub async fn get_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = products::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(SellerProductView::from(&row)))
}

/// `PATCH seller/products/{id}/`.
pub async fn patch_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let row = products::update(&state.db, user.profile.id, *id, &body.0, false).await?;
    Ok(HttpResponse::Ok().json(SellerProductView::from(&row)))
}

/// `PUT seller/products/{id}/`.
pub async fn put_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let row = products::update(&state.db, user.profile.id, *id, &body.0, true).await?;
    Ok(HttpResponse::Ok().json(SellerProductView::from(&row)))
}

/// `DELETE seller/products/{id}/`: 409 when the product was sold.
pub async fn delete_product(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    products::delete(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET seller/products/{product_id}/prices/`.
pub async fn list_prices(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let rows = prices::list(&state.db, user.profile.id, *product_id).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SellerPriceView::from).collect::<Vec<_>>()))
}

/// `POST seller/products/{product_id}/prices/`.
pub async fn create_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
    body: JsonBody<PriceInput>,
) -> Result<HttpResponse, ApiError> {
    let row = prices::create(&state.db, user.profile.id, *product_id, &body.0).await?;
    Ok(HttpResponse::Created().json(SellerPriceView::from(&row)))
}

/// `GET seller/prices/{id}/`.
pub async fn get_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = prices::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(SellerPriceView::from(&row)))
}

/// `PATCH`/`PUT seller/prices/{id}/` (every price field has a default, so both keep
/// what is not sent).
pub async fn update_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<PriceInput>,
) -> Result<HttpResponse, ApiError> {
    let row = prices::update(&state.db, user.profile.id, *id, &body.0).await?;
    Ok(HttpResponse::Ok().json(SellerPriceView::from(&row)))
}

/// `DELETE seller/prices/{id}/`.
pub async fn delete_price(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    prices::delete(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET seller/products/{product_id}/assets/`.
pub async fn list_assets(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let rows = assets::list(&state.db, user.profile.id, *product_id).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(SellerAssetView::from).collect::<Vec<_>>()))
}

/// `POST seller/products/{product_id}/assets/`.
pub async fn create_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
    body: JsonBody<AssetInput>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::create(&state.db, user.profile.id, *product_id, &body.0).await?;
    Ok(HttpResponse::Created().json(SellerAssetView::from(&row)))
}

/// `GET seller/assets/{id}/`.
pub async fn get_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::get(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::Ok().json(SellerAssetView::from(&row)))
}

/// `PATCH seller/assets/{id}/`.
pub async fn patch_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<AssetInput>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::update(&state.db, user.profile.id, *id, &body.0, false).await?;
    Ok(HttpResponse::Ok().json(SellerAssetView::from(&row)))
}

/// `PUT seller/assets/{id}/`: title and file path required.
pub async fn put_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: JsonBody<AssetInput>,
) -> Result<HttpResponse, ApiError> {
    let row = assets::update(&state.db, user.profile.id, *id, &body.0, true).await?;
    Ok(HttpResponse::Ok().json(SellerAssetView::from(&row)))
}

/// `DELETE seller/assets/{id}/`.
pub async fn delete_asset(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    assets::delete(&state.db, user.profile.id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET seller/products/{product_id}/service-offer/`.
pub async fn get_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let row = offers::get(&state.db, user.profile.id, *product_id).await?;
    Ok(HttpResponse::Ok().json(ServiceOfferView::from(&row)))
}

/// `PUT`/`PATCH seller/products/{product_id}/service-offer/`: creates or updates it.
pub async fn upsert_offer(
    state: web::Data<AppState>,
    user: CurrentUser,
    product_id: web::Path<i64>,
    body: JsonBody<OfferInput>,
) -> Result<HttpResponse, ApiError> {
    let row = offers::upsert(&state.db, user.profile.id, *product_id, &body.0).await?;
    Ok(HttpResponse::Ok().json(ServiceOfferView::from(&row)))
}
