//! The caller's side of fulfilment: their download grants, using one, their work orders,
//! and the files of the embedded local storage behind the links it hands out.
//!
//! Every read is one statement (the grant or work order joined to what its shape shows),
//! whatever the number of rows. Using a grant counts it with one conditional `UPDATE`, so
//! concurrent requests can never download more often than `max_downloads` allows.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Select,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entities::{digital_assets, download_grants, fulfillment_orders, products};
use crate::error::ApiError;
use crate::services::storage::{AssetPath, AssetStorage, LinkError, LinkSigner, StorageError};

/// Whether a grant may be used at `now`: active, not expired, and with downloads left
/// (`max_downloads` 0 means unlimited, as in the Django edition).
pub fn can_download(
    is_active: bool,
    expires_at: Option<DateTime<Utc>>,
    max_downloads: i32,
    download_count: i32,
    now: DateTime<Utc>,
) -> bool {
    is_active
        && expires_at.is_none_or(|at| now < at)
        && (max_downloads == 0 || download_count < max_downloads)
}

/// A download grant with its asset's title, its product's name and its storage path.
#[derive(Debug, Clone, FromQueryResult)]
pub struct GrantRow {
    /// Row id.
    pub id: i64,
    /// The id used in download URLs.
    pub token: Uuid,
    /// The grantee.
    pub customer_account_id: i64,
    /// The order line it comes from.
    pub order_item_id: i64,
    /// The asset it downloads.
    pub asset_id: i64,
    /// When it expires; `None` = never.
    pub expires_at: Option<DateTime<Utc>>,
    /// Download limit; 0 = unlimited.
    pub max_downloads: i32,
    /// Downloads so far.
    pub download_count: i32,
    /// When it was last used.
    pub last_downloaded_at: Option<DateTime<Utc>>,
    /// False while locked or revoked.
    pub is_active: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// The asset's display title.
    pub asset_title: String,
    /// The asset's storage path (never shown to the buyer).
    pub asset_file_path: String,
    /// The asset's product's name.
    pub product_name: String,
}

impl GrantRow {
    /// Whether it may be used at `now` (see [`can_download`]).
    pub fn can_download(&self, now: DateTime<Utc>) -> bool {
        can_download(
            self.is_active,
            self.expires_at,
            self.max_downloads,
            self.download_count,
            now,
        )
    }
}

/// Grants joined to their asset and product, as [`GrantRow`]s.
fn grant_rows() -> Select<download_grants::Entity> {
    download_grants::Entity::find()
        .select_only()
        .columns([
            download_grants::Column::Id,
            download_grants::Column::Token,
            download_grants::Column::CustomerAccountId,
            download_grants::Column::OrderItemId,
            download_grants::Column::AssetId,
            download_grants::Column::ExpiresAt,
            download_grants::Column::MaxDownloads,
            download_grants::Column::DownloadCount,
            download_grants::Column::LastDownloadedAt,
            download_grants::Column::IsActive,
            download_grants::Column::CreatedAt,
            download_grants::Column::UpdatedAt,
        ])
        .column_as(digital_assets::Column::Title, "asset_title")
        .column_as(digital_assets::Column::FilePath, "asset_file_path")
        .column_as(products::Column::Name, "product_name")
        .join(
            JoinType::InnerJoin,
            download_grants::Relation::DigitalAsset.def(),
        )
        .join(JoinType::InnerJoin, digital_assets::Relation::Product.def())
}

/// The account's download grants, newest first: one statement.
#[tracing::instrument(skip(db))]
pub async fn list_grants<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Vec<GrantRow>, ApiError> {
    Ok(grant_rows()
        .filter(download_grants::Column::CustomerAccountId.eq(account_id))
        .order_by_desc(download_grants::Column::CreatedAt)
        .order_by_desc(download_grants::Column::Id)
        .into_model::<GrantRow>()
        .all(db)
        .await?)
}

/// One of the account's grants by token; someone else's is `None`.
async fn own_grant<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    token: Uuid,
) -> Result<Option<GrantRow>, ApiError> {
    Ok(grant_rows()
        .filter(download_grants::Column::Token.eq(token))
        .filter(download_grants::Column::CustomerAccountId.eq(account_id))
        .into_model::<GrantRow>()
        .one(db)
        .await?)
}

/// What asking to use a grant came to.
#[derive(Debug)]
pub enum Access {
    /// One download was counted; here is the link.
    Granted {
        /// The storage's signed URL.
        download_url: String,
        /// The grant after counting.
        grant: GrantRow,
    },
    /// The grant is inactive, expired or used up (403 with the grant); nothing counted.
    Refused(GrantRow),
}

