//! The bodies of the AI endpoints, and their rules: a body that passed
//! [`EstimateInput::parse`], [`ChatInput::parse`] or [`ImageInput::parse`] is a value
//! the rest of the code can trust. Every problem is a 400 naming its field.

use serde::Deserialize;
use utoipa::ToSchema;

use super::provider::ChatMessage;
use crate::error::ApiError;
use crate::services::validate::Errors;

/// Longest message content, in characters.
pub const CONTENT_MAX: usize = 20_000;
/// Longest model name (the ledger's `model_name` column).
pub const MODEL_MAX: usize = 128;
/// Longest participant name.
pub const NAME_MAX: usize = 64;
/// Most messages in one chat.
pub const MESSAGES_MAX: usize = 100;
/// Longest `text` an estimate counts, in characters.
pub const TEXT_MAX: usize = 200_000;
/// Longest image prompt, in characters.
pub const PROMPT_MAX: usize = 5_000;
/// Largest `max_output_tokens`.
pub const MAX_OUTPUT_TOKENS_MAX: u64 = 4096;
/// `max_output_tokens` when the request leaves it out.
pub const MAX_OUTPUT_TOKENS_DEFAULT: u64 = 320;
/// Most images one request may generate.
pub const IMAGE_COUNT_MAX: u32 = 10;
/// Chat roles.
pub const ROLES: [&str; 3] = ["system", "user", "assistant"];

/// One chat message as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessageInput {
    /// `system`, `user` or `assistant`.
    #[schema(pattern = "^(system|user|assistant)$")]
    pub role: String,
    /// The text, 1 to 20,000 characters.
    #[schema(min_length = 1, max_length = 20000)]
    pub content: String,
    /// An optional participant name (at most 64 characters).
    #[schema(max_length = 64)]
    pub name: Option<String>,
}

/// `POST ai/tokens/estimate/`: send `text`, `messages`, or both.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EstimateInput {
    /// The model whose encoding counts (default `AI_DEFAULT_CHAT_MODEL`); a provider
    /// prefix such as `openai/` is ignored.
    #[schema(max_length = 128)]
    pub model: Option<String>,
    /// Plain text to count (at most 200,000 characters).
    #[schema(max_length = 200000)]
    pub text: Option<String>,
    /// A chat to count as the provider would bill its input.
    #[schema(max_items = 100)]
    pub messages: Option<Vec<MessageInput>>,
}

/// `POST ai/chat/complete/`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChatInput {
    /// `simulator`, `openai`, `openrouter` or `ollama`; default: the simulator when
    /// enabled, else the first configured remote provider.
    pub provider: Option<String>,
    /// The model (default: the provider's configured model, else `AI_DEFAULT_CHAT_MODEL`).
    #[schema(max_length = 128)]
    pub model: Option<String>,
    /// The conversation, 1 to 100 messages.
    #[schema(min_items = 1, max_items = 100)]
    pub messages: Vec<MessageInput>,
    /// The most tokens the answer may have, 1 to 4096 (default 320); reserved from the
    /// quota up front.
    #[schema(minimum = 1, maximum = 4096)]
    pub max_output_tokens: Option<i64>,
}

/// `POST ai/images/generate/`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ImageInput {
    /// As for chats.
    pub provider: Option<String>,
    /// The image model (default: the provider's configured one).
    #[schema(max_length = 128)]
    pub model: Option<String>,
    /// What to draw, 1 to 5,000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub prompt: String,
    /// How many images, 1 to 10 (default 1); each is one unit of the images quota.
    #[schema(minimum = 1, maximum = 10)]
    pub count: Option<i64>,
    /// `WIDTHxHEIGHT` (default `AI_DEFAULT_IMAGE_SIZE`).
    #[schema(pattern = "^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$")]
    pub size: Option<String>,
}

/// A validated estimate request.
#[derive(Debug)]
pub struct Estimate {
    /// The model, or `None` for the default.
    pub model: Option<String>,
    /// The text, when sent.
    pub text: Option<String>,
    /// The messages, when sent.
    pub messages: Option<Vec<ChatMessage>>,
}

