//! Seller digital assets and service offers: shapes, field rules, and deleting an asset
//! that buyers hold grants for.

use reqwest::Method;
use serde_json::{Value, json};

use crate::catalog_support::{asset, get, grant, id, price, product, sell, send};
use crate::helpers::TestApp;

const SELLER: &str = "user_seller";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_created_listed_updated_and_deleted() {
    let app = TestApp::spawn().await;
    let kit = product(&app, SELLER, json!({"name": "Kit"})).await;
    let assets_path = format!("/api/seller/products/{}/assets/", id(&kit));
    let checksum = "AB".repeat(32);
    let zeta = asset(
        &app,
        SELLER,
        id(&kit),
        json!({
            "title": " Zeta ", "file_path": " kit/zeta.zip ", "file_size_bytes": 2048,
            "checksum_sha256": checksum, "version_label": " v1 ", "metadata": {"k": 1}
        }),
    )
    .await;
    let mut fields: Vec<&str> = zeta
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "checksum_sha256",
            "created_at",
            "file_path",
            "file_size_bytes",
            "id",
            "is_active",
            "metadata",
            "product",
            "title",
            "updated_at",
            "version_label"
        ]
    );
    assert_eq!(zeta["title"], "Zeta");
    assert_eq!(zeta["file_path"], "kit/zeta.zip");
    assert_eq!(zeta["checksum_sha256"], "ab".repeat(32));
    assert_eq!(zeta["version_label"], "v1");
    assert_eq!(zeta["is_active"], true);
    assert_eq!(zeta["product"], kit["id"]);
    let alpha = asset(
        &app,
        SELLER,
        id(&kit),
        json!({"title": "Alpha", "file_path": "kit/alpha.zip"}),
    )
    .await;

    let (status, list) = get(&app, SELLER, &assets_path).await;
    assert_eq!(status, 200);
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Alpha", "Zeta"]);

    // The same path on the same product is refused; on another product it is fine.
    let (status, clash) = send(
        &app,
        SELLER,
        Method::POST,
        &assets_path,
        &json!({"title": "Again", "file_path": "kit/zeta.zip"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(clash["file_path"].is_array(), "{clash}");
    let other = product(&app, SELLER, json!({"name": "Other"})).await;
    asset(
        &app,
        SELLER,
        id(&other),
        json!({"title": "Zeta", "file_path": "kit/zeta.zip"}),
    )
    .await;

    let path = format!("/api/seller/assets/{}/", id(&alpha));
    let (status, patched) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"is_active": false}),
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["is_active"], false);
    assert_eq!(patched["file_path"], "kit/alpha.zip");
    let (status, moved_onto) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"file_path": "kit/zeta.zip"}),
    )
    .await;
    assert_eq!(status, 400, "{moved_onto}");
    let (status, put_missing) = send(
        &app,
        SELLER,
        Method::PUT,
        &path,
        &json!({"title": "Only title"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(put_missing["file_path"], json!(["This field is required."]));
    let (status, put) = send(
        &app,
        SELLER,
        Method::PUT,
        &path,
        &json!({"title": "Alpha 2", "file_path": "kit/alpha-2.zip"}),
    )
    .await;
    assert_eq!(status, 200, "{put}");
    assert_eq!(put["file_path"], "kit/alpha-2.zip");
    let (_, one) = get(&app, SELLER, &path).await;
    assert_eq!(one["title"], "Alpha 2");

    let (status, _) = send(&app, SELLER, Method::DELETE, &path, &json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(get(&app, SELLER, &path).await.0, 404);
    assert_eq!(app.count("digital_assets").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_asset_fields_are_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let kit = product(&app, SELLER, json!({"name": "Kit"})).await;
    let path = format!("/api/seller/products/{}/assets/", id(&kit));
    let cases = [
        (json!({"title": "No path"}), "file_path"),
        (
            json!({"title": "Blank path", "file_path": "  "}),
            "file_path",
        ),
        (json!({"file_path": "no/title.zip"}), "title"),
        (json!({"title": "t".repeat(181), "file_path": "p"}), "title"),
        (
            json!({"title": "t", "file_path": "p".repeat(421)}),
            "file_path",
        ),
        (
            json!({"title": "t", "file_path": "p", "version_label": "v".repeat(41)}),
            "version_label",
        ),
        (
            json!({"title": "t", "file_path": "p", "file_size_bytes": -1}),
            "file_size_bytes",
        ),
        (
            json!({"title": "t", "file_path": "p", "checksum_sha256": "not-hex"}),
            "checksum_sha256",
        ),
        (
            json!({"title": "t", "file_path": "p", "metadata": 3}),
            "metadata",
        ),
    ];
    for (input, field) in cases {
        let (status, errors) = send(&app, SELLER, Method::POST, &path, &input).await;
        assert_eq!(status, 400, "{input}: {errors}");
        assert!(
            errors[field].is_array(),
            "{input}: expected {field} in {errors}"
        );
    }
    assert_eq!(app.count("digital_assets").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_granted_asset_removes_its_grants_and_keeps_the_order() {
    let app = TestApp::spawn().await;
    let kit = product(&app, SELLER, json!({"name": "Kit"})).await;
    let once = price(&app, SELLER, id(&kit), json!({"amount_cents": 1000})).await;
    let file = asset(
        &app,
        SELLER,
        id(&kit),
        json!({"title": "File", "file_path": "kit/file.zip"}),
    )
    .await;
    let item = sell(&app, "user_buyer", id(&kit), Some(id(&once))).await;
    grant(&app, "user_buyer", item, id(&file)).await;
    assert_eq!(app.count("download_grants").await, 1);

    let path = format!("/api/seller/assets/{}/", id(&file));
    let (status, body) = send(&app, SELLER, Method::DELETE, &path, &json!({})).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(app.count("digital_assets").await, 0);
    assert_eq!(app.count("download_grants").await, 0);
    assert_eq!(app.count("order_items").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_offers_belong_to_service_products_only() {
    let app = TestApp::spawn().await;
    let digital = product(&app, SELLER, json!({"name": "Ebook"})).await;
    let digital_path = format!("/api/seller/products/{}/service-offer/", id(&digital));
    for method in [Method::GET, Method::PUT, Method::PATCH] {
        let (status, body) = send(
            &app,
            SELLER,
            method.clone(),
            &digital_path,
            &json!({"delivery_days": 3}),
        )
        .await;
        assert_eq!(status, 400, "{method}: {body}");
        assert_eq!(body["detail"], "Product is not a service product.");
    }
    assert_eq!(app.count("service_offers").await, 0);

    let service = product(
        &app,
        SELLER,
        json!({"name": "Audit", "product_type": "service"}),
    )
    .await;
    let path = format!("/api/seller/products/{}/service-offer/", id(&service));
    assert_eq!(get(&app, SELLER, &path).await.0, 404);

    let (status, created) = send(
        &app,
        SELLER,
        Method::PUT,
        &path,
        &json!({"onboarding_instructions": " Send your repo ", "metadata": {"delivery_mode": "physical"}}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let mut fields: Vec<&str> = created
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "delivery_days",
            "id",
            "metadata",
            "onboarding_instructions",
            "revision_count",
            "session_minutes"
        ]
    );
    assert_eq!(created["session_minutes"], 60);
    assert_eq!(created["delivery_days"], 7);
    assert_eq!(created["revision_count"], 0);
    assert_eq!(created["onboarding_instructions"], "Send your repo");

    let (status, patched) = send(
        &app,
        SELLER,
        Method::PATCH,
        &path,
        &json!({"revision_count": 2}),
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(
        patched["id"], created["id"],
        "an upsert, not a second offer"
    );
    assert_eq!(patched["revision_count"], 2);
    assert_eq!(patched["onboarding_instructions"], "Send your repo");
    assert_eq!(app.count("service_offers").await, 1);

    for bad in [
        json!({"session_minutes": -5}),
        json!({"delivery_days": "soon"}),
        json!({"metadata": []}),
    ] {
        let (status, errors) = send(&app, SELLER, Method::PATCH, &path, &bad).await;
        assert_eq!(status, 400, "{bad}: {errors}");
    }
    let (_, offer) = get(&app, SELLER, &path).await;
    assert_eq!(offer, patched);
    let (_, seller_view) = get(
        &app,
        SELLER,
        &format!("/api/seller/products/{}/", id(&service)),
    )
    .await;
    assert_eq!(seller_view["service_offer"], patched);
    assert_eq!(
        seller_view["service_offer"]["metadata"],
        json!({"delivery_mode": "physical"})
    );
    assert_ne!(seller_view["service_offer"], Value::Null);
}