/// Uses one of the account's grants: a link from `storage` valid for `ttl`, then one
/// download counted.
///
/// Someone else's or an unknown grant is 404. The link is made before anything is
/// counted, so a storage that is not configured (503) or failing (502) costs the buyer
/// nothing. Counting is one conditional `UPDATE … WHERE download_count < max_downloads`:
/// when a concurrent request took the last download first, the answer is `Refused`.
#[tracing::instrument(skip(db, storage))]
pub async fn access<C: ConnectionTrait, S: AssetStorage>(
    db: &C,
    storage: &S,
    ttl: Duration,
    account_id: i64,
    token: Uuid,
) -> Result<Access, ApiError> {
    let grant = own_grant(db, account_id, token)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !grant.can_download(Utc::now()) {
        return Ok(Access::Refused(grant));
    }
    let download_url = storage
        .signed_url(&grant.asset_file_path, ttl)
        .await
        .map_err(|err| match err {
            StorageError::NotConfigured(detail) => ApiError::ServiceUnavailable(detail),
            StorageError::Failed(cause) => {
                tracing::warn!(grant = grant.id, %cause, "asset storage failed");
                ApiError::BadGateway("Asset storage could not produce a download link.".into())
            }
        })?;
    let now = Utc::now();
    let counted = download_grants::Entity::update_many()
        .col_expr(
            download_grants::Column::DownloadCount,
            Expr::col(download_grants::Column::DownloadCount).add(1),
        )
        .col_expr(download_grants::Column::LastDownloadedAt, Expr::value(now))
        .col_expr(download_grants::Column::UpdatedAt, Expr::value(now))
        .filter(download_grants::Column::Id.eq(grant.id))
        .filter(download_grants::Column::IsActive.eq(true))
        .filter(
            Condition::any()
                .add(download_grants::Column::MaxDownloads.eq(0))
                .add(
                    Expr::col(download_grants::Column::DownloadCount)
                        .lt(Expr::col(download_grants::Column::MaxDownloads)),
                ),
        )
        .exec_with_returning(db)
        .await?;
    let Some(updated) = counted.into_iter().next() else {
        let current = own_grant(db, account_id, token)
            .await?
            .ok_or(ApiError::NotFound)?;
        return Ok(Access::Refused(current));
    };
    Ok(Access::Granted {
        download_url,
        grant: GrantRow {
            download_count: updated.download_count,
            last_downloaded_at: updated.last_downloaded_at,
            is_active: updated.is_active,
            expires_at: updated.expires_at,
            max_downloads: updated.max_downloads,
            updated_at: updated.updated_at,
            ..grant
        },
    })
}

/// A work order with its product's name and its delivery grant's state.
#[derive(Debug, Clone, FromQueryResult)]
pub struct WorkOrderRow {
    /// Row id.
    pub id: i64,
    /// The order line; `None` once deleted.
    pub order_item_id: Option<i64>,
    /// The product; `None` once deleted.
    pub product_id: Option<i64>,
    /// The delivery grant of a downloadable work order.
    pub download_grant_id: Option<i64>,
    /// `requested`, `in_progress`, `ready_for_delivery`, `completed` or `canceled`.
    pub status: String,
    /// `downloadable` or `physical_shipped`.
    pub delivery_mode: String,
    /// The buyer's request.
    pub customer_request: String,
    /// Notes shown to the buyer on delivery.
    pub delivery_notes: String,
    /// When it is due.
    pub due_at: Option<DateTime<Utc>>,
    /// When it was completed or canceled.
    pub completed_at: Option<DateTime<Utc>>,
    /// When it was shipped.
    pub shipped_at: Option<DateTime<Utc>>,
    /// Carrier name.
    pub shipping_carrier: String,
    /// Tracking number.
    pub shipping_tracking_number: String,
    /// Tracking URL.
    pub shipping_tracking_url: String,
    /// Free-form metadata.
    pub metadata: Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// The product's name, while it exists.
    pub product_name: Option<String>,
    /// The delivery grant's token.
    pub grant_token: Option<Uuid>,
    /// Whether the delivery grant is active.
    pub grant_is_active: Option<bool>,
    /// When the delivery grant expires.
    pub grant_expires_at: Option<DateTime<Utc>>,
    /// The delivery grant's download limit.
    pub grant_max_downloads: Option<i32>,
    /// The delivery grant's downloads so far.
    pub grant_download_count: Option<i32>,
}

impl WorkOrderRow {
    /// Whether its delivery grant can be used at `now`.
    pub fn download_ready(&self, now: DateTime<Utc>) -> bool {
        match (
            self.grant_is_active,
            self.grant_max_downloads,
            self.grant_download_count,
        ) {
            (Some(active), Some(max), Some(count)) => {
                can_download(active, self.grant_expires_at, max, count, now)
            }
            _ => false,
        }
    }
}

