//! Seller digital assets: the downloadable files of the caller's products.

use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::cache::CatalogGeneration;
use super::{begin_write, finish, is_unique_violation, lock_product, non_negative};
use crate::entities::{digital_assets, products};
use crate::error::ApiError;
use crate::services::validate::Errors;

/// Longest asset title.
pub const TITLE_MAX: usize = 180;
/// Longest storage path.
pub const FILE_PATH_MAX: usize = 420;
/// Longest version label.
pub const VERSION_LABEL_MAX: usize = 40;
/// Length of a hex SHA-256.
const CHECKSUM_LEN: usize = 64;

/// Create/update body of an asset; `title` and `file_path` are required on create and
/// PUT. A `product` field is ignored: the product comes from the path.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AssetInput {
    /// Display title.
    #[schema(max_length = 180)]
    pub title: Option<String>,
    /// Path in the asset storage, unique per product.
    #[schema(max_length = 420)]
    pub file_path: Option<String>,
    /// Size in bytes, `>= 0`.
    #[schema(minimum = 0)]
    pub file_size_bytes: Option<i64>,
    /// Hex SHA-256 (any case; stored lower-cased), or blank.
    #[schema(max_length = 64)]
    pub checksum_sha256: Option<String>,
    /// Free version label.
    #[schema(max_length = 40)]
    pub version_label: Option<String>,
    /// Only active assets are granted and listed publicly (default true).
    pub is_active: Option<bool>,
    /// A JSON object.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

struct Validated {
    title: String,
    file_path: String,
    file_size_bytes: i64,
    checksum_sha256: String,
    version_label: String,
    is_active: bool,
    metadata: Value,
}

fn validate(
    input: &AssetInput,
    existing: Option<&digital_assets::Model>,
    full: bool,
) -> Result<Validated, ApiError> {
    let mut errors = Errors::default();
    let title = match (&input.title, existing) {
        (Some(title), _) => errors.required_text("title", title, TITLE_MAX),
        (None, Some(row)) if !full => row.title.clone(),
        (None, _) => errors.required("title"),
    };
    let file_path = match (&input.file_path, existing) {
        (Some(path), _) => errors.required_text("file_path", path, FILE_PATH_MAX),
        (None, Some(row)) if !full => row.file_path.clone(),
        (None, _) => errors.required("file_path"),
    };
    let file_size_bytes = match (input.file_size_bytes, existing) {
        (Some(size), _) => non_negative(&mut errors, "file_size_bytes", size, i64::MAX),
        (None, Some(row)) => row.file_size_bytes,
        (None, None) => 0,
    };
    let checksum_sha256 = match (&input.checksum_sha256, existing) {
        (Some(raw), _) => {
            let checksum = raw.trim().to_ascii_lowercase();
            let is_hex =
                checksum.len() == CHECKSUM_LEN && checksum.bytes().all(|b| b.is_ascii_hexdigit());
            if !checksum.is_empty() && !is_hex {
                errors.add(
                    "checksum_sha256",
                    "Enter a SHA-256 checksum as 64 hexadecimal characters, or leave it blank.",
                );
            }
            checksum
        }
        (None, Some(row)) => row.checksum_sha256.clone(),
        (None, None) => String::new(),
    };
    let version_label = errors.merged_text(
        "version_label",
        input.version_label.as_deref(),
        existing.map(|row| row.version_label.as_str()),
        VERSION_LABEL_MAX,
    );
    let is_active = input
        .is_active
        .or(existing.map(|row| row.is_active))
        .unwrap_or(true);
    let metadata = errors.metadata(input.metadata.as_ref(), existing.map(|row| &row.metadata));
    errors.finish()?;
    Ok(Validated {
        title,
        file_path,
        file_size_bytes,
        checksum_sha256,
        version_label,
        is_active,
        metadata,
    })
}

fn path_taken() -> ApiError {
    ApiError::field(
        "file_path",
        "This product already has an asset with this file path.",
    )
}

fn map_unique(err: DbErr) -> ApiError {
    if is_unique_violation(&err) {
        path_taken()
    } else {
        err.into()
    }
}

async fn ensure_path_free(
    txn: &DatabaseTransaction,
    product_id: i64,
    file_path: &str,
    except_id: Option<i64>,
) -> Result<(), ApiError> {
    let mut query = digital_assets::Entity::find()
        .select_only()
        .column(digital_assets::Column::Id)
        .filter(digital_assets::Column::ProductId.eq(product_id))
        .filter(digital_assets::Column::FilePath.eq(file_path));
    if let Some(id) = except_id {
        query = query.filter(digital_assets::Column::Id.ne(id));
    }
    if query.into_tuple::<i64>().one(txn).await?.is_some() {
        return Err(path_taken());
    }
    Ok(())
}

/// The product of one of the owner's assets; someone else's asset is 404.
async fn product_of_asset<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    asset_id: i64,
) -> Result<i64, ApiError> {
    digital_assets::Entity::find_by_id(asset_id)
        .select_only()
        .column(digital_assets::Column::ProductId)
        .inner_join(products::Entity)
        .filter(products::Column::OwnerId.eq(owner_id))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The assets of one of the owner's products, by title then id.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &DatabaseConnection,
    owner_id: i64,
    product_id: i64,
) -> Result<Vec<digital_assets::Model>, ApiError> {
    super::products::get_row(db, owner_id, product_id).await?;
    Ok(digital_assets::Entity::find()
        .filter(digital_assets::Column::ProductId.eq(product_id))
        .order_by_asc(digital_assets::Column::Title)
        .order_by_asc(digital_assets::Column::Id)
        .all(db)
        .await?)
}

