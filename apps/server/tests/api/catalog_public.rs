//! The public catalog: published products only, the ProductList / ProductDetail /
//! PublicPrice shapes, the public price choice, no file paths, and a fixed number of
//! SQL statements whatever the size of the catalog.

use reqwest::Method;
use serde_json::{Value, json};

use crate::catalog_support::{asset, id, price, product, send};
use crate::helpers::{TestApp, body};

const SELLER: &str = "user_seller";

async fn public_get(app: &TestApp, path: &str) -> (u16, Value) {
    body(
        app.request(Method::GET, path)
            .send()
            .await
            .expect("request"),
    )
    .await
}

fn sorted_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort_unstable();
    keys
}

const LIST_KEYS: [&str; 11] = [
    "active_price",
    "created_at",
    "description",
    "feature_keys",
    "id",
    "name",
    "product_type",
    "slug",
    "tagline",
    "updated_at",
    "visibility",
];
const PRICE_KEYS: [&str; 7] = [
    "amount",
    "amount_cents",
    "billing_period",
    "currency",
    "id",
    "is_default",
    "name",
];

async fn patch(app: &TestApp, path: &str, body: Value) {
    let (status, answer) = send(app, SELLER, Method::PATCH, path, &body).await;
    assert_eq!(status, 200, "PATCH {path} {body}: {answer}");
}

