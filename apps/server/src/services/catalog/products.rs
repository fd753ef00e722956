//! Seller products: the caller's own products, with their prices, assets and offer.

use paidloop_catalog::{ProductType, Visibility, normalize_feature_keys};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::cache::CatalogGeneration;
use super::{
    ProductChildren, ProductsOf, begin_write, finish, is_foreign_key_violation,
    is_unique_violation, load_children, load_children_of, lock_product,
};
use crate::entities::{order_items, prices, products};
use crate::error::ApiError;
use crate::services::validate::Errors;

/// Longest product name.
pub const NAME_MAX: usize = 180;
/// Longest product slug.
pub const SLUG_MAX: usize = 200;
/// Longest tagline.
pub const TAGLINE_MAX: usize = 240;

/// Why a sold product stays.
const SOLD: &str = "This product has orders, so it cannot be deleted; archive it instead \
                    (set visibility to \"archived\").";

/// Create/update body of a product; every field optional so PATCH can send just one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProductInput {
    /// Display name (required on create and PUT).
    #[schema(max_length = 180)]
    pub name: Option<String>,
    /// Wanted slug; blank → from the name; absent on update → kept.
    #[schema(max_length = 200)]
    pub slug: Option<String>,
    /// Short pitch.
    #[schema(max_length = 240)]
    pub tagline: Option<String>,
    /// Long description.
    pub description: Option<String>,
    /// `digital` (default) or `service`.
    #[schema(schema_with = crate::openapi::enums::product_type, required = false)]
    pub product_type: Option<String>,
    /// `draft` (default), `published` or `archived`.
    #[schema(schema_with = crate::openapi::enums::visibility, required = false)]
    pub visibility: Option<String>,
    /// A list of feature keys (`null` is refused, like any non-list).
    #[serde(default, deserialize_with = "super::sent_value")]
    #[schema(value_type = Vec<String>)]
    pub feature_keys: Option<Value>,
    /// One of this product's price ids, or `null` to clear it.
    #[serde(default, deserialize_with = "crate::services::validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub active_price: Option<Option<i64>>,
    /// A JSON object.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

/// A product with its prices, assets and service offer: what the seller endpoints answer.
#[derive(Debug)]
pub struct SellerProduct {
    /// The product row.
    pub product: products::Model,
    /// Its children.
    pub children: ProductChildren,
}

/// What the seller asked for, checked against the stored row (if any).
struct Validated {
    name: String,
    slug: String,
    tagline: String,
    description: String,
    product_type: String,
    visibility: String,
    feature_keys: Value,
    active_price_id: Option<i64>,
    metadata: Value,
}

/// Checks every field at once. `price_ids` are the product's prices, against which a
/// given `active_price` is checked (none on create, so any active price is refused).
fn validate(
    input: &ProductInput,
    existing: Option<&products::Model>,
    require_name: bool,
    price_ids: &[i64],
) -> Result<Validated, ApiError> {
    let mut errors = Errors::default();
    let name = match (&input.name, existing) {
        (Some(name), _) => errors.required_text("name", name, NAME_MAX),
        (None, Some(row)) if !require_name => row.name.clone(),
        (None, _) => errors.required("name"),
    };
    let slug = errors.slug(
        input.slug.as_deref(),
        existing.map(|row| row.slug.as_str()),
        &name,
        SLUG_MAX,
    );
    let tagline = match (&input.tagline, existing) {
        (Some(tagline), _) => errors.text("tagline", tagline, TAGLINE_MAX),
        (None, Some(row)) => row.tagline.clone(),
        (None, None) => String::new(),
    };
    let description = match (&input.description, existing) {
        (Some(description), _) => description.trim().to_owned(),
        (None, Some(row)) => row.description.clone(),
        (None, None) => String::new(),
    };
    let product_type = match (&input.product_type, existing) {
        (Some(raw), _) => ProductType::parse(raw).map_or_else(
            |err| {
                errors.add("product_type", err.to_string());
                String::new()
            },
            |kind| kind.as_str().to_owned(),
        ),
        (None, Some(row)) => row.product_type.clone(),
        (None, None) => ProductType::default().as_str().to_owned(),
    };
    let visibility = match (&input.visibility, existing) {
        (Some(raw), _) => Visibility::parse(raw).map_or_else(
            |err| {
                errors.add("visibility", err.to_string());
                String::new()
            },
            |visibility| visibility.as_str().to_owned(),
        ),
        (None, Some(row)) => row.visibility.clone(),
        (None, None) => Visibility::default().as_str().to_owned(),
    };
    let feature_keys = match (&input.feature_keys, existing) {
        (Some(raw), _) => match normalize_feature_keys(raw) {
            Ok(keys) => Value::Array(keys.into_iter().map(|k| Value::String(k.into())).collect()),
            Err(err) => {
                errors.add("feature_keys", format!("{err}."));
                Value::Null
            }
        },
        (None, Some(row)) => row.feature_keys.clone(),
        (None, None) => Value::Array(Vec::new()),
    };
    let active_price_id = match (input.active_price, existing) {
        (Some(Some(id)), _) => {
            if !price_ids.contains(&id) {
                errors.add("active_price", "Active price must belong to this product.");
            }
            Some(id)
        }
        (Some(None), _) => None,
        (None, Some(row)) => row.active_price_id,
        (None, None) => None,
    };
    let metadata = errors.metadata(input.metadata.as_ref(), existing.map(|row| &row.metadata));
    errors.finish()?;
    Ok(Validated {
        name,
        slug,
        tagline,
        description,
        product_type,
        visibility,
        feature_keys,
        active_price_id,
        metadata,
    })
}

