//! The public catalog: published products of every seller, read with a fixed number of
//! statements (products, then their prices with one `IN (subquery)`), and only the
//! columns the public shapes show.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use paidloop_catalog::{AmountCents, PriceFacts, Visibility, choose_public_price};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;

use crate::entities::{digital_assets, prices, products, service_offers};
use crate::error::ApiError;

/// The columns of a product that the ProductList shape shows.
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "products::Entity")]
pub struct PublicProductRow {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Short pitch.
    pub tagline: String,
    /// Long description.
    pub description: String,
    /// `digital` or `service`.
    pub product_type: String,
    /// Always `published` here.
    pub visibility: String,
    /// Normalised feature keys (a JSON list).
    pub feature_keys: Value,
    /// The seller's chosen price, if any.
    pub active_price_id: Option<i64>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<products::Model> for PublicProductRow {
    fn from(p: products::Model) -> Self {
        Self {
            id: p.id,
            name: p.name,
            slug: p.slug,
            tagline: p.tagline,
            description: p.description,
            product_type: p.product_type,
            visibility: p.visibility,
            feature_keys: p.feature_keys,
            active_price_id: p.active_price_id,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// The columns of a price that the PublicPrice shape shows, and what choosing the
/// public price needs.
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "prices::Entity")]
pub struct PublicPriceRow {
    /// Row id.
    pub id: i64,
    /// The product.
    pub product_id: i64,
    /// Display name.
    pub name: String,
    /// Amount in cents.
    pub amount_cents: i64,
    /// Three-letter code.
    pub currency: String,
    /// `one_time`, `monthly` or `yearly`.
    pub billing_period: String,
    /// Whether it can be bought.
    pub is_active: bool,
    /// Whether it is the product's default.
    pub is_default: bool,
}

impl PublicPriceRow {
    fn facts(&self) -> PriceFacts {
        PriceFacts {
            id: self.id,
            is_active: self.is_active,
            is_default: self.is_default,
            amount: AmountCents::new(self.amount_cents).unwrap_or(AmountCents::ZERO),
        }
    }
}

/// The columns of an asset that buyers may see (never the file path).
#[derive(Debug, Clone, DerivePartialModel)]
#[sea_orm(entity = "digital_assets::Entity")]
pub struct PublicAssetRow {
    /// Row id.
    pub id: i64,
    /// Display title.
    pub title: String,
    /// Version label.
    pub version_label: String,
    /// Size in bytes.
    pub file_size_bytes: i64,
}

/// One entry of the public list.
#[derive(Debug)]
pub struct PublicProduct {
    /// The product.
    pub product: PublicProductRow,
    /// The price shown for it ([`choose_public_price`]).
    pub active_price: Option<PublicPriceRow>,
}

/// One published product with everything the ProductDetail shape shows.
#[derive(Debug)]
pub struct PublicProductDetail {
    /// The product.
    pub product: PublicProductRow,
    /// Its free-form metadata.
    pub metadata: Value,
    /// The price shown for it ([`choose_public_price`]).
    pub active_price: Option<PublicPriceRow>,
    /// All its prices, by amount then id.
    pub prices: Vec<PublicPriceRow>,
    /// Its active assets, by title then id.
    pub assets: Vec<PublicAssetRow>,
    /// Its service offer, if any.
    pub service_offer: Option<service_offers::Model>,
}

fn published() -> &'static str {
    Visibility::Published.as_str()
}

/// The public price among `prices` (all of one product's).
fn pick(active_price_id: Option<i64>, prices: &[PublicPriceRow]) -> Option<PublicPriceRow> {
    let facts: Vec<PriceFacts> = prices.iter().map(PublicPriceRow::facts).collect();
    let chosen = choose_public_price(active_price_id, &facts)?;
    prices.iter().find(|price| price.id == chosen).cloned()
}

/// Every published product, by name then id, with its public price: two statements
/// whatever the number of products.
#[tracing::instrument(skip(db))]
pub async fn list(db: &DatabaseConnection) -> Result<Vec<PublicProduct>, ApiError> {
    let rows: Vec<PublicProductRow> = products::Entity::find()
        .filter(products::Column::Visibility.eq(published()))
        .order_by_asc(products::Column::Name)
        .order_by_asc(products::Column::Id)
        .into_partial_model()
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Only active prices can be shown; the subquery keeps this one statement of a fixed
    // size however many products are published.
    let published_ids = Query::select()
        .column(products::Column::Id)
        .from(products::Entity)
        .and_where(products::Column::Visibility.eq(published()))
        .to_owned();
    let price_rows: Vec<PublicPriceRow> = prices::Entity::find()
        .filter(prices::Column::ProductId.in_subquery(published_ids))
        .filter(prices::Column::IsActive.eq(true))
        .into_partial_model()
        .all(db)
        .await?;
    let mut by_product: HashMap<i64, Vec<PublicPriceRow>> = HashMap::new();
    for price in price_rows {
        by_product.entry(price.product_id).or_default().push(price);
    }
    Ok(rows
        .into_iter()
        .map(|product| {
            let prices = by_product.remove(&product.id).unwrap_or_default();
            PublicProduct {
                active_price: pick(product.active_price_id, &prices),
                product,
            }
        })
        .collect())
}

/// The published product with this slug (slugs are unique per seller, so when two
/// sellers publish the same slug, the older product wins); draft, archived or unknown is
/// 404. Four statements.
#[tracing::instrument(skip(db))]
pub async fn detail(db: &DatabaseConnection, slug: &str) -> Result<PublicProductDetail, ApiError> {
    let product = products::Entity::find()
        .filter(products::Column::Slug.eq(slug))
        .filter(products::Column::Visibility.eq(published()))
        .order_by_asc(products::Column::Id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let prices: Vec<PublicPriceRow> = prices::Entity::find()
        .filter(prices::Column::ProductId.eq(product.id))
        .order_by_asc(prices::Column::AmountCents)
        .order_by_asc(prices::Column::Id)
        .into_partial_model()
        .all(db)
        .await?;
    let assets: Vec<PublicAssetRow> = digital_assets::Entity::find()
        .filter(digital_assets::Column::ProductId.eq(product.id))
        .filter(digital_assets::Column::IsActive.eq(true))
        .order_by_asc(digital_assets::Column::Title)
        .order_by_asc(digital_assets::Column::Id)
        .into_partial_model()
        .all(db)
        .await?;
    let service_offer = service_offers::Entity::find()
        .filter(service_offers::Column::ProductId.eq(product.id))
        .one(db)
        .await?;
    let metadata = product.metadata.clone();
    let product = PublicProductRow::from(product);
    Ok(PublicProductDetail {
        active_price: pick(product.active_price_id, &prices),
        product,
        metadata,
        prices,
        assets,
        service_offer,
    })
}
