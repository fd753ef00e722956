//! The AI providers as the server sees them: one small trait ([`AiProvider`]) that the
//! simulator and each adapter's wiring implement, the registry of the remote ones this
//! build has configured ([`RemoteProviders`]), and the choice of provider and model for
//! a request ([`choose`]).

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::config::AiConfig;
use crate::error::ApiError;

/// The providers of `spec/API.md`, in the order the provider list shows them and in
/// which the first configured remote one becomes the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKey {
    /// The deterministic local simulator.
    Simulator,
    /// OpenAI's API.
    Openai,
    /// OpenRouter.
    Openrouter,
    /// An Ollama server.
    Ollama,
}

impl ProviderKey {
    /// Every provider, simulator first.
    pub const ALL: [ProviderKey; 4] = [
        ProviderKey::Simulator,
        ProviderKey::Openai,
        ProviderKey::Openrouter,
        ProviderKey::Ollama,
    ];

    /// The wire name (`provider` of requests, `key` of the list, the ledger's provider).
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKey::Simulator => "simulator",
            ProviderKey::Openai => "openai",
            ProviderKey::Openrouter => "openrouter",
            ProviderKey::Ollama => "ollama",
        }
    }

    /// Reads a wire name (exact, lower case).
    pub fn parse(raw: &str) -> Option<ProviderKey> {
        Self::ALL.into_iter().find(|key| key.as_str() == raw)
    }

    /// Whether calling it leaves this process (and so needs `AI_PROVIDER_CALLS_ENABLED`).
    pub fn is_remote(self) -> bool {
        self != ProviderKey::Simulator
    }
}

/// One chat message, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// 1..=20,000 characters.
    pub content: String,
    /// Optional participant name.
    pub name: Option<String>,
}

/// What a provider is asked for a chat.
#[derive(Debug, Clone)]
pub struct ChatCall {
    /// The model.
    pub model: String,
    /// The conversation.
    pub messages: Vec<ChatMessage>,
    /// The most tokens the answer may have.
    pub max_output_tokens: u64,
    /// The input tokens as counted here, for providers that report none.
    pub counted_input_tokens: u64,
}

/// A provider's answer to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatReply {
    /// The model that answered.
    pub model: String,
    /// The answer's text.
    pub content: String,
    /// Why generation stopped, when said.
    pub finish_reason: Option<String>,
    /// `(input, output)` tokens as the provider reported them, when it did.
    pub reported_tokens: Option<(u64, u64)>,
}

/// What a provider is asked for images.
#[derive(Debug, Clone)]
pub struct ImageCall {
    /// The image model.
    pub model: String,
    /// What to draw.
    pub prompt: String,
    /// How many (1..=10).
    pub count: u32,
    /// `WIDTHxHEIGHT`.
    pub size: String,
}

/// One generated image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// A link to it (a `data:` URL from the simulator).
    pub url: Option<String>,
    /// The image in base64, when the provider sent it inline.
    pub b64_json: Option<String>,
    /// The prompt the provider really used, when it rewrote it.
    pub revised_prompt: Option<String>,
}

/// A provider call that failed; the text goes to the log, never to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ProviderFailure(pub String);

/// A chat and image backend. The simulator implements it in the server; each remote
/// adapter's wiring (`integrations/`) implements it over its client.
pub trait AiProvider: Send + Sync {
    /// One chat completion.
    fn chat<'a>(&'a self, call: &'a ChatCall) -> BoxFuture<'a, Result<ChatReply, ProviderFailure>>;

    /// Image generation; only called when [`AiProvider::generates_images`] says so.
    fn images<'a>(
        &'a self,
        call: &'a ImageCall,
    ) -> BoxFuture<'a, Result<Vec<Image>, ProviderFailure>>;

    /// Whether it can generate images (Ollama cannot).
    fn generates_images(&self) -> bool;
}

/// The remote providers this build has configured, installed by the adapters' wiring.
#[derive(Clone, Default)]
pub struct RemoteProviders {
    installed: Vec<(ProviderKey, Arc<dyn AiProvider>)>,
}

