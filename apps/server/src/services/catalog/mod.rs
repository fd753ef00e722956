//! The catalog: every seller's products, prices, digital assets and service offers
//! (always scoped to the selling profile), and the public catalog of published products.
//!
//! Every write under a product runs in one transaction that first locks the product row
//! ([`lock_product`]): on SQLite the transaction is `BEGIN IMMEDIATE`, on Postgres the
//! product is read `FOR NO KEY UPDATE` (or `FOR UPDATE` before a delete). Writes to one
//! product's prices therefore happen one after the other, which is what keeps "one
//! default price per product" and the product's `active_price` consistent when several
//! "make this the default" requests arrive at once.

pub mod assets;
pub mod cache;
pub mod offers;
pub mod prices;
pub mod products;
pub mod public;

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, LockType, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::entities::{self, digital_assets, service_offers};
use crate::error::ApiError;
use crate::services::validate::Errors;

/// Tells an absent field (`None`) from one sent, even as `null` (`Some(Value::Null)`), so
/// that a `null` where a list is required is refused rather than ignored.
fn sent_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A non-negative whole number that fits the column (`i32` for counts, `i64` for sizes).
fn non_negative(errors: &mut Errors, field: &str, value: i64, max: i64) -> i64 {
    if value < 0 {
        errors.add(field, "Ensure this value is greater than or equal to 0.");
    } else if value > max {
        errors.add(
            field,
            format!("Ensure this value is less than or equal to {max}."),
        );
    }
    value
}

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`, so it takes
/// the write lock at once (waiting for the busy timeout) instead of failing when a read
/// transaction cannot be upgraded; on Postgres it is a plain `BEGIN`.
async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, ApiError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Commits on success (and moves the instance's catalog generation on, so cached
/// bodies that show the catalog go stale), rolls back on failure, and returns the result.
async fn finish<T>(
    txn: DatabaseTransaction,
    result: Result<T, ApiError>,
    catalog: &cache::CatalogGeneration,
) -> Result<T, ApiError> {
    match result {
        Ok(value) => {
            txn.commit().await?;
            catalog.changed();
            Ok(value)
        }
        Err(err) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(err)
        }
    }
}

/// Reads the owner's product and locks its row until the transaction ends; someone
/// else's product, or none, is 404. `lock` is `NoKeyUpdate` for writes that keep the
/// row (orders referencing it are not blocked) and `Update` before deleting it.
async fn lock_product(
    txn: &DatabaseTransaction,
    owner_id: i64,
    product_id: i64,
    lock: LockType,
) -> Result<entities::products::Model, ApiError> {
    entities::products::Entity::find_by_id(product_id)
        .filter(entities::products::Column::OwnerId.eq(owner_id))
        .lock(lock)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Whether `err` is a unique-constraint violation.
fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Whether `err` is a foreign-key violation. sea-orm does not classify SQLite's, so its
/// message is matched too.
fn is_foreign_key_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(SqlErr::ForeignKeyConstraintViolation(_))
    ) || err.to_string().contains("FOREIGN KEY constraint failed")
}

/// Which products' children to load.
#[derive(Debug, Clone, Copy)]
enum ProductsOf {
    /// One product.
    One(i64),
    /// Every product of one seller.
    Owner(i64),
}

impl ProductsOf {
    /// `column IN (…)` (or `=`) selecting the children of these products, with one
    /// subquery rather than a list of ids, so the statement count and size stay fixed.
    fn filter(self, column: impl ColumnTrait) -> Expr {
        match self {
            ProductsOf::One(id) => column.eq(id),
            ProductsOf::Owner(owner_id) => column.in_subquery(
                Query::select()
                    .column(entities::products::Column::Id)
                    .from(entities::products::Entity)
                    .and_where(entities::products::Column::OwnerId.eq(owner_id))
                    .to_owned(),
            ),
        }
    }
}

/// A product's prices, assets and service offer, as the seller sees them.
#[derive(Debug, Default)]
pub struct ProductChildren {
    /// All prices, by amount then id.
    pub prices: Vec<entities::prices::Model>,
    /// All assets, by title then id.
    pub assets: Vec<digital_assets::Model>,
    /// The service offer, if any.
    pub service_offer: Option<service_offers::Model>,
}

/// Loads the children of `of` with three statements, whatever the number of products,
/// grouped by product id.
async fn load_children<C: ConnectionTrait>(
    db: &C,
    of: ProductsOf,
) -> Result<HashMap<i64, ProductChildren>, ApiError> {
    let prices = entities::prices::Entity::find()
        .filter(of.filter(entities::prices::Column::ProductId))
        .order_by_asc(entities::prices::Column::AmountCents)
        .order_by_asc(entities::prices::Column::Id)
        .all(db)
        .await?;
    let assets = digital_assets::Entity::find()
        .filter(of.filter(digital_assets::Column::ProductId))
        .order_by_asc(digital_assets::Column::Title)
        .order_by_asc(digital_assets::Column::Id)
        .all(db)
        .await?;
    let offers = service_offers::Entity::find()
        .filter(of.filter(service_offers::Column::ProductId))
        .all(db)
        .await?;
    let mut children: HashMap<i64, ProductChildren> = HashMap::new();
    for price in prices {
        children
            .entry(price.product_id)
            .or_default()
            .prices
            .push(price);
    }
    for asset in assets {
        children
            .entry(asset.product_id)
            .or_default()
            .assets
            .push(asset);
    }
    for offer in offers {
        let product_id = offer.product_id;
        children.entry(product_id).or_default().service_offer = Some(offer);
    }
    Ok(children)
}

/// Loads one product's children.
async fn load_children_of<C: ConnectionTrait>(
    db: &C,
    product_id: i64,
) -> Result<ProductChildren, ApiError> {
    Ok(load_children(db, ProductsOf::One(product_id))
        .await?
        .remove(&product_id)
        .unwrap_or_default())
}
