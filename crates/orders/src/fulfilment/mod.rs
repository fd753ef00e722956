//! The fulfilment plan: everything a paid order must have produced, computed from
//! the order's items and the facts of their products, as a value.
//!
//! The server applies a plan inside the confirmation transaction by getting or
//! creating each row by its natural key (documented on each row type), so applying
//! the same plan again (a webhook redelivered, a confirm retried, a crash between two
//! writes) creates nothing twice. The plan only depends on its inputs, so a second
//! planning of the same order yields the same keys.

mod rows;

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use paidloop_catalog::{BillingPeriod, DeliveryMode, FeatureKey, ProductType};
use uuid::Uuid;

pub use rows::{
    GrantAsset, MAX_DOWNLOADS, PURCHASE_SOURCE_TYPE, PendingReason, PlaceholderAsset,
    PlannedEntitlement, PlannedGrant, PlannedSubscription, PlannedWorkOrder,
};

#[cfg(test)]
mod tests;

/// Most units of one order item that fulfilment makes one row each for (service work
/// orders, placeholder grants of a digital product without files). The order-create
/// endpoint should refuse larger quantities, so a paid order never hits the limit.
pub const MAX_UNITS_PER_ITEM: u32 = 1000;

/// A service product's terms, from its service offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceTerms {
    /// Days until a work order is due (`delivery_days`); 0 means no due date.
    pub delivery_days: u32,
    /// From the offer's metadata ([`DeliveryMode::from_metadata`]).
    pub delivery_mode: DeliveryMode,
}

/// The price an order item was bought at, when it still exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemPrice {
    /// `prices.id`.
    pub price_id: i64,
    /// How often it is charged; monthly and yearly start a subscription.
    pub billing_period: BillingPeriod,
}

/// One order item with what fulfilment needs to know about its product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulfilmentItem {
    /// `order_items.id`.
    pub order_item_id: i64,
    /// `products.id`.
    pub product_id: i64,
    /// The item's product name snapshot (else the product's name), for placeholder
    /// titles; blank becomes "Custom deliverable".
    pub product_name: String,
    /// Digital or service.
    pub product_type: ProductType,
    /// The product's feature keys (normalised, e.g. by
    /// [`paidloop_catalog::normalize_feature_keys`]).
    pub feature_keys: Vec<FeatureKey>,
    /// Ids of the product's active assets (used for digital products).
    pub active_asset_ids: Vec<i64>,
    /// The service offer's terms (used for service products); `None` when there is no
    /// offer: downloadable, no due date.
    pub service: Option<ServiceTerms>,
    /// The price bought; `None` when it was deleted since (no subscription then).
    pub price: Option<ItemPrice>,
    /// Units bought; 0 counts as 1.
    pub quantity: u32,
}

/// Why no plan could be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FulfilmentError {
    /// An item needs one row per unit and has more than [`MAX_UNITS_PER_ITEM`] units.
    #[error("order item {order_item_id} has {quantity} units; at most {max} can be fulfilled")]
    TooManyUnits {
        /// The item.
        order_item_id: i64,
        /// Its quantity.
        quantity: u32,
        /// [`MAX_UNITS_PER_ITEM`].
        max: u32,
    },
    /// The same order item was given twice.
    #[error("order item {0} appears twice")]
    DuplicateItem(i64),
}

/// What must exist once an order is fulfilled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FulfilmentPlan {
    /// One `purchase` entitlement per distinct feature key of the order's products.
    pub entitlements: Vec<PlannedEntitlement>,
    /// Digital products' grants: one open grant per active asset, or, without any
    /// asset, one locked grant per unit on a placeholder.
    pub download_grants: Vec<PlannedGrant>,
    /// One work order per unit of each service item, each with its own locked grant
    /// when downloadable.
    pub work_orders: Vec<PlannedWorkOrder>,
    /// One subscription per item bought at a monthly or yearly price.
    pub subscriptions: Vec<PlannedSubscription>,
}

impl FulfilmentPlan {
    /// Whether the plan asks for nothing at all.
    pub fn is_empty(&self) -> bool {
        self.entitlements.is_empty()
            && self.download_grants.is_empty()
            && self.work_orders.is_empty()
            && self.subscriptions.is_empty()
    }

    /// Every grant: the digital ones, then the work orders' ones.
    pub fn all_grants(&self) -> impl Iterator<Item = &PlannedGrant> {
        self.download_grants.iter().chain(
            self.work_orders
                .iter()
                .filter_map(|work| work.download_grant.as_ref()),
        )
    }

    /// Every placeholder asset to get or create before the grants that point at them.
    pub fn placeholder_assets(&self) -> impl Iterator<Item = &PlaceholderAsset> {
        self.all_grants().filter_map(|grant| match &grant.asset {
            GrantAsset::Placeholder(placeholder) => Some(placeholder),
            GrantAsset::Existing(_) => None,
        })
    }
}