impl RemoteProviders {
    /// Adds (or replaces) the client of `key`.
    pub fn install(&mut self, key: ProviderKey, provider: Arc<dyn AiProvider>) {
        self.installed.retain(|(k, _)| *k != key);
        self.installed.push((key, provider));
    }

    /// The client of `key`, when configured.
    pub fn get(&self, key: ProviderKey) -> Option<&Arc<dyn AiProvider>> {
        self.installed
            .iter()
            .find_map(|(k, provider)| (*k == key).then_some(provider))
    }

    /// Whether `key` is configured.
    pub fn has(&self, key: ProviderKey) -> bool {
        self.get(key).is_some()
    }
}

/// Whether `key` can serve a request now: the simulator when enabled; a remote provider
/// when configured and remote calls are allowed.
pub fn usable(key: ProviderKey, config: &AiConfig, remote: &RemoteProviders) -> bool {
    match key {
        ProviderKey::Simulator => config.simulator_enabled,
        _ => config.provider_calls_enabled && remote.has(key),
    }
}

/// The provider for a request: the one asked for, else the simulator when enabled, else
/// the first configured remote one. Every refusal is a 400 on `provider`.
pub fn choose(
    requested: Option<&str>,
    config: &AiConfig,
    remote: &RemoteProviders,
) -> Result<ProviderKey, ApiError> {
    let key = match requested.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => ProviderKey::parse(raw).ok_or_else(|| {
            let names: Vec<&str> = ProviderKey::ALL.iter().map(|k| k.as_str()).collect();
            ApiError::field(
                "provider",
                format!(
                    "\"{raw}\" is not a valid choice; use one of {}.",
                    names.join(", ")
                ),
            )
        })?,
        None if config.simulator_enabled => ProviderKey::Simulator,
        None => ProviderKey::ALL
            .into_iter()
            .find(|key| key.is_remote() && remote.has(*key))
            .ok_or_else(|| {
                ApiError::field(
                    "provider",
                    "No AI provider is available: set AI_SIMULATOR_ENABLED=true, or configure \
                     OPENAI_API_KEY, OPENROUTER_API_KEY or OLLAMA_MODEL.",
                )
            })?,
    };
    if key == ProviderKey::Simulator {
        if !config.simulator_enabled {
            return Err(ApiError::field(
                "provider",
                "The simulator is disabled (AI_SIMULATOR_ENABLED=false).",
            ));
        }
        return Ok(key);
    }
    if !config.provider_calls_enabled {
        return Err(ApiError::field(
            "provider",
            format!(
                "Calls to remote AI providers are disabled; set AI_PROVIDER_CALLS_ENABLED=true \
                 to use {}.",
                key.as_str()
            ),
        ));
    }
    if !remote.has(key) {
        return Err(ApiError::field(
            "provider",
            format!(
                "{} is not configured on this server (set {}).",
                key.as_str(),
                required_setting(key)
            ),
        ));
    }
    Ok(key)
}

/// The setting that makes a remote provider configured.
pub fn required_setting(key: ProviderKey) -> &'static str {
    match key {
        ProviderKey::Simulator => "AI_SIMULATOR_ENABLED",
        ProviderKey::Openai => "OPENAI_API_KEY",
        ProviderKey::Openrouter => "OPENROUTER_API_KEY",
        ProviderKey::Ollama => "OLLAMA_MODEL",
    }
}

/// The chat model a provider uses when the request names none.
pub fn default_chat_model(key: ProviderKey, config: &AiConfig) -> String {
    let configured = match key {
        ProviderKey::Simulator => None,
        ProviderKey::Openai => config.openai_default_model.as_ref(),
        ProviderKey::Openrouter => config.openrouter_default_model.as_ref(),
        ProviderKey::Ollama => config.ollama_model.as_ref(),
    };
    configured
        .cloned()
        .unwrap_or_else(|| config.default_chat_model.clone())
}

