//! Ollama adapter: one non-streaming chat through `POST {OLLAMA_BASE_URL}/api/chat`.
//!
//! Ollama runs models on the creator's own machine (or a server of theirs), so it needs
//! no key. The request body is a pure function ([`chat_body`]); the usage Ollama reports
//! (`prompt_eval_count`, `eval_count`) is passed on when present, and the server prefers
//! it to its own count. The crate knows nothing of actix, quotas or the database, and
//! deleting it (`scripts/remove-adapter ollama`) leaves the simulator.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use url::Url;

/// Where Ollama is.
#[derive(Debug, Clone)]
pub struct OllamaSettings {
    /// `OLLAMA_BASE_URL`, e.g. `http://127.0.0.1:11434`.
    pub base_url: Url,
    /// How long one request may take (`AI_PROVIDER_TIMEOUT_SECONDS`); local models can
    /// be slow to load.
    pub timeout: Duration,
}

/// One chat message on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OllamaMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The text.
    pub content: String,
}

/// Ollama's answer to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OllamaReply {
    /// The model that answered.
    pub model: String,
    /// The answer's text.
    pub content: String,
    /// Why it stopped (`stop`, `length`), when said.
    pub done_reason: Option<String>,
    /// Prompt tokens evaluated, when reported.
    pub input_tokens: Option<u64>,
    /// Tokens generated, when reported.
    pub output_tokens: Option<u64>,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OllamaError {
    /// No answer within the timeout.
    #[error("Ollama did not answer in time")]
    Timeout,
    /// The connection failed (is Ollama running?).
    #[error("Ollama could not be reached: {0}")]
    Network(String),
    /// Ollama answered with an error status (e.g. 404 for a model not pulled).
    #[error("Ollama answered HTTP {status}: {message}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// Ollama's message.
        message: String,
    },
    /// A success status with a body this adapter cannot read.
    #[error("Ollama's answer could not be read: {0}")]
    InvalidResponse(String),
}

/// `{base}/api/chat`, keeping any path prefix of the base (a reverse proxy's).
pub fn chat_url(base: &Url) -> Url {
    let mut url = base.clone();
    url.set_path(&format!("{}/api/chat", base.path().trim_end_matches('/')));
    url
}

/// The JSON body of a non-streaming chat; `num_predict` caps the answer's tokens.
pub fn chat_body(model: &str, messages: &[OllamaMessage], max_output_tokens: u64) -> Value {
    json!({
        "model": model,
        "messages": messages,
        "stream": false,
        "options": {"num_predict": max_output_tokens},
    })
}

#[derive(Deserialize)]
struct ReplyWire {
    #[serde(default)]
    model: Option<String>,
    message: Option<MessageWire>,
    #[serde(default)]
    done_reason: Option<String>,
    #[serde(default)]
    prompt_eval_count: Option<u64>,
    #[serde(default)]
    eval_count: Option<u64>,
}

#[derive(Deserialize)]
struct MessageWire {
    #[serde(default)]
    content: String,
}

/// Reads an `/api/chat` answer; `requested_model` stands in when it names none.
pub fn read_reply(body: &[u8], requested_model: &str) -> Result<OllamaReply, OllamaError> {
    let wire: ReplyWire = serde_json::from_slice(body)
        .map_err(|err| OllamaError::InvalidResponse(err.to_string()))?;
    let message = wire
        .message
        .ok_or_else(|| OllamaError::InvalidResponse("no message in the answer".into()))?;
    Ok(OllamaReply {
        model: wire
            .model
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| requested_model.to_owned()),
        content: message.content,
        done_reason: wire.done_reason,
        input_tokens: wire.prompt_eval_count,
        output_tokens: wire.eval_count,
    })
}

/// Talks to one Ollama server.
#[derive(Debug, Clone)]
pub struct OllamaClient {
    settings: OllamaSettings,
    http: reqwest::Client,
}

impl OllamaClient {
    /// A client over a shared `reqwest` client.
    pub fn new(settings: OllamaSettings, http: reqwest::Client) -> Self {
        Self { settings, http }
    }

    /// `POST /api/chat` with `stream: false`.
    pub async fn chat(
        &self,
        model: &str,
        messages: &[OllamaMessage],
        max_output_tokens: u64,
    ) -> Result<OllamaReply, OllamaError> {
        let classify = |err: reqwest::Error| {
            if err.is_timeout() {
                OllamaError::Timeout
            } else {
                OllamaError::Network(err.without_url().to_string())
            }
        };
        let response = self
            .http
            .post(chat_url(&self.settings.base_url))
            .json(&chat_body(model, messages, max_output_tokens))
            .timeout(self.settings.timeout)
            .send()
            .await
            .map_err(classify)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(classify)?;
        if !status.is_success() {
            let message = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| {
                    String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
                });
            return Err(OllamaError::Status {
                status: status.as_u16(),
                message,
            });
        }
        read_reply(&bytes, model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_keeps_a_proxy_prefix() {
        assert_eq!(
            chat_url(&Url::parse("http://127.0.0.1:11434").unwrap()).as_str(),
            "http://127.0.0.1:11434/api/chat"
        );
        assert_eq!(
            chat_url(&Url::parse("https://gpu.example/ollama/").unwrap()).as_str(),
            "https://gpu.example/ollama/api/chat"
        );
    }

    #[test]
    fn the_body_is_non_streaming_with_a_token_cap() {
        let messages = [OllamaMessage {
            role: "user".into(),
            content: "hi".into(),
        }];
        assert_eq!(
            chat_body("llama3.2", &messages, 32),
            json!({
                "model": "llama3.2",
                "messages": [{"role": "user", "content": "hi"}],
                "stream": false,
                "options": {"num_predict": 32},
            })
        );
    }

    #[test]
    fn replies_without_counts_or_message() {
        let reply = read_reply(
            br#"{"message": {"role": "assistant", "content": "ok"}, "done": true}"#,
            "m",
        )
        .unwrap();
        assert_eq!(
            (
                reply.model.as_str(),
                reply.input_tokens,
                reply.output_tokens
            ),
            ("m", None, None)
        );
        assert!(matches!(
            read_reply(br#"{"done": true}"#, "m"),
            Err(OllamaError::InvalidResponse(_))
        ));
    }
}
