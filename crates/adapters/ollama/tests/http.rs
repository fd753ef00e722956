//! The Ollama client against a fake Ollama (wiremock): the wire format, the reported
//! counts, and failures.

use std::time::Duration;

use paidloop_ollama::{OllamaClient, OllamaError, OllamaMessage, OllamaSettings};
use serde_json::json;
use url::Url;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> OllamaClient {
    OllamaClient::new(
        OllamaSettings {
            base_url: Url::parse(&server.uri()).expect("mock url"),
            timeout: Duration::from_secs(5),
        },
        reqwest::Client::new(),
    )
}

fn messages() -> Vec<OllamaMessage> {
    vec![OllamaMessage {
        role: "user".into(),
        content: "Why is the sky blue?".into(),
    }]
}

#[tokio::test]
async fn a_chat_posts_a_non_streaming_request_and_reads_the_counts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_json(json!({
            "model": "llama3.2",
            "messages": [{"role": "user", "content": "Why is the sky blue?"}],
            "stream": false,
            "options": {"num_predict": 100},
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "llama3.2",
            "created_at": "2026-11-30T10:00:00Z",
            "message": {"role": "assistant", "content": "Rayleigh scattering."},
            "done": true,
            "done_reason": "stop",
            "prompt_eval_count": 26,
            "eval_count": 4,
        })))
        .expect(1)
        .mount(&server)
        .await;
    let reply = client(&server)
        .chat("llama3.2", &messages(), 100)
        .await
        .expect("reply");
    assert_eq!(reply.content, "Rayleigh scattering.");
    assert_eq!(reply.done_reason.as_deref(), Some("stop"));
    assert_eq!(
        (reply.input_tokens, reply.output_tokens),
        (Some(26), Some(4))
    );
}

#[tokio::test]
async fn a_model_that_is_not_pulled_is_a_status_error_with_ollamas_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "model \"nope\" not found, try pulling it first"})),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .chat("nope", &messages(), 10)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        OllamaError::Status {
            status: 404,
            message: "model \"nope\" not found, try pulling it first".into()
        }
    );
}

#[tokio::test]
async fn ollama_not_running_is_a_network_error() {
    // A port nobody listens on (never a dropped MockServer: wiremock pools them).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let client = OllamaClient::new(
        OllamaSettings {
            base_url: Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
            timeout: Duration::from_secs(2),
        },
        reqwest::Client::new(),
    );
    let err = client.chat("llama3.2", &messages(), 10).await.unwrap_err();
    assert!(matches!(err, OllamaError::Network(_)), "{err:?}");
}
