//! Seller isolation: every seller endpoint and method, used on another seller's product,
//! price, asset or offer, answers 404 and changes nothing.

use reqwest::Method;
use serde_json::json;

use crate::catalog_support::{asset, get, id, price, product, send};
use crate::helpers::TestApp;

const OWNER: &str = "user_owner";
const INTRUDER: &str = "user_intruder";

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["products", "prices", "digital_assets", "service_offers"] {
        counts.push(app.count(table).await);
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_sellers_catalog_is_404_for_every_endpoint_and_method_and_unchanged() {
    let app = TestApp::spawn().await;
    let owned = product(
        &app,
        OWNER,
        json!({"name": "Owned", "product_type": "service", "visibility": "published"}),
    )
    .await;
    let product_id = id(&owned);
    let owned_price = price(&app, OWNER, product_id, json!({"amount_cents": 500})).await;
    let owned_asset = asset(
        &app,
        OWNER,
        product_id,
        json!({"title": "File", "file_path": "owned/file.zip"}),
    )
    .await;
    let offer_path = format!("/api/seller/products/{product_id}/service-offer/");
    assert_eq!(
        send(&app, OWNER, Method::PUT, &offer_path, &json!({}))
            .await
            .0,
        200
    );
    // The intruder is a seller too, with a catalog of their own.
    let theirs = product(&app, INTRUDER, json!({"name": "Theirs"})).await;
    price(&app, INTRUDER, id(&theirs), json!({})).await;

    let product_path = format!("/api/seller/products/{product_id}/");
    let before = get(&app, OWNER, &product_path).await.1;
    let counts_before = counts(&app).await;

    // A body that would succeed for the owner on every endpoint.
    let body = json!({
        "name": "Stolen", "title": "Stolen", "file_path": "stolen.zip", "amount_cents": 1,
        "is_default": true, "visibility": "draft", "session_minutes": 1
    });
    let price_path = format!("/api/seller/prices/{}/", id(&owned_price));
    let asset_path = format!("/api/seller/assets/{}/", id(&owned_asset));
    let prices_path = format!("/api/seller/products/{product_id}/prices/");
    let assets_path = format!("/api/seller/products/{product_id}/assets/");
    let calls = [
        (Method::GET, &product_path),
        (Method::PATCH, &product_path),
        (Method::PUT, &product_path),
        (Method::DELETE, &product_path),
        (Method::GET, &prices_path),
        (Method::POST, &prices_path),
        (Method::GET, &price_path),
        (Method::PATCH, &price_path),
        (Method::PUT, &price_path),
        (Method::DELETE, &price_path),
        (Method::GET, &assets_path),
        (Method::POST, &assets_path),
        (Method::GET, &asset_path),
        (Method::PATCH, &asset_path),
        (Method::PUT, &asset_path),
        (Method::DELETE, &asset_path),
        (Method::GET, &offer_path),
        (Method::PUT, &offer_path),
        (Method::PATCH, &offer_path),
    ];
    for (method, path) in &calls {
        let (status, answer) = send(&app, INTRUDER, method.clone(), path, &body).await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
        assert_eq!(answer, json!({"detail": "Not found."}), "{method} {path}");
    }

    assert_eq!(get(&app, OWNER, &product_path).await.1, before);
    assert_eq!(counts(&app).await, counts_before);
    let (_, intruders_list) = get(&app, INTRUDER, "/api/seller/products/").await;
    assert_eq!(intruders_list.as_array().unwrap().len(), 1);
    assert_eq!(intruders_list[0]["name"], "Theirs");

    // Signed out, every seller endpoint is 401.
    for (method, path) in &calls {
        let status = app
            .request(method.clone(), path)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 401, "{method} {path}");
    }
    assert_eq!(
        app.request(Method::GET, "/api/seller/products/")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    // And a malformed id is 404, not 400 or 500.
    assert_eq!(get(&app, OWNER, "/api/seller/prices/abc/").await.0, 404);
}
