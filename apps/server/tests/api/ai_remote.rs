// remove-adapter-file: openrouter
//! AI requests through the OpenAI-compatible adapter, against a fake provider: the
//! usage it reports is what is charged, a request over the quota never reaches it, and
//! its failures charge nothing.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::ai::{bucket, get, ledger, post, spawn};
use crate::helpers::TestApp;

/// A server whose `openrouter` provider is the given fake.
async fn with_openrouter(provider: &MockServer, extra: &[(&str, &str)]) -> TestApp {
    let base = format!("{}/api/v1", provider.uri());
    let mut env = vec![
        ("AI_PROVIDER_CALLS_ENABLED", "true"),
        ("OPENROUTER_API_KEY", "sk-or-test"),
        ("OPENROUTER_BASE_URL", base.as_str()),
    ];
    env.extend_from_slice(extra);
    spawn(&env).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_chat_settles_to_the_usage_the_provider_reports() {
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "openai/gpt-4.1-mini",
            "choices": [{"message": {"role": "assistant", "content": "Fresh bread daily."}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 21, "completion_tokens": 5},
        })))
        .expect(1)
        .mount(&provider)
        .await;
    let app = with_openrouter(&provider, &[]).await;
    let (status, answer) = post(
        &app,
        "user_remote",
        "/api/ai/chat/complete/",
        &json!({"provider": "openrouter", "model": "openai/gpt-4.1-mini",
                "messages": [{"role": "user", "content": "A tagline"}]}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["message"]["content"], "Fresh bread daily.");
    assert_eq!(
        answer["usage"],
        json!({"input_tokens": 21, "output_tokens": 5, "total_tokens": 26, "source": "provider"})
    );
    let rows = ledger(&app).await;
    assert_eq!(rows.iter().map(|r| r.2).collect::<Vec<_>>(), [21, 5]);
    assert_eq!(rows[0].3["source"], "provider");
    provider.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_quota_is_429_and_the_provider_is_never_called() {
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"choices": []})))
        .expect(0)
        .mount(&provider)
        .await;
    let app = with_openrouter(&provider, &[("AI_USAGE_LIMIT_FREE_TOKENS", "50")]).await;
    let (status, answer) = post(
        &app,
        "user_over",
        "/api/ai/chat/complete/",
        &json!({"provider": "openrouter", "messages": [{"role": "user", "content": "hi"}],
                "max_output_tokens": 100}),
    )
    .await;
    assert_eq!(status, 429, "{answer}");
    assert!(
        answer["detail"]
            .as_str()
            .unwrap()
            .contains("not sent to the provider")
    );
    assert_eq!(app.count("ai_usage_events").await, 0);
    provider.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_failure_is_502_and_records_nothing() {
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"error": {"message": "boom"}})),
        )
        .expect(2)
        .mount(&provider)
        .await;
    let app = with_openrouter(&provider, &[]).await;
    let (status, answer) = post(
        &app,
        "user_unlucky",
        "/api/ai/chat/complete/",
        &json!({"provider": "openrouter", "messages": [{"role": "user", "content": "hi"}]}),
    )
    .await;
    assert_eq!(status, 502, "{answer}");
    assert!(
        !answer["detail"].as_str().unwrap().contains("boom"),
        "no provider internals"
    );
    let (status, _) = post(
        &app,
        "user_unlucky",
        "/api/ai/images/generate/",
        &json!({"provider": "openrouter", "prompt": "a kite", "count": 2}),
    )
    .await;
    assert_eq!(status, 502);
    assert_eq!(
        app.count("ai_usage_events").await,
        0,
        "the holds were released"
    );
    let summary = get(&app, "user_unlucky", "/api/ai/usage/summary/").await;
    assert_eq!(bucket(&summary, "tokens")["used"], 0);
    provider.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_provider_is_502_too() {
    let base = format!("http://127.0.0.1:{}/v1", closed_port());
    let app = spawn(&[
        ("AI_PROVIDER_CALLS_ENABLED", "true"),
        ("OPENAI_API_KEY", "sk-test"),
        ("OPENAI_BASE_URL", &base),
    ])
    .await;
    let (status, _) = post(
        &app,
        "user_offline",
        "/api/ai/chat/complete/",
        &json!({"provider": "openai", "messages": [{"role": "user", "content": "hi"}]}),
    )
    .await;
    assert_eq!(status, 502);
    assert_eq!(app.count("ai_usage_events").await, 0);
}

/// A port nobody listens on (never a dropped MockServer: wiremock pools them).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
