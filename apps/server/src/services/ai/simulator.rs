//! The simulator: a provider that never leaves the process, so the whole AI flow
//! (quota, ledger, answers) runs on a laptop and in tests with no key and no cost.
//!
//! It is deterministic: the same model and messages (or prompt, count and size) give the
//! same answer, byte for byte. A chat's answer is cut at `max_output_tokens` with the
//! real tokenizer, and its usage is reported like a provider's (input as counted, output
//! as generated).

use base64::Engine;
use futures_util::future::BoxFuture;
use paidloop_usage::TokenCounter;
use sha2::{Digest, Sha256};

use super::provider::{
    AiProvider, ChatCall, ChatMessage, ChatReply, Image, ImageCall, ProviderFailure,
};

/// The words simulated answers are made of.
const WORDS: [&str; 32] = [
    "paidloop", "meters", "every", "token", "on", "the", "server", "so", "quotas", "hold", "under",
    "load", "and", "each", "request", "settles", "to", "what", "was", "really", "used", "while",
    "buyers", "see", "clear", "numbers", "for", "their", "billing", "cycle", "with", "care",
];

/// The deterministic local provider.
#[derive(Debug, Default, Clone, Copy)]
pub struct Simulator;

/// A digest of everything that makes a chat distinct.
fn chat_digest(model: &str, messages: &[ChatMessage]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(model.as_bytes());
    for message in messages {
        // Lengths first, so ("ab", "c") and ("a", "bc") differ.
        for part in [
            message.role.as_str(),
            message.content.as_str(),
            message.name.as_deref().unwrap_or(""),
        ] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    hasher.finalize().into()
}

/// The simulated answer to a chat, before the cut at `max_output_tokens`.
pub fn answer_text(model: &str, messages: &[ChatMessage]) -> String {
    let digest = chat_digest(model, messages);
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m.role == "user")
        .or(messages.last())
        .map(|m| m.content.as_str())
        .unwrap_or_default();
    let topic: Vec<&str> = last_user.split_whitespace().take(8).collect();
    let mut text = format!(
        "Simulated reply from {model} about \"{}\":",
        topic.join(" ")
    );
    // 24 to 87 words, picked from the digest.
    let words = 24 + usize::from(digest[0] % 64);
    for i in 0..words {
        let byte = digest[(i + 1) % digest.len()] as usize;
        text.push(' ');
        text.push_str(WORDS[(byte + i * 7) % WORDS.len()]);
    }
    text.push('.');
    text
}

/// One simulated image: a small SVG whose colours come from the request, as a `data:`
/// URL (nothing to host, nothing to expire).
fn image(call: &ImageCall, index: u32) -> Image {
    let mut hasher = Sha256::new();
    for part in [
        call.model.as_str(),
        call.prompt.as_str(),
        call.size.as_str(),
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.update(index.to_le_bytes());
    let digest: [u8; 32] = hasher.finalize().into();
    let colour = |i: usize| {
        format!(
            "#{:02x}{:02x}{:02x}",
            digest[i],
            digest[i + 1],
            digest[i + 2]
        )
    };
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\">\
         <rect width=\"256\" height=\"256\" fill=\"{}\"/>\
         <circle cx=\"128\" cy=\"128\" r=\"{}\" fill=\"{}\"/></svg>",
        colour(0),
        48 + digest[3] % 64,
        colour(4),
    );
    Image {
        url: Some(format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        )),
        b64_json: None,
        revised_prompt: None,
    }
}

impl AiProvider for Simulator {
    fn chat<'a>(&'a self, call: &'a ChatCall) -> BoxFuture<'a, Result<ChatReply, ProviderFailure>> {
        Box::pin(async move {
            let counter = TokenCounter::for_model(&call.model);
            let full = answer_text(&call.model, &call.messages);
            let (content, output_tokens) = counter.truncate(&full, call.max_output_tokens);
            let finish_reason = if content.len() < full.len() {
                "length"
            } else {
                "stop"
            };
            Ok(ChatReply {
                model: call.model.clone(),
                content,
                finish_reason: Some(finish_reason.to_owned()),
                reported_tokens: Some((call.counted_input_tokens, output_tokens)),
            })
        })
    }

    fn images<'a>(
        &'a self,
        call: &'a ImageCall,
    ) -> BoxFuture<'a, Result<Vec<Image>, ProviderFailure>> {
        Box::pin(async move { Ok((0..call.count).map(|i| image(call, i)).collect()) })
    }

    fn generates_images(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(content: &str, max_output_tokens: u64) -> ChatCall {
        ChatCall {
            model: "gpt-4.1-mini".into(),
            messages: vec![ChatMessage {
                role: "user".into(),
                content: content.into(),
                name: None,
            }],
            max_output_tokens,
            counted_input_tokens: 11,
        }
    }

    async fn chat(call: &ChatCall) -> ChatReply {
        Simulator
            .chat(call)
            .await
            .expect("the simulator never fails")
    }

    #[tokio::test]
    async fn the_same_chat_gets_the_same_answer() {
        let first = chat(&call("Write a tagline for a bakery", 320)).await;
        let again = chat(&call("Write a tagline for a bakery", 320)).await;
        assert_eq!(first, again);
        let other = chat(&call("Write a tagline for a bike shop", 320)).await;
        assert_ne!(first.content, other.content);
        let mut other_model = call("Write a tagline for a bakery", 320);
        other_model.model = "gpt-4o".into();
        assert_ne!(first.content, chat(&other_model).await.content);
    }

    #[tokio::test]
    async fn the_answer_is_cut_at_max_output_tokens() {
        let long = chat(&call("Explain quotas", 4096)).await;
        let (_, output) = long.reported_tokens.unwrap();
        assert!(output > 5, "{output}");
        assert_eq!(long.finish_reason.as_deref(), Some("stop"));
        let short = chat(&call("Explain quotas", 5)).await;
        assert_eq!(short.reported_tokens, Some((11, 5)));
        assert_eq!(short.finish_reason.as_deref(), Some("length"));
        assert!(long.content.starts_with(&short.content));
        assert_eq!(
            TokenCounter::for_model("gpt-4.1-mini").text(&short.content),
            5
        );
    }

    #[tokio::test]
    async fn images_are_deterministic_and_distinct() {
        let call = ImageCall {
            model: "simulator-image".into(),
            prompt: "a red kite".into(),
            count: 3,
            size: "1024x1024".into(),
        };
        let images = Simulator.images(&call).await.unwrap();
        assert_eq!(images.len(), 3);
        assert_eq!(images, Simulator.images(&call).await.unwrap());
        assert_ne!(images[0], images[1]);
        assert!(
            images[0]
                .url
                .as_deref()
                .unwrap()
                .starts_with("data:image/svg+xml;base64,")
        );
    }
}
