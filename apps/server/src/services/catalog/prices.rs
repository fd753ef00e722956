//! Seller prices: the prices of the caller's products, with the one-default-price rule
//! and the product's `active_price` follow-up written in the same transaction.

use chrono::Utc;
use paidloop_catalog::{
    ActivePriceUpdate, AmountCents, BillingPeriod, Currency, PriceError, PriceFacts, PriceWrite,
    plan_default_price_change,
};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::cache::CatalogGeneration;
use super::{begin_write, finish, is_unique_violation, lock_product};
use crate::entities::{prices, products};
use crate::error::ApiError;
use crate::services::validate::Errors;

/// Longest price name.
pub const NAME_MAX: usize = 120;
/// Longest Clerk plan or price id.
pub const CLERK_ID_MAX: usize = 128;
/// How many times a write that lost a race on the one-default index is tried.
const ATTEMPTS: u32 = 3;
/// The 409 when the one-default index still trips after the retries.
const DEFAULT_RACE: &str =
    "Another request changed this product's default price at the same time; try again.";

/// Create/update body of a price; every field optional (they all have defaults).
/// A `product` field is ignored: the product comes from the path and never changes.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PriceInput {
    /// Display name; blank is allowed.
    #[schema(max_length = 120)]
    pub name: Option<String>,
    /// Amount in cents, `>= 0` (default 0).
    #[schema(minimum = 0)]
    pub amount_cents: Option<i64>,
    /// Three-letter code, upper-cased (default `USD`).
    #[schema(min_length = 3, max_length = 3, example = "USD")]
    pub currency: Option<String>,
    /// `one_time`, `monthly` or `yearly` (default `one_time`).
    #[schema(schema_with = crate::openapi::enums::billing_period, required = false)]
    pub billing_period: Option<String>,
    /// The Clerk plan this price maps to.
    #[schema(max_length = 128)]
    pub clerk_plan_id: Option<String>,
    /// The Clerk price this price maps to.
    #[schema(max_length = 128)]
    pub clerk_price_id: Option<String>,
    /// Whether it can be bought (default true).
    pub is_active: Option<bool>,
    /// Whether it is the product's default price (default false).
    pub is_default: Option<bool>,
    /// A JSON object; `checkout_url` is where buyers pay.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

/// What the seller asked for, merged with the stored row (if any).
struct Validated {
    name: String,
    amount_cents: i64,
    currency: String,
    billing_period: String,
    clerk_plan_id: String,
    clerk_price_id: String,
    is_active: bool,
    is_default: bool,
    metadata: Value,
}

const DEFAULT_MUST_BE_ACTIVE: &str = "A default price must be active.";

fn validate(input: &PriceInput, existing: Option<&prices::Model>) -> Result<Validated, ApiError> {
    let mut errors = Errors::default();
    let name = errors.merged_text(
        "name",
        input.name.as_deref(),
        existing.map(|r| r.name.as_str()),
        NAME_MAX,
    );
    let clerk_plan_id = errors.merged_text(
        "clerk_plan_id",
        input.clerk_plan_id.as_deref(),
        existing.map(|r| r.clerk_plan_id.as_str()),
        CLERK_ID_MAX,
    );
    let clerk_price_id = errors.merged_text(
        "clerk_price_id",
        input.clerk_price_id.as_deref(),
        existing.map(|r| r.clerk_price_id.as_str()),
        CLERK_ID_MAX,
    );
    let amount_cents = match (input.amount_cents, existing) {
        (Some(cents), _) => AmountCents::new(cents).map_or_else(
            |_| {
                errors.add(
                    "amount_cents",
                    "Ensure this value is greater than or equal to 0.",
                );
                0
            },
            AmountCents::get,
        ),
        (None, Some(row)) => row.amount_cents,
        (None, None) => 0,
    };
    let currency = match (&input.currency, existing) {
        (Some(raw), _) => Currency::parse(raw).map_or_else(
            |_| {
                errors.add("currency", "Currency must be a 3-letter code.");
                String::new()
            },
            String::from,
        ),
        (None, Some(row)) => row.currency.clone(),
        (None, None) => Currency::usd().into(),
    };
    let billing_period = match (&input.billing_period, existing) {
        (Some(raw), _) => BillingPeriod::parse(raw).map_or_else(
            |err| {
                errors.add("billing_period", err.to_string());
                String::new()
            },
            |period| period.as_str().to_owned(),
        ),
        (None, Some(row)) => row.billing_period.clone(),
        (None, None) => BillingPeriod::default().as_str().to_owned(),
    };
    let is_active = input
        .is_active
        .or(existing.map(|row| row.is_active))
        .unwrap_or(true);
    let is_default = input
        .is_default
        .or(existing.map(|row| row.is_default))
        .unwrap_or(false);
    if is_default && !is_active {
        errors.add("is_default", DEFAULT_MUST_BE_ACTIVE);
    }
    let metadata = errors.metadata(input.metadata.as_ref(), existing.map(|row| &row.metadata));
    errors.finish()?;
    Ok(Validated {
        name,
        amount_cents,
        currency,
        billing_period,
        clerk_plan_id,
        clerk_price_id,
        is_active,
        is_default,
        metadata,
    })
}

