//! `products/`: the public catalog (no sign-in).

use actix_web::{HttpResponse, web};

use crate::error::ApiError;
use crate::services::catalog::public;
use crate::state::AppState;
use crate::views::catalog::{ProductDetailView, ProductListView};

/// `GET products/`: every published product, by name.
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let items = public::list(&state.db).await?;
    Ok(HttpResponse::Ok().json(items.iter().map(ProductListView::from).collect::<Vec<_>>()))
}

/// `GET products/{slug}/`: one published product.
pub async fn detail(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let detail = public::detail(&state.db, &slug).await?;
    Ok(HttpResponse::Ok().json(ProductDetailView::from(&detail)))
}
