//! The local-only confirm endpoint and its guard, in the contract's order.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{KID, TestApp, body};
use crate::loop_support::{asset, order, price, product};
use paidloop_clerk::testing::TestKeys;

const BUYER: &str = "user_confirm";

async fn app_with(env: &[(&str, &str)]) -> TestApp {
    let mut builder = TestApp::builder();
    for (k, v) in env {
        builder = builder.env(k, v);
    }
    let app = builder.start().await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    app
}

async fn pending_order(app: &TestApp) -> String {
    let kit = product(app, "Kit", "digital", json!(["kit"])).await;
    asset(app, kit, "kit").await;
    let price = price(app, kit, 1200, "one_time").await;
    order(app, BUYER, price, 1).await["public_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn confirm(
    app: &TestApp,
    user: &str,
    public_id: &str,
    input: Value,
    secret: Option<&str>,
) -> (u16, Value) {
    let mut request = app
        .request(
            Method::POST,
            &format!("/api/account/orders/{public_id}/confirm/"),
        )
        .bearer_auth(app.token(user))
        .json(&input);
    if let Some(secret) = secret {
        request = request.header("x-order-confirm-secret", secret);
    }
    body(request.send().await.unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_default_flags_the_client_cannot_confirm() {
    let app = TestApp::spawn().await;
    let id = pending_order(&app).await;
    let (status, answer) = confirm(&app, BUYER, &id, json!({"provider": "manual"}), None).await;
    assert_eq!(status, 403, "{answer}");
    let (status, answer) = confirm(&app, BUYER, &id, json!({"provider": "clerk"}), None).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["pending_verification"], true);
    assert!(answer["detail"].is_string());
    let (status, _) = confirm(&app, BUYER, &id, json!({}), None).await;
    assert_eq!(status, 409, "clerk is the default provider");
    assert_eq!(app.count("entitlements").await, 0);
    assert_eq!(app.count("payment_transactions").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_confirmation_when_allowed_fulfils_once() {
    let app = app_with(&[("ORDER_CONFIRM_ALLOW_MANUAL", "true")]).await;
    let id = pending_order(&app).await;
    let (status, answer) = confirm(
        &app,
        BUYER,
        &id,
        json!({"provider": "manual", "external_id": "cash-1"}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["already_confirmed"], false);
    assert_eq!(answer["order"]["status"], "fulfilled");
    assert_eq!(answer["order"]["external_reference"], "cash-1");
    let (status, again) = confirm(&app, BUYER, &id, json!({"provider": "manual"}), None).await;
    assert_eq!(status, 200);
    assert_eq!(again["already_confirmed"], true);
    assert_eq!(app.count("entitlements").await, 1);
    assert_eq!(app.count("download_grants").await, 1);
    assert_eq!(app.count("payment_transactions").await, 1);
    // Someone else's order, and a malformed id, are 404.
    assert_eq!(
        confirm(
            &app,
            "user_intruder",
            &id,
            json!({"provider": "manual"}),
            None
        )
        .await
        .0,
        404
    );
    assert_eq!(
        confirm(
            &app,
            BUYER,
            "not-a-uuid",
            json!({"provider": "manual"}),
            None
        )
        .await
        .0,
        404
    );
    assert_eq!(
        confirm(&app, BUYER, &id, json!({"provider": "paypal"}), None)
            .await
            .0,
        400
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_side_clerk_confirmation_needs_the_shared_secret_when_set() {
    let app = app_with(&[
        ("ORDER_CONFIRM_ALLOW_CLIENT_SIDE_CLERK_CONFIRM", "true"),
        ("ORDER_CONFIRM_SHARED_SECRET", "s3cret-value"),
    ])
    .await;
    let id = pending_order(&app).await;
    let input = json!({"provider": "clerk", "clerk_checkout_id": "chk_local"});
    assert_eq!(confirm(&app, BUYER, &id, input.clone(), None).await.0, 403);
    assert_eq!(
        confirm(&app, BUYER, &id, input.clone(), Some("s3cret-valuE"))
            .await
            .0,
        403
    );
    assert_eq!(
        confirm(&app, BUYER, &id, input.clone(), Some("")).await.0,
        403
    );
    let (status, answer) = confirm(&app, BUYER, &id, input, Some("s3cret-value")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["order"]["clerk_checkout_id"], "chk_local");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canceled_order_cannot_be_confirmed() {
    let app = app_with(&[("ORDER_CONFIRM_ALLOW_MANUAL", "true")]).await;
    let id = pending_order(&app).await;
    let backend = app.db.get_database_backend();
    app.db
        .execute_raw(sea_orm::Statement::from_string(
            backend,
            "UPDATE orders SET status = 'canceled'",
        ))
        .await
        .unwrap();
    let (status, answer) = confirm(&app, BUYER, &id, json!({"provider": "manual"}), None).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(app.count("entitlements").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_confirms_fulfil_exactly_once() {
    let app = app_with(&[("ORDER_CONFIRM_ALLOW_MANUAL", "true")]).await;
    let id = pending_order(&app).await;
    let attempts = (0..20).map(|_| confirm(&app, BUYER, &id, json!({"provider": "manual"}), None));
    let results = futures_util::future::join_all(attempts).await;
    assert!(
        results.iter().all(|(status, _)| *status == 200),
        "{results:?}"
    );
    let first_time = results
        .iter()
        .filter(|(_, answer)| answer["already_confirmed"] == false)
        .count();
    assert_eq!(first_time, 1, "exactly one confirmation did the work");
    assert_eq!(app.count("entitlements").await, 1);
    assert_eq!(app.count("download_grants").await, 1);
    assert_eq!(app.count("payment_transactions").await, 1);
    assert_eq!(app.count("email_outbox").await, 1);
}