/// The image model a provider uses when the request names none.
pub fn default_image_model(key: ProviderKey, config: &AiConfig) -> String {
    let configured = match key {
        ProviderKey::Simulator => Some("simulator-image"),
        ProviderKey::Openai => config.openai_image_model.as_deref(),
        ProviderKey::Openrouter => config.openrouter_image_model.as_deref(),
        ProviderKey::Ollama => config.ollama_image_model.as_deref(),
    };
    configured.unwrap_or("gpt-image-1").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    struct Nothing;

    impl AiProvider for Nothing {
        fn chat<'a>(
            &'a self,
            _: &'a ChatCall,
        ) -> BoxFuture<'a, Result<ChatReply, ProviderFailure>> {
            Box::pin(async { Err(ProviderFailure("unused".into())) })
        }
        fn images<'a>(
            &'a self,
            _: &'a ImageCall,
        ) -> BoxFuture<'a, Result<Vec<Image>, ProviderFailure>> {
            Box::pin(async { Err(ProviderFailure("unused".into())) })
        }
        fn generates_images(&self) -> bool {
            false
        }
    }

    fn config(pairs: &[(&str, &str)]) -> AiConfig {
        let map: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
        Config::from_lookup(&|name| map.get(name).map(|v| (*v).to_owned()))
            .expect("config")
            .ai
    }

    fn field_message(err: ApiError) -> String {
        match err {
            ApiError::Validation(fields) => fields["provider"][0].clone(),
            other => panic!("expected a 400 on provider, got {other:?}"),
        }
    }

    #[test]
    fn the_default_is_the_simulator_then_the_first_configured_remote() {
        let mut remote = RemoteProviders::default();
        let on = config(&[("AI_SIMULATOR_ENABLED", "true")]);
        assert_eq!(choose(None, &on, &remote).unwrap(), ProviderKey::Simulator);
        let off = config(&[
            ("AI_SIMULATOR_ENABLED", "false"),
            ("AI_PROVIDER_CALLS_ENABLED", "true"),
        ]);
        assert!(field_message(choose(None, &off, &remote).unwrap_err()).contains("No AI provider"));
        remote.install(ProviderKey::Ollama, Arc::new(Nothing));
        remote.install(ProviderKey::Openrouter, Arc::new(Nothing));
        assert_eq!(
            choose(None, &off, &remote).unwrap(),
            ProviderKey::Openrouter
        );
    }

    #[test]
    fn remote_providers_need_calls_enabled_and_configuration() {
        let mut remote = RemoteProviders::default();
        remote.install(ProviderKey::Openai, Arc::new(Nothing));
        let calls_off = config(&[]);
        assert!(
            field_message(choose(Some("openai"), &calls_off, &remote).unwrap_err())
                .contains("AI_PROVIDER_CALLS_ENABLED")
        );
        let calls_on = config(&[("AI_PROVIDER_CALLS_ENABLED", "true")]);
        assert_eq!(
            choose(Some("openai"), &calls_on, &remote).unwrap(),
            ProviderKey::Openai
        );
        assert!(
            field_message(choose(Some("ollama"), &calls_on, &remote).unwrap_err())
                .contains("OLLAMA_MODEL")
        );
        assert!(
            field_message(choose(Some("gemini"), &calls_on, &remote).unwrap_err())
                .contains("not a valid choice")
        );
        assert!(
            field_message(choose(Some("simulator"), &calls_on, &remote).unwrap_err())
                .contains("disabled")
        );
    }

    #[test]
    fn models_default_per_provider() {
        let ai = config(&[
            ("OPENROUTER_DEFAULT_MODEL", "openai/gpt-4o-mini"),
            ("OPENAI_IMAGE_MODEL", "dall-e-3"),
        ]);
        assert_eq!(
            default_chat_model(ProviderKey::Simulator, &ai),
            "gpt-4.1-mini"
        );
        assert_eq!(
            default_chat_model(ProviderKey::Openrouter, &ai),
            "openai/gpt-4o-mini"
        );
        assert_eq!(default_image_model(ProviderKey::Openai, &ai), "dall-e-3");
        assert_eq!(
            default_image_model(ProviderKey::Openrouter, &ai),
            "gpt-image-1"
        );
    }
}