/// One of the owner's assets; someone else's is 404.
#[tracing::instrument(skip(db))]
pub async fn get(
    db: &DatabaseConnection,
    owner_id: i64,
    asset_id: i64,
) -> Result<digital_assets::Model, ApiError> {
    digital_assets::Entity::find_by_id(asset_id)
        .inner_join(products::Entity)
        .filter(products::Column::OwnerId.eq(owner_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Adds an asset to one of the owner's products.
#[tracing::instrument(skip(db, catalog, input))]
pub async fn create(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    product_id: i64,
    input: &AssetInput,
) -> Result<digital_assets::Model, ApiError> {
    let txn = begin_write(db).await?;
    let result = write_locked(&txn, owner_id, product_id, None, input, true).await;
    finish(txn, result, catalog).await
}

/// Updates one of the owner's assets; `full` (PUT) requires the title and file path.
#[tracing::instrument(skip(db, catalog, input))]
pub async fn update(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    asset_id: i64,
    input: &AssetInput,
    full: bool,
) -> Result<digital_assets::Model, ApiError> {
    let txn = begin_write(db).await?;
    let result = match product_of_asset(&txn, owner_id, asset_id).await {
        Ok(product_id) => {
            write_locked(&txn, owner_id, product_id, Some(asset_id), input, full).await
        }
        Err(err) => Err(err),
    };
    finish(txn, result, catalog).await
}

async fn write_locked(
    txn: &DatabaseTransaction,
    owner_id: i64,
    product_id: i64,
    asset_id: Option<i64>,
    input: &AssetInput,
    full: bool,
) -> Result<digital_assets::Model, ApiError> {
    lock_product(txn, owner_id, product_id, LockType::NoKeyUpdate).await?;
    let existing = match asset_id {
        Some(id) => Some(
            digital_assets::Entity::find_by_id(id)
                .filter(digital_assets::Column::ProductId.eq(product_id))
                .one(txn)
                .await?
                .ok_or(ApiError::NotFound)?,
        ),
        None => None,
    };
    let v = validate(input, existing.as_ref(), full)?;
    if existing
        .as_ref()
        .is_none_or(|row| row.file_path != v.file_path)
    {
        ensure_path_free(txn, product_id, &v.file_path, asset_id).await?;
    }
    let mut row = match existing {
        Some(existing) => existing.into_active_model(),
        None => digital_assets::ActiveModel {
            product_id: Set(product_id),
            ..Default::default()
        },
    };
    row.title = Set(v.title);
    row.file_path = Set(v.file_path);
    row.file_size_bytes = Set(v.file_size_bytes);
    row.checksum_sha256 = Set(v.checksum_sha256);
    row.version_label = Set(v.version_label);
    row.is_active = Set(v.is_active);
    row.metadata = Set(v.metadata);
    let saved = if asset_id.is_some() {
        row.update(txn).await
    } else {
        row.insert(txn).await
    };
    saved.map_err(map_unique)
}

/// Deletes one of the owner's assets. The schema deletes its download grants with it
/// (`ON DELETE CASCADE`) and clears them from work orders (`SET NULL`).
#[tracing::instrument(skip(db, catalog))]
pub async fn delete(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    asset_id: i64,
) -> Result<(), ApiError> {
    let txn = begin_write(db).await?;
    let result = delete_locked(&txn, owner_id, asset_id).await;
    finish(txn, result, catalog).await
}

async fn delete_locked(
    txn: &DatabaseTransaction,
    owner_id: i64,
    asset_id: i64,
) -> Result<(), ApiError> {
    let product_id = product_of_asset(txn, owner_id, asset_id).await?;
    lock_product(txn, owner_id, product_id, LockType::NoKeyUpdate).await?;
    let result = digital_assets::Entity::delete_many()
        .filter(digital_assets::Column::Id.eq(asset_id))
        .filter(digital_assets::Column::ProductId.eq(product_id))
        .exec(txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(value: Value) -> AssetInput {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn title_and_file_path_are_required_on_create() {
        let Err(ApiError::Validation(errors)) = validate(&input(json!({})), None, true) else {
            panic!("expected a validation error");
        };
        assert_eq!(errors["title"], ["This field is required."]);
        assert_eq!(errors["file_path"], ["This field is required."]);
        let Err(ApiError::Validation(errors)) =
            validate(&input(json!({"title": "x", "file_path": "  "})), None, true)
        else {
            panic!("expected a validation error");
        };
        assert!(errors.contains_key("file_path"));
    }

    #[test]
    fn checksum_is_lower_cased_and_must_be_hex() {
        let upper = "AB".repeat(32);
        let v = validate(
            &input(json!({"title": "t", "file_path": "p", "checksum_sha256": upper})),
            None,
            true,
        )
        .unwrap();
        assert_eq!(v.checksum_sha256, "ab".repeat(32));
        assert!(
            validate(
                &input(json!({"title": "t", "file_path": "p", "checksum_sha256": "xyz"})),
                None,
                true
            )
            .is_err()
        );
    }

    #[test]
    fn size_cannot_be_negative() {
        let Err(ApiError::Validation(errors)) = validate(
            &input(json!({"title": "t", "file_path": "p", "file_size_bytes": -1})),
            None,
            true,
        ) else {
            panic!("expected a validation error");
        };
        assert!(errors.contains_key("file_size_bytes"));
    }
}