/// Which price a write is for.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A new price of this product.
    Create { product_id: i64 },
    /// This existing price.
    Update { price_id: i64 },
}

fn facts(price: &prices::Model) -> PriceFacts {
    PriceFacts {
        id: price.id,
        is_active: price.is_active,
        is_default: price.is_default,
        // The database refuses negative amounts, so this never falls back.
        amount: AmountCents::new(price.amount_cents).unwrap_or(AmountCents::ZERO),
    }
}

/// The product of one of the owner's prices; someone else's price is 404.
async fn product_of_price<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    price_id: i64,
) -> Result<i64, ApiError> {
    prices::Entity::find_by_id(price_id)
        .select_only()
        .column(prices::Column::ProductId)
        .inner_join(products::Entity)
        .filter(products::Column::OwnerId.eq(owner_id))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The prices of one of the owner's products, by amount then id.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &DatabaseConnection,
    owner_id: i64,
    product_id: i64,
) -> Result<Vec<prices::Model>, ApiError> {
    super::products::get_row(db, owner_id, product_id).await?;
    Ok(prices::Entity::find()
        .filter(prices::Column::ProductId.eq(product_id))
        .order_by_asc(prices::Column::AmountCents)
        .order_by_asc(prices::Column::Id)
        .all(db)
        .await?)
}

