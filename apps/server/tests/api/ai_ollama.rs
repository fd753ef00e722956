// remove-adapter-file: ollama
//! AI chats through the Ollama adapter, against a fake Ollama.

use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::ai::{ledger, post, spawn};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ollama_chat_is_charged_what_ollama_counted() {
    let ollama = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_partial_json(
            json!({"model": "llama3.2", "stream": false, "options": {"num_predict": 64}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "llama3.2",
            "message": {"role": "assistant", "content": "Hello from a local model."},
            "done": true,
            "done_reason": "stop",
            "prompt_eval_count": 17,
            "eval_count": 7,
        })))
        .expect(1)
        .mount(&ollama)
        .await;
    let app = spawn(&[
        ("AI_SIMULATOR_ENABLED", "false"),
        ("AI_PROVIDER_CALLS_ENABLED", "true"),
        ("OLLAMA_BASE_URL", &ollama.uri()),
        ("OLLAMA_MODEL", "llama3.2"),
    ])
    .await;
    // With the simulator off, the configured remote provider is the default.
    let (status, answer) = post(
        &app,
        "user_local",
        "/api/ai/chat/complete/",
        &json!({"messages": [{"role": "user", "content": "Say hello"}], "max_output_tokens": 64}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["provider"], "ollama");
    assert_eq!(answer["usage"]["input_tokens"], 17);
    assert_eq!(answer["usage"]["output_tokens"], 7);
    let rows = ledger(&app).await;
    assert_eq!(rows.iter().map(|r| r.2).collect::<Vec<_>>(), [17, 7]);
    // Ollama draws no images.
    let (status, refused) = post(
        &app,
        "user_local",
        "/api/ai/images/generate/",
        &json!({"prompt": "x"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(refused["provider"].is_array(), "{refused}");
    ollama.verify().await;
}
