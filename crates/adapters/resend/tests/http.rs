//! The Resend client against a fake Resend (wiremock): headers, body, retries.

use std::time::Duration;

use paidloop_resend::{ResendClient, ResendEmail, ResendError, ResendSettings};
use serde_json::json;
use url::Url;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> ResendClient {
    let mut settings = ResendSettings::new(
        Url::parse(&server.uri()).expect("mock url"),
        "re_test_key",
        Duration::from_secs(2),
    );
    settings.retry_delay = Duration::from_millis(10);
    ResendClient::new(settings, reqwest::Client::new())
}

fn email() -> ResendEmail {
    ResendEmail {
        from: "Shop <shop@example.com>".into(),
        to: vec!["buyer@example.com".into()],
        subject: "Your order is ready".into(),
        html: "<p>Thanks</p>".into(),
        text: "Thanks".into(),
        reply_to: vec!["help@example.com".into()],
        tags: Vec::new(),
    }
}

#[tokio::test]
async fn a_send_carries_the_key_the_idempotency_key_and_the_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .and(header("authorization", "Bearer re_test_key"))
        .and(header("idempotency-key", "order_fulfilled:42"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "from": "Shop <shop@example.com>",
            "to": ["buyer@example.com"],
            "subject": "Your order is ready",
            "html": "<p>Thanks</p>",
            "text": "Thanks",
            "reply_to": ["help@example.com"],
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "msg_123"})))
        .expect(1)
        .mount(&server)
        .await;

    let id = client(&server)
        .send(&email(), "order_fulfilled:42")
        .await
        .expect("sent");
    assert_eq!(id, "msg_123");
}

#[tokio::test]
async fn a_5xx_is_retried_with_the_same_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "msg_9"})))
        .mount(&server)
        .await;

    let id = client(&server).send(&email(), "key-1").await.expect("sent");
    assert_eq!(id, "msg_9");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(
            request
                .headers
                .get("idempotency-key")
                .map(|v| v.to_str().ok()),
            Some(Some("key-1"))
        );
    }
}

#[tokio::test]
async fn a_4xx_is_not_retried_and_says_why() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "statusCode": 422,
            "name": "validation_error",
            "message": "The `from` domain is not verified.",
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).send(&email(), "k").await.unwrap_err();
    assert!(err.is_permanent());
    assert_eq!(
        err,
        ResendError::Rejected {
            status: 422,
            message: "The `from` domain is not verified.".into()
        }
    );
}

#[tokio::test]
async fn retries_stop_after_the_last_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3)
        .mount(&server)
        .await;

    let err = client(&server).send(&email(), "k").await.unwrap_err();
    assert!(
        matches!(err, ResendError::Unavailable(ref m) if m.contains("500")),
        "{err}"
    );
}

#[tokio::test]
async fn an_unreachable_resend_is_transient_and_hides_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://{}/secret-path",
        listener.local_addr().expect("addr")
    );
    drop(listener);
    let mut settings =
        ResendSettings::new(Url::parse(&url).expect("url"), "k", Duration::from_secs(1));
    settings.max_attempts = 1;
    let err = ResendClient::new(settings, reqwest::Client::new())
        .send(&email(), "k")
        .await
        .unwrap_err();
    assert!(!err.is_permanent());
    assert!(!err.to_string().contains("secret-path"), "{err}");
}
