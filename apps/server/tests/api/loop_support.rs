//! Building blocks for paid-loop tests: a seller's catalog made over HTTP, orders, and
//! Clerk payment events.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, body};

/// The seller in paid-loop tests.
pub const SELLER: &str = "user_seller";

/// Creates a published product (over the seller API) and returns its id.
pub async fn product(app: &TestApp, name: &str, product_type: &str, feature_keys: Value) -> i64 {
    let (status, product) = body(
        app.send_as(
            SELLER,
            Method::POST,
            "/api/seller/products/",
            &json!({"name": name, "product_type": product_type, "visibility": "published", "feature_keys": feature_keys}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{product}");
    product["id"].as_i64().unwrap()
}

/// Adds a price and returns its id.
pub async fn price(app: &TestApp, product: i64, amount_cents: i64, period: &str) -> i64 {
    let (status, price) = body(
        app.send_as(
            SELLER,
            Method::POST,
            &format!("/api/seller/products/{product}/prices/"),
            &json!({"amount_cents": amount_cents, "currency": "usd", "billing_period": period}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{price}");
    price["id"].as_i64().unwrap()
}

/// Adds an asset.
pub async fn asset(app: &TestApp, product: i64, title: &str) {
    let (status, asset) = body(
        app.send_as(
            SELLER,
            Method::POST,
            &format!("/api/seller/products/{product}/assets/"),
            &json!({"title": title, "file_path": format!("files/{title}.zip")}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{asset}");
}

/// Sets the service offer of a service product.
pub async fn offer(app: &TestApp, product: i64, delivery_days: i64, delivery_mode: &str) {
    let (status, offer) = body(
        app.send_as(
            SELLER,
            Method::PUT,
            &format!("/api/seller/products/{product}/service-offer/"),
            &json!({"delivery_days": delivery_days, "metadata": {"delivery_mode": delivery_mode}}),
        )
        .await,
    )
    .await;
    assert!(status == 200 || status == 201, "{status} {offer}");
}

/// A buyer's new order for `price`; returns the `order` object.
pub async fn order(app: &TestApp, buyer: &str, price: i64, quantity: i64) -> Value {
    let (status, created) = body(
        app.send_as(
            buyer,
            Method::POST,
            "/api/account/orders/create/",
            &json!({"price_id": price, "quantity": quantity, "notes": "Please hurry"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    created["order"].clone()
}

/// A Clerk `paymentAttempt.updated` event for an order.
pub fn payment_attempt(order_public_id: &str, status: &str) -> Value {
    json!({
        "type": "paymentAttempt.updated",
        "object": "event",
        "data": {
            "id": format!("pa_{}", &order_public_id[..8]),
            "status": status,
            "payment_id": format!("pay_{}", &order_public_id[..8]),
            "metadata": {"order_public_id": order_public_id},
        }
    })
}

/// The order as the buyer's list shows it.
pub async fn order_status(app: &TestApp, buyer: &str, public_id: &str) -> Value {
    let (_, orders) = body(app.get_as(buyer, "/api/account/orders/").await).await;
    orders
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["public_id"] == public_id)
        .cloned()
        .expect("order listed")
}
