//! Token counting with OpenAI's real byte-pair encodings (tiktoken's `o200k_base` and
//! `cl100k_base`), so a quota is reserved in the unit providers bill in.
//!
//! The encoders ship inside the `tiktoken-rs` crate (no network) and are built once per
//! process, the first time a count needs them ([`LazyLock`]): building one takes tens of
//! milliseconds, counting with it microseconds.

use std::sync::LazyLock;

use serde::Serialize;
use tiktoken_rs::CoreBPE;
use tiktoken_rs::tokenizer::{Tokenizer, get_tokenizer};

/// Tokens every chat message costs on top of its role and content (OpenAI's published
/// counting rule for chat models).
pub const TOKENS_PER_MESSAGE: u64 = 4;
/// Tokens that prime the reply, counted once per conversation.
pub const TOKENS_PER_REPLY: u64 = 2;

static O200K: LazyLock<Option<CoreBPE>> = LazyLock::new(|| tiktoken_rs::o200k_base().ok());
static CL100K: LazyLock<Option<CoreBPE>> = LazyLock::new(|| tiktoken_rs::cl100k_base().ok());

/// Loads both encoders now (tens of milliseconds), so that the first requests do not
/// wait for them; the server calls it in the background at start.
pub fn warm_up() {
    LazyLock::force(&O200K);
    LazyLock::force(&CL100K);
}

/// The byte-pair encoding a count used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// GPT-4o, GPT-4.1, o-series and, by default, every model tiktoken does not know.
    O200kBase,
    /// GPT-4 and GPT-3.5, or the fallback when `o200k_base` cannot be loaded.
    Cl100kBase,
}

impl Encoding {
    /// tiktoken's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }
}

/// A model name without its provider prefix: `openai/gpt-4o-mini` → `gpt-4o-mini`
/// (OpenRouter names models `vendor/model`).
pub fn bare_model(model: &str) -> &str {
    let model = model.trim();
    model.rsplit_once('/').map_or(model, |(_, bare)| bare)
}

/// The encoding to count `model`'s tokens with: tiktoken's own table for the models it
/// knows as `cl100k_base`, else `o200k_base` (today's OpenAI models, and the closest
/// estimate for the rest).
pub fn encoding_for(model: &str) -> Encoding {
    match get_tokenizer(bare_model(model)) {
        Some(Tokenizer::Cl100kBase) => Encoding::Cl100kBase,
        _ => Encoding::O200kBase,
    }
}

/// The loaded encoder for `encoding`, falling back to the other one if it failed to
/// load (neither can fail with the data embedded in the crate, but a count must never
/// panic a request).
fn encoder(encoding: Encoding) -> Option<(Encoding, &'static CoreBPE)> {
    let (first, second) = match encoding {
        Encoding::O200kBase => (
            (Encoding::O200kBase, &*O200K),
            (Encoding::Cl100kBase, &*CL100K),
        ),
        Encoding::Cl100kBase => (
            (Encoding::Cl100kBase, &*CL100K),
            (Encoding::O200kBase, &*O200K),
        ),
    };
    [first, second]
        .into_iter()
        .find_map(|(name, bpe)| bpe.as_ref().map(|bpe| (name, bpe)))
}

/// A token counter bound to one model's encoding.
#[derive(Clone, Copy)]
pub struct TokenCounter {
    encoding: Encoding,
    bpe: Option<&'static CoreBPE>,
}

impl std::fmt::Debug for TokenCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCounter")
            .field("encoding", &self.encoding)
            .finish()
    }
}

/// One chat message, as far as counting goes.
#[derive(Debug, Clone, Copy)]
pub struct MessageText<'a> {
    /// `system`, `user` or `assistant`.
    pub role: &'a str,
    /// What it says.
    pub content: &'a str,
    /// The optional participant name.
    pub name: Option<&'a str>,
}

impl TokenCounter {
    /// The counter for `model` (see [`encoding_for`]).
    pub fn for_model(model: &str) -> TokenCounter {
        match encoder(encoding_for(model)) {
            Some((encoding, bpe)) => TokenCounter {
                encoding,
                bpe: Some(bpe),
            },
            None => TokenCounter {
                encoding: encoding_for(model),
                bpe: None,
            },
        }
    }

    /// The encoding really used.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Tokens of plain text. Special-token markers such as `<|endoftext|>` count as the
    /// text they are. Without an encoder (never expected), four bytes per token, the
    /// usual rule of thumb.
    pub fn text(&self, text: &str) -> u64 {
        match self.bpe {
            Some(bpe) => bpe.encode_ordinary(text).len() as u64,
            None => (text.len() as u64).div_ceil(4),
        }
    }

