//! Carrying out fulfilment plans (`paidloop_orders::plan_fulfilment`) in the database.
//!
//! Runs inside the confirmation transaction, with the orders' rows locked, for one
//! order or for every order of a group of paid webhooks. Every row is created by its
//! natural key (unique constraints with `ON CONFLICT DO NOTHING`, or a look-up first
//! where the key lives in metadata), so running it again for the same order creates
//! nothing twice. The statement count is fixed: it grows with neither the number of
//! orders nor their items, assets or units.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use paidloop_catalog::{BillingPeriod, DeliveryMode, ProductType, normalize_feature_keys};
use paidloop_orders::{
    FulfilmentItem, FulfilmentPlan, GrantAsset, ItemPrice, PlannedGrant, ServiceTerms,
    plan_fulfilment,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::bulk::{self, any_of};
use crate::entities::{
    digital_assets, download_grants, entitlements, fulfillment_orders, order_items, orders, prices,
    products, service_offers, subscriptions,
};
use crate::error::ApiError;

/// Delivery days of a service product that has no offer yet.
const DEFAULT_DELIVERY_DAYS: u32 = 7;

/// What fulfilment made for one order, for its emails.
#[derive(Debug, Default)]
pub struct Fulfilled {
    /// The order's items, oldest first.
    pub items: Vec<order_items::Model>,
    /// Work orders of this order (new or found).
    pub work_orders: usize,
}

fn internal(context: &str, err: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(format!("{context}: {err}"))
}

/// The ids in ascending order, each once.
fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One order's plan and its items.
struct Planned {
    plan: FulfilmentPlan,
    items: Vec<order_items::Model>,
}

/// Reads the orders' items with their products and prices (one joined query), the
/// products' active assets, and the offers of service products when any is bought,
/// then plans each order's fulfilment; plans come back in the order of `orders`.
async fn plan_all<C: ConnectionTrait>(
    txn: &C,
    orders: &[orders::Model],
    now: DateTime<Utc>,
) -> Result<Vec<Planned>, ApiError> {
    let backend = txn.get_database_backend();
    let order_ids = orders.iter().map(|o| o.id);
    let rows = order_items::Entity::find()
        .filter(any_of(backend, order_items::Column::OrderId, order_ids))
        .order_by_asc(order_items::Column::Id)
        .find_also_related(products::Entity)
        .find_also_related(prices::Entity)
        .all(txn)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    let mut products: HashMap<i64, products::Model> = HashMap::new();
    let mut prices: HashMap<i64, prices::Model> = HashMap::new();
    for (item, product, price) in rows {
        if let Some(product) = product {
            products.entry(product.id).or_insert(product);
        }
        if let Some(price) = price {
            prices.entry(price.id).or_insert(price);
        }
        items.push(item);
    }
    // Distinct ids: most orders of a group buy the same few products.
    let product_ids = distinct(products.keys().copied());
    let mut assets: HashMap<i64, Vec<i64>> = HashMap::new();
    for asset in digital_assets::Entity::find()
        .filter(any_of(
            backend,
            digital_assets::Column::ProductId,
            product_ids,
        ))
        .filter(digital_assets::Column::IsActive.eq(true))
        .order_by_asc(digital_assets::Column::Id)
        .all(txn)
        .await?
    {
        assets.entry(asset.product_id).or_default().push(asset.id);
    }
    let services = distinct(
        products
            .values()
            .filter(|p| p.product_type == ProductType::Service.as_str())
            .map(|p| p.id),
    );
    let offers: HashMap<i64, service_offers::Model> = if services.is_empty() {
        HashMap::new()
    } else {
        service_offers::Entity::find()
            .filter(any_of(backend, service_offers::Column::ProductId, services))
            .all(txn)
            .await?
            .into_iter()
            .map(|o| (o.product_id, o))
            .collect()
    };
    let catalog = Catalog {
        products,
        prices,
        assets,
        offers,
    };

    let mut by_order: HashMap<i64, Vec<order_items::Model>> = HashMap::new();
    for item in items {
        by_order.entry(item.order_id).or_default().push(item);
    }
    orders
        .iter()
        .map(|order| {
            let items = by_order.remove(&order.id).unwrap_or_default();
            let plan = plan_order(order, &items, &catalog, now)?;
            Ok(Planned { plan, items })
        })
        .collect()
}

/// The catalog rows an order's items refer to, by id (products, prices, offers by
/// product) and each product's active assets.
struct Catalog {
    products: HashMap<i64, products::Model>,
    prices: HashMap<i64, prices::Model>,
    assets: HashMap<i64, Vec<i64>>,
    offers: HashMap<i64, service_offers::Model>,
}

/// Plans one order's fulfilment from its items and the catalog rows they name.
fn plan_order(
    order: &orders::Model,
    items: &[order_items::Model],
    catalog: &Catalog,
    now: DateTime<Utc>,
) -> Result<FulfilmentPlan, ApiError> {
    let Catalog {
        products,
        prices,
        assets,
        offers,
    } = catalog;
    let mut planned = Vec::with_capacity(items.len());
    for item in items {
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

/// Plans and applies fulfilment for locked, paid orders (each at most once in
/// `orders`); answers per order, in the order of `orders`.
#[tracing::instrument(skip_all, fields(orders = orders.len()))]
pub async fn fulfil_all<C: ConnectionTrait>(
    txn: &C,
    orders: &[orders::Model],
    now: DateTime<Utc>,
) -> Result<Vec<Fulfilled>, ApiError> {
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let planned = plan_all(txn, orders, now).await?;
    let plans: Vec<(&orders::Model, &FulfilmentPlan)> =
        orders.iter().zip(planned.iter().map(|p| &p.plan)).collect();

    let entitlement_rows: Vec<entitlements::ActiveModel> = plans
        .iter()
        .flat_map(|(order, plan)| {
            plan.entitlements.iter().map(|e| entitlements::ActiveModel {
                customer_account_id: Set(order.customer_account_id),
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
            })
        })
        .collect();
    bulk::insert(
        txn,
        entitlement_rows,
        &[
            entitlements::Column::CustomerAccountId,
            entitlements::Column::FeatureKey,
            entitlements::Column::SourceType,
            entitlements::Column::SourceReference,
        ],
    )
    .await?;

    let placeholder_ids = create_placeholders(txn, &plans, now).await?;
    let grant_ids = create_grants(txn, &plans, &placeholder_ids, now).await?;
    let work_orders = create_work_orders(txn, &plans, &placeholder_ids, &grant_ids, now).await?;
    create_subscriptions(txn, &plans, now).await?;
    Ok(planned
        .into_iter()
        .zip(work_orders)
        .map(|(planned, work_orders)| Fulfilled {
            items: planned.items,
            work_orders,
        })
        .collect())
}

/// The orders being fulfilled, each with its plan.
type Plans<'a> = [(&'a orders::Model, &'a FulfilmentPlan)];

/// Placeholder assets by (product, path): created if missing, then read back.
async fn create_placeholders<C: ConnectionTrait>(
    txn: &C,
    plans: &Plans<'_>,
    now: DateTime<Utc>,
) -> Result<HashMap<(i64, String), i64>, ApiError> {
    let placeholders: Vec<_> = plans
        .iter()
        .flat_map(|(_, plan)| plan.placeholder_assets())
        .collect();
    if placeholders.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = placeholders.iter().map(|p| digital_assets::ActiveModel {
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
    });
    bulk::insert(
        txn,
        rows.collect(),
        &[
            digital_assets::Column::ProductId,
            digital_assets::Column::FilePath,
        ],
    )
    .await?;
    let paths = placeholders.iter().map(|p| p.file_path.clone());
    Ok(digital_assets::Entity::find()
        .filter(any_of(
            txn.get_database_backend(),
            digital_assets::Column::FilePath,
            paths,
        ))
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

/// Grants by (order item, asset): created if missing, then read back when work orders
/// need their ids.
async fn create_grants<C: ConnectionTrait>(
    txn: &C,
    plans: &Plans<'_>,
    placeholders: &HashMap<(i64, String), i64>,
    now: DateTime<Utc>,
) -> Result<HashMap<(i64, i64), i64>, ApiError> {
    let mut rows = Vec::new();
    let mut item_ids = Vec::new();
    for (order, plan) in plans {
        for grant in plan.all_grants() {
            let asset = asset_id(grant, placeholders)
                .ok_or_else(|| internal("placeholder asset missing", grant.order_item_id))?;
            item_ids.push(grant.order_item_id);
            rows.push(download_grants::ActiveModel {
                token: Set(Uuid::new_v4()),
                customer_account_id: Set(order.customer_account_id),
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
    }
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    bulk::insert(
        txn,
        rows,
        &[
            download_grants::Column::OrderItemId,
            download_grants::Column::AssetId,
        ],
    )
    .await?;
    // Only work orders link to grants; without any, the ids are not needed.
    if plans.iter().all(|(_, plan)| plan.work_orders.is_empty()) {
        return Ok(HashMap::new());
    }
    Ok(download_grants::Entity::find()
        .filter(any_of(
            txn.get_database_backend(),
            download_grants::Column::OrderItemId,
            item_ids,
        ))
        .all(txn)
        .await?
        .into_iter()
        .map(|g| ((g.order_item_id, g.asset_id), g.id))
        .collect())
}

/// Work orders by (order item, unit sequence); returns how many each order has.
async fn create_work_orders<C: ConnectionTrait>(
    txn: &C,
    plans: &Plans<'_>,
    placeholders: &HashMap<(i64, String), i64>,
    grants: &HashMap<(i64, i64), i64>,
    now: DateTime<Utc>,
) -> Result<Vec<usize>, ApiError> {
    let counts: Vec<usize> = plans
        .iter()
        .map(|(_, plan)| plan.work_orders.len())
        .collect();
    let item_ids: Vec<i64> = plans
        .iter()
        .flat_map(|(_, plan)| plan.work_orders.iter().map(|w| w.order_item_id))
        .collect();
    if item_ids.is_empty() {
        return Ok(counts);
    }
    let existing: HashSet<(i64, u64)> = fulfillment_orders::Entity::find()
        .filter(any_of(
            txn.get_database_backend(),
            fulfillment_orders::Column::OrderItemId,
            item_ids,
        ))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|w| Some((w.order_item_id?, w.metadata.get("sequence")?.as_u64()?)))
        .collect();
    let mut rows = Vec::new();
    for (order, plan) in plans {
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
    }
    bulk::insert(txn, rows, &[]).await?;
    Ok(counts)
}

/// Subscriptions by order item (kept in their metadata).
async fn create_subscriptions<C: ConnectionTrait>(
    txn: &C,
    plans: &Plans<'_>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let wanted: Vec<_> = plans
        .iter()
        .flat_map(|(order, plan)| {
            plan.subscriptions
                .iter()
                .map(|s| (order.customer_account_id, s))
        })
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let backend = txn.get_database_backend();
    let accounts: HashSet<i64> = wanted.iter().map(|(account, _)| *account).collect();
    let product_ids: HashSet<i64> = wanted.iter().map(|(_, s)| s.product_id).collect();
    let existing: HashSet<i64> = subscriptions::Entity::find()
        .filter(any_of(
            backend,
            subscriptions::Column::CustomerAccountId,
            accounts,
        ))
        .filter(any_of(
            backend,
            subscriptions::Column::ProductId,
            product_ids,
        ))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|s| s.metadata.get("order_item_id")?.as_i64())
        .collect();
    let rows: Vec<_> = wanted
        .into_iter()
        .filter(|(_, s)| !existing.contains(&s.order_item_id))
        .map(|(account, s)| subscriptions::ActiveModel {
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
    bulk::insert(txn, rows, &[]).await?;
    Ok(())
}
