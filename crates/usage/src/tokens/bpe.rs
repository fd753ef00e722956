//! tiktoken's encoding algorithm over the compact vocabulary: cut the text into pieces,
//! then each piece is one token if it is in the vocabulary, else the tokens its
//! byte-pair merge ends with.

use std::ops::ControlFlow;

use super::pieces::Pieces;
use super::vocabulary::{Rank, Tokens, Vocabulary};

/// No token: the rank of a pair whose joined bytes are not in the vocabulary.
const NOT_A_TOKEN: Rank = Rank::MAX;

/// One byte-pair encoding: its pre-tokeniser and its vocabulary.
pub(super) struct Bpe {
    pieces: Pieces,
    vocabulary: Vocabulary,
}

impl Bpe {
    /// The encoding with pre-tokeniser `pattern` and vocabulary `tokens`.
    pub(super) fn new(pattern: &str, tokens: Tokens) -> Bpe {
        Bpe {
            pieces: Pieces::new(pattern),
            vocabulary: Vocabulary::new(tokens),
        }
    }

    /// Encodes `text` as tiktoken's `encode_ordinary` does, calling `token` with the
    /// byte offset where each token ends, in order, until it breaks.
    pub(super) fn encode(&self, text: &str, mut token: impl FnMut(usize) -> ControlFlow<()>) {
        let mut parts = Vec::new();
        for piece in self.pieces.split(text) {
            let bytes = &text.as_bytes()[piece.clone()];
            if self.vocabulary.rank(bytes).is_some() {
                if token(piece.end).is_break() {
                    return;
                }
                continue;
            }
            self.merge(bytes, &mut parts);
            for &(start, _) in &parts[1..] {
                if token(piece.start + start).is_break() {
                    return;
                }
            }
        }
    }

    /// tiktoken's byte-pair merge of a piece that is not itself a token. Starting from
    /// single bytes, join the two adjacent parts whose joined bytes have the lowest
    /// rank (the leftmost pair on a tie), until no adjacent pair joins into a token.
    ///
    /// Leaves in `parts` each resulting token's start, then the piece's length, each
    /// with the rank of the pair starting there. The work is quadratic in the piece's
    /// length, as in tiktoken; pieces are words, numbers or punctuation runs.
    fn merge(&self, piece: &[u8], parts: &mut Vec<(usize, Rank)>) {
        let pair_rank = |parts: &[(usize, Rank)], i: usize| match parts.get(i + 2) {
            Some(&(end, _)) => self
                .vocabulary
                .rank(&piece[parts[i].0..end])
                .unwrap_or(NOT_A_TOKEN),
            None => NOT_A_TOKEN,
        };
        parts.clear();
        parts.extend((0..=piece.len()).map(|start| (start, NOT_A_TOKEN)));
        for i in 0..parts.len() {
            parts[i].1 = pair_rank(parts, i);
        }
        while let Some((i, _)) = parts
            .iter()
            .enumerate()
            .filter(|&(_, &(_, rank))| rank != NOT_A_TOKEN)
            .min_by_key(|&(_, &(_, rank))| rank)
        {
            parts.remove(i + 1);
            parts[i].1 = pair_rank(parts, i);
            if i > 0 {
                parts[i - 1].1 = pair_rank(parts, i - 1);
            }
        }
    }
}
