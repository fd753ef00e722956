//! OpenAI-compatible AI adapter: `POST {base}/chat/completions` and
//! `POST {base}/images/generations`.
//!
//! OpenRouter speaks OpenAI's wire format, so one client serves both: the server builds
//! one [`OpenAiCompatibleClient`] per configured provider, each with its own base URL
//! and key (`OPENROUTER_*`, `OPENAI_*`). Request bodies are pure functions
//! ([`chat_body`], [`image_body`], [`endpoint`]) tested without a network. The usage the
//! provider reports is passed on as it came ([`ReportedUsage`]); the server prefers it
//! to its own count. The crate knows nothing of actix, quotas or the database, and
//! deleting it (`scripts/remove-adapter openrouter`) leaves the simulator.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use url::Url;

/// Which field carries the output-token budget: OpenAI's current API wants
/// `max_completion_tokens` (its reasoning models refuse `max_tokens`); OpenRouter and
/// older OpenAI-compatible servers read `max_tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxTokensField {
    /// `max_tokens` (OpenRouter).
    MaxTokens,
    /// `max_completion_tokens` (OpenAI).
    MaxCompletionTokens,
}

impl MaxTokensField {
    fn as_str(self) -> &'static str {
        match self {
            MaxTokensField::MaxTokens => "max_tokens",
            MaxTokensField::MaxCompletionTokens => "max_completion_tokens",
        }
    }
}

/// Where the provider is and how to talk to it; all from configuration, so tests point
/// it at a local fake.
#[derive(Debug, Clone)]
pub struct OpenAiSettings {
    /// The API root, e.g. `https://openrouter.ai/api/v1` or `https://api.openai.com/v1`.
    pub base_url: Url,
    /// The bearer key.
    pub api_key: String,
    /// How long one request may take (`AI_PROVIDER_TIMEOUT_SECONDS`).
    pub timeout: Duration,
    /// Which output-budget field the provider reads.
    pub max_tokens_field: MaxTokensField,
}

/// One chat message on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The text.
    pub content: String,
    /// The participant's name, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A chat completion request.
#[derive(Debug, Clone)]
pub struct ChatRequest<'a> {
    /// The model, e.g. `openai/gpt-4.1-mini`.
    pub model: &'a str,
    /// The conversation.
    pub messages: &'a [ChatMessage],
    /// The most tokens the answer may have.
    pub max_output_tokens: u64,
}

/// The usage numbers a provider reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportedUsage {
    /// Tokens read.
    pub input_tokens: u64,
    /// Tokens generated.
    pub output_tokens: u64,
}

/// A provider's answer to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatCompletion {
    /// The model that answered (as the provider names it).
    pub model: String,
    /// The answer's text.
    pub content: String,
    /// Why generation stopped (`stop`, `length`, …), when said.
    pub finish_reason: Option<String>,
    /// The usage it reported, when it did.
    pub usage: Option<ReportedUsage>,
}

/// An image generation request.
#[derive(Debug, Clone)]
pub struct ImageRequest<'a> {
    /// The image model.
    pub model: &'a str,
    /// What to draw.
    pub prompt: &'a str,
    /// How many images.
    pub count: u32,
    /// `WIDTHxHEIGHT`, e.g. `1024x1024`.
    pub size: &'a str,
}

/// One generated image: a link, or the image itself in base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedImage {
    /// Where to fetch it (providers keep these for a limited time).
    pub url: Option<String>,
    /// The PNG, base64-encoded.
    pub b64_json: Option<String>,
    /// The prompt the provider actually used, when it rewrote it.
    pub revised_prompt: Option<String>,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// No answer within the timeout.
    #[error("the provider did not answer in time")]
    Timeout,
    /// The connection failed.
    #[error("the provider could not be reached: {0}")]
    Network(String),
    /// The provider answered with an error status.
    #[error("the provider answered HTTP {status}: {message}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The provider's message, when it gave one.
        message: String,
    },
    /// A success status with a body this adapter cannot read.
    #[error("the provider's answer could not be read: {0}")]
    InvalidResponse(String),
}