/// One of the owner's prices; someone else's is 404.
#[tracing::instrument(skip(db))]
pub async fn get(
    db: &DatabaseConnection,
    owner_id: i64,
    price_id: i64,
) -> Result<prices::Model, ApiError> {
    prices::Entity::find_by_id(price_id)
        .inner_join(products::Entity)
        .filter(products::Column::OwnerId.eq(owner_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Creates a price of one of the owner's products.
#[tracing::instrument(skip(db, catalog, input))]
pub async fn create(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    product_id: i64,
    input: &PriceInput,
) -> Result<prices::Model, ApiError> {
    write(db, catalog, owner_id, Target::Create { product_id }, input).await
}

/// Updates one of the owner's prices (PUT and PATCH alike: absent fields are kept).
#[tracing::instrument(skip(db, catalog, input))]
pub async fn update(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    price_id: i64,
    input: &PriceInput,
) -> Result<prices::Model, ApiError> {
    write(db, catalog, owner_id, Target::Update { price_id }, input).await
}

/// Runs one price write in its own transaction; a write that loses a race on the
/// one-default index (only possible if something wrote without the product lock) is
/// tried again from a fresh read, then answered with a 409.
async fn write(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    target: Target,
    input: &PriceInput,
) -> Result<prices::Model, ApiError> {
    let mut attempt = 1;
    loop {
        let txn = begin_write(db).await?;
        let result = write_locked(&txn, owner_id, target, input).await;
        match finish(txn, result, catalog).await {
            Err(ApiError::Conflict(detail)) if attempt < ATTEMPTS => {
                tracing::info!(attempt, %detail, "retrying a price write");
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Under the product lock: reads the product's prices, plans the default-price change
/// with the catalog rules, clears the other defaults first, writes the price, then
/// points the product's `active_price` at it when the plan says so.
async fn write_locked(
    txn: &DatabaseTransaction,
    owner_id: i64,
    target: Target,
    input: &PriceInput,
) -> Result<prices::Model, ApiError> {
    let product_id = match target {
        Target::Create { product_id } => product_id,
        Target::Update { price_id } => product_of_price(txn, owner_id, price_id).await?,
    };
    let product = lock_product(txn, owner_id, product_id, LockType::NoKeyUpdate).await?;
    // Read after the lock, so they are the prices as the previous writer left them.
    let siblings = prices::Entity::find()
        .filter(prices::Column::ProductId.eq(product_id))
        .all(txn)
        .await?;
    let (write, existing) = match target {
        Target::Create { .. } => (PriceWrite::Create, None),
        Target::Update { price_id } => {
            let existing = siblings
                .iter()
                .find(|price| price.id == price_id)
                .ok_or(ApiError::NotFound)?;
            (PriceWrite::Update { id: price_id }, Some(existing))
        }
    };
    let v = validate(input, existing)?;
    let facts: Vec<PriceFacts> = siblings.iter().map(facts).collect();
    let plan = plan_default_price_change(
        write,
        v.is_active,
        v.is_default,
        &facts,
        product.active_price_id,
    )
    .map_err(|err| match err {
        PriceError::DefaultMustBeActive => ApiError::field("is_default", DEFAULT_MUST_BE_ACTIVE),
    })?;

    let now = Utc::now();
    if !plan.clear_default_on.is_empty() {
        prices::Entity::update_many()
            .col_expr(prices::Column::IsDefault, Expr::value(false))
            .col_expr(prices::Column::UpdatedAt, Expr::value(now))
            .filter(prices::Column::Id.is_in(plan.clear_default_on))
            .exec(txn)
            .await?;
    }
    let mut row = match existing {
        Some(existing) => existing.clone().into_active_model(),
        None => prices::ActiveModel {
            product_id: Set(product_id),
            ..Default::default()
        },
    };
    row.name = Set(v.name);
    row.amount_cents = Set(v.amount_cents);
    row.currency = Set(v.currency);
    row.billing_period = Set(v.billing_period);
    row.clerk_plan_id = Set(v.clerk_plan_id);
    row.clerk_price_id = Set(v.clerk_price_id);
    row.is_active = Set(v.is_active);
    row.is_default = Set(v.is_default);
    row.metadata = Set(v.metadata);
    let price = match existing {
        Some(_) => row.update(txn).await,
        None => row.insert(txn).await,
    }
    .map_err(map_default_race)?;

    if plan.active_price == ActivePriceUpdate::SetToWritten {
        products::Entity::update_many()
            .col_expr(products::Column::ActivePriceId, Expr::value(price.id))
            .col_expr(products::Column::UpdatedAt, Expr::value(now))
            .filter(products::Column::Id.eq(product_id))
            .exec(txn)
            .await?;
    }
    Ok(price)
}

/// A second default for the product (the partial unique index tripped): a 409 that
/// [`write`] retries.
fn map_default_race(err: DbErr) -> ApiError {
    if is_unique_violation(&err) {
        ApiError::Conflict(DEFAULT_RACE.to_owned())
    } else {
        err.into()
    }
}

/// Deletes one of the owner's prices. The schema then clears it from order lines,
/// subscriptions and the product's `active_price` (all `ON DELETE SET NULL`).
#[tracing::instrument(skip(db, catalog))]
pub async fn delete(
    db: &DatabaseConnection,
    catalog: &CatalogGeneration,
    owner_id: i64,
    price_id: i64,
) -> Result<(), ApiError> {
    let txn = begin_write(db).await?;
    let result = delete_locked(&txn, owner_id, price_id).await;
    finish(txn, result, catalog).await
}

async fn delete_locked(
    txn: &DatabaseTransaction,
    owner_id: i64,
    price_id: i64,
) -> Result<(), ApiError> {
    let product_id = product_of_price(txn, owner_id, price_id).await?;
    lock_product(txn, owner_id, product_id, LockType::NoKeyUpdate).await?;
    let result = prices::Entity::delete_many()
        .filter(prices::Column::Id.eq(price_id))
        .filter(prices::Column::ProductId.eq(product_id))
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

    fn input(value: Value) -> PriceInput {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_new_price_gets_the_defaults() {
        let v = validate(&input(json!({})), None).unwrap();
        assert_eq!(v.amount_cents, 0);
        assert_eq!(v.currency, "USD");
        assert_eq!(v.billing_period, "one_time");
        assert!(v.is_active && !v.is_default);
        assert_eq!(v.metadata, json!({}));
    }

    #[test]
    fn currency_is_upper_cased_and_must_have_three_letters() {
        let v = validate(&input(json!({"currency": " eur "})), None).unwrap();
        assert_eq!(v.currency, "EUR");
        let Err(ApiError::Validation(errors)) = validate(&input(json!({"currency": "EURO"})), None)
        else {
            panic!("expected a validation error");
        };
        assert_eq!(errors["currency"], ["Currency must be a 3-letter code."]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let Err(ApiError::Validation(errors)) = validate(
            &input(json!({
                "amount_cents": -1,
                "billing_period": "weekly",
                "is_default": true,
                "is_active": false,
                "name": "n".repeat(121),
                "metadata": "x"
            })),
            None,
        ) else {
            panic!("expected a validation error");
        };
        for field in [
            "amount_cents",
            "billing_period",
            "is_default",
            "name",
            "metadata",
        ] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }
}
