// remove-adapter-file: openrouter
//! Wiring of the OpenAI-compatible adapter (`paidloop-openrouter`): `openai` with
//! `OPENAI_API_KEY`, `openrouter` with `OPENROUTER_API_KEY`, each at its own base URL.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use paidloop_openrouter::{
    ChatMessage as WireMessage, ChatRequest, ImageRequest, MaxTokensField, OpenAiCompatibleClient,
    OpenAiSettings,
};

use super::Integrations;
use crate::config::Config;
use crate::services::ai::provider::{
    AiProvider, ChatCall, ChatReply, Image, ImageCall, ProviderFailure, ProviderKey,
};

/// One OpenAI-compatible provider as an [`AiProvider`].
struct OpenAiCompatible {
    client: OpenAiCompatibleClient,
}

impl AiProvider for OpenAiCompatible {
    fn chat<'a>(&'a self, call: &'a ChatCall) -> BoxFuture<'a, Result<ChatReply, ProviderFailure>> {
        Box::pin(async move {
            let messages: Vec<WireMessage> = call
                .messages
                .iter()
                .map(|m| WireMessage {
                    role: m.role.clone(),
                    content: m.content.clone(),
                    name: m.name.clone(),
                })
                .collect();
            let completion = self
                .client
                .chat(&ChatRequest {
                    model: &call.model,
                    messages: &messages,
                    max_output_tokens: call.max_output_tokens,
                })
                .await
                .map_err(|err| ProviderFailure(err.to_string()))?;
            Ok(ChatReply {
                model: completion.model,
                content: completion.content,
                finish_reason: completion.finish_reason,
                reported_tokens: completion.usage.map(|u| (u.input_tokens, u.output_tokens)),
            })
        })
    }

    fn images<'a>(
        &'a self,
        call: &'a ImageCall,
    ) -> BoxFuture<'a, Result<Vec<Image>, ProviderFailure>> {
        Box::pin(async move {
            let images = self
                .client
                .images(&ImageRequest {
                    model: &call.model,
                    prompt: &call.prompt,
                    count: call.count,
                    size: &call.size,
                })
                .await
                .map_err(|err| ProviderFailure(err.to_string()))?;
            Ok(images
                .into_iter()
                .map(|image| Image {
                    url: image.url,
                    b64_json: image.b64_json,
                    revised_prompt: image.revised_prompt,
                })
                .collect())
        })
    }

    fn generates_images(&self) -> bool {
        true
    }
}

/// Installs `openai` and `openrouter` for each key that is set.
pub fn install(
    integrations: &mut Integrations,
    config: &Config,
    http: &reqwest::Client,
) -> Result<(), String> {
    let ai = &config.ai;
    let providers = [
        (
            ProviderKey::Openai,
            ai.openai_api_key.as_ref(),
            &ai.openai_base_url,
            MaxTokensField::MaxCompletionTokens,
        ),
        (
            ProviderKey::Openrouter,
            ai.openrouter_api_key.as_ref(),
            &ai.openrouter_base_url,
            MaxTokensField::MaxTokens,
        ),
    ];
    for (key, api_key, base_url, max_tokens_field) in providers {
        let Some(api_key) = api_key else { continue };
        let settings = OpenAiSettings {
            base_url: base_url.clone(),
            api_key: api_key.clone(),
            timeout: ai.provider_timeout,
            max_tokens_field,
        };
        integrations.ai.install(
            key,
            Arc::new(OpenAiCompatible {
                client: OpenAiCompatibleClient::new(settings, http.clone()),
            }),
        );
    }
    Ok(())
}