/// `base` + `path`, keeping any path prefix of the base (`…/api/v1` + `chat/completions`).
pub fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url
}

/// The JSON body of a chat completion (non-streaming).
pub fn chat_body(request: &ChatRequest<'_>, field: MaxTokensField) -> Value {
    let mut body = json!({
        "model": request.model,
        "messages": request.messages,
        "stream": false,
    });
    body[field.as_str()] = json!(request.max_output_tokens);
    body
}

/// The JSON body of an image generation.
pub fn image_body(request: &ImageRequest<'_>) -> Value {
    json!({
        "model": request.model,
        "prompt": request.prompt,
        "n": request.count,
        "size": request.size,
    })
}

#[derive(Deserialize)]
struct CompletionWire {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    choices: Vec<ChoiceWire>,
    #[serde(default)]
    usage: Option<UsageWire>,
}

#[derive(Deserialize)]
struct ChoiceWire {
    message: Option<MessageWire>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct MessageWire {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize)]
struct UsageWire {
    #[serde(default)]
    prompt_tokens: Option<u64>,
    #[serde(default)]
    completion_tokens: Option<u64>,
}

#[derive(Deserialize)]
struct ImagesWire {
    #[serde(default)]
    data: Vec<ImageWire>,
}

#[derive(Deserialize)]
struct ImageWire {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    b64_json: Option<String>,
    #[serde(default)]
    revised_prompt: Option<String>,
}

/// Reads a chat completion answer; `requested_model` stands in when the answer does
/// not name its model.
pub fn read_completion(
    body: &[u8],
    requested_model: &str,
) -> Result<ChatCompletion, ProviderError> {
    let wire: CompletionWire = serde_json::from_slice(body)
        .map_err(|err| ProviderError::InvalidResponse(err.to_string()))?;
    let choice = wire
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| ProviderError::InvalidResponse("no choices in the answer".into()))?;
    let content = choice.message.and_then(|m| m.content).unwrap_or_default();
    let usage = wire
        .usage
        .and_then(|u| match (u.prompt_tokens, u.completion_tokens) {
            (Some(input_tokens), Some(output_tokens)) => Some(ReportedUsage {
                input_tokens,
                output_tokens,
            }),
            _ => None,
        });
    Ok(ChatCompletion {
        model: wire
            .model
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| requested_model.to_owned()),
        content,
        finish_reason: choice.finish_reason,
        usage,
    })
}

/// Reads an image generation answer.
pub fn read_images(body: &[u8]) -> Result<Vec<GeneratedImage>, ProviderError> {
    let wire: ImagesWire = serde_json::from_slice(body)
        .map_err(|err| ProviderError::InvalidResponse(err.to_string()))?;
    let images: Vec<GeneratedImage> = wire
        .data
        .into_iter()
        .filter(|image| image.url.is_some() || image.b64_json.is_some())
        .map(|image| GeneratedImage {
            url: image.url,
            b64_json: image.b64_json,
            revised_prompt: image.revised_prompt,
        })
        .collect();
    if images.is_empty() {
        return Err(ProviderError::InvalidResponse(
            "no images in the answer".into(),
        ));
    }
    Ok(images)
}