fn product_path(row: &Value) -> String {
    format!("/api/seller/products/{}/", id(row))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_shows_published_products_by_name_with_their_public_price() {
    let app = TestApp::spawn().await;
    let published = json!("published");

    // Alpha: the active price wins even when it is not the cheapest.
    let alpha = product(
        &app,
        SELLER,
        json!({"name": "Alpha", "visibility": published}),
    )
    .await;
    let alpha_active = price(&app, SELLER, id(&alpha), json!({"amount_cents": 900})).await;
    price(&app, SELLER, id(&alpha), json!({"amount_cents": 300})).await;

    // Beta: no active price, so the active default.
    let beta = product(
        &app,
        SELLER,
        json!({"name": "Beta", "visibility": published}),
    )
    .await;
    price(&app, SELLER, id(&beta), json!({"amount_cents": 100})).await;
    let beta_default = price(
        &app,
        SELLER,
        id(&beta),
        json!({"amount_cents": 800, "is_default": true}),
    )
    .await;
    patch(&app, &product_path(&beta), json!({"active_price": null})).await;

    // Gamma: no active or default price, so the cheapest active one.
    let gamma = product(
        &app,
        SELLER,
        json!({"name": "Gamma", "visibility": published}),
    )
    .await;
    price(&app, SELLER, id(&gamma), json!({"amount_cents": 700})).await;
    let gamma_cheapest = price(&app, SELLER, id(&gamma), json!({"amount_cents": 250})).await;
    price(
        &app,
        SELLER,
        id(&gamma),
        json!({"amount_cents": 50, "is_active": false}),
    )
    .await;
    patch(&app, &product_path(&gamma), json!({"active_price": null})).await;

    // Epsilon: its active price was switched off, so the next choice.
    let epsilon = product(
        &app,
        SELLER,
        json!({"name": "Epsilon", "visibility": published}),
    )
    .await;
    let switched_off = price(&app, SELLER, id(&epsilon), json!({"amount_cents": 400})).await;
    let epsilon_next = price(&app, SELLER, id(&epsilon), json!({"amount_cents": 600})).await;
    patch(
        &app,
        &format!("/api/seller/prices/{}/", id(&switched_off)),
        json!({"is_active": false}),
    )
    .await;

    // Delta: no price at all.
    product(
        &app,
        SELLER,
        json!({"name": "Delta", "visibility": published}),
    )
    .await;
    // Another seller's published product is listed too; drafts and archived ones are not.
    product(
        &app,
        "user_other",
        json!({"name": "Carrot", "visibility": published}),
    )
    .await;
    product(&app, SELLER, json!({"name": "Aardvark draft"})).await;
    product(
        &app,
        SELLER,
        json!({"name": "Archived", "visibility": "archived"}),
    )
    .await;

    let (status, list) = public_get(&app, "/api/products/").await;
    assert_eq!(status, 200, "{list}");
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Alpha", "Beta", "Carrot", "Delta", "Epsilon", "Gamma"]
    );
    for item in list.as_array().unwrap() {
        assert_eq!(sorted_keys(item), LIST_KEYS, "{item}");
        assert_eq!(item["visibility"], "published");
    }
    let chosen: Vec<Value> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["active_price"]["id"].clone())
        .collect();
    assert_eq!(
        chosen,
        [
            alpha_active["id"].clone(),
            beta_default["id"].clone(),
            Value::Null,
            Value::Null,
            epsilon_next["id"].clone(),
            gamma_cheapest["id"].clone(),
        ]
    );
    let alpha_price = &list[0]["active_price"];
    assert_eq!(sorted_keys(alpha_price), PRICE_KEYS);
    assert_eq!(alpha_price["amount_cents"], 900);
    assert_eq!(alpha_price["amount"], "9.00");
    assert_eq!(alpha_price["currency"], "USD");
    assert_eq!(alpha_price["billing_period"], "one_time");
    assert_eq!(list[1]["active_price"]["is_default"], true);
    assert_eq!(list[5]["active_price"]["amount"], "2.50");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_detail_shows_prices_active_assets_and_offer_but_never_a_file_path() {
    let app = TestApp::spawn().await;
    let audit = product(
        &app,
        SELLER,
        json!({
            "name": "Code Audit", "product_type": "service", "visibility": "published",
            "feature_keys": ["Priority Support"], "metadata": {"badge": "new"}
        }),
    )
    .await;
    let product_id = id(&audit);
    price(
        &app,
        SELLER,
        product_id,
        json!({"amount_cents": 150_000, "name": "Full"}),
    )
    .await;
    let lite = price(
        &app,
        SELLER,
        product_id,
        json!({"amount_cents": 49_900, "name": "Lite", "is_default": true}),
    )
    .await;
    price(
        &app,
        SELLER,
        product_id,
        json!({"amount_cents": 100, "is_active": false}),
    )
    .await;
    asset(
        &app,
        SELLER,
        product_id,
        json!({"title": "Checklist", "file_path": "secret/checklist.pdf", "file_size_bytes": 1234, "version_label": "v2"}),
    )
    .await;
    asset(
        &app,
        SELLER,
        product_id,
        json!({"title": "Old", "file_path": "secret/old.pdf", "is_active": false}),
    )
    .await;
    let offer_path = format!("/api/seller/products/{product_id}/service-offer/");
    assert_eq!(
        send(
            &app,
            SELLER,
            Method::PUT,
            &offer_path,
            &json!({"delivery_days": 3})
        )
        .await
        .0,
        200
    );

    let response = app
        .request(Method::GET, "/api/products/code-audit/")
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    assert!(
        !text.contains("file_path") && !text.contains("secret/"),
        "{text}"
    );
    let detail: Value = serde_json::from_str(&text).unwrap();
    let mut expected: Vec<String> = LIST_KEYS.iter().map(|k| (*k).to_owned()).collect();
    expected.extend(["assets", "metadata", "prices", "service_offer"].map(String::from));
    expected.sort_unstable();
    assert_eq!(sorted_keys(&detail), expected);
    assert_eq!(detail["feature_keys"], json!(["priority_support"]));
    assert_eq!(detail["metadata"], json!({"badge": "new"}));
    assert_eq!(detail["active_price"]["id"], lite["id"]);
    let amounts: Vec<i64> = detail["prices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount_cents"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [100, 49_900, 150_000], "all prices, by amount");
    for p in detail["prices"].as_array().unwrap() {
        assert_eq!(sorted_keys(p), PRICE_KEYS);
    }
    assert_eq!(detail["prices"][1]["amount"], "499.00");
    assert_eq!(
        detail["assets"],
        json!([{"id": detail["assets"][0]["id"], "title": "Checklist", "version_label": "v2", "file_size_bytes": 1234}])
    );
    assert_eq!(detail["service_offer"]["delivery_days"], 3);
    assert_eq!(detail["service_offer"]["session_minutes"], 60);

    // Drafts, archived products and unknown slugs are 404.
    let draft = product(&app, SELLER, json!({"name": "Draft"})).await;
    assert_eq!(public_get(&app, "/api/products/draft/").await.0, 404);
    patch(
        &app,
        &product_path(&draft),
        json!({"visibility": "archived"}),
    )
    .await;
    assert_eq!(public_get(&app, "/api/products/draft/").await.0, 404);
    assert_eq!(public_get(&app, "/api/products/nothing-here/").await.0, 404);
    patch(
        &app,
        &product_path(&draft),
        json!({"visibility": "published"}),
    )
    .await;
    assert_eq!(public_get(&app, "/api/products/draft/").await.0, 200);
}

/// The list chooses each product's public price in SQL, the detail in Rust
/// (`choose_public_price`): on a catalog of mixed price sets (none, ties on amount,
/// inactive ones, a default or not, the seller's choice switched off) they must agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_and_the_detail_choose_the_same_public_price() {
    let app = TestApp::spawn().await;
    // A fixed pseudo-random sequence, so a failure replays.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) % below
    };
    for i in 0..24 {
        let row = product(
            &app,
            SELLER,
            json!({"name": format!("Mix {i:02}"), "visibility": "published"}),
        )
        .await;
        let mut prices = Vec::new();
        let default_at = next(6);
        for n in 0..next(5) {
            let body = json!({
                "amount_cents": 100 * (1 + next(3)),
                "is_default": n == default_at,
            });
            prices.push(price(&app, SELLER, id(&row), body).await);
        }
        // The seller's choice: none, or any of the prices.
        let chosen = match next(prices.len() as u64 + 1) as usize {
            0 => Value::Null,
            k => prices[k - 1]["id"].clone(),
        };
        patch(&app, &product_path(&row), json!({"active_price": chosen})).await;
        // Switch some non-default prices off (possibly the chosen one).
        for p in prices.iter().filter(|p| p["is_default"] == false) {
            if next(3) == 0 {
                let path = format!("/api/seller/prices/{}/", id(p));
                patch(&app, &path, json!({"is_active": false})).await;
            }
        }
    }

    let (status, list) = public_get(&app, "/api/products/").await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 24);
    let mut shown = 0;
    for item in list {
        let slug = item["slug"].as_str().unwrap();
        let (status, detail) = public_get(&app, &format!("/api/products/{slug}/")).await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!(
            item["active_price"], detail["active_price"],
            "{slug}: {detail}"
        );
        shown += usize::from(!item["active_price"].is_null());
    }
    // The mix must exercise both outcomes.
    assert!(
        (1..24).contains(&shown),
        "{shown} of 24 products show a price"
    );
}

