//! Orders: creation at the server's price, the buyer's list, and confirmation.
//!
//! Money always comes from the database: the client names a price, never an amount.

pub mod confirm;
pub mod emails;
mod fulfil;
mod list;
pub mod list_cache;
pub mod writer;

pub use list::list;

use std::collections::HashMap;

use chrono::Utc;
use paidloop_catalog::{BillingPeriod, Visibility};
use paidloop_orders::{
    MAX_UNITS_PER_ITEM, OrderStatus, OrderTotals, line_total, price_name_snapshot,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::entities::{order_items, orders, prices, products};
use crate::error::ApiError;
use crate::services::validate::Errors;
use crate::state::AppState;
use crate::views::orders::OrderView;
use writer::NewOrder;

/// Longest order note.
const NOTES_MAX: usize = 4000;

/// `POST account/orders/create/` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateOrder {
    /// The price to buy at; its amount is read from the database.
    pub price_id: i64,
    /// Units, 1 by default.
    #[serde(default = "one")]
    #[schema(minimum = 1, default = 1)]
    pub quantity: i64,
    /// The buyer's notes (become the work order's request for services).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub notes: String,
}

fn one() -> i64 {
    1
}

/// A new order and where to pay for it.
pub struct CreatedOrder {
    /// The order, as the API shows it.
    pub order: OrderView,
    /// `price.metadata.checkout_url`, or empty.
    pub checkout_url: String,
}

/// Creates a `pending_payment` order with one item priced from the server's price.
///
/// The rows are written through the process's [`writer::OrderWriter`], which groups concurrent
/// creations into one transaction.
#[tracing::instrument(skip(state, input), fields(price_id = input.price_id))]
pub async fn create(
    state: &AppState,
    customer_account_id: i64,
    input: &CreateOrder,
) -> Result<CreatedOrder, ApiError> {
    let db = &state.db;
    let mut errors = Errors::default();
    let max_units = i64::from(MAX_UNITS_PER_ITEM);
    if !(1..=max_units).contains(&input.quantity) {
        errors.add(
            "quantity",
            format!("Ensure this value is between 1 and {max_units}."),
        );
    }
    let notes = errors.text("notes", &input.notes, NOTES_MAX);
    errors.finish()?;

    let Some((price, Some(product))) = prices::Entity::find_by_id(input.price_id)
        .find_also_related(products::Entity)
        .one(db)
        .await?
    else {
        return Err(ApiError::NotFound);
    };
    if !price.is_active || product.visibility != Visibility::Published.as_str() {
        return Err(ApiError::NotFound);
    }
    let period = BillingPeriod::parse(&price.billing_period)
        .map_err(|err| ApiError::Internal(format!("stored price {}: {err}", price.id)))?;
    let line = line_total(price.amount_cents, input.quantity)
        .map_err(|err| ApiError::field("quantity", err.to_string()))?;
    let totals =
        OrderTotals::new(line, 0).map_err(|err| ApiError::field("quantity", err.to_string()))?;
    let now = Utc::now();
    let checkout_url = price
        .metadata
        .get("checkout_url")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();

    let new = NewOrder {
        order: orders::ActiveModel {
            public_id: Set(Uuid::new_v4()),
            customer_account_id: Set(customer_account_id),
            status: Set(OrderStatus::PendingPayment.as_str().to_owned()),
            currency: Set(price.currency.clone()),
            subtotal_cents: Set(totals.subtotal_cents()),
            tax_cents: Set(totals.tax_cents()),
            total_cents: Set(totals.total_cents()),
            notes: Set(notes),
            clerk_checkout_id: Set(String::new()),
            external_reference: Set(String::new()),
            metadata: Set(json!({})),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
        item: order_items::ActiveModel {
            product_id: Set(product.id),
            price_id: Set(Some(price.id)),
            quantity: Set(i32::try_from(input.quantity).unwrap_or(1)),
            unit_amount_cents: Set(price.amount_cents),
            total_amount_cents: Set(line),
            product_name_snapshot: Set(product.name.clone()),
            price_name_snapshot: Set(price_name_snapshot(&price.name, period)),
            metadata: Set(json!({"billing_period": period.as_str()})),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    };
    let (order, item) = state.order_writer.write(db, &state.writes, new).await?;
    state.order_lists.orders_changed(order.customer_account_id);

    let products = HashMap::from([(product.id, product)]);
    Ok(CreatedOrder {
        order: OrderView::new(&order, &[&item], &products),
        checkout_url,
    })
}

/// The view of one order (two more queries: its items, their products).
pub async fn view<C: ConnectionTrait>(
    db: &C,
    order: &orders::Model,
) -> Result<OrderView, ApiError> {
    views(db, std::slice::from_ref(order))
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("an order without its view".into()))
}

/// Builds the views of several orders with two more queries (items, products).
async fn views<C: ConnectionTrait>(
    db: &C,
    orders: &[orders::Model],
) -> Result<Vec<OrderView>, ApiError> {
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let mut items: HashMap<i64, Vec<order_items::Model>> = HashMap::new();
    if !ids.is_empty() {
        for item in order_items::Entity::find()
            .filter(order_items::Column::OrderId.is_in(ids))
            .order_by_asc(order_items::Column::Id)
            .all(db)
            .await?
        {
            items.entry(item.order_id).or_default().push(item);
        }
    }
    let pairs = orders
        .iter()
        .map(|order| (order.clone(), items.remove(&order.id).unwrap_or_default()))
        .collect();
    with_products(db, pairs).await
}

/// Views of orders whose items are loaded, with one more query for their products.
async fn with_products<C: ConnectionTrait>(
    db: &C,
    orders: Vec<(orders::Model, Vec<order_items::Model>)>,
) -> Result<Vec<OrderView>, ApiError> {
    let mut product_ids: Vec<i64> = orders
        .iter()
        .flat_map(|(_, items)| items.iter().map(|i| i.product_id))
        .collect();
    product_ids.sort_unstable();
    product_ids.dedup();
    let products: HashMap<i64, products::Model> = if product_ids.is_empty() {
        HashMap::new()
    } else {
        products::Entity::find()
            .filter(products::Column::Id.is_in(product_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    Ok(orders
        .iter()
        .map(|(order, items)| {
            let items: Vec<&order_items::Model> = items.iter().collect();
            OrderView::new(order, &items, &products)
        })
        .collect())
}

/// One of the caller's orders by public id; someone else's is 404.
pub async fn find_own<C: ConnectionTrait>(
    db: &C,
    customer_account_id: i64,
    public_id: Uuid,
) -> Result<orders::Model, ApiError> {
    orders::Entity::find()
        .filter(orders::Column::PublicId.eq(public_id))
        .filter(orders::Column::CustomerAccountId.eq(customer_account_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}