    /// Tokens of a chat: per message 4 + role + content (+ name − 1), then 2 for the
    /// reply's priming. An empty chat is 0.
    pub fn messages(&self, messages: &[MessageText<'_>]) -> u64 {
        if messages.is_empty() {
            return 0;
        }
        let per_message: u64 = messages
            .iter()
            .map(|m| {
                let name = m.name.map_or(0, |name| self.text(name).saturating_sub(1));
                TOKENS_PER_MESSAGE + self.text(m.role) + self.text(m.content) + name
            })
            .sum();
        per_message + TOKENS_PER_REPLY
    }

    /// The first `max_tokens` tokens of `text`, and how many tokens that is: how a
    /// generated answer is cut at `max_output_tokens`.
    pub fn truncate(&self, text: &str, max_tokens: u64) -> (String, u64) {
        let Some(bpe) = self.bpe else {
            let cut: String = text
                .chars()
                .take(usize::try_from(max_tokens.saturating_mul(4)).unwrap_or(usize::MAX))
                .collect();
            let count = self.text(&cut);
            return (cut, count);
        };
        let mut tokens = bpe.encode_ordinary(text);
        let limit = usize::try_from(max_tokens).unwrap_or(usize::MAX);
        if tokens.len() <= limit {
            let count = tokens.len() as u64;
            return (text.to_owned(), count);
        }
        tokens.truncate(limit);
        // A cut inside a multi-byte character cannot decode; drop tokens until it does.
        while !tokens.is_empty() {
            if let Ok(cut) = bpe.decode(tokens.clone()) {
                return (cut, tokens.len() as u64);
            }
            tokens.pop();
        }
        (String::new(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_prefixes_are_stripped() {
        assert_eq!(bare_model("openai/gpt-4o-mini"), "gpt-4o-mini");
        assert_eq!(bare_model(" gpt-4.1 "), "gpt-4.1");
        assert_eq!(bare_model("meta-llama/llama-3.1-8b"), "llama-3.1-8b");
    }

    #[test]
    fn models_pick_their_encoding() {
        assert_eq!(encoding_for("gpt-4.1-mini"), Encoding::O200kBase);
        assert_eq!(encoding_for("openai/gpt-4o"), Encoding::O200kBase);
        assert_eq!(encoding_for("gpt-4"), Encoding::Cl100kBase);
        assert_eq!(encoding_for("openai/gpt-3.5-turbo"), Encoding::Cl100kBase);
        assert_eq!(encoding_for("llama3.2"), Encoding::O200kBase);
        assert_eq!(encoding_for(""), Encoding::O200kBase);
        assert_eq!(
            TokenCounter::for_model("gpt-4").encoding(),
            Encoding::Cl100kBase
        );
    }

    /// Known counts from tiktoken itself (`tiktoken.get_encoding("o200k_base")`):
    /// "hello world" is 2 tokens in both encodings; the pangram below is 10 tokens in
    /// o200k_base. These fail if the counter were not the real BPE.
    #[test]
    fn counts_equal_tiktoken_for_o200k_base() {
        let o200k = TokenCounter::for_model("gpt-4o");
        assert_eq!(o200k.encoding(), Encoding::O200kBase);
        assert_eq!(o200k.text("hello world"), 2);
        assert_eq!(
            o200k.text("The quick brown fox jumps over the lazy dog."),
            10
        );
        assert_eq!(o200k.text(""), 0);
        let cl100k = TokenCounter::for_model("gpt-4");
        assert_eq!(cl100k.text("hello world"), 2);
    }

    #[test]
    fn the_two_encodings_really_differ() {
        // A sentence whose count differs between the encodings shows that each model
        // family gets its own encoder, not one shared table.
        let text = "Paidloop meters AI usage server-side: réservé, 計測, ✓.";
        let o200k = TokenCounter::for_model("gpt-4o").text(text);
        let cl100k = TokenCounter::for_model("gpt-4").text(text);
        assert_ne!(o200k, cl100k, "o200k {o200k} vs cl100k {cl100k}");
    }

    #[test]
    fn chats_count_four_per_message_plus_two() {
        let counter = TokenCounter::for_model("gpt-4o");
        let one = [MessageText {
            role: "user",
            content: "hello world",
            name: None,
        }];
        // 4 + "user" (1) + "hello world" (2) + 2.
        assert_eq!(counter.messages(&one), 9);
        let named = [MessageText {
            name: Some("alice"),
            ..one[0]
        }];
        let name_tokens = counter.text("alice");
        assert_eq!(counter.messages(&named), 9 + name_tokens - 1);
        assert_eq!(counter.messages(&[]), 0);
        let two = [one[0], one[0]];
        assert_eq!(counter.messages(&two), 7 * 2 + 2);
    }

    #[test]
    fn truncation_keeps_at_most_the_asked_tokens() {
        let counter = TokenCounter::for_model("gpt-4o");
        let text = "one two three four five six seven eight nine ten";
        let (cut, count) = counter.truncate(text, 3);
        assert_eq!(count, 3);
        assert_eq!(counter.text(&cut), 3);
        assert!(text.starts_with(&cut));
        let (whole, count) = counter.truncate(text, 1000);
        assert_eq!((whole.as_str(), count), (text, counter.text(text)));
        assert_eq!(counter.truncate(text, 0), (String::new(), 0));
    }
}