/// Publishes `n` products named `{prefix} {i}`, each with three prices, and every
/// second one with an asset.
async fn publish_products(app: &TestApp, prefix: &str, n: usize) {
    for i in 0..n {
        let row = product(
            app,
            SELLER,
            json!({"name": format!("{prefix} {i}"), "visibility": "published"}),
        )
        .await;
        for (cents, period) in [(900, "one_time"), (1500, "monthly"), (15000, "yearly")] {
            price(
                app,
                SELLER,
                id(&row),
                json!({"amount_cents": cents, "billing_period": period}),
            )
            .await;
        }
        if i % 2 == 0 {
            asset(
                app,
                SELLER,
                id(&row),
                json!({"title": "File", "file_path": format!("f/{i}.zip")}),
            )
            .await;
        }
    }
}

/// How many SQL statements the server runs to answer `GET path`.
async fn statements_for(app: &TestApp, path: &str) -> (usize, Value) {
    let before = app.queries();
    let (status, answer) = public_get(app, path).await;
    assert_eq!(status, 200, "{answer}");
    (app.queries() - before, answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_and_the_detail_run_a_fixed_number_of_statements() {
    let app = TestApp::spawn().await;
    publish_products(&app, "A", 5).await;
    let (with_5, list) = statements_for(&app, "/api/products/").await;
    assert_eq!(list.as_array().unwrap().len(), 5);
    let (detail_small, _) = statements_for(&app, "/api/products/a-1/").await;

    publish_products(&app, "B", 45).await;
    let (with_50, list) = statements_for(&app, "/api/products/").await;
    assert_eq!(list.as_array().unwrap().len(), 50);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|p| p["active_price"]["amount_cents"] == 900)
    );
    assert_eq!(with_5, with_50, "the list must not query per product");
    assert_eq!(with_50, 1, "products with their public prices");

    // A product with more prices and assets costs the same statements.
    let big = product(
        &app,
        SELLER,
        json!({"name": "Big", "visibility": "published"}),
    )
    .await;
    for cents in 0..10 {
        price(&app, SELLER, id(&big), json!({"amount_cents": cents})).await;
        asset(
            &app,
            SELLER,
            id(&big),
            json!({"title": "F", "file_path": format!("big/{cents}")}),
        )
        .await;
    }
    let (detail_big, detail) = statements_for(&app, "/api/products/big/").await;
    assert_eq!(detail["prices"].as_array().unwrap().len(), 10);
    assert_eq!(detail_small, detail_big);
    assert_eq!(detail_big, 4, "product, prices, assets, offer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_bodies_are_reused_until_the_catalog_changes_on_this_instance() {
    let app = TestApp::spawn().await;
    let kit = product(
        &app,
        SELLER,
        json!({"name": "Kit", "visibility": "published"}),
    )
    .await;
    price(&app, SELLER, id(&kit), json!({"amount_cents": 900})).await;

    // Repeated reads are answered from memory: each of the server's two workers reads
    // the database once to fill its own cache, and never again while nothing changes
    // (the generation is this app's, so other tests' writes cannot interfere).
    let (mut list_reads, mut detail_reads) = (0, 0);
    for _ in 0..20 {
        let (list_statements, _) = statements_for(&app, "/api/products/").await;
        let (detail_statements, _) = statements_for(&app, "/api/products/kit/").await;
        list_reads += usize::from(list_statements > 0);
        detail_reads += usize::from(detail_statements > 0);
    }
    assert!(
        (1..=2).contains(&list_reads),
        "list read the database {list_reads} times in 20"
    );
    assert!(
        (1..=2).contains(&detail_reads),
        "detail read the database {detail_reads} times in 20"
    );

    // A write on this instance shows at once, whichever worker answers.
    patch(&app, &product_path(&kit), json!({"name": "Kit Two"})).await;
    for _ in 0..4 {
        assert_eq!(
            public_get(&app, "/api/products/").await.1[0]["name"],
            "Kit Two"
        );
        assert_eq!(
            public_get(&app, "/api/products/kit/").await.1["name"],
            "Kit Two"
        );
    }
    patch(&app, &product_path(&kit), json!({"visibility": "draft"})).await;
    for _ in 0..4 {
        assert_eq!(public_get(&app, "/api/products/").await.1, json!([]));
        assert_eq!(public_get(&app, "/api/products/kit/").await.0, 404);
    }
}
