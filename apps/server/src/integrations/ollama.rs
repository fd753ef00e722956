// remove-adapter-file: ollama
//! Wiring of the Ollama adapter (`paidloop-ollama`): `ollama` when `OLLAMA_MODEL` is
//! set (Ollama needs no key, so the model is what says it is meant to be used).

use std::sync::Arc;

use futures_util::future::BoxFuture;
use paidloop_ollama::{OllamaClient, OllamaMessage, OllamaSettings};

use super::Integrations;
use crate::config::Config;
use crate::services::ai::provider::{
    AiProvider, ChatCall, ChatReply, Image, ImageCall, ProviderFailure, ProviderKey,
};

/// Ollama as an [`AiProvider`] (chat only).
struct Ollama {
    client: OllamaClient,
}

impl AiProvider for Ollama {
    fn chat<'a>(&'a self, call: &'a ChatCall) -> BoxFuture<'a, Result<ChatReply, ProviderFailure>> {
        Box::pin(async move {
            // Ollama has no participant names: a named message keeps its role and text.
            let messages: Vec<OllamaMessage> = call
                .messages
                .iter()
                .map(|m| OllamaMessage {
                    role: m.role.clone(),
                    content: m.content.clone(),
                })
                .collect();
            let reply = self
                .client
                .chat(&call.model, &messages, call.max_output_tokens)
                .await
                .map_err(|err| ProviderFailure(err.to_string()))?;
            // Ollama reports both counts or neither; a lone one is completed locally.
            let reported_tokens = match (reply.input_tokens, reply.output_tokens) {
                (None, None) => None,
                (input, output) => Some((
                    input.unwrap_or(call.counted_input_tokens),
                    output.unwrap_or_else(|| {
                        paidloop_usage::TokenCounter::for_model(&call.model).text(&reply.content)
                    }),
                )),
            };
            Ok(ChatReply {
                model: reply.model,
                content: reply.content,
                finish_reason: reply.done_reason,
                reported_tokens,
            })
        })
    }

    fn images<'a>(
        &'a self,
        _call: &'a ImageCall,
    ) -> BoxFuture<'a, Result<Vec<Image>, ProviderFailure>> {
        Box::pin(async { Err(ProviderFailure("Ollama does not generate images".into())) })
    }

    fn generates_images(&self) -> bool {
        false
    }
}

/// Installs `ollama` when `OLLAMA_MODEL` is set.
pub fn install(
    integrations: &mut Integrations,
    config: &Config,
    http: &reqwest::Client,
) -> Result<(), String> {
    let ai = &config.ai;
    if ai.ollama_model.is_none() {
        return Ok(());
    }
    let settings = OllamaSettings {
        base_url: ai.ollama_base_url.clone(),
        timeout: ai.provider_timeout,
    };
    integrations.ai.install(
        ProviderKey::Ollama,
        Arc::new(Ollama {
            client: OllamaClient::new(settings, http.clone()),
        }),
    );
    Ok(())
}
