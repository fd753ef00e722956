//! `account/orders/work/` and its legacy alias `account/bookings/`: the caller's work
//! orders. The rows are written straight into the test database (fulfilment, which
//! creates them, has its own tests).

use chrono::{TimeDelta, Utc};
use paidloop_clerk::testing::TestKeys;
use paidloop_server::entities::{download_grants, fulfillment_orders, products};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use crate::downloads::{Sale, asset, grant, sale};
use crate::helpers::{KID, TestApp, body};

/// The keys of the spec's work order shape.
const WORK_ORDER_KEYS: [&str; 20] = [
    "id",
    "order_item",
    "product",
    "product_name",
    "status",
    "delivery_mode",
    "customer_request",
    "delivery_notes",
    "due_at",
    "completed_at",
    "shipped_at",
    "shipping_carrier",
    "shipping_tracking_number",
    "shipping_tracking_url",
    "download_grant",
    "download_token",
    "download_ready",
    "metadata",
    "created_at",
    "updated_at",
];

/// Writes a work order for the sale, shaped by `edit` (requested, downloadable, no
/// grant unless it says otherwise).
async fn work_order(
    app: &TestApp,
    sale: &Sale,
    edit: impl FnOnce(&mut fulfillment_orders::ActiveModel),
) -> fulfillment_orders::Model {
    let mut row = fulfillment_orders::ActiveModel {
        customer_account_id: Set(sale.account),
        order_item_id: Set(Some(sale.order_item)),
        product_id: Set(Some(sale.product)),
        download_grant_id: Set(None),
        status: Set("requested".into()),
        delivery_mode: Set("downloadable".into()),
        customer_request: Set(String::new()),
        delivery_notes: Set(String::new()),
        internal_notes: Set(String::new()),
        shipping_carrier: Set(String::new()),
        shipping_tracking_number: Set(String::new()),
        shipping_tracking_url: Set(String::new()),
        metadata: Set(json!({})),
        ..Default::default()
    };
    edit(&mut row);
    row.insert(&app.db).await.expect("work order")
}

