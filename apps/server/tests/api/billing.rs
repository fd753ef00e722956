//! Subscriptions, plan entitlements and billing sync with a fake Clerk.

use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use paidloop_clerk::testing::TestKeys;

use crate::helpers::{CLERK_SECRET_KEY, KID, TestApp, body};
use crate::loop_support::{self, SELLER};

/// A product with `keys` and a monthly price mapped to Clerk plan `plan`.
async fn plan(app: &TestApp, name: &str, keys: Value, plan: &str) -> i64 {
    let product = loop_support::product(app, name, "digital", keys).await;
    let price = loop_support::price(app, product, 1900, "monthly").await;
    let (status, updated) = body(
        app.send_as(
            SELLER,
            Method::PATCH,
            &format!("/api/seller/prices/{price}/"),
            &json!({"clerk_plan_id": plan}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    price
}

/// A Clerk `subscription.*` event whose state is as of `at_ms`.
fn event(kind: &str, id: &str, user: &str, status: &str, plan: &str, at_ms: i64) -> Value {
    json!({
        "type": kind,
        "timestamp": at_ms,
        "data": {
            "id": id, "status": status,
            "payer": {"id": "payer_123", "user_id": user},
            "plan": {"id": plan},
            "current_period_start": at_ms, "current_period_end": at_ms + 2_592_000_000_i64,
            "updated_at": at_ms,
        },
    })
}

async fn get(app: &TestApp, user: &str, path: &str) -> Value {
    let (status, answer) = body(app.get_as(user, path).await).await;
    assert_eq!(status, 200, "{path}: {answer}");
    answer
}

/// The current entitlements' feature keys, sorted.
async fn current_keys(app: &TestApp, user: &str) -> Vec<String> {
    let mut keys: Vec<String> = get(app, user, "/api/account/entitlements/")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["feature_key"].as_str().unwrap().to_owned())
        .collect();
    keys.sort();
    keys
}

async fn deliver_ok(app: &TestApp, svix_id: &str, event: &Value) {
    let (status, answer) = body(app.deliver(svix_id, event).await).await;
    assert_eq!(status, 200, "{answer}");
}

const T: i64 = 1_796_032_800_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_webhook_creates_the_subscriber_and_grants_the_plan() {
    let app = TestApp::spawn().await;
    plan(&app, "Pro", json!(["pro", "api_access"]), "cplan_pro").await;
    let user = "user_new_subscriber";
    deliver_ok(
        &app,
        "msg_1",
        &event(
            "subscription.created",
            "sub_1",
            user,
            "active",
            "cplan_pro",
            T,
        ),
    )
    .await;
    // The subscriber got a profile and an account before ever signing in here.
    assert_eq!(
        app.count("profiles").await,
        2,
        "the seller and the subscriber"
    );
    assert_eq!(app.count("customer_accounts").await, 2);
    let subs = get(&app, user, "/api/account/subscriptions/").await;
    assert_eq!(subs.as_array().unwrap().len(), 1, "{subs}");
    assert_eq!(subs[0]["status"], "active");
    assert_eq!(subs[0]["clerk_subscription_id"], "sub_1");
    assert_eq!(subs[0]["product_name"], "Pro");
    assert_eq!(subs[0]["price_summary"]["amount_cents"], 1900);
    assert_eq!(current_keys(&app, user).await, ["api_access", "pro"]);
    let entitlements = get(&app, user, "/api/account/entitlements/").await;
    assert_eq!(entitlements[0]["source_type"], "plan");
    assert_eq!(entitlements[0]["source_reference"], "sub_1");
    assert_eq!(entitlements[0]["is_current"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_change_ends_the_old_features_and_a_cancel_ends_them_all() {
    let app = TestApp::spawn().await;
    plan(&app, "Starter", json!(["starter", "shared"]), "cplan_a").await;
    plan(&app, "Growth", json!(["growth", "shared"]), "cplan_b").await;
    let user = "user_changer";
    let id = "sub_change";
    deliver_ok(
        &app,
        "m1",
        &event("subscription.active", id, user, "active", "cplan_a", T),
    )
    .await;
    assert_eq!(current_keys(&app, user).await, ["shared", "starter"]);
    deliver_ok(
        &app,
        "m2",
        &event(
            "subscription.updated",
            id,
            user,
            "active",
            "cplan_b",
            T + 1000,
        ),
    )
    .await;
    assert_eq!(current_keys(&app, user).await, ["growth", "shared"]);
    deliver_ok(
        &app,
        "m3",
        &event(
            "subscription.canceled",
            id,
            user,
            "canceled",
            "cplan_b",
            T + 2000,
        ),
    )
    .await;
    assert!(current_keys(&app, user).await.is_empty());
    let all = get(&app, user, "/api/account/entitlements/?current=false").await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(
        all.iter()
            .all(|e| e["is_active"] == false && e["ends_at"].is_string())
    );
    let subs = get(&app, user, "/api/account/subscriptions/").await;
    assert_eq!(subs[0]["status"], "canceled");
    assert!(subs[0]["canceled_at"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_this_catalog_does_not_sell_is_recorded_and_grants_nothing() {
    let app = TestApp::spawn().await;
    let user = "user_unmatched";
    deliver_ok(
        &app,
        "m1",
        &event(
            "subscription.created",
            "sub_x",
            user,
            "active",
            "cplan_elsewhere",
            T,
        ),
    )
    .await;
    let subs = get(&app, user, "/api/account/subscriptions/").await;
    assert_eq!(subs[0]["status"], "active");
    assert_eq!(subs[0]["product"], Value::Null);
    assert_eq!(subs[0]["metadata"]["clerk_plan_id"], "cplan_elsewhere");
    assert!(current_keys(&app, user).await.is_empty());
}

/// created → active → pastDue → active on another plan (→ canceled), shuffled and with
/// duplicates: the projection ends in the newest state, never the last to arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shuffled_lifecycle_with_duplicates_ends_in_the_newest_state() {
    let app = TestApp::spawn().await;
    plan(&app, "Basic", json!(["basic"]), "cplan_basic").await;
    plan(&app, "Plus", json!(["plus", "api"]), "cplan_plus").await;
    let lifecycle = |id: &str, user: &str| {
        [
            event(
                "subscription.created",
                id,
                user,
                "incomplete",
                "cplan_basic",
                T,
            ),
            event(
                "subscription.active",
                id,
                user,
                "active",
                "cplan_basic",
                T + 1000,
            ),
            event(
                "subscription.pastDue",
                id,
                user,
                "past_due",
                "cplan_basic",
                T + 2000,
            ),
            event(
                "subscription.updated",
                id,
                user,
                "active",
                "cplan_plus",
                T + 3000,
            ),
            event(
                "subscription.canceled",
                id,
                user,
                "canceled",
                "cplan_plus",
                T + 4000,
            ),
        ]
    };
    // Without the cancel: ends active on Plus.
    let steps = lifecycle("sub_live", "user_live");
    for (n, i) in [3, 0, 2, 3, 1, 0, 2].into_iter().enumerate() {
        // A repeated index is a redelivery under a new message id.
        deliver_ok(&app, &format!("live_{n}"), &steps[i]).await;
    }
    deliver_ok(&app, "live_0", &steps[0]).await; // the same message again: deduplicated
    let subs = get(&app, "user_live", "/api/account/subscriptions/").await;
    assert_eq!(subs.as_array().unwrap().len(), 1);
    assert_eq!(subs[0]["status"], "active", "{subs}");
    assert_eq!(subs[0]["product_name"], "Plus");
    assert_eq!(current_keys(&app, "user_live").await, ["api", "plus"]);
    // With the cancel arriving first and the rest after it: ends canceled.
    let steps = lifecycle("sub_gone", "user_gone");
    for (n, i) in [4, 1, 3, 0, 4, 2, 3].into_iter().enumerate() {
        deliver_ok(&app, &format!("gone_{n}"), &steps[i]).await;
    }
    let subs = get(&app, "user_gone", "/api/account/subscriptions/").await;
    assert_eq!(subs[0]["status"], "canceled", "{subs}");
    assert!(current_keys(&app, "user_gone").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_subscription_takes_over_the_one_a_local_checkout_made() {
    let app = TestApp::spawn().await;
    let price = plan(&app, "Pro", json!(["pro"]), "cplan_pro").await;
    let buyer = "user_checkout";
    let order = loop_support::order(&app, buyer, price, 1).await;
    let public_id = order["public_id"].as_str().unwrap();
    deliver_ok(
        &app,
        "pay",
        &loop_support::payment_attempt(public_id, "paid"),
    )
    .await;
    let subs = get(&app, buyer, "/api/account/subscriptions/").await;
    assert_eq!(subs.as_array().unwrap().len(), 1);
    assert_eq!(subs[0]["clerk_subscription_id"], Value::Null);
    deliver_ok(
        &app,
        "sub",
        &event(
            "subscription.active",
            "sub_co",
            buyer,
            "active",
            "cplan_pro",
            T,
        ),
    )
    .await;
    let subs = get(&app, buyer, "/api/account/subscriptions/").await;
    assert_eq!(subs.as_array().unwrap().len(), 1, "{subs}");
    assert_eq!(subs[0]["clerk_subscription_id"], "sub_co");
}

/// A server whose Backend API client talks to the fake Clerk.
async fn with_clerk() -> TestApp {
    let app = TestApp::builder().clerk_backend().start().await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    app
}

/// Mounts Clerk's answer for `user`'s billing subscription.
async fn clerk_answers(app: &TestApp, user: &str, status: u16, answer: Value) {
    Mock::given(method("GET"))
        .and(path(format!("/v1/users/{user}/billing/subscription")))
        .and(header(
            "authorization",
            format!("Bearer {CLERK_SECRET_KEY}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(status).set_body_json(answer))
        .mount(&app.clerk)
        .await;
}

async fn clerk_calls(app: &TestApp) -> usize {
    app.clerk
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path().starts_with("/v1/"))
        .count()
}

async fn refresh(app: &TestApp, user: &str) -> Value {
    get(app, user, "/api/account/subscriptions/status/?refresh=1").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_reads_every_answer_shape_clerk_has_used() {
    let app = with_clerk().await;
    plan(&app, "Pro", json!(["pro"]), "cplan_pro").await;
    let sub = |id: &str| json!({"id": id, "status": "active", "plan_id": "cplan_pro"});
    let shapes = [
        ("user_shape_object", sub("sub_s1")),
        ("user_shape_data", json!({"data": sub("sub_s2")})),
        (
            "user_shape_billing",
            json!({"billing": {"subscriptions": [sub("sub_s3")]}}),
        ),
        ("user_shape_list", json!([sub("sub_s4")])),
    ];
    for (user, answer) in shapes {
        clerk_answers(&app, user, 200, answer).await;
        let status = refresh(&app, user).await;
        assert_eq!(status["state"], "fresh", "{user}: {status}");
        assert_eq!(status["blocking"], false);
        assert_eq!(status["reason_code"], "synced", "{user}: {status}");
        let subs = get(&app, user, "/api/account/subscriptions/").await;
        assert_eq!(subs[0]["status"], "active", "{user}: {subs}");
        assert_eq!(current_keys(&app, user).await, ["pro"], "{user}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_saying_none_cancels_local_subscriptions_and_ends_their_plan() {
    let app = with_clerk().await;
    plan(&app, "Pro", json!(["pro"]), "cplan_pro").await;
    let user = "user_lapsed";
    deliver_ok(
        &app,
        "m1",
        &event(
            "subscription.active",
            "sub_l",
            user,
            "active",
            "cplan_pro",
            T,
        ),
    )
    .await;
    assert_eq!(current_keys(&app, user).await, ["pro"]);
    clerk_answers(&app, user, 200, json!({"subscription": null})).await;
    let status = refresh(&app, user).await;
    assert_eq!(status["reason_code"], "no_active_subscription", "{status}");
    assert_eq!(status["state"], "fresh");
    let subs = get(&app, user, "/api/account/subscriptions/").await;
    assert_eq!(subs[0]["status"], "canceled", "{subs}");
    assert!(current_keys(&app, user).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_clerk_is_a_failed_attempt_and_never_synced_stays_blocking() {
    let app = with_clerk().await;
    let user = "user_unlucky";
    let before = get(&app, user, "/api/account/subscriptions/status/").await;
    assert_eq!(before["state"], "hard_stale");
    assert_eq!(before["reason_code"], "never_synced");
    assert_eq!(before["blocking"], true);
    clerk_answers(&app, user, 500, json!({"errors": []})).await;
    let status = refresh(&app, user).await;
    assert_eq!(status["state"], "hard_stale", "{status}");
    assert_eq!(status["blocking"], true);
    assert_eq!(status["error_code"], "clerk_api_error");
    assert_eq!(status["reason_code"], "hard_stale_with_sync_error");
    assert!(status["last_attempt_at"].is_string());
    assert_eq!(status["last_success_at"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secret_key_a_refresh_records_clerk_client_unavailable() {
    let app = TestApp::spawn().await;
    let status = refresh(&app, "user_keyless").await;
    assert_eq!(status["error_code"], "clerk_client_unavailable", "{status}");
    assert_eq!(status["blocking"], true);
    let (code, err) = body(app.get_as("user_keyless", "/api/me/clerk/").await).await;
    assert_eq!(code, 503, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_subscriptions_and_status_never_calls_clerk() {
    let app = with_clerk().await;
    let user = "user_reader";
    get(&app, user, "/api/account/subscriptions/").await;
    get(&app, user, "/api/account/subscriptions/status/").await;
    get(&app, user, "/api/account/subscriptions/status/?refresh=0").await;
    get(&app, user, "/api/account/entitlements/").await;
    assert_eq!(clerk_calls(&app).await, 0);
    clerk_answers(&app, user, 200, json!({"subscription": null})).await;
    refresh(&app, user).await;
    assert_eq!(clerk_calls(&app).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_clerk_shows_public_fields_only_and_502_when_clerk_fails() {
    let app = with_clerk().await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_clerk"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "user_clerk", "first_name": "Ada", "last_name": "L", "image_url": "https://img/a.png",
            "email_addresses": [
                {"id": "e1", "email_address": "ada@example.com", "verification": {"status": "verified"}},
                {"id": "e2", "email_address": "old@example.com", "verification": {"status": "unverified"}}
            ],
            "public_metadata": {"plan": "pro"},
            "private_metadata": {"secret": "never shown"},
            "created_at": T, "last_sign_in_at": null
        })))
        .mount(&app.clerk)
        .await;
    let user = get(&app, "user_clerk", "/api/me/clerk/").await;
    assert_eq!(user["clerk_user_id"], "user_clerk");
    assert_eq!(
        user["email_addresses"][0],
        json!({"email": "ada@example.com", "verified": true})
    );
    assert_eq!(user["email_addresses"][1]["verified"], false);
    assert_eq!(user["public_metadata"], json!({"plan": "pro"}));
    assert!(user.get("private_metadata").is_none());
    assert!(!user.to_string().contains("never shown"));
    assert_eq!(user["created_at"], "2026-11-30T10:00:00Z");
    Mock::given(path("/v1/users/user_down"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&app.clerk)
        .await;
    let (code, err) = body(app.get_as("user_down", "/api/me/clerk/").await).await;
    assert_eq!(code, 502, "{err}");
    assert!(!err["detail"].as_str().unwrap().contains("500"));
}

/// Twenty states of one new subscription delivered at once (Clerk sends created and
/// active milliseconds apart): no delivery fails, one row results, in the newest state.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_deliveries_of_a_new_subscription_end_in_the_newest_state() {
    let app = TestApp::spawn().await;
    plan(&app, "Odd", json!(["odd"]), "cplan_odd").await;
    plan(&app, "Even", json!(["even", "shared"]), "cplan_even").await;
    let user = "user_racer";
    let deliveries = (0..20_i64).map(|i| {
        let plan = if i % 2 == 0 {
            "cplan_even"
        } else {
            "cplan_odd"
        };
        let status = if i % 3 == 0 { "past_due" } else { "active" };
        // The newest (i = 19 … made even below) is active on Even.
        let (plan, status) = if i == 19 {
            ("cplan_even", "active")
        } else {
            (plan, status)
        };
        let event = event(
            "subscription.updated",
            "sub_race",
            user,
            status,
            plan,
            T + i,
        );
        let app = &app;
        async move {
            let response = app.deliver(&format!("race_{i}"), &event).await;
            response.status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(deliveries).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(app.count("subscriptions").await, 1);
    let subs = get(&app, user, "/api/account/subscriptions/").await;
    assert_eq!(subs[0]["status"], "active", "{subs}");
    assert_eq!(subs[0]["product_name"], "Even");
    assert_eq!(current_keys(&app, user).await, ["even", "shared"]);
}

/// An event that arrived before the seller mapped its Clerk plan granted nothing; the
/// next sync replays it and grants the plan (even when Clerk itself cannot be asked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_replays_stored_events_so_a_plan_mapped_later_is_granted() {
    let app = TestApp::spawn().await;
    let product = loop_support::product(&app, "Later", "digital", json!(["later"])).await;
    let price = loop_support::price(&app, product, 900, "monthly").await;
    let user = "user_early";
    deliver_ok(
        &app,
        "early",
        &event(
            "subscription.active",
            "sub_early",
            user,
            "active",
            "cplan_later",
            T,
        ),
    )
    .await;
    assert!(current_keys(&app, user).await.is_empty());
    let (status, _) = body(
        app.send_as(
            SELLER,
            Method::PATCH,
            &format!("/api/seller/prices/{price}/"),
            &json!({"clerk_plan_id": "cplan_later"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let sync = refresh(&app, user).await;
    assert_eq!(sync["error_code"], "clerk_client_unavailable", "{sync}");
    assert_eq!(current_keys(&app, user).await, ["later"]);
}
