//! The Clerk webhook receiver: signature checks, once-only processing, user events.

use chrono::Utc;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, WEBHOOK_SECRET, body, event_rows, store_failed_event};
use crate::loop_support::{asset, order, order_status, payment_attempt, price, product};

const BUYER: &str = "user_hook";

fn event() -> Value {
    json!({"type": "session.created", "data": {"user_id": "user_1"}})
}

/// Posts `event` with explicit headers (each `None` is left out).
async fn post(
    app: &TestApp,
    id: Option<&str>,
    timestamp: Option<i64>,
    signature: Option<String>,
    event: &Value,
) -> (u16, Value) {
    let mut request = app
        .request(Method::POST, "/api/webhooks/clerk/")
        .header("content-type", "application/json")
        .body(serde_json::to_vec(event).unwrap());
    if let Some(id) = id {
        request = request.header("svix-id", id);
    }
    if let Some(ts) = timestamp {
        request = request.header("svix-timestamp", ts.to_string());
    }
    if let Some(sig) = signature {
        request = request.header("svix-signature", sig);
    }
    body(request.send().await.unwrap()).await
}

/// why, svix-id, svix-timestamp, svix-signature.
type SignatureCase = (
    &'static str,
    Option<&'static str>,
    Option<i64>,
    Option<String>,
);

