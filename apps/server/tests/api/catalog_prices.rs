//! Seller prices: the SellerPrice shape, field rules, one default price per product and
//! the `active_price` follow-up (also under concurrent requests), and deleting.

use futures_util::future::join_all;
use paidloop_server::entities::{order_items, prices, products, subscriptions};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::catalog_support::{get, id, price, product, sell, send, subscribe};
use crate::helpers::TestApp;

const SELLER: &str = "user_seller";

async fn active_price_of(app: &TestApp, product_id: i64) -> Option<i64> {
    products::Entity::find_by_id(product_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .active_price_id
}

async fn defaults_of(app: &TestApp, product_id: i64) -> Vec<i64> {
    prices::Entity::find()
        .filter(prices::Column::ProductId.eq(product_id))
        .filter(prices::Column::IsDefault.eq(true))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_price_becomes_active_and_a_default_takes_the_flag_and_the_active_price() {
    let app = TestApp::spawn().await;
    let plan = product(&app, SELLER, json!({"name": "Plan"})).await;
    let product_id = id(&plan);

    let monthly = price(
        &app,
        SELLER,
        product_id,
        json!({
            "name": " Monthly ", "amount_cents": 1250, "currency": "eur",
            "billing_period": "monthly", "clerk_plan_id": " plan_1 ", "metadata": {"tier": 1},
            "product": 999_999
        }),
    )
    .await;
    let mut fields: Vec<&str> = monthly
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "amount_cents",
            "billing_period",
            "clerk_plan_id",
            "clerk_price_id",
            "created_at",
            "currency",
            "id",
            "is_active",
            "is_default",
            "metadata",
            "name",
            "product",
            "updated_at"
        ]
    );
    assert_eq!(
        monthly["product"], product_id,
        "the product comes from the path"
    );
    assert_eq!(monthly["name"], "Monthly");
    assert_eq!(monthly["currency"], "EUR");
    assert_eq!(monthly["clerk_plan_id"], "plan_1");
    assert_eq!(monthly["is_active"], true);
    assert_eq!(monthly["is_default"], false);
    assert_eq!(active_price_of(&app, product_id).await, Some(id(&monthly)));

    // A later non-default price leaves the active price alone.
    let yearly = price(
        &app,
        SELLER,
        product_id,
        json!({"amount_cents": 12000, "billing_period": "yearly"}),
    )
    .await;
    assert_eq!(active_price_of(&app, product_id).await, Some(id(&monthly)));

    // A default price takes the flag and the active price.
    let default = price(
        &app,
        SELLER,
        product_id,
        json!({"amount_cents": 500, "is_default": true}),
    )
    .await;
    assert_eq!(defaults_of(&app, product_id).await, [id(&default)]);
    assert_eq!(active_price_of(&app, product_id).await, Some(id(&default)));
    let another = price(
        &app,
        SELLER,
        product_id,
        json!({"amount_cents": 700, "is_default": true}),
    )
    .await;
    assert_eq!(defaults_of(&app, product_id).await, [id(&another)]);
    assert_eq!(active_price_of(&app, product_id).await, Some(id(&another)));

    // Updating a price to default does the same.
    let path = format!("/api/seller/prices/{}/", id(&yearly));
    let (status, made_default) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"is_default": true}),
    )
    .await;
    assert_eq!(status, 200, "{made_default}");
    assert_eq!(made_default["is_default"], true);
    assert_eq!(
        made_default["billing_period"], "yearly",
        "PATCH keeps the rest"
    );
    assert_eq!(defaults_of(&app, product_id).await, [id(&yearly)]);
    assert_eq!(active_price_of(&app, product_id).await, Some(id(&yearly)));

    // PUT keeps what it does not send too (every price field has a default).
    let (status, put) = send(&app, SELLER, Method::PUT, &path, &json!({"name": "Annual"})).await;
    assert_eq!(status, 200, "{put}");
    assert_eq!(put["amount_cents"], 12000);
    assert_eq!(put["is_default"], true);

    // The list is by amount, then id.
    let (status, list) = get(
        &app,
        SELLER,
        &format!("/api/seller/products/{product_id}/prices/"),
    )
    .await;
    assert_eq!(status, 200);
    let amounts: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount_cents"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [500, 700, 1250, 12000]);
    let (status, one) = get(&app, SELLER, &path).await;
    assert_eq!(status, 200);
    assert_eq!(one["name"], "Annual");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_default_price_must_be_active() {
    let app = TestApp::spawn().await;
    let plan = product(&app, SELLER, json!({"name": "Plan"})).await;
    let prices_path = format!("/api/seller/products/{}/prices/", id(&plan));
    let (status, errors) = send(
        &app,
        SELLER,
        Method::POST,
        &prices_path,
        &json!({"is_default": true, "is_active": false}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        errors["is_default"],
        json!(["A default price must be active."])
    );
    assert_eq!(app.count("prices").await, 0);

    let default = price(&app, SELLER, id(&plan), json!({"is_default": true})).await;
    let path = format!("/api/seller/prices/{}/", id(&default));
    let (status, errors) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"is_active": false}),
    )
    .await;
    assert_eq!(status, 400, "{errors}");
    assert!(errors["is_default"].is_array());
    let (_, still) = get(&app, SELLER, &path).await;
    assert_eq!(
        (still["is_active"].clone(), still["is_default"].clone()),
        (json!(true), json!(true))
    );

    // Dropping the flag and switching it off in one request is fine.
    let (status, off) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"is_active": false, "is_default": false}),
    )
    .await;
    assert_eq!(status, 200, "{off}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_price_fields_are_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let plan = product(&app, SELLER, json!({"name": "Plan"})).await;
    let path = format!("/api/seller/products/{}/prices/", id(&plan));
    let cases = [
        (json!({"currency": "EURO"}), "currency"),
        (json!({"currency": "E1R"}), "currency"),
        (json!({"currency": ""}), "currency"),
        (json!({"currency": 978}), "currency"),
        (json!({"amount_cents": -1}), "amount_cents"),
        (json!({"amount_cents": "ten"}), "amount_cents"),
        (json!({"amount_cents": 1.5}), "amount_cents"),
        (json!({"billing_period": "weekly"}), "billing_period"),
        (json!({"name": "n".repeat(121)}), "name"),
        (json!({"clerk_price_id": "c".repeat(129)}), "clerk_price_id"),
        (json!({"is_active": "yes"}), "is_active"),
        (json!({"metadata": "x"}), "metadata"),
    ];
    for (input, field) in cases {
        let (status, errors) = send(&app, SELLER, Method::POST, &path, &input).await;
        assert_eq!(status, 400, "{input}: {errors}");
        assert!(
            errors[field].is_array(),
            "{input}: expected {field} in {errors}"
        );
    }
    assert_eq!(app.count("prices").await, 0);
    let (status, errors) = send(
        &app,
        SELLER,
        Method::POST,
        "/api/seller/products/999999/prices/",
        &json!({}),
    )
    .await;
    assert_eq!(status, 404, "{errors}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_default_switches_leave_exactly_one_default() {
    let app = TestApp::spawn().await;
    let plan = product(&app, SELLER, json!({"name": "Plan"})).await;
    let product_id = id(&plan);
    let mut ids = Vec::new();
    for cents in 0..10 {
        ids.push(id(&price(
            &app,
            SELLER,
            product_id,
            json!({"amount_cents": 100 + cents}),
        )
        .await));
    }

    // Ten "make this one the default" requests for ten different prices, at once.
    let requests = ids.iter().map(|price_id| {
        let path = format!("/api/seller/prices/{price_id}/");
        let app = &app;
        async move {
            send(
                app,
                SELLER,
                Method::PATCH,
                &path,
                &json!({"is_default": true}),
            )
            .await
        }
    });
    for (status, body) in join_all(requests).await {
        assert!(status == 200 || status == 409, "{status}: {body}");
    }
    let defaults = defaults_of(&app, product_id).await;
    assert_eq!(defaults.len(), 1, "{defaults:?}");
    assert_eq!(active_price_of(&app, product_id).await, Some(defaults[0]));

    // Ten new default prices created at once: the same.
    let requests = (0..10).map(|n| {
        let path = format!("/api/seller/products/{product_id}/prices/");
        let app = &app;
        async move {
            send(
                app,
                SELLER,
                Method::POST,
                &path,
                &json!({"amount_cents": n, "is_default": true}),
            )
            .await
        }
    });
    for (status, body) in join_all(requests).await {
        assert!(status == 201 || status == 409, "{status}: {body}");
    }
    let defaults = defaults_of(&app, product_id).await;
    assert_eq!(defaults.len(), 1, "{defaults:?}");
    assert_eq!(active_price_of(&app, product_id).await, Some(defaults[0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_sold_price_clears_it_from_orders_subscriptions_and_the_product() {
    let app = TestApp::spawn().await;
    let plan = product(&app, SELLER, json!({"name": "Plan"})).await;
    let product_id = id(&plan);
    let monthly = price(
        &app,
        SELLER,
        product_id,
        json!({"amount_cents": 900, "billing_period": "monthly", "is_default": true}),
    )
    .await;
    let item = sell(&app, "user_buyer", product_id, Some(id(&monthly))).await;
    let subscription = subscribe(&app, "user_buyer", product_id, id(&monthly)).await;

    let path = format!("/api/seller/prices/{}/", id(&monthly));
    let (status, body) = send(&app, SELLER, Method::DELETE, &path, &json!({})).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(get(&app, SELLER, &path).await.0, 404);
    assert_eq!(app.count("prices").await, 0);
    let item = order_items::Entity::find_by_id(item)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.price_id, None);
    assert_eq!(item.unit_amount_cents, 1000, "the order keeps its amounts");
    let subscription = subscriptions::Entity::find_by_id(subscription)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(subscription.price_id, None);
    assert_eq!(active_price_of(&app, product_id).await, None);
    let (_, seller_view) = get(&app, SELLER, &format!("/api/seller/products/{product_id}/")).await;
    assert_eq!(seller_view["active_price"], Value::Null);
}
