//! Fulfilment shapes of `spec/API.md` on the buyer's side: the download `Grant` and the
//! work order. Both take `now`, since whether a grant can be used depends on the time.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::services::downloads::{GrantRow, WorkOrderRow};

/// The download grant of the spec (`account/downloads/`); never the asset's file path.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DownloadGrant)]
pub struct GrantView<'a> {
    /// Row id.
    pub id: i64,
    /// The id used in the access URL.
    pub token: Uuid,
    /// The asset's id.
    pub asset: i64,
    /// The asset's display title.
    pub asset_title: &'a str,
    /// The asset's product's name.
    pub product_name: &'a str,
    /// The order item's id.
    pub order_item: i64,
    /// When it expires; null = never.
    pub expires_at: Option<DateTime<Utc>>,
    /// Download limit; 0 = unlimited.
    pub max_downloads: i32,
    /// Downloads so far.
    pub download_count: i32,
    /// When it was last used.
    pub last_downloaded_at: Option<DateTime<Utc>>,
    /// False while locked (pending delivery) or revoked.
    pub is_active: bool,
    /// Active, not expired, and with downloads left.
    pub can_download: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> GrantView<'a> {
    /// The grant as seen at `now`.
    pub fn new(g: &'a GrantRow, now: DateTime<Utc>) -> Self {
        Self {
            id: g.id,
            token: g.token,
            asset: g.asset_id,
            asset_title: &g.asset_title,
            product_name: &g.product_name,
            order_item: g.order_item_id,
            expires_at: g.expires_at,
            max_downloads: g.max_downloads,
            download_count: g.download_count,
            last_downloaded_at: g.last_downloaded_at,
            is_active: g.is_active,
            can_download: g.can_download(now),
            created_at: g.created_at,
            updated_at: g.updated_at,
        }
    }
}

/// The work order of the spec (`account/orders/work/`); never the seller's notes.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WorkOrder)]
pub struct WorkOrderView<'a> {
    /// Row id.
    pub id: i64,
    /// The order item's id, while it exists.
    pub order_item: Option<i64>,
    /// The product's id, while it exists.
    pub product: Option<i64>,
    /// The product's name, while it exists.
    pub product_name: Option<&'a str>,
    /// `requested`, `in_progress`, `ready_for_delivery`, `completed` or `canceled`.
    pub status: &'a str,
    /// `downloadable` or `physical_shipped`.
    #[schema(schema_with = crate::openapi::enums::delivery_mode)]
    pub delivery_mode: &'a str,
    /// The buyer's request.
    pub customer_request: &'a str,
    /// Notes shown to the buyer on delivery.
    pub delivery_notes: &'a str,
    /// When it is due.
    pub due_at: Option<DateTime<Utc>>,
    /// When it was completed or canceled.
    pub completed_at: Option<DateTime<Utc>>,
    /// When it was shipped.
    pub shipped_at: Option<DateTime<Utc>>,
    /// Carrier name.
    pub shipping_carrier: &'a str,
    /// Tracking number.
    pub shipping_tracking_number: &'a str,
    /// Tracking URL.
    pub shipping_tracking_url: &'a str,
    /// The delivery grant's id, if any.
    pub download_grant: Option<i64>,
    /// The delivery grant's token, for `account/downloads/{token}/access/`.
    pub download_token: Option<Uuid>,
    /// Whether the delivery grant can be used now.
    pub download_ready: bool,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: &'a Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl<'a> WorkOrderView<'a> {
    /// The work order as seen at `now`.
    pub fn new(w: &'a WorkOrderRow, now: DateTime<Utc>) -> Self {
        Self {
            id: w.id,
            order_item: w.order_item_id,
            product: w.product_id,
            product_name: w.product_name.as_deref(),
            status: &w.status,
            delivery_mode: &w.delivery_mode,
            customer_request: &w.customer_request,
            delivery_notes: &w.delivery_notes,
            due_at: w.due_at,
            completed_at: w.completed_at,
            shipped_at: w.shipped_at,
            shipping_carrier: &w.shipping_carrier,
            shipping_tracking_number: &w.shipping_tracking_number,
            shipping_tracking_url: &w.shipping_tracking_url,
            download_grant: w.download_grant_id,
            download_token: w.grant_token,
            download_ready: w.download_ready(now),
            metadata: &w.metadata,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}
