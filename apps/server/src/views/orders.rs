//! Response shapes of orders and their items (`Order`, `OrderItem` in the spec).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::entities::{order_items, orders, products};

/// `OrderItem` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrderItem)]
pub struct OrderItemView {
    /// Row id.
    pub id: i64,
    /// Product id.
    pub product: i64,
    /// The product's current slug.
    pub product_slug: String,
    /// `digital` or `service`.
    #[schema(schema_with = crate::openapi::enums::product_type)]
    pub product_type: String,
    /// Price id (null once the price is deleted).
    pub price: Option<i64>,
    /// Units bought.
    pub quantity: i32,
    /// Price per unit when ordered.
    pub unit_amount_cents: i64,
    /// unit × quantity.
    pub total_amount_cents: i64,
    /// Product name when ordered.
    pub product_name_snapshot: String,
    /// Price name when ordered.
    pub price_name_snapshot: String,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// `Order` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Order)]
pub struct OrderView {
    /// Row id.
    pub id: i64,
    /// The id clients and payment events use.
    pub public_id: Uuid,
    /// draft / pending_payment / paid / fulfilled / canceled / refunded.
    #[schema(schema_with = crate::openapi::enums::order_status)]
    pub status: String,
    /// ISO currency of every amount.
    pub currency: String,
    /// Sum of the items.
    pub subtotal_cents: i64,
    /// Tax.
    pub tax_cents: i64,
    /// subtotal + tax.
    pub total_cents: i64,
    /// The buyer's notes.
    pub notes: String,
    /// Clerk checkout id, once known.
    pub clerk_checkout_id: String,
    /// Payment reference, once paid.
    pub external_reference: String,
    /// When payment was confirmed.
    pub paid_at: Option<DateTime<Utc>>,
    /// When fulfilment finished.
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// The order's items.
    pub items: Vec<OrderItemView>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl OrderView {
    /// Builds the view; `products` must hold every item's product.
    pub fn new(
        order: &orders::Model,
        items: &[&order_items::Model],
        products: &HashMap<i64, products::Model>,
    ) -> Self {
        Self {
            id: order.id,
            public_id: order.public_id,
            status: order.status.clone(),
            currency: order.currency.clone(),
            subtotal_cents: order.subtotal_cents,
            tax_cents: order.tax_cents,
            total_cents: order.total_cents,
            notes: order.notes.clone(),
            clerk_checkout_id: order.clerk_checkout_id.clone(),
            external_reference: order.external_reference.clone(),
            paid_at: order.paid_at,
            fulfilled_at: order.fulfilled_at,
            items: items
                .iter()
                .map(|item| {
                    let product = products.get(&item.product_id);
                    OrderItemView {
                        id: item.id,
                        product: item.product_id,
                        product_slug: product.map(|p| p.slug.clone()).unwrap_or_default(),
                        product_type: product.map(|p| p.product_type.clone()).unwrap_or_default(),
                        price: item.price_id,
                        quantity: item.quantity,
                        unit_amount_cents: item.unit_amount_cents,
                        total_amount_cents: item.total_amount_cents,
                        product_name_snapshot: item.product_name_snapshot.clone(),
                        price_name_snapshot: item.price_name_snapshot.clone(),
                        metadata: item.metadata.clone(),
                        created_at: item.created_at,
                        updated_at: item.updated_at,
                    }
                })
                .collect(),
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }
}
