// remove-adapter-file: resend
//! The Resend adapter wired into the server: the preflight test and the outbox worker
//! post to a fake Resend (wiremock).

use paidloop_server::app::build_state;
use paidloop_server::config::Config;
use paidloop_server::services::email::transport::Mailer;
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{KID, TestApp, body};

async fn with_resend(resend: &MockServer) -> TestApp {
    let app = TestApp::builder()
        .env("RESEND_API_KEY", "re_live_key")
        .env("RESEND_API_URL", &resend.uri())
        .env("RESEND_FROM_EMAIL", "Shop <shop@paidloop.test>")
        .start()
        .await;
    app.publish_keys(&[(KID, &paidloop_clerk::testing::TestKeys::RSA_A)])
        .await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_sends_through_resend_when_its_key_is_set() {
    let resend = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .and(header("authorization", "Bearer re_live_key"))
        .and(header_exists("idempotency-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "msg_1"})))
        .expect(1)
        .mount(&resend)
        .await;
    let app = with_resend(&resend).await;
    let (status, answer) = body(
        app.send_as(
            "user_rs",
            Method::POST,
            "/api/account/preflight/email-test/",
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let sent = &resend.received_requests().await.unwrap()[0];
    let payload: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(payload["to"], json!(["user_rs@example.com"]));
    assert_eq!(payload["from"], "Shop <shop@paidloop.test>");
    assert_eq!(
        payload["tags"],
        json!([{"name": "event", "value": "preflight_test"}])
    );
    assert!(
        payload["html"]
            .as_str()
            .unwrap()
            .contains("user_rs@example.com")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_is_a_502() {
    let resend = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "statusCode": 403, "name": "validation_error",
            "message": "The paidloop.test domain is not verified."
        })))
        .expect(1)
        .mount(&resend)
        .await;
    let app = with_resend(&resend).await;
    let (status, answer) = body(
        app.send_as(
            "user_rs",
            Method::POST,
            "/api/account/preflight/email-test/",
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 502, "{answer}");
    assert!(!answer.to_string().contains("not verified"), "{answer}");
}

#[tokio::test]
async fn resend_without_a_key_refuses_to_start() {
    let lookup = |name: &str| match name {
        "EMAIL_BACKEND" => Some("resend".to_owned()),
        "DATABASE_URL" => Some("sqlite::memory:".to_owned()),
        _ => None,
    };
    let config = Config::from_lookup(&lookup).unwrap();
    let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
    let err = build_state(config, db, std::time::Duration::from_secs(60))
        .err()
        .expect("refused");
    assert!(err.contains("RESEND_API_KEY"), "{err}");

    let with_key = |name: &str| match name {
        "RESEND_API_KEY" => Some("re_x".to_owned()),
        _ => None,
    };
    let config = Config::from_lookup(&with_key).unwrap();
    let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
    let state = build_state(config, db, std::time::Duration::from_secs(60)).unwrap();
    assert!(matches!(&state.integrations.mailer, Mailer::Ready(t) if t.name() == "resend"));
}
