//! The pre-tokeniser: how an encoding cuts text into pieces before byte-pair merging,
//! with tiktoken's patterns but no backtracking engine.
//!
//! Both OpenAI patterns end in `\s+(?!\S)|\s+`: a run of whitespace is one piece, except
//! that when a word follows, the run's last whitespace character is left to start the
//! next piece (so `"a   b"` is `a`, `"  "`, `" b"`). The look-ahead needs backtracking,
//! which the `regex` engines do not do. Instead the same cut comes from three patterns
//! tried in priority order, as one alternation would be:
//!
//! 1. the encoding's other alternatives, then `\s+$` (a run that ends the text is
//!    followed by nothing, so the look-ahead holds for all of it);
//! 2. `\s+\s`, a run of at least two before a non-space, matched whole: the piece is
//!    that match minus its last character, which is exactly what `\s+(?!\S)` takes;
//! 3. `\s+`, a single whitespace character before a non-space.
//!
//! Every character of any text starts some match (each is whitespace, a letter, a
//! number or one of the rest), so pieces cover the text end to end, and each search is
//! anchored where the previous piece ended: one forward scan per piece.

use std::ops::Range;

use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input, PatternID};

/// `o200k_base`'s pattern (tiktoken's `o200k_base`) without its two final whitespace
/// alternatives: words with their case structure and contractions, up to three digits,
/// punctuation runs, and newlines with the whitespace before them.
pub(super) const O200K_BASE: &str = concat!(
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n/]*",
    r"|\s*[\r\n]+",
);

/// `cl100k_base`'s pattern (tiktoken's `cl100k_base`) without its two final whitespace
/// alternatives.
pub(super) const CL100K_BASE: &str = concat!(
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)",
    r"|[^\r\n\p{L}\p{N}]?\p{L}+",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*",
    r"|\s*[\r\n]+",
);

/// The second pattern: its match gives its last character back.
const RUN_BEFORE_WORD: PatternID = PatternID::new_unchecked(1);

/// An encoding's pre-tokeniser.
pub(super) struct Pieces {
    regex: Regex,
}

impl Pieces {
    /// The pre-tokeniser for `pattern` (one of this module's constants).
    pub(super) fn new(pattern: &str) -> Pieces {
        let regex = Regex::new_many(&[format!(r"{pattern}|\s+$").as_str(), r"\s+\s", r"\s+"])
            .expect("the encoding patterns are valid");
        Pieces { regex }
    }

    /// The pieces of `text`, as byte ranges that cover it in order.
    pub(super) fn split<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            if at == text.len() {
                return None;
            }
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            // No match cannot happen (see the module docs); the rest as one piece would
            // still count every byte.
            let end = self.regex.search_half(&input).map_or(text.len(), |found| {
                if found.pattern() == RUN_BEFORE_WORD {
                    text[..found.offset()]
                        .char_indices()
                        .next_back()
                        .map_or(found.offset(), |(last, _)| last)
                } else {
                    found.offset()
                }
            });
            let piece = at..end;
            at = end;
            Some(piece)
        })
    }
}
