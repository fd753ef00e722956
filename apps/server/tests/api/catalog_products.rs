//! Seller products: the SellerProduct shape, field rules, slugs, `active_price`, and
//! deleting (a sold product stays).

use reqwest::Method;
use serde_json::{Value, json};

use crate::catalog_support::{asset, get, id, price, product, sell, send};
use crate::helpers::TestApp;

const SELLER: &str = "user_seller";

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_creates_reads_updates_and_deletes_a_product() {
    let app = TestApp::spawn().await;
    let created = product(
        &app,
        SELLER,
        json!({
            "name": "  Launch Kit  ",
            "tagline": " Ship faster ",
            "feature_keys": ["Pro", " API access ", "pro", "", null],
            "metadata": {"color": "blue"}
        }),
    )
    .await;
    assert_eq!(
        keys(&created),
        [
            "active_price",
            "assets",
            "created_at",
            "description",
            "feature_keys",
            "id",
            "metadata",
            "name",
            "prices",
            "product_type",
            "service_offer",
            "slug",
            "tagline",
            "updated_at",
            "visibility"
        ]
    );
    assert_eq!(created["name"], "Launch Kit");
    assert_eq!(created["slug"], "launch-kit");
    assert_eq!(created["tagline"], "Ship faster");
    assert_eq!(created["product_type"], "digital");
    assert_eq!(created["visibility"], "draft");
    assert_eq!(created["feature_keys"], json!(["pro", "api_access"]));
    assert_eq!(created["active_price"], Value::Null);
    assert_eq!(created["metadata"], json!({"color": "blue"}));
    assert_eq!(created["prices"], json!([]));
    assert_eq!(created["assets"], json!([]));
    assert_eq!(created["service_offer"], Value::Null);
    let product_id = id(&created);
    let path = format!("/api/seller/products/{product_id}/");

    let first_price = price(&app, SELLER, product_id, json!({"amount_cents": 900})).await;
    asset(
        &app,
        SELLER,
        product_id,
        json!({"title": "Guide", "file_path": "kits/guide.pdf"}),
    )
    .await;
    let (status, detail) = get(&app, SELLER, &path).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["active_price"], first_price["id"]);
    assert_eq!(detail["prices"][0]["id"], first_price["id"]);
    assert_eq!(detail["assets"][0]["file_path"], "kits/guide.pdf");

    let (status, list) = get(&app, SELLER, "/api/seller/products/").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["prices"].as_array().unwrap().len(), 1);

    let (status, patched) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"name": "Launch Kit 2", "visibility": "published", "feature_keys": ["Beta"]}),
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["name"], "Launch Kit 2");
    assert_eq!(patched["slug"], "launch-kit", "PATCH without slug keeps it");
    assert_eq!(patched["visibility"], "published");
    assert_eq!(patched["feature_keys"], json!(["beta"]));
    assert_eq!(patched["tagline"], "Ship faster");
    assert_eq!(patched["prices"].as_array().unwrap().len(), 1);

    let (status, blank_slug) = send(&app, SELLER, Method::PATCH, &path, &json!({"slug": ""})).await;
    assert_eq!(status, 200);
    assert_eq!(
        blank_slug["slug"], "launch-kit-2",
        "a blank slug comes from the name"
    );

    let (status, no_name) = send(&app, SELLER, Method::PUT, &path, &json!({"tagline": "x"})).await;
    assert_eq!(status, 400);
    assert_eq!(no_name["name"], json!(["This field is required."]));
    let (status, put) = send(
        &app,
        SELLER,
        Method::PUT,
        &path,
        &json!({"name": "Kit", "product_type": "service"}),
    )
    .await;
    assert_eq!(status, 200, "{put}");
    assert_eq!(put["product_type"], "service");

    let response = app
        .request(Method::DELETE, &path)
        .bearer_auth(app.token(SELLER))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(get(&app, SELLER, &path).await.0, 404);
    for table in ["products", "prices", "digital_assets"] {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_product_fields_are_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"name": "   "}), "name"),
        (json!({"tagline": "no name"}), "name"),
        (json!({"name": "n".repeat(181)}), "name"),
        (json!({"name": "ok", "tagline": "t".repeat(241)}), "tagline"),
        (json!({"name": "ok", "slug": "s".repeat(201)}), "slug"),
        (json!({"name": "日本"}), "slug"),
        (
            json!({"name": "ok", "product_type": "physical"}),
            "product_type",
        ),
        (json!({"name": "ok", "visibility": "public"}), "visibility"),
        (json!({"name": "ok", "feature_keys": "pro"}), "feature_keys"),
        (
            json!({"name": "ok", "feature_keys": {"pro": true}}),
            "feature_keys",
        ),
        (json!({"name": "ok", "feature_keys": null}), "feature_keys"),
        (
            json!({"name": "ok", "feature_keys": ["k".repeat(81)]}),
            "feature_keys",
        ),
        (json!({"name": "ok", "metadata": ["a"]}), "metadata"),
        (json!({"name": "ok", "active_price": 1}), "active_price"),
        (json!({"name": "ok", "active_price": "1"}), "active_price"),
        (json!({"name": 42}), "name"),
    ];
    for (input, field) in cases {
        let (status, errors) =
            send(&app, SELLER, Method::POST, "/api/seller/products/", &input).await;
        assert_eq!(status, 400, "{input}: {errors}");
        assert!(
            errors[field].is_array(),
            "{input}: expected {field} in {errors}"
        );
    }
    let (status, errors) = send(
        &app,
        SELLER,
        Method::POST,
        "/api/seller/products/",
        &json!([1]),
    )
    .await;
    assert_eq!(status, 400);
    assert!(errors["non_field_errors"].is_array(), "{errors}");
    let response = app
        .request(Method::POST, "/api/seller/products/")
        .bearer_auth(app.token(SELLER))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let response = app
        .request(Method::POST, "/api/seller/products/")
        .bearer_auth(app.token(SELLER))
        .header("content-type", "text/plain")
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    assert_eq!(app.count("products").await, 0);

    // The limits themselves are accepted.
    product(
        &app,
        SELLER,
        json!({"name": "n".repeat(180), "tagline": "t".repeat(240), "slug": "s".repeat(200)}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slugs_are_unique_per_seller_only() {
    let app = TestApp::spawn().await;
    product(&app, "user_a", json!({"name": "Shop"})).await;
    let (status, clash) = send(
        &app,
        "user_a",
        Method::POST,
        "/api/seller/products/",
        &json!({"name": "Other", "slug": "SHOP"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(clash["slug"].is_array(), "{clash}");
    product(&app, "user_b", json!({"name": "Shop"})).await;
    assert_eq!(app.count("products").await, 2);

    let second = product(&app, "user_a", json!({"name": "Second"})).await;
    let path = format!("/api/seller/products/{}/", id(&second));
    let (status, clash) = send(
        &app,
        "user_a",
        Method::PATCH,
        &path,
        &json!({"slug": "shop"}),
    )
    .await;
    assert_eq!(status, 400, "{clash}");
    let (_, still) = get(&app, "user_a", &path).await;
    assert_eq!(still["slug"], "second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn active_price_must_be_one_of_the_products_own_prices() {
    let app = TestApp::spawn().await;
    let mine = product(&app, SELLER, json!({"name": "Mine"})).await;
    let other = product(&app, SELLER, json!({"name": "Other"})).await;
    let foreign = product(&app, "user_foreign", json!({"name": "Foreign"})).await;
    let cheap = price(&app, SELLER, id(&mine), json!({"amount_cents": 100})).await;
    let dear = price(&app, SELLER, id(&mine), json!({"amount_cents": 900})).await;
    let others_price = price(&app, SELLER, id(&other), json!({"amount_cents": 5})).await;
    let foreign_price = price(&app, "user_foreign", id(&foreign), json!({})).await;
    let path = format!("/api/seller/products/{}/", id(&mine));

    for wrong in [id(&others_price), id(&foreign_price), 999_999] {
        let (status, errors) = send(
            &app,
            SELLER,
            Method::PATCH,
            &path,
            &json!({"active_price": wrong}),
        )
        .await;
        assert_eq!(status, 400, "{wrong}: {errors}");
        assert_eq!(
            errors["active_price"],
            json!(["Active price must belong to this product."])
        );
    }
    let (_, unchanged) = get(&app, SELLER, &path).await;
    assert_eq!(unchanged["active_price"], cheap["id"]);

    let (status, set) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"active_price": id(&dear)}),
    )
    .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["active_price"], dear["id"]);
    let (status, cleared) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"active_price": null}),
    )
    .await;
    assert_eq!(status, 200, "{cleared}");
    assert_eq!(cleared["active_price"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sold_product_cannot_be_deleted_and_keeps_everything() {
    let app = TestApp::spawn().await;
    let sold = product(
        &app,
        SELLER,
        json!({"name": "Sold", "product_type": "service"}),
    )
    .await;
    let sold_price = price(&app, SELLER, id(&sold), json!({"amount_cents": 1000})).await;
    asset(
        &app,
        SELLER,
        id(&sold),
        json!({"title": "File", "file_path": "sold/file.zip"}),
    )
    .await;
    let path = format!("/api/seller/products/{}/", id(&sold));
    let (status, _) = send(
        &app,
        SELLER,
        Method::PUT,
        &format!("/api/seller/products/{}/service-offer/", id(&sold)),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    sell(&app, "user_buyer", id(&sold), Some(id(&sold_price))).await;
    let (_, before) = get(&app, SELLER, &path).await;

    let (status, refused) = send(&app, SELLER, Method::DELETE, &path, &json!({})).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["detail"].as_str().unwrap().contains("archive it"),
        "{refused}"
    );
    let (_, after) = get(&app, SELLER, &path).await;
    assert_eq!(before, after);
    for (table, rows) in [
        ("products", 1),
        ("prices", 1),
        ("digital_assets", 1),
        ("service_offers", 1),
        ("order_items", 1),
    ] {
        assert_eq!(app.count(table).await, rows, "{table}");
    }

    // Archiving is the way out, and an unsold product still deletes.
    let (status, archived) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"visibility": "archived"}),
    )
    .await;
    assert_eq!(status, 200, "{archived}");
    let unsold = product(&app, SELLER, json!({"name": "Unsold"})).await;
    let (status, _) = send(
        &app,
        SELLER,
        Method::DELETE,
        &format!("/api/seller/products/{}/", id(&unsold)),
        &json!({}),
    )
    .await;
    assert_eq!(status, 204);
}
