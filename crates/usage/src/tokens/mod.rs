//! Token counting with OpenAI's real byte-pair encodings (tiktoken's `o200k_base` and
//! `cl100k_base`), so a quota is reserved in the unit providers bill in. Counts are
//! tiktoken's own, token for token; only the machinery is ours.
//!
//! # Why tiktoken-rs is not used at run time
//!
//! tiktoken-rs is the source of truth for the vocabularies, at build time (`build.rs`
//! writes them out compactly) and in the tests (every token is compared with its
//! own). At run time it costs too much for a server held to 50 MB of peak RSS and a
//! token estimate at a tenth of `health/`'s rate (about 60 µs per count of a 2 KB
//! prompt).
//!
//! Measured in a release build (glibc malloc, `cargo bench -p paidloop-usage --bench
//! tokens`, CPU time per count of `scripts/bench`'s 2 KB prompt, 479 tokens):
//!
//! | | tiktoken-rs 0.7 | this module |
//! |---|---|---|
//! | RSS added by loading `o200k_base` | 54 MB (0.5 s) | 6.2 MB (20 ms) |
//! | RSS added by loading both | 81 MB | 7.9 MB |
//! | one count of the 2 KB prompt | 550 µs | 66 µs |
//!
//! Its `CoreBPE` keeps the 200k-token vocabulary three times as separately allocated
//! byte vectors plus 128 clones of its regex, and its pre-tokeniser (fancy-regex)
//! backtracks for the look-ahead in `\s+(?!\S)`. Here the token bytes are embedded
//! in the binary in rank order and indexed by one hash table (`vocabulary.rs`), and
//! the pre-tokeniser runs on a finite automaton with the look-ahead rewritten away
//! (`pieces.rs`). `bpe-openai` counts fast too, but holds 70 MB for `o200k_base`.
//!
//! Each encoding is built the first time a count needs it ([`LazyLock`]); `cl100k_base`
//! only ever for the GPT-4 and GPT-3.5 families.

mod bpe;
mod pieces;
mod vocabulary;

use std::ops::ControlFlow;
use std::sync::LazyLock;

use serde::Serialize;

use bpe::Bpe;
use vocabulary::Tokens;

/// Tokens every chat message costs on top of its role and content (OpenAI's published
/// counting rule for chat models).
pub const TOKENS_PER_MESSAGE: u64 = 4;
/// Tokens that prime the reply, counted once per conversation.
pub const TOKENS_PER_REPLY: u64 = 2;

static O200K: LazyLock<Bpe> = LazyLock::new(|| {
    Bpe::new(
        pieces::O200K_BASE,
        Tokens {
            bytes: include_bytes!(concat!(env!("OUT_DIR"), "/o200k_base.bytes")),
            ends: include_bytes!(concat!(env!("OUT_DIR"), "/o200k_base.ends")),
        },
    )
});
static CL100K: LazyLock<Bpe> = LazyLock::new(|| {
    Bpe::new(
        pieces::CL100K_BASE,
        Tokens {
            bytes: include_bytes!(concat!(env!("OUT_DIR"), "/cl100k_base.bytes")),
            ends: include_bytes!(concat!(env!("OUT_DIR"), "/cl100k_base.ends")),
        },
    )
});

/// Builds `o200k_base`, the encoding of nearly every model, now rather than on the
/// first request that counts: about 20 ms of CPU and 6 MB of resident memory (1.3 MB
/// of index on the heap, the rest the embedded vocabulary and code paged in). The
/// server calls it in the background at start. `cl100k_base` (5 ms, 1.7 MB) is left to
/// load when a GPT-4 or GPT-3.5 model first asks for it.
pub fn warm_up() {
    LazyLock::force(&O200K);
}

/// The byte-pair encoding a count used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// GPT-4o, GPT-4.1, o-series and, by default, every model tiktoken does not know.
    O200kBase,
    /// GPT-4 and GPT-3.5 (and tiktoken's other `cl100k_base` models).
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

