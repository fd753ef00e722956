//! Email delivery over real transports: SMTP to a listener in the test, the `.eml`
//! outbox; and `POST account/preflight/email-test/` on its 200, 400, 429 and 502 paths.

use paidloop_server::services::email::message::Email;
use paidloop_server::services::email::smtp::SmtpRelay;
use paidloop_server::services::email::transport::{EmailTransport, SendError};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, body};
use crate::smtp_listener::SmtpListener;

const PREFLIGHT: &str = "/api/account/preflight/email-test/";

fn email() -> Email {
    Email {
        from: "Shop <shop@example.com>".into(),
        to: "buyer@example.com".into(),
        reply_to: None,
        subject: "Your order is ready".into(),
        text: "Thanks for your purchase.".into(),
        html: "<p>Thanks for your purchase.</p>".into(),
        kind: "order_fulfilled".into(),
        idempotency_key: "order_fulfilled:1".into(),
    }
}

/// A port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_delivers_to_a_real_listener() {
    let listener = SmtpListener::start(false).await;
    let relay = SmtpRelay::from_url(&listener.url).expect("relay");
    relay.send(&email()).await.expect("delivered");
    let messages = listener.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.from, "shop@example.com");
    assert_eq!(message.to, ["buyer@example.com"]);
    for needle in [
        "Subject: Your order is ready",
        "From: Shop <shop@example.com>",
        "multipart/alternative",
        "Thanks for your purchase.",
        "<p>Thanks for your purchase.</p>",
    ] {
        assert!(
            message.data.contains(needle),
            "{needle} missing from\n{}",
            message.data
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_refusals_are_permanent_and_an_unreachable_relay_is_transient() {
    let refusing = SmtpListener::start(true).await;
    let err = SmtpRelay::from_url(&refusing.url)
        .unwrap()
        .send(&email())
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::Permanent(ref m) if m.contains("550")),
        "{err:?}"
    );
    assert!(refusing.messages().is_empty());

    let err = SmtpRelay::from_url(&closed_port_url())
        .unwrap()
        .send(&email())
        .await
        .unwrap_err();
    assert!(!err.is_permanent(), "{err:?}");
    assert!(SmtpRelay::from_url("not a url").is_err());
}

async fn preflight(app: &TestApp, user: &str) -> (u16, Value) {
    body(app.send_as(user, Method::POST, PREFLIGHT, &json!({})).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_through_smtp_sends_and_remembers_when_and_to_whom() {
    let listener = SmtpListener::start(false).await;
    let app = TestApp::builder()
        .env("EMAIL_BACKEND", "smtp")
        .env("SMTP_URL", &listener.url)
        .env("EMAIL_FROM", "Paidloop <hello@paidloop.test>")
        .start()
        .await;
    app.publish_keys(&[(
        crate::helpers::KID,
        &paidloop_clerk::testing::TestKeys::RSA_A,
    )])
    .await;
    let (status, patched) = body(
        app.send_as(
            "user_pf",
            Method::PATCH,
            "/api/account/customer/",
            &json!({"billing_email": "Owner@Example.com"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{patched}");

    let (status, answer) = preflight(&app, "user_pf").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["sent"], true);
    assert_eq!(answer["recipient_email"], "owner@example.com");
    assert!(answer["sent_at"].is_string());
    let messages = listener.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, ["owner@example.com"]);
    assert_eq!(messages[0].from, "hello@paidloop.test");
    assert!(
        messages[0]
            .data
            .contains("Subject: Paidloop preflight: email delivery works")
    );

    let (_, account) = body(app.get_as("user_pf", "/api/account/customer/").await).await;
    assert_eq!(
        account["metadata"]["preflight_email_last_recipient"],
        "owner@example.com"
    );
    assert!(
        account["metadata"]["preflight_email_last_sent_at"].is_string(),
        "{account}"
    );

    // A second test right away is refused, and sends nothing.
    let response = app
        .send_as("user_pf", Method::POST, PREFLIGHT, &json!({}))
        .await;
    assert_eq!(response.status().as_u16(), 429);
    let wait: u32 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(listener.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_answers_502_when_the_transport_fails_without_leaking_why() {
    let app = TestApp::builder()
        .env("EMAIL_BACKEND", "smtp")
        .env("SMTP_URL", &closed_port_url())
        .start()
        .await;
    app.publish_keys(&[(
        crate::helpers::KID,
        &paidloop_clerk::testing::TestKeys::RSA_A,
    )])
    .await;
    let (status, answer) = preflight(&app, "user_pf502").await;
    assert_eq!(status, 502, "{answer}");
    assert_eq!(answer["sent"], false);
    assert!(
        answer.get("error").is_none(),
        "internals only in debug: {answer}"
    );
    let (_, account) = body(app.get_as("user_pf502", "/api/account/customer/").await).await;
    assert!(
        account["metadata"]
            .get("preflight_email_last_sent_at")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_answers_400_without_a_transport_or_an_address() {
    let disabled = TestApp::builder()
        .env("EMAIL_BACKEND", "disabled")
        .start()
        .await;
    disabled
        .publish_keys(&[(
            crate::helpers::KID,
            &paidloop_clerk::testing::TestKeys::RSA_A,
        )])
        .await;
    let (status, answer) = preflight(&disabled, "user_pf400").await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["sent"], false);
    assert!(
        answer["detail"].as_str().unwrap().contains("EMAIL_BACKEND"),
        "{answer}"
    );

    let dir = tempfile::tempdir().unwrap();
    let outbox = TestApp::builder()
        .env("EMAIL_BACKEND", "outbox")
        .env("EMAIL_OUTBOX_DIR", dir.path().to_str().unwrap())
        .start()
        .await;
    outbox
        .publish_keys(&[(
            crate::helpers::KID,
            &paidloop_clerk::testing::TestKeys::RSA_A,
        )])
        .await;
    // A token without an email claim: the account has no address at all.
    let mut claims = outbox.claims("user_noaddr");
    claims.as_object_mut().unwrap().remove("email");
    let (status, answer) = body(
        outbox
            .request(Method::POST, PREFLIGHT)
            .bearer_auth(outbox.sign(&claims))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["detail"].as_str().unwrap().contains("billing_email"),
        "{answer}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    // With an address, the embedded outbox writes the test as an .eml file.
    let (status, answer) = preflight(&outbox, "user_hasaddr").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflight_needs_a_session() {
    let app = TestApp::spawn().await;
    let response = app.request(Method::POST, PREFLIGHT).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
}
