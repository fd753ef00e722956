//! Catalog shapes of `spec/API.md`: the public ProductList, ProductDetail, PublicPrice
//! and ServiceOffer, and the seller's SellerProduct, SellerPrice and SellerAsset.
//!
//! They borrow from the rows they show, so a list is serialised without copying text.

use chrono::{DateTime, Utc};
use paidloop_catalog::format_amount;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::entities::{digital_assets, prices, service_offers};
use crate::services::catalog::products::SellerProduct;
use crate::services::catalog::public::{
    PublicAssetRow, PublicPriceRow, PublicProduct, PublicProductDetail, PublicProductRow,
};

/// `PublicPrice` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PublicPrice)]
pub struct PublicPriceView<'a> {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: &'a str,
    /// Amount in cents.
    pub amount_cents: i64,
    /// The amount as a decimal string with two places (`"12.50"`).
    #[schema(example = "12.50")]
    pub amount: String,
    /// Three-letter code.
    #[schema(example = "USD")]
    pub currency: &'a str,
    /// `one_time`, `monthly` or `yearly`.
    #[schema(schema_with = crate::openapi::enums::billing_period)]
    pub billing_period: &'a str,
    /// Whether it is the product's default price.
    pub is_default: bool,
}

impl<'a> From<&'a PublicPriceRow> for PublicPriceView<'a> {
    fn from(p: &'a PublicPriceRow) -> Self {
        Self {
            id: p.id,
            name: &p.name,
            amount_cents: p.amount_cents,
            amount: format_amount(p.amount_cents),
            currency: &p.currency,
            billing_period: &p.billing_period,
            is_default: p.is_default,
        }
    }
}

/// An asset as buyers see it: never its file path.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PublicAsset)]
pub struct PublicAssetView<'a> {
    /// Row id.
    pub id: i64,
    /// Display title.
    pub title: &'a str,
    /// Version label.
    pub version_label: &'a str,
    /// Size in bytes.
    pub file_size_bytes: i64,
}

impl<'a> From<&'a PublicAssetRow> for PublicAssetView<'a> {
    fn from(a: &'a PublicAssetRow) -> Self {
        Self {
            id: a.id,
            title: &a.title,
            version_label: &a.version_label,
            file_size_bytes: a.file_size_bytes,
        }
    }
}

/// `ServiceOffer` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ServiceOffer)]
pub struct ServiceOfferView<'a> {
    /// Row id.
    pub id: i64,
    /// Length of a session.
    pub session_minutes: i32,
    /// Days until a work order is due.
    pub delivery_days: i32,
    /// Included revisions.
    pub revision_count: i32,
    /// Shown to the buyer.
    pub onboarding_instructions: &'a str,
    /// Free-form metadata (`delivery_mode`).
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
}

impl<'a> From<&'a service_offers::Model> for ServiceOfferView<'a> {
    fn from(o: &'a service_offers::Model) -> Self {
        Self {
            id: o.id,
            session_minutes: o.session_minutes,
            delivery_days: o.delivery_days,
            revision_count: o.revision_count,
            onboarding_instructions: &o.onboarding_instructions,
            metadata: &o.metadata,
        }
    }
}

/// `ProductList` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProductList)]
pub struct ProductListView<'a> {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: &'a str,
    /// URL slug.
    pub slug: &'a str,
    /// Short pitch.
    pub tagline: &'a str,
    /// Long description.
    pub description: &'a str,
    /// `digital` or `service`.
    #[schema(schema_with = crate::openapi::enums::product_type)]
    pub product_type: &'a str,
    /// `published` in the public catalog.
    #[schema(schema_with = crate::openapi::enums::visibility)]
    pub visibility: &'a str,
    /// Feature keys granted by buying it.
    #[schema(value_type = Vec<String>)]
    pub feature_keys: &'a Value,
    /// The price shown for it, or null.
    pub active_price: Option<PublicPriceView<'a>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> ProductListView<'a> {
    fn new(p: &'a PublicProductRow, active_price: Option<&'a PublicPriceRow>) -> Self {
        Self {
            id: p.id,
            name: &p.name,
            slug: &p.slug,
            tagline: &p.tagline,
            description: &p.description,
            product_type: &p.product_type,
            visibility: &p.visibility,
            feature_keys: &p.feature_keys,
            active_price: active_price.map(PublicPriceView::from),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

impl<'a> From<&'a PublicProduct> for ProductListView<'a> {
    fn from(item: &'a PublicProduct) -> Self {
        Self::new(&item.product, item.active_price.as_ref())
    }
}

/// `ProductDetail` of the spec: ProductList plus prices, assets, service offer, metadata.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProductDetail)]
pub struct ProductDetailView<'a> {
    /// The ProductList fields.
    #[serde(flatten)]
    pub product: ProductListView<'a>,
    /// All its prices, by amount then id.
    pub prices: Vec<PublicPriceView<'a>>,
    /// Its active assets.
    pub assets: Vec<PublicAssetView<'a>>,
    /// Its service terms, or null.
    pub service_offer: Option<ServiceOfferView<'a>>,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
}

impl<'a> From<&'a PublicProductDetail> for ProductDetailView<'a> {
    fn from(d: &'a PublicProductDetail) -> Self {
        Self {
            product: ProductListView::new(&d.product, d.active_price.as_ref()),
            prices: d.prices.iter().map(PublicPriceView::from).collect(),
            assets: d.assets.iter().map(PublicAssetView::from).collect(),
            service_offer: d.service_offer.as_ref().map(ServiceOfferView::from),
            metadata: &d.metadata,
        }
    }
}