/// The models tiktoken counts with `cl100k_base` by exact name.
const CL100K_MODELS: &[&str] = &[
    "gpt-4",
    "gpt-3.5-turbo",
    "gpt-3.5",
    "gpt-35-turbo",
    "davinci-002",
    "babbage-002",
    "text-embedding-ada-002",
    "text-embedding-3-small",
    "text-embedding-3-large",
];

/// tiktoken's model-name prefixes, in its order (the first match wins, so `ft:gpt-4o`
/// must come before `ft:gpt-4`).
const MODEL_PREFIXES: &[(&str, Encoding)] = &[
    ("o1-", Encoding::O200kBase),
    ("o3-", Encoding::O200kBase),
    ("o4-", Encoding::O200kBase),
    ("gpt-4.1-", Encoding::O200kBase),
    ("chatgpt-4o-", Encoding::O200kBase),
    ("gpt-4o-", Encoding::O200kBase),
    ("gpt-4-", Encoding::Cl100kBase),
    ("gpt-3.5-turbo-", Encoding::Cl100kBase),
    ("gpt-35-turbo-", Encoding::Cl100kBase),
    ("ft:gpt-4o", Encoding::O200kBase),
    ("ft:gpt-4", Encoding::Cl100kBase),
    ("ft:gpt-3.5-turbo", Encoding::Cl100kBase),
    ("ft:davinci-002", Encoding::Cl100kBase),
    ("ft:babbage-002", Encoding::Cl100kBase),
];

/// The encoding to count `model`'s tokens with: `cl100k_base` for the models
/// tiktoken's table gives it (the GPT-4 and GPT-3.5 families), else `o200k_base`
/// (today's OpenAI models, and the closest estimate for the rest). The tests keep this
/// equal to tiktoken-rs's `get_tokenizer`.
pub fn encoding_for(model: &str) -> Encoding {
    let model = bare_model(model);
    if CL100K_MODELS.contains(&model) {
        return Encoding::Cl100kBase;
    }
    MODEL_PREFIXES
        .iter()
        .find(|(prefix, _)| model.starts_with(prefix))
        .map_or(Encoding::O200kBase, |&(_, encoding)| encoding)
}

/// A token counter bound to one model's encoding.
#[derive(Clone, Copy)]
pub struct TokenCounter {
    encoding: Encoding,
    bpe: &'static Bpe,
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
    /// The counter for `model` (see [`encoding_for`]); builds its encoding on first use.
    pub fn for_model(model: &str) -> TokenCounter {
        let encoding = encoding_for(model);
        let bpe = match encoding {
            Encoding::O200kBase => &*O200K,
            Encoding::Cl100kBase => &*CL100K,
        };
        TokenCounter { encoding, bpe }
    }

    /// The encoding it counts with.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Tokens of plain text, as tiktoken's `encode_ordinary` gives them: special-token
    /// markers such as `<|endoftext|>` count as the text they are.
    pub fn text(&self, text: &str) -> u64 {
        let mut count = 0;
        self.bpe.encode(text, |_| {
            count += 1;
            ControlFlow::Continue(())
        });
        count
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
    /// generated answer is cut at `max_output_tokens`. A cut inside a character (a
    /// token can hold part of one) moves back to the last token that ends on a
    /// character boundary.
    pub fn truncate(&self, text: &str, max_tokens: u64) -> (String, u64) {
        let limit = usize::try_from(max_tokens).unwrap_or(usize::MAX);
        let mut ends = Vec::new();
        if limit > 0 {
            self.bpe.encode(text, |end| {
                ends.push(end);
                if ends.len() == limit {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
        }
        while let Some(&end) = ends.last() {
            if text.is_char_boundary(end) {
                return (text[..end].to_owned(), ends.len() as u64);
            }
            ends.pop();
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

#[cfg(test)]
mod against_tiktoken;