fn slug_taken() -> ApiError {
    ApiError::field("slug", "You already have a product with this slug.")
}

/// Maps the per-owner slug constraint tripped by a concurrent twin to the slug error.
fn map_unique(err: DbErr) -> ApiError {
    if is_unique_violation(&err) {
        slug_taken()
    } else {
        err.into()
    }
}

async fn ensure_slug_free<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    slug: &str,
    except_id: Option<i64>,
) -> Result<(), ApiError> {
    let mut query = products::Entity::find()
        .select_only()
        .column(products::Column::Id)
        .filter(products::Column::OwnerId.eq(owner_id))
        .filter(products::Column::Slug.eq(slug));
    if let Some(id) = except_id {
        query = query.filter(products::Column::Id.ne(id));
    }
    if query.into_tuple::<i64>().one(db).await?.is_some() {
        return Err(slug_taken());
    }
    Ok(())
}

/// The owner's products, most recently changed first, with their children (four
/// statements whatever the number of products).
#[tracing::instrument(skip(db))]
pub async fn list(db: &DatabaseConnection, owner_id: i64) -> Result<Vec<SellerProduct>, ApiError> {
    let rows = products::Entity::find()
        .filter(products::Column::OwnerId.eq(owner_id))
        .order_by_desc(products::Column::UpdatedAt)
        .order_by_desc(products::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut children = load_children(db, ProductsOf::Owner(owner_id)).await?;
    Ok(rows
        .into_iter()
        .map(|product| SellerProduct {
            children: children.remove(&product.id).unwrap_or_default(),
            product,
        })
        .collect())
}

/// One of the owner's products; someone else's is 404.
#[tracing::instrument(skip(db))]
pub async fn get(
    db: &DatabaseConnection,
    owner_id: i64,
    id: i64,
) -> Result<SellerProduct, ApiError> {
    let product = get_row(db, owner_id, id).await?;
    let children = load_children_of(db, id).await?;
    Ok(SellerProduct { product, children })
}

/// The row of one of the owner's products, without its children.
pub(super) async fn get_row<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    id: i64,
) -> Result<products::Model, ApiError> {
    products::Entity::find_by_id(id)
        .filter(products::Column::OwnerId.eq(owner_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Creates a product for the owner.
#[tracing::instrument(skip(db, catalog, input))]
pub async fn create(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    input: &ProductInput,
) -> Result<SellerProduct, ApiError> {
    let v = validate(input, None, true, &[])?;
    ensure_slug_free(db, owner_id, &v.slug, None).await?;
    let row = products::ActiveModel {
        owner_id: Set(owner_id),
        name: Set(v.name),
        slug: Set(v.slug),
        tagline: Set(v.tagline),
        description: Set(v.description),
        product_type: Set(v.product_type),
        visibility: Set(v.visibility),
        feature_keys: Set(v.feature_keys),
        active_price_id: Set(None),
        metadata: Set(v.metadata),
        ..Default::default()
    };
    let product = row.insert(db).await.map_err(map_unique)?;
    catalog.changed();
    Ok(SellerProduct {
        product,
        children: ProductChildren::default(),
    })
}

/// Updates one of the owner's products; `full` (PUT) requires the name.
#[tracing::instrument(skip(db, catalog, input))]
pub async fn update(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    id: i64,
    input: &ProductInput,
    full: bool,
) -> Result<SellerProduct, ApiError> {
    let txn = begin_write(db).await?;
    let result = update_locked(&txn, owner_id, id, input, full).await;
    let product = finish(txn, result, catalog).await?;
    let children = load_children_of(db, id).await?;
    Ok(SellerProduct { product, children })
}

async fn update_locked(
    txn: &DatabaseTransaction,
    owner_id: i64,
    id: i64,
    input: &ProductInput,
    full: bool,
) -> Result<products::Model, ApiError> {
    let existing = lock_product(txn, owner_id, id, LockType::NoKeyUpdate).await?;
    // The prices are only needed to check a new active price; the lock keeps them from
    // being deleted before the update.
    let price_ids: Vec<i64> = if matches!(input.active_price, Some(Some(_))) {
        prices::Entity::find()
            .select_only()
            .column(prices::Column::Id)
            .filter(prices::Column::ProductId.eq(id))
            .into_tuple()
            .all(txn)
            .await?
    } else {
        Vec::new()
    };
    let v = validate(input, Some(&existing), full, &price_ids)?;
    if v.slug != existing.slug {
        ensure_slug_free(txn, owner_id, &v.slug, Some(id)).await?;
    }
    let mut row = existing.into_active_model();
    row.name = Set(v.name);
    row.slug = Set(v.slug);
    row.tagline = Set(v.tagline);
    row.description = Set(v.description);
    row.product_type = Set(v.product_type);
    row.visibility = Set(v.visibility);
    row.feature_keys = Set(v.feature_keys);
    row.active_price_id = Set(v.active_price_id);
    row.metadata = Set(v.metadata);
    row.update(txn).await.map_err(map_unique)
}

/// Deletes one of the owner's products with its prices, assets and offer. A product
/// that was sold (it has order items) is kept: 409, and nothing is deleted.
#[tracing::instrument(skip(db, catalog))]
pub async fn delete(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    id: i64,
) -> Result<(), ApiError> {
    let txn = begin_write(db).await?;
    let result = delete_locked(&txn, owner_id, id).await;
    finish(txn, result, catalog).await
}

async fn delete_locked(txn: &DatabaseTransaction, owner_id: i64, id: i64) -> Result<(), ApiError> {
    lock_product(txn, owner_id, id, LockType::Update).await?;
    let sold = order_items::Entity::find()
        .select_only()
        .column(order_items::Column::Id)
        .filter(order_items::Column::ProductId.eq(id))
        .into_tuple::<i64>()
        .one(txn)
        .await?
        .is_some();
    if sold {
        return Err(ApiError::Conflict(SOLD.to_owned()));
    }
    // The check above runs under the product lock; the foreign key (ON DELETE RESTRICT)
    // still guards against an order line written by something that skipped the lock.
    products::Entity::delete_by_id(id)
        .exec(txn)
        .await
        .map_err(|err| {
            if is_foreign_key_violation(&err) {
                ApiError::Conflict(SOLD.to_owned())
            } else {
                err.into()
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(value: Value) -> ProductInput {
        serde_json::from_value(value).unwrap()
    }

    fn field_errors(result: Result<Validated, ApiError>) -> crate::error::FieldErrors {
        match result {
            Err(ApiError::Validation(errors)) => errors,
            Err(other) => panic!("expected a validation error, got {other:?}"),
            Ok(_) => panic!("expected a validation error"),
        }
    }

    #[test]
    fn a_new_product_gets_defaults_and_a_slug_from_its_name() {
        let v = validate(&input(json!({"name": "  Pro Plan "})), None, true, &[]).unwrap();
        assert_eq!(v.name, "Pro Plan");
        assert_eq!(v.slug, "pro-plan");
        assert_eq!(v.product_type, "digital");
        assert_eq!(v.visibility, "draft");
        assert_eq!(v.feature_keys, json!([]));
        assert_eq!(v.metadata, json!({}));
    }

    #[test]
    fn feature_keys_are_normalised_and_null_is_not_a_list() {
        let v = validate(
            &input(json!({"name": "x", "feature_keys": ["Pro", " api access", "pro", ""]})),
            None,
            true,
            &[],
        )
        .unwrap();
        assert_eq!(v.feature_keys, json!(["pro", "api_access"]));
        for bad in [json!(null), json!("pro"), json!({"pro": true})] {
            let errors = field_errors(validate(
                &input(json!({"name": "x", "feature_keys": bad})),
                None,
                true,
                &[],
            ));
            assert_eq!(
                errors["feature_keys"],
                ["feature_keys must be an array of feature keys."]
            );
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = field_errors(validate(
            &input(json!({
                "name": " ",
                "product_type": "physical",
                "visibility": "public",
                "tagline": "t".repeat(241),
                "metadata": [],
                "active_price": 3
            })),
            None,
            true,
            &[],
        ));
        for field in [
            "name",
            "product_type",
            "visibility",
            "tagline",
            "metadata",
            "active_price",
        ] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
