//! Service offers: the service terms of the caller's service products (one per product).

use paidloop_catalog::ProductType;
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::cache::CatalogGeneration;
use super::{begin_write, finish, is_unique_violation, lock_product, non_negative};
use crate::entities::{products, service_offers};
use crate::error::ApiError;
use crate::services::validate::Errors;

/// Default length of a session, in minutes.
pub const DEFAULT_SESSION_MINUTES: i32 = 60;
/// Default days until a work order is due.
pub const DEFAULT_DELIVERY_DAYS: i32 = 7;

/// Upsert body of a service offer; absent fields keep their stored (or default) value.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OfferInput {
    /// Length of a session, `>= 0` (default 60).
    #[schema(minimum = 0, maximum = 2147483647)]
    pub session_minutes: Option<i64>,
    /// Days until a work order is due, `>= 0` (default 7).
    #[schema(minimum = 0, maximum = 2147483647)]
    pub delivery_days: Option<i64>,
    /// Included revisions, `>= 0`.
    #[schema(minimum = 0, maximum = 2147483647)]
    pub revision_count: Option<i64>,
    /// Shown to the buyer.
    pub onboarding_instructions: Option<String>,
    /// A JSON object; `delivery_mode` picks physical or downloadable fulfilment.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

struct Validated {
    session_minutes: i32,
    delivery_days: i32,
    revision_count: i32,
    onboarding_instructions: String,
    metadata: Value,
}

/// A count column: `>= 0` and within `i32`.
fn count(
    errors: &mut Errors,
    field: &str,
    given: Option<i64>,
    stored: Option<i32>,
    default: i32,
) -> i32 {
    match (given, stored) {
        (Some(value), _) => {
            let value = non_negative(errors, field, value, i64::from(i32::MAX));
            i32::try_from(value).unwrap_or_default()
        }
        (None, Some(stored)) => stored,
        (None, None) => default,
    }
}

fn validate(
    input: &OfferInput,
    existing: Option<&service_offers::Model>,
) -> Result<Validated, ApiError> {
    let mut errors = Errors::default();
    let session_minutes = count(
        &mut errors,
        "session_minutes",
        input.session_minutes,
        existing.map(|row| row.session_minutes),
        DEFAULT_SESSION_MINUTES,
    );
    let delivery_days = count(
        &mut errors,
        "delivery_days",
        input.delivery_days,
        existing.map(|row| row.delivery_days),
        DEFAULT_DELIVERY_DAYS,
    );
    let revision_count = count(
        &mut errors,
        "revision_count",
        input.revision_count,
        existing.map(|row| row.revision_count),
        0,
    );
    let onboarding_instructions = match (&input.onboarding_instructions, existing) {
        (Some(text), _) => text.trim().to_owned(),
        (None, Some(row)) => row.onboarding_instructions.clone(),
        (None, None) => String::new(),
    };
    let metadata = errors.metadata(input.metadata.as_ref(), existing.map(|row| &row.metadata));
    errors.finish()?;
    Ok(Validated {
        session_minutes,
        delivery_days,
        revision_count,
        onboarding_instructions,
        metadata,
    })
}

/// Only a service product has service terms.
fn ensure_service(product: &products::Model) -> Result<(), ApiError> {
    if product.product_type == ProductType::Service.as_str() {
        Ok(())
    } else {
        Err(ApiError::BadRequest(
            "Product is not a service product.".to_owned(),
        ))
    }
}

/// The offer of one of the owner's service products: 400 for another kind of product,
/// 404 until one is set.
#[tracing::instrument(skip(db))]
pub async fn get(
    db: &DatabaseConnection,
    owner_id: i64,
    product_id: i64,
) -> Result<service_offers::Model, ApiError> {
    let product = super::products::get_row(db, owner_id, product_id).await?;
    ensure_service(&product)?;
    service_offers::Entity::find()
        .filter(service_offers::Column::ProductId.eq(product_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Creates or updates the offer of one of the owner's service products.
#[tracing::instrument(skip(db, catalog, input))]
pub async fn upsert(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    product_id: i64,
    input: &OfferInput,
) -> Result<service_offers::Model, ApiError> {
    let txn = begin_write(db).await?;
    let result = upsert_locked(&txn, owner_id, product_id, input).await;
    finish(txn, result, catalog).await
}

async fn upsert_locked(
    txn: &DatabaseTransaction,
    owner_id: i64,
    product_id: i64,
    input: &OfferInput,
) -> Result<service_offers::Model, ApiError> {
    let product = lock_product(txn, owner_id, product_id, LockType::NoKeyUpdate).await?;
    ensure_service(&product)?;
    let existing = service_offers::Entity::find()
        .filter(service_offers::Column::ProductId.eq(product_id))
        .one(txn)
        .await?;
    let v = validate(input, existing.as_ref())?;
    let is_update = existing.is_some();
    let mut row = match existing {
        Some(existing) => existing.into_active_model(),
        None => service_offers::ActiveModel {
            product_id: Set(product_id),
            ..Default::default()
        },
    };
    row.session_minutes = Set(v.session_minutes);
    row.delivery_days = Set(v.delivery_days);
    row.revision_count = Set(v.revision_count);
    row.onboarding_instructions = Set(v.onboarding_instructions);
    row.metadata = Set(v.metadata);
    let saved = if is_update {
        row.update(txn).await
    } else {
        row.insert(txn).await
    };
    // The product lock makes a concurrent twin insert impossible; if one still lands,
    // say so rather than fail with a 500.
    saved.map_err(|err| {
        if is_unique_violation(&err) {
            ApiError::Conflict(
                "The service offer was created by another request at the same time; try again."
                    .to_owned(),
            )
        } else {
            err.into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(value: Value) -> OfferInput {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_new_offer_gets_the_defaults() {
        let v = validate(&input(json!({"onboarding_instructions": " hi "})), None).unwrap();
        assert_eq!(
            (v.session_minutes, v.delivery_days, v.revision_count),
            (60, 7, 0)
        );
        assert_eq!(v.onboarding_instructions, "hi");
    }

    #[test]
    fn counts_must_fit_and_not_be_negative() {
        let Err(ApiError::Validation(errors)) = validate(
            &input(json!({"session_minutes": -1, "delivery_days": 1_i64 << 40})),
            None,
        ) else {
            panic!("expected a validation error");
        };
        assert!(errors.contains_key("session_minutes"));
        assert!(errors.contains_key("delivery_days"));
    }
}
