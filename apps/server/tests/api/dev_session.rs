//! Local sign-in: only in debug with DEV_AUTH_ENABLED, and verified like a Clerk token.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, body};

async fn dev_app() -> TestApp {
    TestApp::builder()
        .env("APP_DEBUG", "true")
        .env("DEV_AUTH_ENABLED", "true")
        .start()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dev_token_signs_in_through_the_normal_verifier() {
    let app = dev_app().await;
    let (status, session) = body(
        app.request(Method::POST, "/api/dev/session/")
            .json(&json!({"user_id": "user_local", "first_name": "Lou", "entitlements": ["pro"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{session}");
    assert!(session["expires_at"].is_string());
    let token = session["token"].as_str().unwrap();
    let (status, me) = body(
        app.request(Method::GET, "/api/me/")
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["clerk_user_id"], "user_local");
    assert_eq!(me["email"], "user_local@example.com");
    assert_eq!(me["profile"]["first_name"], "Lou");
    assert_eq!(me["profile"]["plan_tier"], "pro");
    // The dev key is never fetched from Clerk.
    assert_eq!(app.jwks_fetches().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_body_signs_in_the_default_local_user() {
    let app = dev_app().await;
    let (status, session) = body(
        app.request(Method::POST, "/api/dev/session/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{session}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_dev_session_input_is_400() {
    let app = dev_app().await;
    for (input, field) in [
        (json!({"user_id": "has space"}), "user_id"),
        (json!({"user_id": ""}), "user_id"),
        (json!({"email": "nope"}), "email"),
        (json!({"entitlements": 5}), "entitlements"),
    ] {
        let (status, errors) = body(
            app.request(Method::POST, "/api/dev/session/")
                .json(&input)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400, "{input}: {errors}");
        assert!(errors[field].is_array(), "{input}: {errors}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_dev_auth_there_is_no_endpoint_and_no_trusted_dev_key() {
    let dev = dev_app().await;
    let (_, session) = body(
        dev.request(Method::POST, "/api/dev/session/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = session["token"].as_str().unwrap().to_owned();

    // Same secret key, but debug only: the route and the key are gone.
    let app = TestApp::builder().env("APP_DEBUG", "true").start().await;
    let status = app
        .request(Method::POST, "/api/dev/session/")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 404);
    let status = app
        .request(Method::GET, "/api/me/")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 401);
}