/// A grant of a fresh asset of the sale's product, shaped by `edit`.
async fn delivery_grant(
    app: &TestApp,
    sale: &Sale,
    file: &str,
    edit: impl FnOnce(&mut download_grants::ActiveModel),
) -> download_grants::Model {
    let asset = asset(app, sale.product, file, file).await;
    grant(app, sale, asset, edit).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_orders_list_the_callers_own_newest_first_under_both_paths() {
    let app = TestApp::spawn().await;
    let sale_a = sale(&app, "studio", "client_a", "service").await;
    let hour_ago = Utc::now() - TimeDelta::hours(1);

    let locked = delivery_grant(&app, &sale_a, "pending-1.zip", |g| {
        g.is_active = Set(false);
    })
    .await;
    let pending = work_order(&app, &sale_a, |w| {
        w.download_grant_id = Set(Some(locked.id));
        w.customer_request = Set("A logo, blue please.".into());
        w.due_at = Set(Some(Utc::now() + TimeDelta::days(7)));
        w.internal_notes = Set("seller only".into());
        w.created_at = Set(hour_ago - TimeDelta::hours(1));
    })
    .await;
    let ready = delivery_grant(&app, &sale_a, "final.zip", |_| {}).await;
    let delivered = work_order(&app, &sale_a, |w| {
        w.download_grant_id = Set(Some(ready.id));
        w.status = Set("completed".into());
        w.delivery_notes = Set("Here it is.".into());
        w.completed_at = Set(Some(Utc::now()));
        w.metadata = Set(json!({"sequence": 2}));
        w.created_at = Set(hour_ago);
    })
    .await;
    let shipped = work_order(&app, &sale_a, |w| {
        w.delivery_mode = Set("physical_shipped".into());
        w.status = Set("in_progress".into());
        w.shipped_at = Set(Some(Utc::now()));
        w.shipping_carrier = Set("UPS".into());
        w.shipping_tracking_number = Set("1Z999".into());
        w.shipping_tracking_url = Set("https://ups.example/1Z999".into());
    })
    .await;
    let sale_b = sale(&app, "studio", "client_b", "service").await;
    work_order(&app, &sale_b, |w| {
        w.customer_request = Set("not yours".into())
    })
    .await;

    let (status, list) = body(app.get_as("client_a", "/api/account/orders/work/").await).await;
    assert_eq!(status, 200, "{list}");
    let rows = list.as_array().expect("a plain array");
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().expect("id")).collect();
    assert_eq!(
        ids,
        [shipped.id, delivered.id, pending.id],
        "newest first, own only"
    );
    let mut keys: Vec<&str> = rows[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = WORK_ORDER_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "never the seller's internal notes");

    let product_name = products::Entity::find_by_id(sale_a.product)
        .one(&app.db)
        .await
        .expect("query")
        .expect("product")
        .name;
    let (s, d, p) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!(s["delivery_mode"], "physical_shipped");
    assert_eq!(s["status"], "in_progress");
    assert_eq!(s["shipping_carrier"], "UPS");
    assert_eq!(s["shipping_tracking_number"], "1Z999");
    assert_eq!(s["shipping_tracking_url"], "https://ups.example/1Z999");
    assert!(s["shipped_at"].is_string());
    assert_eq!(s["download_grant"], Value::Null);
    assert_eq!(s["download_token"], Value::Null);
    assert_eq!(s["download_ready"], false);

    assert_eq!(d["status"], "completed");
    assert_eq!(d["delivery_notes"], "Here it is.");
    assert_eq!(d["download_grant"], json!(ready.id));
    assert_eq!(d["download_token"], json!(ready.token.to_string()));
    assert_eq!(d["download_ready"], true);
    assert_eq!(d["metadata"], json!({"sequence": 2}));
    assert!(d["completed_at"].is_string());

    assert_eq!(p["order_item"], json!(sale_a.order_item));
    assert_eq!(p["product"], json!(sale_a.product));
    assert_eq!(p["product_name"], json!(product_name));
    assert_eq!(p["status"], "requested");
    assert_eq!(p["delivery_mode"], "downloadable");
    assert_eq!(p["customer_request"], "A logo, blue please.");
    assert!(p["due_at"].is_string());
    assert_eq!(p["completed_at"], Value::Null);
    assert_eq!(p["download_grant"], json!(locked.id));
    assert_eq!(p["download_token"], json!(locked.token.to_string()));
    assert_eq!(p["download_ready"], false, "its grant is still locked");

    let (status, alias) = body(app.get_as("client_a", "/api/account/bookings/").await).await;
    assert_eq!(status, 200);
    assert_eq!(alias, list, "the legacy alias answers the same list");

    let (_, theirs) = body(app.get_as("client_b", "/api/account/bookings/").await).await;
    assert_eq!(theirs.as_array().map(Vec::len), Some(1));
    assert_eq!(theirs[0]["customer_request"], "not yours");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_up_or_expired_delivery_grant_is_not_ready() {
    let app = TestApp::spawn().await;
    let sale = sale(&app, "studio_2", "client_c", "service").await;
    let used = delivery_grant(&app, &sale, "a.zip", |g| {
        g.max_downloads = Set(1);
        g.download_count = Set(1);
    })
    .await;
    let expired = delivery_grant(&app, &sale, "b.zip", |g| {
        g.expires_at = Set(Some(Utc::now() - TimeDelta::minutes(1)));
    })
    .await;
    for g in [&used, &expired] {
        work_order(&app, &sale, |w| w.download_grant_id = Set(Some(g.id))).await;
    }
    let (status, list) = body(app.get_as("client_c", "/api/account/orders/work/").await).await;
    assert_eq!(status, 200, "{list}");
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["download_ready"] == false), "{list}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_orders_need_a_session_and_refuse_writes() {
    let app = TestApp::spawn().await;
    for path in ["/api/account/orders/work/", "/api/account/bookings/"] {
        let response = app
            .request(Method::GET, path)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 401, "{path}");
        let response = app
            .send_as("client_d", Method::POST, path, &json!({}))
            .await;
        assert_eq!(response.status().as_u16(), 405, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_work_order_list_reads_a_fixed_number_of_statements() {
    let app = TestApp::builder()
        .env("AUTH_IDENTITY_CACHE_SECONDS", "0")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let sale = sale(&app, "studio_q", "client_q", "service").await;
    let add = |range: std::ops::Range<usize>| {
        let (app, sale) = (&app, &sale);
        async move {
            for n in range {
                let g = delivery_grant(app, sale, &format!("d{n}.zip"), |_| {}).await;
                work_order(app, sale, |w| w.download_grant_id = Set(Some(g.id))).await;
                work_order(app, sale, |w| {
                    w.delivery_mode = Set("physical_shipped".into());
                })
                .await;
            }
        }
    };
    let measure = || async {
        let before = app.queries();
        let (status, list) = body(app.get_as("client_q", "/api/account/orders/work/").await).await;
        assert_eq!(status, 200);
        (app.queries() - before, list.as_array().map_or(0, Vec::len))
    };
    add(0..1).await;
    let (with_two, len) = measure().await;
    assert_eq!(len, 2);
    add(1..10).await;
    let (with_twenty, len) = measure().await;
    assert_eq!(len, 20);
    assert_eq!(with_two, with_twenty, "no statement per work order");
}
