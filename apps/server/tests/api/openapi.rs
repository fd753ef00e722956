//! `openapi.json`: served by the running app, and describing what this instance serves.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, body};

async fn document(app: &TestApp) -> Value {
    let response = app
        .request(Method::GET, "/api/openapi.json")
        .send()
        .await
        .unwrap();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let (status, doc) = body(response).await;
    assert_eq!(status, 200, "{doc}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    doc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_public_and_leaves_out_dev_sign_in_when_it_is_off() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/account/orders/create/"]["post"].is_object());
    assert!(doc["paths"]["/api/dev/session/"].is_null());
    let create = &doc["paths"]["/api/account/orders/create/"]["post"];
    assert_eq!(create["tags"], json!(["orders"]));
    assert_eq!(
        create["responses"]["401"]["$ref"],
        "#/components/responses/Unauthorized"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_dev_sign_in_on_the_document_names_it() {
    let app = TestApp::builder()
        .env("APP_DEBUG", "true")
        .env("DEV_AUTH_ENABLED", "true")
        .start()
        .await;
    let doc = document(&app).await;
    assert_eq!(
        doc["paths"]["/api/dev/session/"]["post"]["tags"],
        json!(["dev"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nul_character_in_a_body_is_a_400_naming_the_field_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let (status, err) = body(
        app.send_as(
            "user_nul",
            Method::POST,
            "/api/projects/",
            &json!({"name": "ok", "summary": "a\u{0}b"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "{err}");
    assert!(err["summary"].is_array(), "{err}");
    assert_eq!(app.count("projects").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mrr_near_the_decimal_limit_is_a_400_not_a_crash() {
    let app = TestApp::spawn().await;
    let (status, err) = body(
        app.send_as(
            "user_mrr",
            Method::POST,
            "/api/projects/",
            &json!({"name": "Big", "monthly_recurring_revenue": "79228162514264337593543950335"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "{err}");
    assert!(err["monthly_recurring_revenue"].is_array(), "{err}");
}
