//! Helpers shared by the catalog tests: building a catalog over HTTP, and writing the
//! order rows (which this issue has no endpoint for) straight into the test database.

use paidloop_server::entities::{
    customer_accounts, download_grants, order_items, orders, subscriptions,
};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::helpers::{TestApp, body};

/// Sends `body` with `method` as `user` and returns the status and JSON body.
pub async fn send(
    app: &TestApp,
    user: &str,
    method: Method,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    crate::helpers::body(app.send_as(user, method, path, body).await).await
}

/// `GET path` as `user`: status and JSON body.
pub async fn get(app: &TestApp, user: &str, path: &str) -> (u16, Value) {
    body(app.get_as(user, path).await).await
}

/// POSTs `body` to `path` as `user`, asserts 201 and returns the created row.
pub async fn created(app: &TestApp, user: &str, path: &str, body: Value) -> Value {
    let (status, row) = send(app, user, Method::POST, path, &body).await;
    assert_eq!(status, 201, "POST {path} {body}: {row}");
    row
}

/// Creates a product as `user`.
pub async fn product(app: &TestApp, user: &str, body: Value) -> Value {
    created(app, user, "/api/seller/products/", body).await
}

/// Creates a price of `product_id` as `user`.
pub async fn price(app: &TestApp, user: &str, product_id: i64, body: Value) -> Value {
    created(
        app,
        user,
        &format!("/api/seller/products/{product_id}/prices/"),
        body,
    )
    .await
}

/// Creates an asset of `product_id` as `user`.
pub async fn asset(app: &TestApp, user: &str, product_id: i64, body: Value) -> Value {
    created(
        app,
        user,
        &format!("/api/seller/products/{product_id}/assets/"),
        body,
    )
    .await
}

/// The id of a JSON row.
pub fn id(row: &Value) -> i64 {
    row["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {row}"))
}

/// The customer account of `buyer`, created by one authenticated request.
pub async fn account_of(app: &TestApp, buyer: &str) -> i64 {
    assert_eq!(app.get_as(buyer, "/api/me/").await.status().as_u16(), 200);
    customer_accounts::Entity::find()
        .filter(customer_accounts::Column::ExternalCustomerId.eq(buyer))
        .one(&app.db)
        .await
        .expect("account query")
        .expect("an account")
        .id
}

/// Writes a paid order of one line for `product_id` at `price_id`, as the checkout
/// would, and returns the order item's id.
pub async fn sell(app: &TestApp, buyer: &str, product_id: i64, price_id: Option<i64>) -> i64 {
    let account = account_of(app, buyer).await;
    let order = orders::ActiveModel {
        customer_account_id: Set(account),
        status: Set("paid".into()),
        currency: Set("USD".into()),
        subtotal_cents: Set(1000),
        tax_cents: Set(0),
        total_cents: Set(1000),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("order");
    order_items::ActiveModel {
        order_id: Set(order.id),
        product_id: Set(product_id),
        price_id: Set(price_id),
        quantity: Set(1),
        unit_amount_cents: Set(1000),
        total_amount_cents: Set(1000),
        product_name_snapshot: Set("Sold".into()),
        price_name_snapshot: Set("Once".into()),
        metadata: Set(json!({})),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("order item")
    .id
}

/// Grants `buyer` a download of `asset_id` for `order_item_id`; returns the grant's id.
pub async fn grant(app: &TestApp, buyer: &str, order_item_id: i64, asset_id: i64) -> i64 {
    let account = account_of(app, buyer).await;
    download_grants::ActiveModel {
        customer_account_id: Set(account),
        order_item_id: Set(order_item_id),
        asset_id: Set(asset_id),
        max_downloads: Set(5),
        download_count: Set(0),
        is_active: Set(true),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("grant")
    .id
}

/// Subscribes `buyer` to `product_id` at `price_id`; returns the subscription's id.
pub async fn subscribe(app: &TestApp, buyer: &str, product_id: i64, price_id: i64) -> i64 {
    let account = account_of(app, buyer).await;
    subscriptions::ActiveModel {
        customer_account_id: Set(account),
        product_id: Set(Some(product_id)),
        price_id: Set(Some(price_id)),
        status: Set("active".into()),
        cancel_at_period_end: Set(false),
        metadata: Set(json!({})),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("subscription")
    .id
}