/// The provider's error message from an error body (`{"error": {"message": …}}`, or
/// `{"error": "…"}`), else the body's start.
fn error_message(body: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let from_json = parsed.as_ref().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("error"))
            .or_else(|| v.get("message"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    from_json.unwrap_or_else(|| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned())
}

/// Talks to one OpenAI-compatible provider.
#[derive(Debug, Clone)]
pub struct OpenAiCompatibleClient {
    settings: OpenAiSettings,
    http: reqwest::Client,
}

impl OpenAiCompatibleClient {
    /// A client over a shared `reqwest` client.
    pub fn new(settings: OpenAiSettings, http: reqwest::Client) -> Self {
        Self { settings, http }
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Vec<u8>, ProviderError> {
        let response = self
            .http
            .post(endpoint(&self.settings.base_url, path))
            .bearer_auth(&self.settings.api_key)
            .header("accept", "application/json")
            .json(body)
            .timeout(self.settings.timeout)
            .send()
            .await
            .map_err(|err| {
                if err.is_timeout() {
                    ProviderError::Timeout
                } else {
                    ProviderError::Network(err.without_url().to_string())
                }
            })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|err| {
            if err.is_timeout() {
                ProviderError::Timeout
            } else {
                ProviderError::Network(err.without_url().to_string())
            }
        })?;
        if !status.is_success() {
            return Err(ProviderError::Status {
                status: status.as_u16(),
                message: error_message(&bytes),
            });
        }
        Ok(bytes.to_vec())
    }

    /// `POST /chat/completions`.
    pub async fn chat(&self, request: &ChatRequest<'_>) -> Result<ChatCompletion, ProviderError> {
        let body = chat_body(request, self.settings.max_tokens_field);
        let answer = self.post("chat/completions", &body).await?;
        read_completion(&answer, request.model)
    }

    /// `POST /images/generations`.
    pub async fn images(
        &self,
        request: &ImageRequest<'_>,
    ) -> Result<Vec<GeneratedImage>, ProviderError> {
        let answer = self
            .post("images/generations", &image_body(request))
            .await?;
        read_images(&answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_the_base_path() {
        let base = Url::parse("https://openrouter.ai/api/v1").unwrap();
        assert_eq!(
            endpoint(&base, "chat/completions").as_str(),
            "https://openrouter.ai/api/v1/chat/completions"
        );
        let slash = Url::parse("http://127.0.0.1:9/v1/").unwrap();
        assert_eq!(
            endpoint(&slash, "/images/generations").as_str(),
            "http://127.0.0.1:9/v1/images/generations"
        );
        let bare = Url::parse("http://127.0.0.1:9").unwrap();
        assert_eq!(
            endpoint(&bare, "chat/completions").as_str(),
            "http://127.0.0.1:9/chat/completions"
        );
    }

    #[test]
    fn the_chat_body_names_the_budget_field_the_provider_reads() {
        let messages = [ChatMessage {
            role: "user".into(),
            content: "hi".into(),
            name: None,
        }];
        let request = ChatRequest {
            model: "openai/gpt-4.1-mini",
            messages: &messages,
            max_output_tokens: 64,
        };
        assert_eq!(
            chat_body(&request, MaxTokensField::MaxTokens),
            json!({
                "model": "openai/gpt-4.1-mini",
                "messages": [{"role": "user", "content": "hi"}],
                "stream": false,
                "max_tokens": 64,
            })
        );
        let openai = chat_body(&request, MaxTokensField::MaxCompletionTokens);
        assert_eq!(openai["max_completion_tokens"], 64);
        assert!(openai.get("max_tokens").is_none());
    }

    #[test]
    fn answers_without_usage_or_choices() {
        let no_usage = br#"{"choices": [{"message": {"content": "ok"}}]}"#;
        let completion = read_completion(no_usage, "m").unwrap();
        assert_eq!((completion.model.as_str(), completion.usage), ("m", None));
        assert!(matches!(
            read_completion(br#"{"choices": []}"#, "m"),
            Err(ProviderError::InvalidResponse(_))
        ));
        assert!(matches!(
            read_completion(b"<html>", "m"),
            Err(ProviderError::InvalidResponse(_))
        ));
    }

    #[test]
    fn error_messages_come_from_the_body() {
        assert_eq!(
            error_message(br#"{"error": {"message": "bad key", "code": 401}}"#),
            "bad key"
        );
        assert_eq!(error_message(br#"{"error": "quota"}"#), "quota");
        assert_eq!(error_message(b"upstream down"), "upstream down");
    }
}
