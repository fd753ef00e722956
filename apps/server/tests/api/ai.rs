//! AI usage: token estimates, simulator and remote chats, images, quotas that hold under
//! concurrency, the billing-sync gate, and the usage summary.

use chrono::{Duration, Utc};
use paidloop_clerk::testing::TestKeys;
use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{KID, TestApp, body};

/// A server with the simulator on and a fake Clerk whose billing answer is "no
/// subscription", so the billing sync succeeds (fresh) on the first metered request.
pub(crate) async fn spawn(env: &[(&str, &str)]) -> TestApp {
    spawn_answering(env, json!({"subscription": null})).await
}

/// Like [`spawn`], with Clerk giving `billing` as every user's billing subscription.
async fn spawn_answering(env: &[(&str, &str)], billing: Value) -> TestApp {
    let mut builder = TestApp::builder()
        .clerk_backend()
        .env("AI_SIMULATOR_ENABLED", "true");
    for (name, value) in env {
        builder = builder.env(name, value);
    }
    let app = builder.start().await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/users/[^/]+/billing/subscription$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(billing))
        .mount(&app.clerk)
        .await;
    app
}

pub(crate) fn chat_body(content: &str, max_output_tokens: u64) -> Value {
    json!({
        "messages": [{"role": "user", "content": content}],
        "max_output_tokens": max_output_tokens,
    })
}

pub(crate) async fn post(app: &TestApp, user: &str, path: &str, payload: &Value) -> (u16, Value) {
    body(app.send_as(user, Method::POST, path, payload).await).await
}

pub(crate) async fn get(app: &TestApp, user: &str, path: &str) -> Value {
    let (status, answer) = body(app.get_as(user, path).await).await;
    assert_eq!(status, 200, "{path}: {answer}");
    answer
}

/// `(metric, direction, amount, metadata)` of every ledger row, oldest first.
pub(crate) async fn ledger(app: &TestApp) -> Vec<(String, String, i64, Value)> {
    let backend = app.db.get_database_backend();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT metric, direction, amount, metadata FROM ai_usage_events ORDER BY id",
        ))
        .await
        .expect("ledger");
    rows.iter()
        .map(|row| {
            let metadata: Value = row
                .try_get::<Value>("", "metadata")
                .or_else(|_| {
                    row.try_get::<String>("", "metadata")
                        .map(|text| serde_json::from_str(&text).expect("JSON"))
                })
                .expect("metadata");
            (
                row.try_get("", "metric").unwrap(),
                row.try_get("", "direction").unwrap(),
                row.try_get("", "amount").unwrap(),
                metadata,
            )
        })
        .collect()
}

pub(crate) fn total(rows: &[(String, String, i64, Value)], metric: &str) -> i64 {
    rows.iter()
        .filter(|(m, ..)| m == metric)
        .map(|(_, _, amount, _)| amount)
        .sum()
}