/// The account's work orders, newest first: one statement.
#[tracing::instrument(skip(db))]
pub async fn list_work_orders<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Vec<WorkOrderRow>, ApiError> {
    use fulfillment_orders::Column as W;
    let query = fulfillment_orders::Entity::find()
        .select_only()
        .columns([
            W::Id,
            W::OrderItemId,
            W::ProductId,
            W::DownloadGrantId,
            W::Status,
            W::DeliveryMode,
            W::CustomerRequest,
            W::DeliveryNotes,
            W::DueAt,
            W::CompletedAt,
            W::ShippedAt,
            W::ShippingCarrier,
            W::ShippingTrackingNumber,
            W::ShippingTrackingUrl,
            W::Metadata,
            W::CreatedAt,
            W::UpdatedAt,
        ])
        .column_as(products::Column::Name, "product_name")
        .column_as(download_grants::Column::Token, "grant_token")
        .column_as(download_grants::Column::IsActive, "grant_is_active")
        .column_as(download_grants::Column::ExpiresAt, "grant_expires_at")
        .column_as(download_grants::Column::MaxDownloads, "grant_max_downloads")
        .column_as(
            download_grants::Column::DownloadCount,
            "grant_download_count",
        );
    Ok(query
        .join(
            JoinType::LeftJoin,
            fulfillment_orders::Relation::Product.def(),
        )
        .join(
            JoinType::LeftJoin,
            fulfillment_orders::Relation::DownloadGrant.def(),
        )
        .filter(W::CustomerAccountId.eq(account_id))
        .order_by_desc(W::CreatedAt)
        .order_by_desc(W::Id)
        .into_model::<WorkOrderRow>()
        .all(db)
        .await?)
}

/// Checks a local download link (`path` as it came in the URL, decoded) at `now` (Unix
/// seconds) and gives the file under `root` it points at.
///
/// A path that could leave the storage folder is 404 (no link is ever signed for one);
/// a missing, malformed or wrong signature, and an expired link, are 403.
pub fn local_file(
    root: &str,
    secret_key: &str,
    path: &str,
    expires: Option<&str>,
    signature: Option<&str>,
    now: i64,
) -> Result<PathBuf, ApiError> {
    let path = AssetPath::parse(path).map_err(|_| ApiError::NotFound)?;
    let bad = || ApiError::Forbidden(LinkError::BadSignature.to_string());
    let expires = expires
        .and_then(|e| e.parse::<i64>().ok())
        .ok_or_else(bad)?;
    let signature = signature.ok_or_else(bad)?;
    LinkSigner::new(secret_key)
        .verify(&path, expires, signature, now)
        .map_err(|err| ApiError::Forbidden(err.to_string()))?;
    Ok(path.under(std::path::Path::new(root)))
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn can_download_needs_active_unexpired_and_downloads_left() {
        let now = Utc::now();
        let later = Some(now + TimeDelta::seconds(1));
        assert!(can_download(true, None, 5, 4, now));
        assert!(can_download(true, later, 5, 0, now));
        assert!(!can_download(false, None, 5, 0, now));
        assert!(!can_download(true, Some(now), 5, 0, now));
        assert!(!can_download(true, None, 5, 5, now));
        assert!(!can_download(true, None, 1, 7, now));
        assert!(can_download(true, None, 0, 1_000, now), "0 = unlimited");
    }

    #[test]
    fn local_links_are_checked_before_any_file_is_named() {
        const KEY: &str = "unit-test-secret-key-that-is-long-enough-0123456789";
        let p = AssetPath::parse("books/guide.pdf").expect("path");
        let sig = LinkSigner::new(KEY).sign(&p, 100);
        let file = local_file(
            "/srv/a",
            KEY,
            "books/guide.pdf",
            Some("100"),
            Some(&sig),
            99,
        )
        .expect("ok");
        assert_eq!(file, PathBuf::from("/srv/a/books/guide.pdf"));

        let status = |r: Result<PathBuf, ApiError>| match r {
            Err(ApiError::NotFound) => 404,
            Err(ApiError::Forbidden(_)) => 403,
            other => panic!("unexpected {other:?}"),
        };
        let check = |path, expires, sig, now| local_file("/srv/a", KEY, path, expires, sig, now);
        assert_eq!(
            status(check("../guide.pdf", Some("100"), Some(&sig), 0)),
            404
        );
        assert_eq!(
            status(check("/etc/passwd", Some("100"), Some(&sig), 0)),
            404
        );
        assert_eq!(
            status(check("books/guide.pdf", Some("100"), Some(&sig), 100)),
            403
        );
        assert_eq!(
            status(check("books/guide.pdf", Some("101"), Some(&sig), 0)),
            403
        );
        assert_eq!(
            status(check("books/guide.pdf", Some("x"), Some(&sig), 0)),
            403
        );
        assert_eq!(status(check("books/guide.pdf", None, Some(&sig), 0)), 403);
        assert_eq!(status(check("books/guide.pdf", Some("100"), None, 0)), 403);
        assert_eq!(
            status(check("books/other.pdf", Some("100"), Some(&sig), 0)),
            403
        );
    }
}
