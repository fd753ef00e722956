//! Carrying out a fulfilment plan (`paidloop_orders::plan_fulfilment`) in the database.
//!
//! Runs inside the confirmation transaction, with the order row locked. Every row is
//! created by its natural key (unique constraints with `ON CONFLICT DO NOTHING`, or a
//! look-up first where the key lives in metadata), so running it again for the same
//! order creates nothing twice. The statement count is fixed: it does not grow with the
//! number of items, assets or units.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use paidloop_catalog::{BillingPeriod, DeliveryMode, ProductType, normalize_feature_keys};
use paidloop_orders::{
    FulfilmentItem, FulfilmentPlan, GrantAsset, ItemPrice, PlannedGrant, ServiceTerms,
    plan_fulfilment,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entities::{
    digital_assets, download_grants, entitlements, fulfillment_orders, order_items, orders, prices,
    products, service_offers, subscriptions,
};
use crate::error::ApiError;

/// Delivery days of a service product that has no offer yet.
const DEFAULT_DELIVERY_DAYS: u32 = 7;

/// What fulfilment made, for the emails.
#[derive(Debug, Default)]
pub struct Fulfilled {
    /// Work orders of this order (new or found).
    pub work_orders: usize,
}

fn internal(context: &str, err: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(format!("{context}: {err}"))
}

/// Reads the order's items and their catalog facts (five queries) and plans fulfilment.
async fn plan<C: ConnectionTrait>(
    txn: &C,
    order: &orders::Model,
    now: DateTime<Utc>,
) -> Result<FulfilmentPlan, ApiError> {
    let items = order_items::Entity::find()
        .filter(order_items::Column::OrderId.eq(order.id))
        .order_by_asc(order_items::Column::Id)
        .all(txn)
        .await?;
    let product_ids: Vec<i64> = items.iter().map(|i| i.product_id).collect();
    let price_ids: Vec<i64> = items.iter().filter_map(|i| i.price_id).collect();
    let products: HashMap<i64, products::Model> = products::Entity::find()
        .filter(products::Column::Id.is_in(product_ids.clone()))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let prices: HashMap<i64, prices::Model> = prices::Entity::find()
        .filter(prices::Column::Id.is_in(price_ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut assets: HashMap<i64, Vec<i64>> = HashMap::new();
    for asset in digital_assets::Entity::find()
        .filter(digital_assets::Column::ProductId.is_in(product_ids.clone()))
        .filter(digital_assets::Column::IsActive.eq(true))
        .order_by_asc(digital_assets::Column::Id)
        .all(txn)
        .await?
    {
        assets.entry(asset.product_id).or_default().push(asset.id);
    }
    let offers: HashMap<i64, service_offers::Model> = service_offers::Entity::find()
        .filter(service_offers::Column::ProductId.is_in(product_ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|o| (o.product_id, o))
        .collect();

    let mut planned = Vec::with_capacity(items.len());
    for item in &items {
        let product = products
            .get(&item.product_id)
            .ok_or_else(|| internal("order item without product", item.id))?;
        let product_type =
            ProductType::parse(&product.product_type).map_err(|e| internal("product type", e))?;
        let feature_keys = normalize_feature_keys(&product.feature_keys).unwrap_or_else(|err| {
            tracing::warn!(product_id = product.id, error = %err, "stored feature keys unreadable");
            Vec::new()
        });
        let service = (product_type == ProductType::Service).then(|| {
            let offer = offers.get(&product.id);
            ServiceTerms {
                delivery_days: offer
                    .and_then(|o| u32::try_from(o.delivery_days).ok())
                    .unwrap_or(DEFAULT_DELIVERY_DAYS),
                delivery_mode: offer
                    .map(|o| DeliveryMode::from_metadata(&o.metadata))
                    .unwrap_or(DeliveryMode::Downloadable),
            }
        });
        let price = match item.price_id.and_then(|id| prices.get(&id)) {
            Some(price) => Some(ItemPrice {
                price_id: price.id,
                billing_period: BillingPeriod::parse(&price.billing_period)
                    .map_err(|e| internal("billing period", e))?,
            }),
            None => None,
        };
        planned.push(FulfilmentItem {
            order_item_id: item.id,
            product_id: product.id,
            product_name: product.name.clone(),
            product_type,
            feature_keys,
            active_asset_ids: assets.get(&product.id).cloned().unwrap_or_default(),
            service,
            price,
            quantity: u32::try_from(item.quantity).unwrap_or(1),
        });
    }
    plan_fulfilment(order.public_id, now, &planned).map_err(|e| internal("fulfilment plan", e))
}

/// Plans and applies fulfilment for a locked, paid order.
#[tracing::instrument(skip_all, fields(order = %order.public_id))]
pub async fn fulfil<C: ConnectionTrait>(
    txn: &C,
    order: &orders::Model,
    now: DateTime<Utc>,
) -> Result<Fulfilled, ApiError> {
    let plan = plan(txn, order, now).await?;
    let account = order.customer_account_id;

    if !plan.entitlements.is_empty() {
        entitlements::Entity::insert_many(plan.entitlements.iter().map(|e| {
            entitlements::ActiveModel {
                customer_account_id: Set(account),
                feature_key: Set(e.feature_key.as_str().to_owned()),
                source_type: Set(e.source_type().to_owned()),
                source_reference: Set(e.source_reference.clone()),
                starts_at: Set(e.starts_at),
                ends_at: Set(None),
                is_active: Set(true),
                metadata: Set(e.metadata()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        }))
        .on_conflict_do_nothing_on([
            entitlements::Column::CustomerAccountId,
            entitlements::Column::FeatureKey,
            entitlements::Column::SourceType,
            entitlements::Column::SourceReference,
        ])
        .exec_without_returning(txn)
        .await?;
    }

    let placeholder_ids = create_placeholders(txn, &plan, now).await?;
    let grant_ids = create_grants(txn, &plan, account, &placeholder_ids, now).await?;
    let work_orders =
        create_work_orders(txn, &plan, order, &placeholder_ids, &grant_ids, now).await?;
    create_subscriptions(txn, &plan, account, now).await?;
    Ok(Fulfilled { work_orders })
}

/// Placeholder assets by (product, path): created if missing, then read back.
async fn create_placeholders<C: ConnectionTrait>(
    txn: &C,
    plan: &FulfilmentPlan,
    now: DateTime<Utc>,
) -> Result<HashMap<(i64, String), i64>, ApiError> {
    let placeholders: Vec<_> = plan.placeholder_assets().collect();
    if placeholders.is_empty() {
        return Ok(HashMap::new());
    }
    digital_assets::Entity::insert_many(placeholders.iter().map(|p| digital_assets::ActiveModel {
        product_id: Set(p.product_id),
        title: Set(p.title.chars().take(180).collect()),
        file_path: Set(p.file_path.clone()),
        file_size_bytes: Set(0),
        checksum_sha256: Set(String::new()),
        version_label: Set(p.version_label().to_owned()),
        is_active: Set(p.is_active()),
        metadata: Set(p.metadata()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }))
    .on_conflict_do_nothing_on([
        digital_assets::Column::ProductId,
        digital_assets::Column::FilePath,
    ])
    .exec_without_returning(txn)
    .await?;
    let paths: Vec<String> = placeholders.iter().map(|p| p.file_path.clone()).collect();
    Ok(digital_assets::Entity::find()
        .filter(digital_assets::Column::FilePath.is_in(paths))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| ((a.product_id, a.file_path), a.id))
        .collect())
}

fn asset_id(grant: &PlannedGrant, placeholders: &HashMap<(i64, String), i64>) -> Option<i64> {
    match &grant.asset {
        GrantAsset::Existing(id) => Some(*id),
        GrantAsset::Placeholder(p) => placeholders
            .get(&(p.product_id, p.file_path.clone()))
            .copied(),
    }
}

/// Grants by (order item, asset): created if missing, then read back.
async fn create_grants<C: ConnectionTrait>(
    txn: &C,
    plan: &FulfilmentPlan,
    account: i64,
    placeholders: &HashMap<(i64, String), i64>,
    now: DateTime<Utc>,
) -> Result<HashMap<(i64, i64), i64>, ApiError> {
    let mut rows = Vec::new();
    for grant in plan.all_grants() {
        let asset = asset_id(grant, placeholders)
            .ok_or_else(|| internal("placeholder asset missing", grant.order_item_id))?;
        rows.push(download_grants::ActiveModel {
            token: Set(Uuid::new_v4()),
            customer_account_id: Set(account),
            order_item_id: Set(grant.order_item_id),
            asset_id: Set(asset),
            expires_at: Set(None),
            max_downloads: Set(i32::try_from(grant.max_downloads).unwrap_or(5)),
            download_count: Set(0),
            last_downloaded_at: Set(None),
            is_active: Set(grant.is_active),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let item_ids: Vec<i64> = plan.all_grants().map(|g| g.order_item_id).collect();
    download_grants::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([
            download_grants::Column::OrderItemId,
            download_grants::Column::AssetId,
        ])
        .exec_without_returning(txn)
        .await?;
    Ok(download_grants::Entity::find()
        .filter(download_grants::Column::OrderItemId.is_in(item_ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|g| ((g.order_item_id, g.asset_id), g.id))
        .collect())
}

/// Work orders by (order item, unit sequence); returns how many the order has.
async fn create_work_orders<C: ConnectionTrait>(
    txn: &C,
    plan: &FulfilmentPlan,
    order: &orders::Model,
    placeholders: &HashMap<(i64, String), i64>,
    grants: &HashMap<(i64, i64), i64>,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    if plan.work_orders.is_empty() {
        return Ok(0);
    }
    let item_ids: Vec<i64> = plan.work_orders.iter().map(|w| w.order_item_id).collect();
    let existing: HashSet<(i64, u64)> = fulfillment_orders::Entity::find()
        .filter(fulfillment_orders::Column::OrderItemId.is_in(item_ids))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|w| Some((w.order_item_id?, w.metadata.get("sequence")?.as_u64()?)))
        .collect();
    let mut rows = Vec::new();
    for work in &plan.work_orders {
        if existing.contains(&(work.order_item_id, u64::from(work.sequence))) {
            continue;
        }
        let grant = work
            .download_grant
            .as_ref()
            .and_then(|g| asset_id(g, placeholders))
            .and_then(|asset| grants.get(&(work.order_item_id, asset)).copied());
        rows.push(fulfillment_orders::ActiveModel {
            customer_account_id: Set(order.customer_account_id),
            order_item_id: Set(Some(work.order_item_id)),
            product_id: Set(Some(work.product_id)),
            download_grant_id: Set(grant),
            status: Set(work.status().to_owned()),
            delivery_mode: Set(work.delivery_mode.as_str().to_owned()),
            customer_request: Set(order.notes.clone()),
            delivery_notes: Set(String::new()),
            internal_notes: Set(String::new()),
            due_at: Set(work.due_at),
            completed_at: Set(None),
            shipped_at: Set(None),
            shipping_carrier: Set(String::new()),
            shipping_tracking_number: Set(String::new()),
            shipping_tracking_url: Set(String::new()),
            metadata: Set(work.metadata()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    if !rows.is_empty() {
        fulfillment_orders::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(plan.work_orders.len())
}

/// Subscriptions by order item (kept in their metadata).
async fn create_subscriptions<C: ConnectionTrait>(
    txn: &C,
    plan: &FulfilmentPlan,
    account: i64,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if plan.subscriptions.is_empty() {
        return Ok(());
    }
    let product_ids: Vec<i64> = plan.subscriptions.iter().map(|s| s.product_id).collect();
    let existing: HashSet<i64> = subscriptions::Entity::find()
        .filter(subscriptions::Column::CustomerAccountId.eq(account))
        .filter(subscriptions::Column::ProductId.is_in(product_ids))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|s| s.metadata.get("order_item_id")?.as_i64())
        .collect();
    let rows: Vec<_> = plan
        .subscriptions
        .iter()
        .filter(|s| !existing.contains(&s.order_item_id))
        .map(|s| subscriptions::ActiveModel {
            customer_account_id: Set(account),
            product_id: Set(Some(s.product_id)),
            price_id: Set(Some(s.price_id)),
            status: Set(s.status().to_owned()),
            clerk_subscription_id: Set(None),
            current_period_start: Set(Some(s.current_period_start)),
            current_period_end: Set(s.current_period_end),
            cancel_at_period_end: Set(false),
            canceled_at: Set(None),
            metadata: Set(s.metadata()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        subscriptions::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