fn sign(id: &str, ts: i64, event: &Value) -> String {
    paidloop_clerk::sign_webhook(WEBHOOK_SECRET, id, ts, &serde_json::to_vec(event).unwrap())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signatures_are_400_and_store_nothing() {
    let app = TestApp::spawn().await;
    let now = Utc::now().timestamp();
    let e = event();
    let good = sign("msg_1", now, &e);
    let cases: Vec<SignatureCase> = vec![
        ("missing id", None, Some(now), Some(good.clone())),
        ("missing timestamp", Some("msg_1"), None, Some(good.clone())),
        ("missing signature", Some("msg_1"), Some(now), None),
        (
            "wrong signature",
            Some("msg_1"),
            Some(now),
            Some("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into()),
        ),
        (
            "other message id",
            Some("msg_2"),
            Some(now),
            Some(good.clone()),
        ),
        (
            "six minutes old",
            Some("msg_1"),
            Some(now - 360),
            Some(sign("msg_1", now - 360, &e)),
        ),
        (
            "six minutes ahead",
            Some("msg_1"),
            Some(now + 360),
            Some(sign("msg_1", now + 360, &e)),
        ),
    ];
    for (why, id, ts, sig) in cases {
        let (status, answer) = post(&app, id, ts, sig, &e).await;
        assert_eq!(status, 400, "{why}: {answer}");
        assert!(answer["error"].is_string(), "{why}: {answer}");
    }
    assert_eq!(app.count("webhook_events").await, 0);
    // Several signatures, one of them valid, pass.
    let several = format!("v1,bm90IHRoaXMgb25l {good} v2,whatever");
    let (status, answer) = post(&app, Some("msg_1"), Some(now), Some(several), &e).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(app.count("webhook_events").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_signing_secret_every_delivery_is_refused() {
    let app = TestApp::builder()
        .env("CLERK_WEBHOOK_SIGNING_SECRET", "")
        .start()
        .await;
    let (status, answer) = body(app.deliver("msg_x", &event()).await).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(app.count("webhook_events").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeliveries_are_deduplicated_and_unknown_types_ignored() {
    let app = TestApp::spawn().await;
    let (status, first) = body(app.deliver("msg_dup", &event()).await).await;
    assert_eq!((status, first["status"].as_str()), (200, Some("ok")));
    assert!(first.get("deduplicated").is_none());
    let (_, second) = body(app.deliver("msg_dup", &event()).await).await;
    assert_eq!(second["deduplicated"], true);
    let unknown = json!({"type": "organization.created", "data": {}});
    let (status, ignored) = body(app.deliver("msg_unknown", &unknown).await).await;
    assert_eq!(status, 200);
    assert!(ignored["ignored"].is_string(), "{ignored}");
    let (_, again) = body(app.deliver("msg_unknown", &unknown).await).await;
    assert_eq!(again["deduplicated"], true);
    assert_eq!(app.count("webhook_events").await, 2);
    let (status, bad) = body(app.deliver("msg_notype", &json!({"data": {}})).await).await;
    assert_eq!(status, 400, "{bad}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_answers_500_stores_failed_and_is_retried() {
    let app = TestApp::spawn().await;
    // A Clerk user id longer than the column: the profile insert fails.
    let broken =
        json!({"type": "user.created", "data": {"id": format!("user_{}", "x".repeat(80))}});
    let (status, answer) = body(app.deliver("msg_broken", &broken).await).await;
    assert_eq!(status, 500, "{answer}");
    assert_eq!(
        answer,
        json!({"detail": "Internal server error."}),
        "no internals leak"
    );
    let (status, _) = body(app.deliver("msg_broken", &broken).await).await;
    assert_eq!(
        status, 500,
        "a failed event is processed again, not deduplicated"
    );
    let backend = app.db.get_database_backend();
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &app.db,
        sea_orm::Statement::from_string(
            backend,
            "SELECT status, error_message FROM webhook_events",
        ),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(row.try_get::<String>("", "status").unwrap(), "failed");
    assert!(
        !row.try_get::<String>("", "error_message")
            .unwrap()
            .is_empty()
    );
    assert_eq!(app.count("profiles").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handled_events_are_stored_with_their_own_outcome() {
    let app = TestApp::spawn().await;
    let created = json!({"type": "user.created", "data": {"id": "user_outcome"}});
    let gone = json!({"type": "user.deleted", "data": {"id": "user_never_seen", "deleted": true}});
    // Stored before and never finished (its delivery failed): handled again.
    let retried = json!({"type": "user.created", "data": {"id": "user_retried"}});
    store_failed_event(&app, "msg_retried", &retried, "the database went away").await;
    for (id, event) in [
        ("msg_created", &created),
        ("msg_gone", &gone),
        ("msg_retried", &retried),
    ] {
        assert_eq!(app.deliver(id, event).await.status().as_u16(), 200, "{id}");
    }
    let processed = ("processed".to_owned(), String::new(), true);
    let rows = event_rows(&app).await;
    assert_eq!(rows["msg_created"], processed);
    assert_eq!(rows["msg_retried"], processed, "the old error is cleared");
    let (status, note, finished) = &rows["msg_gone"];
    assert_eq!((status.as_str(), *finished), ("ignored", true));
    assert!(note.contains("no profile"), "{note}");
    assert_eq!(app.count("profiles").await, 2);
    let (_, again) = body(app.deliver("msg_created", &created).await).await;
    assert!(again.get("deduplicated").is_some(), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_events_sync_the_profile_and_deletion_deactivates_it() {
    let app = TestApp::spawn().await;
    let created = json!({"type": "user.created", "data": {
        "id": "user_wh", "first_name": "Web", "last_name": "Hook",
        "primary_email_address_id": "idn_2",
        "email_addresses": [{"id": "idn_1", "email_address": "old@x.test"}, {"id": "idn_2", "email_address": "web@x.test"}],
        "public_metadata": {"entitlements": ["Pro"]}
    }});
    assert_eq!(app.deliver("msg_u1", &created).await.status().as_u16(), 200);
    let backend = app.db.get_database_backend();
    let query = "SELECT p.email, p.plan_tier, p.is_active, a.billing_email FROM profiles p JOIN customer_accounts a ON a.profile_id = p.id WHERE p.clerk_user_id = 'user_wh'";
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &app.db,
        sea_orm::Statement::from_string(backend, query),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(row.try_get::<String>("", "email").unwrap(), "web@x.test");
    assert_eq!(row.try_get::<String>("", "plan_tier").unwrap(), "pro");
    assert_eq!(
        row.try_get::<String>("", "billing_email").unwrap(),
        "web@x.test"
    );
    let deleted = json!({"type": "user.deleted", "data": {"id": "user_wh", "deleted": true}});
    assert_eq!(app.deliver("msg_u2", &deleted).await.status().as_u16(), 200);
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &app.db,
        sea_orm::Statement::from_string(backend, query),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(!row.try_get::<bool>("", "is_active").unwrap());
    assert_eq!(row.try_get::<String>("", "email").unwrap(), "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_deliveries_of_one_payment_fulfil_exactly_once() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!(["kit", "bonus"])).await;
    asset(&app, kit, "a").await;
    asset(&app, kit, "b").await;
    let price = price(&app, kit, 2500, "one_time").await;
    let order = order(&app, BUYER, price, 1).await;
    let public_id = order["public_id"].as_str().unwrap();
    let event = payment_attempt(public_id, "paid");
    let deliveries = (0..20).map(|_| app.deliver("msg_same_payment", &event));
    let responses = futures_util::future::join_all(deliveries).await;
    let mut statuses = Vec::new();
    for response in responses {
        statuses.push(body(response).await);
    }
    assert!(statuses.iter().all(|(s, _)| *s == 200), "{statuses:?}");
    let processed = statuses
        .iter()
        .filter(|(_, a)| a.get("deduplicated").is_none())
        .count();
    assert_eq!(processed, 1, "{statuses:?}");
    assert_eq!(
        order_status(&app, BUYER, public_id).await["status"],
        "fulfilled"
    );
    assert_eq!(app.count("webhook_events").await, 1);
    assert_eq!(app.count("entitlements").await, 2);
    assert_eq!(app.count("download_grants").await, 2);
    assert_eq!(app.count("payment_transactions").await, 1);
    assert_eq!(app.count("email_outbox").await, 1);
    // A second, distinct payment event for the same order changes nothing either.
    let (status, _) = body(app.deliver("msg_other_delivery", &event).await).await;
    assert_eq!(status, 200);
    assert_eq!(app.count("download_grants").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_record_only_events_stores_each_once() {
    let app = TestApp::spawn().await;
    // 30 distinct events, 10 of them delivered three times each, all at once.
    let mut deliveries = Vec::new();
    for n in 0..30 {
        let copies = if n < 10 { 3 } else { 1 };
        for _ in 0..copies {
            deliveries.push(format!("msg_burst_{n}"));
        }
    }
    let event = event();
    let responses =
        futures_util::future::join_all(deliveries.iter().map(|id| app.deliver(id, &event))).await;
    let mut stored = 0;
    for response in responses {
        let (status, answer) = body(response).await;
        assert_eq!(status, 200, "{answer}");
        if answer.get("deduplicated").is_none() {
            stored += 1;
        }
    }
    assert_eq!(stored, 30, "each event is stored by exactly one delivery");
    assert_eq!(app.count("webhook_events").await, 30);
}