/// A validated chat request.
#[derive(Debug)]
pub struct Chat {
    /// The provider asked for.
    pub provider: Option<String>,
    /// The model asked for.
    pub model: Option<String>,
    /// The conversation (at least one message).
    pub messages: Vec<ChatMessage>,
    /// 1..=4096.
    pub max_output_tokens: u64,
}

/// A validated image request.
#[derive(Debug)]
pub struct Images {
    /// The provider asked for.
    pub provider: Option<String>,
    /// The model asked for.
    pub model: Option<String>,
    /// 1..=5000 characters.
    pub prompt: String,
    /// 1..=10.
    pub count: u32,
    /// `WIDTHxHEIGHT`, or `None` for the default.
    pub size: Option<String>,
}

/// A model name: trimmed, blank → `None`, at most [`MODEL_MAX`] characters.
fn model(errors: &mut Errors, given: Option<&str>) -> Option<String> {
    let model = errors.text("model", given?, MODEL_MAX);
    (!model.is_empty()).then_some(model)
}

/// Messages as sent → validated messages; errors name `messages[i].field`.
fn messages(errors: &mut Errors, given: &[MessageInput]) -> Vec<ChatMessage> {
    if given.len() > MESSAGES_MAX {
        errors.add(
            "messages",
            format!("Ensure this list has at most {MESSAGES_MAX} messages."),
        );
    }
    given
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if !ROLES.contains(&m.role.as_str()) {
                errors.add(
                    &format!("messages[{i}].role"),
                    format!("\"{}\" is not a valid choice; use system, user or assistant.", m.role),
                );
            }
            let length = m.content.chars().count();
            if m.content.trim().is_empty() {
                errors.add(&format!("messages[{i}].content"), "This field may not be blank.");
            } else if length > CONTENT_MAX {
                errors.add(
                    &format!("messages[{i}].content"),
                    format!("Ensure this field has no more than {CONTENT_MAX} characters (it has {length})."),
                );
            }
            let name = m
                .name
                .as_deref()
                .map(|name| errors.text(&format!("messages[{i}].name"), name, NAME_MAX))
                .filter(|name| !name.is_empty());
            ChatMessage {
                role: m.role.clone(),
                content: m.content.clone(),
                name,
            }
        })
        .collect()
}

/// An integer field within `min..=max`, `default` when absent.
fn bounded(
    errors: &mut Errors,
    field: &str,
    given: Option<i64>,
    min: i64,
    max: i64,
    default: i64,
) -> i64 {
    match given {
        None => default,
        Some(n) if (min..=max).contains(&n) => n,
        Some(_) => {
            errors.add(
                field,
                format!("Ensure this value is between {min} and {max}."),
            );
            default
        }
    }
}

/// `WIDTHxHEIGHT` with each side 10..=9999.
fn valid_size(size: &str) -> bool {
    let Some((w, h)) = size.split_once('x') else {
        return false;
    };
    let side = |s: &str| {
        (2..=4).contains(&s.len()) && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
    };
    side(w) && side(h)
}

impl EstimateInput {
    /// Checks the body; one of `text` and `messages` is required.
    pub fn parse(self) -> Result<Estimate, ApiError> {
        let mut errors = Errors::default();
        let model = model(&mut errors, self.model.as_deref());
        if let Some(text) = &self.text {
            let length = text.chars().count();
            if length > TEXT_MAX {
                errors.add(
                    "text",
                    format!("Ensure this field has no more than {TEXT_MAX} characters (it has {length})."),
                );
            }
        }
        let parsed = self
            .messages
            .as_deref()
            .map(|given| messages(&mut errors, given));
        if self.text.is_none() && self.messages.is_none() {
            errors.add("text", "Send text or messages to count.");
        }
        errors.finish()?;
        Ok(Estimate {
            model,
            text: self.text,
            messages: parsed,
        })
    }
}

