//! Each per-instance cache with its setting at 0: no lookup, no store, so a change made
//! behind the instance's back (here: straight in the database) shows at once. With the
//! defaults, the caches serve from memory (asserted in `catalog_public.rs`,
//! `paid_loop.rs` and `auth.rs`).

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{TestApp, body};
use crate::loop_support::{order, price, product};
use paidloop_clerk::testing::TestKeys;

async fn app_with(name: &str) -> TestApp {
    let app = TestApp::builder().env(name, "0").start().await;
    app.publish_keys(&[(crate::helpers::KID, &TestKeys::RSA_A)])
        .await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_cache_of_zero_reads_the_database_every_time() {
    let app = app_with("CATALOG_CACHE_SECONDS").await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    price(&app, kit, 900, "one_time").await;
    for path in ["/api/products/", "/api/products/kit/"] {
        for _ in 0..3 {
            let before = app.queries();
            let (status, _) = body(app.request(Method::GET, path).send().await.unwrap()).await;
            assert_eq!(status, 200);
            assert!(app.queries() > before, "{path} was served from memory");
        }
    }
    app.db
        .execute_unprepared("UPDATE products SET name = 'Renamed behind its back'")
        .await
        .unwrap();
    let (_, list) = body(
        app.request(Method::GET, "/api/products/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(list[0]["name"], "Renamed behind its back");
    let (_, detail) = body(
        app.request(Method::GET, "/api/products/kit/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(detail["name"], "Renamed behind its back");
}

/// Statements one uncached order list takes: one join on SQLite; on Postgres the
/// orders, then their items.
fn order_list_statements(app: &TestApp) -> usize {
    match app.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => 2,
        _ => 1,
    }
}

async fn orders_of_user_zero(app: &TestApp) -> serde_json::Value {
    body(app.get_as("user_zero", "/api/account/orders/").await)
        .await
        .1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_list_cache_of_zero_reads_the_database_every_time() {
    let app = app_with("ORDER_LIST_CACHE_SECONDS").await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    let price = price(&app, kit, 900, "one_time").await;
    let created = order(&app, "user_zero", price, 1).await;
    orders_of_user_zero(&app).await;
    for _ in 0..3 {
        let before = app.queries();
        orders_of_user_zero(&app).await;
        assert_eq!(
            app.queries() - before,
            order_list_statements(&app),
            "a fixed number of statements per request"
        );
    }
    app.db
        .execute_unprepared("UPDATE orders SET status = 'canceled'")
        .await
        .unwrap();
    let orders = orders_of_user_zero(&app).await;
    assert_eq!(orders[0]["public_id"], created["public_id"]);
    assert_eq!(orders[0]["status"], "canceled");
}
