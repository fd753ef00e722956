//! The OpenAI-compatible client against a fake provider (wiremock): the wire format of
//! chats and images, the key, reported usage, and failures.

use std::time::Duration;

use paidloop_openrouter::{
    ChatMessage, ChatRequest, ImageRequest, MaxTokensField, OpenAiCompatibleClient, OpenAiSettings,
    ProviderError, ReportedUsage,
};
use serde_json::json;
use url::Url;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, field: MaxTokensField, timeout: Duration) -> OpenAiCompatibleClient {
    OpenAiCompatibleClient::new(
        OpenAiSettings {
            base_url: Url::parse(&format!("{}/api/v1", server.uri())).expect("mock url"),
            api_key: "sk-or-test".into(),
            timeout,
            max_tokens_field: field,
        },
        reqwest::Client::new(),
    )
}

fn messages() -> Vec<ChatMessage> {
    vec![
        ChatMessage {
            role: "system".into(),
            content: "Be brief.".into(),
            name: None,
        },
        ChatMessage {
            role: "user".into(),
            content: "Hello".into(),
            name: Some("ada".into()),
        },
    ]
}

#[tokio::test]
async fn a_chat_posts_the_openai_format_and_reads_the_reported_usage() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/chat/completions"))
        .and(header("authorization", "Bearer sk-or-test"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "model": "openai/gpt-4.1-mini",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hello", "name": "ada"},
            ],
            "stream": false,
            "max_tokens": 50,
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "gen-1",
            "model": "openai/gpt-4.1-mini-2025",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi!"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 21, "completion_tokens": 3, "total_tokens": 24},
        })))
        .expect(1)
        .mount(&server)
        .await;
    let messages = messages();
    let completion = client(&server, MaxTokensField::MaxTokens, Duration::from_secs(5))
        .chat(&ChatRequest {
            model: "openai/gpt-4.1-mini",
            messages: &messages,
            max_output_tokens: 50,
        })
        .await
        .expect("completion");
    assert_eq!(completion.content, "Hi!");
    assert_eq!(completion.model, "openai/gpt-4.1-mini-2025");
    assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
    assert_eq!(
        completion.usage,
        Some(ReportedUsage {
            input_tokens: 21,
            output_tokens: 3
        })
    );
}

#[tokio::test]
async fn openai_gets_max_completion_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/chat/completions"))
        .and(wiremock::matchers::body_partial_json(
            json!({"max_completion_tokens": 8}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"content": "ok"}}],
        })))
        .expect(1)
        .mount(&server)
        .await;
    let messages = messages();
    let completion = client(
        &server,
        MaxTokensField::MaxCompletionTokens,
        Duration::from_secs(5),
    )
    .chat(&ChatRequest {
        model: "gpt-4.1-mini",
        messages: &messages,
        max_output_tokens: 8,
    })
    .await
    .expect("completion");
    assert_eq!(completion.usage, None, "no usage reported");
    assert_eq!(completion.model, "gpt-4.1-mini");
}

#[tokio::test]
async fn images_post_the_prompt_count_and_size() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/images/generations"))
        .and(header("authorization", "Bearer sk-or-test"))
        .and(body_json(json!({
            "model": "gpt-image-1",
            "prompt": "a red kite",
            "n": 2,
            "size": "512x512",
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "created": 1,
            "data": [
                {"url": "https://img.example/1.png", "revised_prompt": "a red kite, sky"},
                {"b64_json": "iVBORw0KGgo="},
            ],
        })))
        .expect(1)
        .mount(&server)
        .await;
    let images = client(
        &server,
        MaxTokensField::MaxCompletionTokens,
        Duration::from_secs(5),
    )
    .images(&ImageRequest {
        model: "gpt-image-1",
        prompt: "a red kite",
        count: 2,
        size: "512x512",
    })
    .await
    .expect("images");
    assert_eq!(images.len(), 2);
    assert_eq!(images[0].url.as_deref(), Some("https://img.example/1.png"));
    assert_eq!(images[0].revised_prompt.as_deref(), Some("a red kite, sky"));
    assert_eq!(images[1].b64_json.as_deref(), Some("iVBORw0KGgo="));
}

#[tokio::test]
async fn an_error_status_carries_the_providers_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error": {"message": "upstream exploded"}})),
        )
        .mount(&server)
        .await;
    let messages = messages();
    let err = client(&server, MaxTokensField::MaxTokens, Duration::from_secs(5))
        .chat(&ChatRequest {
            model: "m",
            messages: &messages,
            max_output_tokens: 5,
        })
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ProviderError::Status {
            status: 500,
            message: "upstream exploded".into()
        }
    );
}

#[tokio::test]
async fn a_slow_provider_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_secs(3))
                .set_body_json(json!({"choices": [{"message": {"content": "late"}}]})),
        )
        .mount(&server)
        .await;
    let messages = messages();
    let err = client(
        &server,
        MaxTokensField::MaxTokens,
        Duration::from_millis(200),
    )
    .chat(&ChatRequest {
        model: "m",
        messages: &messages,
        max_output_tokens: 5,
    })
    .await
    .unwrap_err();
    assert_eq!(err, ProviderError::Timeout);
}

#[tokio::test]
async fn an_unreachable_provider_is_a_network_error() {
    // A port nobody listens on (never a dropped MockServer: wiremock pools them).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let client = OpenAiCompatibleClient::new(
        OpenAiSettings {
            base_url: Url::parse(&format!("http://127.0.0.1:{port}/v1")).unwrap(),
            api_key: "k".into(),
            timeout: Duration::from_secs(2),
            max_tokens_field: MaxTokensField::MaxTokens,
        },
        reqwest::Client::new(),
    );
    let messages = messages();
    let err = client
        .chat(&ChatRequest {
            model: "m",
            messages: &messages,
            max_output_tokens: 5,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Network(_)), "{err:?}");
}