/// `SellerPrice` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SellerPrice)]
pub struct SellerPriceView<'a> {
    /// Row id.
    pub id: i64,
    /// The product's id.
    pub product: i64,
    /// Display name.
    pub name: &'a str,
    /// Amount in cents.
    pub amount_cents: i64,
    /// Three-letter code.
    #[schema(example = "USD")]
    pub currency: &'a str,
    /// `one_time`, `monthly` or `yearly`.
    #[schema(schema_with = crate::openapi::enums::billing_period)]
    pub billing_period: &'a str,
    /// The Clerk plan it maps to.
    pub clerk_plan_id: &'a str,
    /// The Clerk price it maps to.
    pub clerk_price_id: &'a str,
    /// Whether it can be bought.
    pub is_active: bool,
    /// Whether it is the product's default.
    pub is_default: bool,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> From<&'a prices::Model> for SellerPriceView<'a> {
    fn from(p: &'a prices::Model) -> Self {
        Self {
            id: p.id,
            product: p.product_id,
            name: &p.name,
            amount_cents: p.amount_cents,
            currency: &p.currency,
            billing_period: &p.billing_period,
            clerk_plan_id: &p.clerk_plan_id,
            clerk_price_id: &p.clerk_price_id,
            is_active: p.is_active,
            is_default: p.is_default,
            metadata: &p.metadata,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// `SellerAsset` of the spec (with the file path: only its seller sees it).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SellerAsset)]
pub struct SellerAssetView<'a> {
    /// Row id.
    pub id: i64,
    /// The product's id.
    pub product: i64,
    /// Display title.
    pub title: &'a str,
    /// Path in the asset storage.
    pub file_path: &'a str,
    /// Size in bytes.
    pub file_size_bytes: i64,
    /// Lower-case hex SHA-256, or blank.
    pub checksum_sha256: &'a str,
    /// Version label.
    pub version_label: &'a str,
    /// Whether it is granted and listed.
    pub is_active: bool,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> From<&'a digital_assets::Model> for SellerAssetView<'a> {
    fn from(a: &'a digital_assets::Model) -> Self {
        Self {
            id: a.id,
            product: a.product_id,
            title: &a.title,
            file_path: &a.file_path,
            file_size_bytes: a.file_size_bytes,
            checksum_sha256: &a.checksum_sha256,
            version_label: &a.version_label,
            is_active: a.is_active,
            metadata: &a.metadata,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// `SellerProduct` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SellerProduct)]
pub struct SellerProductView<'a> {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: &'a str,
    /// URL slug, unique per seller.
    pub slug: &'a str,
    /// Short pitch.
    pub tagline: &'a str,
    /// Long description.
    pub description: &'a str,
    /// `digital` or `service`.
    #[schema(schema_with = crate::openapi::enums::product_type)]
    pub product_type: &'a str,
    /// `draft`, `published` or `archived`.
    #[schema(schema_with = crate::openapi::enums::visibility)]
    pub visibility: &'a str,
    /// Feature keys granted by buying it.
    #[schema(value_type = Vec<String>)]
    pub feature_keys: &'a Value,
    /// The id of its active price, or null.
    pub active_price: Option<i64>,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
    /// All its prices, by amount then id.
    pub prices: Vec<SellerPriceView<'a>>,
    /// All its assets, by title then id.
    pub assets: Vec<SellerAssetView<'a>>,
    /// Its service terms, or null.
    pub service_offer: Option<ServiceOfferView<'a>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> From<&'a SellerProduct> for SellerProductView<'a> {
    fn from(sp: &'a SellerProduct) -> Self {
        let p = &sp.product;
        Self {
            id: p.id,
            name: &p.name,
            slug: &p.slug,
            tagline: &p.tagline,
            description: &p.description,
            product_type: &p.product_type,
            visibility: &p.visibility,
            feature_keys: &p.feature_keys,
            active_price: p.active_price_id,
            metadata: &p.metadata,
            prices: sp
                .children
                .prices
                .iter()
                .map(SellerPriceView::from)
                .collect(),
            assets: sp
                .children
                .assets
                .iter()
                .map(SellerAssetView::from)
                .collect(),
            service_offer: sp
                .children
                .service_offer
                .as_ref()
                .map(ServiceOfferView::from),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}