/// Plans the fulfilment of the paid order `order_public_id` at `now`, item by item in
/// the given order:
/// - every item: a `purchase` entitlement per feature key (source reference = the
///   order's public id), keys shared by several items planned once, for the first;
/// - a digital product: an open grant per distinct active asset (at most
///   [`MAX_DOWNLOADS`] downloads), or, when it has none, a locked grant per unit on a
///   placeholder asset ([`PendingReason::MissingDigitalAsset`]);
/// - a service product: a `requested` work order per unit, due `now` + delivery days,
///   with a locked grant on a placeholder ([`PendingReason::ServiceFulfillment`]) when
///   downloadable and none when physically shipped;
/// - a monthly or yearly price: an `active` subscription from `now` for 30 or 365 days.
pub fn plan_fulfilment(
    order_public_id: Uuid,
    now: DateTime<Utc>,
    items: &[FulfilmentItem],
) -> Result<FulfilmentPlan, FulfilmentError> {
    let mut plan = FulfilmentPlan::default();
    let mut seen_items = HashSet::new();
    let mut seen_keys = HashSet::new();
    for item in items {
        if !seen_items.insert(item.order_item_id) {
            return Err(FulfilmentError::DuplicateItem(item.order_item_id));
        }
        for key in &item.feature_keys {
            if seen_keys.insert(key) {
                plan.entitlements.push(PlannedEntitlement {
                    feature_key: key.clone(),
                    source_reference: order_public_id.to_string(),
                    starts_at: now,
                    order_item_id: item.order_item_id,
                });
            }
        }
        match item.product_type {
            ProductType::Digital => plan_digital(order_public_id, item, &mut plan)?,
            ProductType::Service => plan_service(order_public_id, now, item, &mut plan)?,
        }
        if let Some(subscription) = plan_subscription(order_public_id, now, item) {
            plan.subscriptions.push(subscription);
        }
    }
    Ok(plan)
}

/// The item's units, refused above [`MAX_UNITS_PER_ITEM`] (only asked for by items
/// that need a row per unit).
fn units(item: &FulfilmentItem) -> Result<u32, FulfilmentError> {
    let quantity = item.quantity.max(1);
    if quantity > MAX_UNITS_PER_ITEM {
        return Err(FulfilmentError::TooManyUnits {
            order_item_id: item.order_item_id,
            quantity,
            max: MAX_UNITS_PER_ITEM,
        });
    }
    Ok(quantity)
}

fn placeholder(
    order_public_id: Uuid,
    item: &FulfilmentItem,
    reason: PendingReason,
    sequence: u32,
) -> PlaceholderAsset {
    PlaceholderAsset::new(
        item.product_id,
        &item.product_name,
        reason,
        order_public_id,
        item.order_item_id,
        sequence,
    )
}

fn plan_digital(
    order_public_id: Uuid,
    item: &FulfilmentItem,
    plan: &mut FulfilmentPlan,
) -> Result<(), FulfilmentError> {
    if item.active_asset_ids.is_empty() {
        for sequence in 1..=units(item)? {
            let asset = placeholder(
                order_public_id,
                item,
                PendingReason::MissingDigitalAsset,
                sequence,
            );
            plan.download_grants.push(PlannedGrant::locked(asset));
        }
        return Ok(());
    }
    let mut seen = HashSet::new();
    for &asset_id in &item.active_asset_ids {
        if seen.insert(asset_id) {
            plan.download_grants
                .push(PlannedGrant::open(item.order_item_id, asset_id));
        }
    }
    Ok(())
}

fn plan_service(
    order_public_id: Uuid,
    now: DateTime<Utc>,
    item: &FulfilmentItem,
    plan: &mut FulfilmentPlan,
) -> Result<(), FulfilmentError> {
    let terms = item.service.unwrap_or(ServiceTerms {
        delivery_days: 0,
        delivery_mode: DeliveryMode::Downloadable,
    });
    let due_at = match terms.delivery_days {
        0 => None,
        days => add_days(now, days),
    };
    for sequence in 1..=units(item)? {
        let download_grant = (terms.delivery_mode == DeliveryMode::Downloadable).then(|| {
            PlannedGrant::locked(placeholder(
                order_public_id,
                item,
                PendingReason::ServiceFulfillment,
                sequence,
            ))
        });
        plan.work_orders.push(PlannedWorkOrder {
            order_item_id: item.order_item_id,
            product_id: item.product_id,
            sequence,
            delivery_mode: terms.delivery_mode,
            due_at,
            download_grant,
            order_public_id,
        });
    }
    Ok(())
}

fn plan_subscription(
    order_public_id: Uuid,
    now: DateTime<Utc>,
    item: &FulfilmentItem,
) -> Option<PlannedSubscription> {
    let price = item.price?;
    let days = price.billing_period.period_days()?;
    Some(PlannedSubscription {
        order_item_id: item.order_item_id,
        product_id: item.product_id,
        price_id: price.price_id,
        billing_period: price.billing_period,
        current_period_start: now,
        current_period_end: add_days(now, days),
        quantity: item.quantity.max(1),
        order_public_id,
    })
}

/// `at` + `days`, or `None` past the calendar's end.
fn add_days(at: DateTime<Utc>, days: u32) -> Option<DateTime<Utc>> {
    at.checked_add_signed(TimeDelta::try_days(i64::from(days))?)
}