pub(crate) fn bucket<'a>(summary: &'a Value, key: &str) -> &'a Value {
    summary["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == key)
        .unwrap_or_else(|| panic!("no {key} bucket in {summary}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_estimate_counts_with_openais_encoding() {
    let app = spawn(&[]).await;
    let (status, answer) = post(
        &app,
        "user_counter",
        "/api/ai/tokens/estimate/",
        &json!({
            "model": "openai/gpt-4o",
            "text": "hello world",
            "messages": [{"role": "user", "content": "hello world"}],
        }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["model"], "openai/gpt-4o");
    // "hello world" is 2 tokens in o200k_base; as a chat: 4 + 1 ("user") + 2 + 2.
    assert_eq!(
        answer["estimated_tokens"],
        json!({"messages": 9, "text": 2, "total": 11})
    );
    assert!(answer["notes"][0].as_str().unwrap().contains("o200k_base"));
    let (status, refused) =
        post(&app, "user_counter", "/api/ai/tokens/estimate/", &json!({})).await;
    assert_eq!(status, 400);
    assert!(refused["text"].is_array(), "{refused}");
    let (status, refused) = post(
        &app,
        "user_counter",
        "/api/ai/tokens/estimate/",
        &json!({"messages": [{"role": "robot", "content": "x"}]}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(refused["messages[0].role"].is_array(), "{refused}");
    assert_eq!(app.count("ai_usage_events").await, 0, "an estimate is free");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_simulator_chat_writes_input_and_output_rows() {
    let app = spawn(&[]).await;
    let user = "user_chatter";
    let (status, answer) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("Write a tagline for a bakery", 40),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["provider"], "simulator");
    assert_eq!(answer["model"], "gpt-4.1-mini");
    assert_eq!(answer["message"]["role"], "assistant");
    assert_eq!(answer["billing_sync"]["state"], "fresh");
    let usage = &answer["usage"];
    let (input, output) = (
        usage["input_tokens"].as_i64().unwrap(),
        usage["output_tokens"].as_i64().unwrap(),
    );
    assert!(input > 0 && output > 0 && output <= 40, "{usage}");
    assert_eq!(usage["total_tokens"].as_i64().unwrap(), input + output);
    assert_eq!(answer["quota"]["used"].as_i64().unwrap(), input + output);
    assert_eq!(answer["quota"]["limit"], 100_000);

    let rows = ledger(&app).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str(), rows[0].2),
        ("tokens", "input", input)
    );
    assert_eq!(
        (rows[1].0.as_str(), rows[1].1.as_str(), rows[1].2),
        ("tokens", "output", output)
    );
    assert!(
        rows.iter().all(|r| r.3.get("hold").is_none()),
        "the hold was replaced"
    );

    // The simulator is deterministic; a cut answer says so.
    let (_, again) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("Write a tagline for a bakery", 40),
    )
    .await;
    assert_eq!(again["message"], answer["message"]);
    let (_, short) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("Write a tagline for a bakery", 3),
    )
    .await;
    assert_eq!(short["usage"]["output_tokens"], 3);
    assert_eq!(short["finish_reason"], "length");

    let (status, refused) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &json!({"messages": [], "max_output_tokens": 5000}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refused["messages"].is_array() && refused["max_output_tokens"].is_array(),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_provider_with_calls_disabled_is_400() {
    let app = spawn(&[("OPENROUTER_API_KEY", "sk-or-test")]).await;
    let (status, answer) = post(
        &app,
        "user_cautious",
        "/api/ai/chat/complete/",
        &json!({"provider": "openrouter", "messages": [{"role": "user", "content": "hi"}]}),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["provider"][0]
            .as_str()
            .unwrap()
            .contains("AI_PROVIDER_CALLS_ENABLED"),
        "{answer}"
    );
    let (status, answer) = post(
        &app,
        "user_cautious",
        "/api/ai/chat/complete/",
        &json!({"provider": "gemini", "messages": [{"role": "user", "content": "hi"}]}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(answer["provider"].is_array());
    let providers = get(&app, "user_cautious", "/api/ai/providers/").await;
    let keys: Vec<&str> = providers
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["simulator", "openai", "openrouter", "ollama"]);
    assert_eq!(providers[0]["enabled"], true);
    assert_eq!(providers[0]["base_url"], Value::Null);
    assert_eq!(
        providers[2]["enabled"], false,
        "configured but calls are off"
    );
    assert_eq!(providers[2]["base_url"], "https://openrouter.ai/api/v1");
    assert_eq!(app.count("ai_usage_events").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_chats_near_the_limit_never_push_the_ledger_past_it() {
    const LIMIT: i64 = 2_000;
    let app = spawn(&[("AI_USAGE_LIMIT_FREE_TOKENS", "2000")]).await;
    let user = "user_racer";
    // Sign in (and sync billing) once, so the race is over the quota alone.
    let (status, _) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("warm up", 1),
    )
    .await;
    assert_eq!(status, 200);
    let requests = (0..30).map(|i| {
        let app = &app;
        async move {
            post(
                app,
                user,
                "/api/ai/chat/complete/",
                &chat_body(&format!("Explain quota number {i} in plain words"), 150),
            )
            .await
        }
    });
    let answers = futures_util::future::join_all(requests).await;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let refused = answers.iter().filter(|(s, _)| *s == 429).count();
    assert_eq!(ok + refused, 30, "{answers:?}");
    assert!(ok > 0 && refused > 0, "{ok} ok, {refused} refused");
    let rows = ledger(&app).await;
    assert!(
        total(&rows, "tokens") <= LIMIT,
        "ledger {} > {LIMIT}",
        total(&rows, "tokens")
    );
    assert!(
        rows.iter().all(|r| r.3.get("hold").is_none()),
        "every hold settled"
    );
    let reported: i64 = answers
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, a)| a["usage"]["total_tokens"].as_i64().unwrap())
        .sum();
    let warm_up = rows.iter().take(2).map(|r| r.2).sum::<i64>();
    assert_eq!(total(&rows, "tokens"), reported + warm_up);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_count_one_unit_each() {
    let app = spawn(&[("AI_USAGE_LIMIT_FREE_IMAGES", "5")]).await;
    let user = "user_painter";
    let (status, answer) = post(
        &app,
        user,
        "/api/ai/images/generate/",
        &json!({"prompt": "a red kite over the sea", "count": 3}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["images"].as_array().unwrap().len(), 3);
    assert_eq!(answer["size"], "1024x1024");
    assert_eq!(answer["usage"]["images"], 3);
    assert_eq!(
        answer["quota"],
        json!({"metric": "images", "used": 3, "limit": 5, "remaining": 2})
    );
    let rows = ledger(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str(), rows[0].2),
        ("images", "output", 3)
    );
    // Three more do not fit in the two left.
    let (status, _) = post(
        &app,
        user,
        "/api/ai/images/generate/",
        &json!({"prompt": "again", "count": 3}),
    )
    .await;
    assert_eq!(status, 429);
    let (status, refused) = post(
        &app,
        user,
        "/api/ai/images/generate/",
        &json!({"prompt": "x", "count": 11, "size": "huge"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        refused["count"].is_array() && refused["size"].is_array(),
        "{refused}"
    );
    assert_eq!(total(&ledger(&app).await, "images"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_shows_buckets_with_percent_used_and_near_limit() {
    let app = spawn(&[("AI_USAGE_LIMIT_FREE_IMAGES", "5")]).await;
    let user = "user_watcher";
    let (status, _) = post(
        &app,
        user,
        "/api/ai/images/generate/",
        &json!({"prompt": "four", "count": 4}),
    )
    .await;
    assert_eq!(status, 200);
    let summary = get(&app, user, "/api/ai/usage/summary/").await;
    assert_eq!(summary["period"], "current_billing_cycle");
    assert_eq!(summary["period_source"], "anchored_monthly_cycle");
    assert_eq!(summary["plan_tier"], "free");
    assert_eq!(summary["billing_sync"]["state"], "fresh");
    let images = bucket(&summary, "images");
    assert_eq!(
        (
            images["used"].clone(),
            images["limit"].clone(),
            images["percent_used"].clone(),
            images["near_limit"].clone()
        ),
        (json!(4), json!(5), json!(80.0), json!(true))
    );
    let tokens = bucket(&summary, "tokens");
    assert_eq!(
        (
            tokens["used"].clone(),
            tokens["percent_used"].clone(),
            tokens["near_limit"].clone()
        ),
        (json!(0), json!(0.0), json!(false))
    );
    assert_eq!(bucket(&summary, "videos")["limit"], 2);
    let start =
        chrono::DateTime::parse_from_rfc3339(summary["period_start"].as_str().unwrap()).unwrap();
    let end =
        chrono::DateTime::parse_from_rfc3339(summary["period_end"].as_str().unwrap()).unwrap();
    let now = Utc::now();
    assert!(start <= now && now < end, "{start} .. {end}");
    // The account was created moments ago: its first cycle starts then.
    assert!(now - start.with_timezone(&Utc) < Duration::minutes(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprise_is_unlimited() {
    let app = spawn(&[("AI_USAGE_LIMIT_FREE_TOKENS", "1")]).await;
    let mut claims = app.claims("user_big");
    claims["entitlements"] = json!(["enterprise"]);
    let token = app.sign(&claims);
    let (status, answer) = body(
        app.request(Method::POST, "/api/ai/chat/complete/")
            .bearer_auth(&token)
            .json(&chat_body("no limits here", 50))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["quota"]["limit"], Value::Null);
    assert_eq!(answer["quota"]["remaining"], Value::Null);
    let (_, summary) = body(
        app.request(Method::GET, "/api/ai/usage/summary/")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(summary["plan_tier"], "enterprise");
    for key in ["tokens", "images", "videos"] {
        let b = bucket(&summary, key);
        assert_eq!(
            (
                b["limit"].clone(),
                b["percent_used"].clone(),
                b["near_limit"].clone()
            ),
            (Value::Null, Value::Null, json!(false)),
            "{key}"
        );
    }
    assert!(bucket(&summary, "tokens")["used"].as_i64().unwrap() > 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_uses_the_subscription_window_when_one_is_active() {
    let user = "user_subscriber";
    let start = Utc::now() - Duration::days(3);
    let end = start + Duration::days(30);
    let subscription = json!({
        "id": "sub_ai", "status": "active",
        "payer": {"user_id": user},
        "plan": {"id": "cplan_ai"},
        "current_period_start": start.timestamp_millis(),
        "current_period_end": end.timestamp_millis(),
        "updated_at": start.timestamp_millis(),
    });
    // Clerk knows the same subscription, so the sync before the chat keeps it.
    let app = spawn_answering(&[], json!({"data": [subscription.clone()]})).await;
    let event = json!({
        "type": "subscription.active",
        "timestamp": start.timestamp_millis(),
        "data": subscription,
    });
    let (status, answer) = body(app.deliver("msg_sub_ai", &event).await).await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("hello", 10),
    )
    .await;
    assert_eq!(status, 200);
    let summary = get(&app, user, "/api/ai/usage/summary/").await;
    assert_eq!(summary["period_source"], "subscription_cycle", "{summary}");
    let period_start =
        chrono::DateTime::parse_from_rfc3339(summary["period_start"].as_str().unwrap()).unwrap();
    let period_end =
        chrono::DateTime::parse_from_rfc3339(summary["period_end"].as_str().unwrap()).unwrap();
    assert_eq!(period_start.timestamp_millis(), start.timestamp_millis());
    assert_eq!(period_end.timestamp_millis(), end.timestamp_millis());
    assert!(
        bucket(&summary, "tokens")["used"].as_i64().unwrap() > 0,
        "counted in that window"
    );
    let backend = app.db.get_database_backend();
    let linked = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM ai_usage_events WHERE subscription_id IS NOT NULL",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(linked, 2, "both rows name the subscription");
}

/// Inserts a hold row for `user`'s account in its current cycle, created `age` ago.
async fn insert_hold(app: &TestApp, user: &str, amount: i64, age: Duration) {
    let summary = get(app, user, "/api/ai/usage/summary/").await;
    let parse = |key: &str| {
        chrono::DateTime::parse_from_rfc3339(summary[key].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let backend = app.db.get_database_backend();
    let account: i64 = app
        .db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DatabaseBackend::Postgres => "SELECT a.id FROM customer_accounts a JOIN profiles p ON p.id = a.profile_id WHERE p.clerk_user_id = $1",
                _ => "SELECT a.id FROM customer_accounts a JOIN profiles p ON p.id = a.profile_id WHERE p.clerk_user_id = ?",
            },
            [user.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    use paidloop_server::entities::ai_usage_events;
    use sea_orm::{EntityTrait, Set};
    let row = ai_usage_events::ActiveModel {
        request_id: Set(uuid::Uuid::new_v4()),
        customer_account_id: Set(account),
        metric: Set("tokens".into()),
        direction: Set("total".into()),
        amount: Set(amount),
        provider: Set("simulator".into()),
        model_name: Set("gpt-4.1-mini".into()),
        period_start: Set(parse("period_start")),
        period_end: Set(parse("period_end")),
        metadata: Set(json!({"hold": true})),
        created_at: Set(Utc::now() - age),
        ..Default::default()
    };
    ai_usage_events::Entity::insert(row)
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_abandoned_by_a_crash_stop_counting_and_are_cleaned_up() {
    // Holds live 2 × 45 s; one from an hour ago belongs to a request that died.
    let app = spawn(&[("AI_USAGE_LIMIT_FREE_TOKENS", "1000")]).await;
    let user = "user_crashed";
    insert_hold(&app, user, 1000, Duration::hours(1)).await;
    let summary = get(&app, user, "/api/ai/usage/summary/").await;
    assert_eq!(
        bucket(&summary, "tokens")["used"],
        0,
        "an abandoned hold does not count"
    );
    let (status, answer) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("after the crash", 50),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let rows = ledger(&app).await;
    assert!(
        rows.iter().all(|r| r.3.get("hold").is_none()),
        "the abandoned hold was deleted: {rows:?}"
    );
    // A live hold (a request in flight) does count.
    insert_hold(&app, user, 1000, Duration::seconds(5)).await;
    let (status, _) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("while another runs", 50),
    )
    .await;
    assert_eq!(status, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hard_stale_billing_sync_blocks_usage_with_503() {
    // No Clerk secret key: the sync attempt fails and the account was never synced.
    let app = TestApp::builder()
        .env("AI_SIMULATOR_ENABLED", "true")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let (status, answer) = post(
        &app,
        "user_blocked",
        "/api/ai/chat/complete/",
        &chat_body("hi", 10),
    )
    .await;
    assert_eq!(status, 503, "{answer}");
    assert_eq!(answer["error_code"], "billing_sync_hard_stale");
    assert_eq!(answer["billing_sync"]["state"], "hard_stale");
    assert_eq!(answer["billing_sync"]["blocking"], true);
    assert!(answer["detail"].is_string());
    let (status, _) = post(
        &app,
        "user_blocked",
        "/api/ai/images/generate/",
        &json!({"prompt": "x"}),
    )
    .await;
    assert_eq!(status, 503);
    assert_eq!(app.count("ai_usage_events").await, 0);
    // Estimates and the summary are not usage: they still answer.
    let (status, _) = post(
        &app,
        "user_blocked",
        "/api/ai/tokens/estimate/",
        &json!({"text": "x"}),
    )
    .await;
    assert_eq!(status, 200);
    let summary = get(&app, "user_blocked", "/api/ai/usage/summary/").await;
    assert_eq!(summary["billing_sync"]["state"], "hard_stale");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_soft_stale_billing_sync_allows_usage_with_a_note() {
    let app = TestApp::builder()
        .clerk_backend()
        .env("AI_SIMULATOR_ENABLED", "true")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let user = "user_soft";
    // Clerk answers once, then fails: the first sync succeeds, later ones do not.
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/users/[^/]+/billing/subscription$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"subscription": null})))
        .up_to_n_times(1)
        .mount(&app.clerk)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/users/[^/]+/billing/subscription$"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&app.clerk)
        .await;
    let (status, _) = post(&app, user, "/api/ai/chat/complete/", &chat_body("first", 5)).await;
    assert_eq!(status, 200);
    // Age the last success past the soft window (900 s), within the hard TTL.
    let backend = app.db.get_database_backend();
    let earlier = Utc::now() - Duration::seconds(1_200);
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DatabaseBackend::Postgres => {
                    "UPDATE billing_sync_states SET last_success_at = $1, last_attempt_at = $1"
                }
                _ => "UPDATE billing_sync_states SET last_success_at = ?, last_attempt_at = ?",
            },
            match backend {
                sea_orm::DatabaseBackend::Postgres => vec![earlier.into()],
                _ => vec![earlier.into(), earlier.into()],
            },
        ))
        .await
        .unwrap();
    let (status, answer) = post(
        &app,
        user,
        "/api/ai/chat/complete/",
        &chat_body("second", 5),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["billing_sync"]["state"], "soft_stale");
    assert!(!answer["notes"].as_array().unwrap().is_empty(), "{answer}");
}
