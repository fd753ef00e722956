//! The account's subscriptions and entitlements as stored: read-only, never Clerk.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use paidloop_entitlements::is_current;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{entitlements, prices, products, subscriptions};
use crate::error::ApiError;

/// A subscription with its product's name and its price, for the account pages.
#[derive(Debug)]
pub struct SubscriptionRow {
    /// The row.
    pub subscription: subscriptions::Model,
    /// Its product's name, while the product exists.
    pub product_name: Option<String>,
    /// Its price, while the price exists.
    pub price: Option<prices::Model>,
}

/// The account's subscriptions, newest update first (three statements, whatever the
/// count).
pub async fn subscriptions<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Vec<SubscriptionRow>, ApiError> {
    let rows = subscriptions::Entity::find()
        .filter(subscriptions::Column::CustomerAccountId.eq(account_id))
        .order_by_desc(subscriptions::Column::UpdatedAt)
        .order_by_desc(subscriptions::Column::Id)
        .all(db)
        .await?;
    let product_ids: Vec<i64> = rows.iter().filter_map(|r| r.product_id).collect();
    let price_ids: Vec<i64> = rows.iter().filter_map(|r| r.price_id).collect();
    let names: HashMap<i64, String> = if product_ids.is_empty() {
        HashMap::new()
    } else {
        products::Entity::find()
            .filter(products::Column::Id.is_in(product_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    };
    let prices: HashMap<i64, prices::Model> = if price_ids.is_empty() {
        HashMap::new()
    } else {
        prices::Entity::find()
            .filter(prices::Column::Id.is_in(price_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|subscription| SubscriptionRow {
            product_name: subscription
                .product_id
                .and_then(|id| names.get(&id).cloned()),
            price: subscription
                .price_id
                .and_then(|id| prices.get(&id).cloned()),
            subscription,
        })
        .collect())
}

/// The account's entitlements by feature key (then newest first); only those current
/// at `now` unless `all`.
pub async fn entitlements<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    all: bool,
    now: DateTime<Utc>,
) -> Result<Vec<entitlements::Model>, ApiError> {
    let rows = entitlements::Entity::find()
        .filter(entitlements::Column::CustomerAccountId.eq(account_id))
        .order_by_asc(entitlements::Column::FeatureKey)
        .order_by_desc(entitlements::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|e| all || is_current(e.is_active, e.starts_at, e.ends_at, now))
        .collect())
}
