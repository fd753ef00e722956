//! The rows a fulfilment plan asks for, each with the natural key that makes applying
//! the plan twice create nothing twice.

use chrono::{DateTime, Utc};
use paidloop_catalog::{BillingPeriod, DeliveryMode, FeatureKey};
use serde_json::{Value, json};
use uuid::Uuid;

/// Downloads allowed by every grant fulfilment creates.
pub const MAX_DOWNLOADS: u32 = 5;

/// `entitlements.source_type` of a purchase.
pub const PURCHASE_SOURCE_TYPE: &str = "purchase";

/// `version_label` of a placeholder asset.
pub const PLACEHOLDER_VERSION_LABEL: &str = "pending";

/// `fulfillment_orders.status` of a new work order.
pub const WORK_ORDER_STATUS: &str = "requested";

/// `subscriptions.status` of a subscription bought with an order.
pub const SUBSCRIPTION_STATUS: &str = "active";

/// Longest `digital_assets.title`.
const TITLE_MAX_CHARS: usize = 180;

/// A `purchase` entitlement for the order's buyer. Natural key:
/// (customer account, `feature_key`, `source_type`, `source_reference`), the
/// `entitlement_source_unique` constraint: get-or-create by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEntitlement {
    /// The feature unlocked.
    pub feature_key: FeatureKey,
    /// The order's public id, hyphenated lower-case.
    pub source_reference: String,
    /// When it starts: the fulfilment time.
    pub starts_at: DateTime<Utc>,
    /// The first order item that carries the key (kept in the metadata).
    pub order_item_id: i64,
}

impl PlannedEntitlement {
    /// Always [`PURCHASE_SOURCE_TYPE`].
    pub fn source_type(&self) -> &'static str {
        PURCHASE_SOURCE_TYPE
    }

    /// `{"order_item_id": …}`.
    pub fn metadata(&self) -> Value {
        json!({ "order_item_id": self.order_item_id })
    }
}

/// Why a placeholder asset stands in for a deliverable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PendingReason {
    /// A digital product sold without an active asset (`missing_digital_asset`).
    MissingDigitalAsset,
    /// A downloadable service deliverable the seller has yet to make
    /// (`service_fulfillment`).
    ServiceFulfillment,
}

impl PendingReason {
    /// The name stored in the asset's metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            PendingReason::MissingDigitalAsset => "missing_digital_asset",
            PendingReason::ServiceFulfillment => "service_fulfillment",
        }
    }
}

/// An inactive asset to create (or find) so a locked grant has something to point at
/// until the seller uploads the real file. Natural key: (`product_id`, `file_path`), the
/// `asset_product_path_unique` constraint: get-or-create by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceholderAsset {
    /// The product sold.
    pub product_id: i64,
    /// `"{product name} deliverable #{sequence}"`, at most 180 characters.
    pub title: String,
    /// `pending/fulfillment/{order public id}/{order item id}-{sequence}.pending`.
    pub file_path: String,
    /// Why it is pending.
    pub reason: PendingReason,
    /// The order it was made for.
    pub order_public_id: Uuid,
    /// The order item it was made for.
    pub order_item_id: i64,
    /// Which unit of the item, from 1.
    pub sequence: u32,
}

impl PlaceholderAsset {
    pub(super) fn new(
        product_id: i64,
        product_name: &str,
        reason: PendingReason,
        order_public_id: Uuid,
        order_item_id: i64,
        sequence: u32,
    ) -> PlaceholderAsset {
        let name = match product_name.trim() {
            "" => "Custom deliverable",
            name => name,
        };
        let suffix = format!(" deliverable #{sequence}");
        let room = TITLE_MAX_CHARS.saturating_sub(suffix.chars().count());
        let title: String = name.chars().take(room).collect();
        PlaceholderAsset {
            product_id,
            title: format!("{}{suffix}", title.trim_end()),
            file_path: format!(
                "pending/fulfillment/{order_public_id}/{order_item_id}-{sequence}.pending"
            ),
            reason,
            order_public_id,
            order_item_id,
            sequence,
        }
    }