impl ChatInput {
    /// Checks the body.
    pub fn parse(self) -> Result<Chat, ApiError> {
        let mut errors = Errors::default();
        let model = model(&mut errors, self.model.as_deref());
        if self.messages.is_empty() {
            errors.add("messages", "Send at least one message.");
        }
        let messages = messages(&mut errors, &self.messages);
        let max_output_tokens = bounded(
            &mut errors,
            "max_output_tokens",
            self.max_output_tokens,
            1,
            MAX_OUTPUT_TOKENS_MAX as i64,
            MAX_OUTPUT_TOKENS_DEFAULT as i64,
        );
        errors.finish()?;
        Ok(Chat {
            provider: self.provider,
            model,
            messages,
            max_output_tokens: max_output_tokens.unsigned_abs(),
        })
    }
}

impl ImageInput {
    /// Checks the body.
    pub fn parse(self) -> Result<Images, ApiError> {
        let mut errors = Errors::default();
        let model = model(&mut errors, self.model.as_deref());
        let prompt = errors.required_text("prompt", &self.prompt, PROMPT_MAX);
        let count = bounded(
            &mut errors,
            "count",
            self.count,
            1,
            i64::from(IMAGE_COUNT_MAX),
            1,
        );
        let size = self
            .size
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(size) = size
            && !valid_size(size)
        {
            errors.add("size", "Use WIDTHxHEIGHT, e.g. 1024x1024.");
        }
        errors.finish()?;
        Ok(Images {
            provider: self.provider,
            model,
            prompt,
            count: u32::try_from(count).unwrap_or(1),
            size: size.map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(err: ApiError) -> Vec<String> {
        match err {
            ApiError::Validation(fields) => fields.into_keys().collect(),
            other => panic!("expected a 400, got {other:?}"),
        }
    }

    fn message(role: &str, content: &str) -> MessageInput {
        MessageInput {
            role: role.into(),
            content: content.into(),
            name: None,
        }
    }

    #[test]
    fn a_chat_needs_messages_with_known_roles_and_a_bounded_budget() {
        let ok = ChatInput {
            provider: None,
            model: Some("  ".into()),
            messages: vec![message("user", "hi")],
            max_output_tokens: None,
        }
        .parse()
        .unwrap();
        assert_eq!((ok.model, ok.max_output_tokens), (None, 320));
        let bad = ChatInput {
            provider: None,
            model: Some("m".repeat(129)),
            messages: vec![message("robot", " "), message("user", &"x".repeat(20_001))],
            max_output_tokens: Some(4097),
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            fields(bad),
            [
                "max_output_tokens",
                "messages[0].content",
                "messages[0].role",
                "messages[1].content",
                "model"
            ]
        );
        let empty = ChatInput {
            provider: None,
            model: None,
            messages: vec![],
            max_output_tokens: Some(0),
        }
        .parse()
        .unwrap_err();
        assert_eq!(fields(empty), ["max_output_tokens", "messages"]);
    }

    #[test]
    fn an_estimate_needs_text_or_messages() {
        let none = EstimateInput {
            model: None,
            text: None,
            messages: None,
        };
        assert_eq!(fields(none.parse().unwrap_err()), ["text"]);
        let text = EstimateInput {
            model: None,
            text: Some(String::new()),
            messages: None,
        };
        assert!(text.parse().is_ok(), "empty text counts as 0 tokens");
    }

    #[test]
    fn images_check_prompt_count_and_size() {
        let ok = ImageInput {
            provider: None,
            model: None,
            prompt: " a kite ".into(),
            count: None,
            size: Some("512x512".into()),
        }
        .parse()
        .unwrap();
        assert_eq!(
            (ok.prompt.as_str(), ok.count, ok.size.as_deref()),
            ("a kite", 1, Some("512x512"))
        );
        let bad = ImageInput {
            provider: None,
            model: None,
            prompt: "".into(),
            count: Some(11),
            size: Some("big".into()),
        }
        .parse()
        .unwrap_err();
        assert_eq!(fields(bad), ["count", "prompt", "size"]);
        assert!(valid_size("1024x1792"));
        assert!(!valid_size("0x10"));
        assert!(!valid_size("10000x10"));
    }
}