    /// Always [`PLACEHOLDER_VERSION_LABEL`].
    pub fn version_label(&self) -> &'static str {
        PLACEHOLDER_VERSION_LABEL
    }

    /// Placeholders are inactive: they are not files.
    pub fn is_active(&self) -> bool {
        false
    }

    /// `{"pending_fulfillment": true, "pending_reason", "order_public_id",
    /// "order_item_id", "sequence"}`: `pending_fulfillment` is how the rest of the
    /// app tells a placeholder from a real file.
    pub fn metadata(&self) -> Value {
        json!({
            "pending_fulfillment": true,
            "pending_reason": self.reason.as_str(),
            "order_public_id": self.order_public_id.to_string(),
            "order_item_id": self.order_item_id,
            "sequence": self.sequence,
        })
    }
}

/// The asset a grant opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantAsset {
    /// An active asset of the product, by id.
    Existing(i64),
    /// A placeholder to get-or-create first; the grant points at its id.
    Placeholder(PlaceholderAsset),
}

/// A download grant for the buyer. Natural key: (`order_item_id`, asset id), the
/// `grant_order_item_asset_unique` constraint: get-or-create by it (for a placeholder,
/// after getting or creating the asset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedGrant {
    /// The order item it comes from.
    pub order_item_id: i64,
    /// What it downloads.
    pub asset: GrantAsset,
    /// Open now (a real asset) or locked until the deliverable exists (a placeholder).
    pub is_active: bool,
    /// Always [`MAX_DOWNLOADS`].
    pub max_downloads: u32,
}

impl PlannedGrant {
    pub(super) fn open(order_item_id: i64, asset_id: i64) -> PlannedGrant {
        PlannedGrant {
            order_item_id,
            asset: GrantAsset::Existing(asset_id),
            is_active: true,
            max_downloads: MAX_DOWNLOADS,
        }
    }

    pub(super) fn locked(placeholder: PlaceholderAsset) -> PlannedGrant {
        PlannedGrant {
            order_item_id: placeholder.order_item_id,
            asset: GrantAsset::Placeholder(placeholder),
            is_active: false,
            max_downloads: MAX_DOWNLOADS,
        }
    }
}

/// A service work order (`fulfillment_orders`), one per unit bought. Natural key:
/// (`order_item_id`, `sequence`), kept in the metadata (there is no unique constraint:
/// look for a row of the item whose `metadata.sequence` is the same before creating).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedWorkOrder {
    /// The order item it comes from.
    pub order_item_id: i64,
    /// The service product.
    pub product_id: i64,
    /// Which unit of the item, from 1.
    pub sequence: u32,
    /// How the result reaches the buyer.
    pub delivery_mode: DeliveryMode,
    /// Fulfilment time + the offer's `delivery_days`; `None` when the offer has no
    /// delivery days (or there is no offer).
    pub due_at: Option<DateTime<Utc>>,
    /// The locked grant to attach (`download_grant_id`) when the delivery mode is
    /// downloadable; `None` when physical.
    pub download_grant: Option<PlannedGrant>,
    /// The order it was made for.
    pub order_public_id: Uuid,
}

impl PlannedWorkOrder {
    /// Always [`WORK_ORDER_STATUS`].
    pub fn status(&self) -> &'static str {
        WORK_ORDER_STATUS
    }

    /// `{"order_public_id", "order_item_id", "sequence"}`.
    pub fn metadata(&self) -> Value {
        json!({
            "order_public_id": self.order_public_id.to_string(),
            "order_item_id": self.order_item_id,
            "sequence": self.sequence,
        })
    }
}

/// A subscription started by buying a recurring price, one per order item. Natural
/// key: the order item (`metadata.order_item_id` with `metadata.order_public_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSubscription {
    /// The order item it comes from.
    pub order_item_id: i64,
    /// The product bought.
    pub product_id: i64,
    /// The recurring price bought.
    pub price_id: i64,
    /// Monthly or yearly.
    pub billing_period: BillingPeriod,
    /// The fulfilment time.
    pub current_period_start: DateTime<Utc>,
    /// Start + 30 days (monthly) or 365 days (yearly).
    pub current_period_end: Option<DateTime<Utc>>,
    /// Units bought (kept in the metadata).
    pub quantity: u32,
    /// The order it was made for.
    pub order_public_id: Uuid,
}

impl PlannedSubscription {
    /// Always [`SUBSCRIPTION_STATUS`].
    pub fn status(&self) -> &'static str {
        SUBSCRIPTION_STATUS
    }

    /// `{"order_public_id", "order_item_id", "quantity"}`.
    pub fn metadata(&self) -> Value {
        json!({
            "order_public_id": self.order_public_id.to_string(),
            "order_item_id": self.order_item_id,
            "quantity": self.quantity,
        })
    }
}
