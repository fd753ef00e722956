//! tiktoken's encoding algorithm over the compact vocabulary: cut the text into pieces,
//! then each piece is one token if it is in the vocabulary, else the tokens its
//! byte-pair merge ends with.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::ControlFlow;

use super::pieces::Pieces;
use super::vocabulary::{Rank, Tokens, Vocabulary};

/// No token: the rank of a pair whose joined bytes are not in the vocabulary.
const NOT_A_TOKEN: Rank = Rank::MAX;

/// Pieces longer than this (in bytes) are merged with a heap instead of tiktoken's
/// scan. The scan is quadratic in the piece's length: fine for words, but a request
/// may send one 200,000-letter "word", which would hold a worker for about half a
/// minute (tiktoken-rs, release: 40,000 bytes took 1.3 s). Short pieces, nearly all
/// of them, keep the scan, which is faster at their size.
const LONG_PIECE: usize = 256;

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
            if bytes.len() > LONG_PIECE {
                self.merge_long(bytes, &mut parts);
            } else {
                self.merge(bytes, &mut parts);
            }
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
    /// length, as in tiktoken; [`Bpe::merge_long`] takes long pieces.
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

    /// The same merge as [`Bpe::merge`], in O(n log n): parts are a linked list over
    /// the piece's bytes, and the candidate pairs wait in a min-heap by (rank, start),
    /// so the lowest rank, leftmost on a tie, comes out first, as in the scan. A heap
    /// entry whose part was merged away or whose pair has changed is skipped.
    fn merge_long(&self, piece: &[u8], parts: &mut Vec<(usize, Rank)>) {
        let n = piece.len();
        // The part starting at byte `i` ends where `next[i]` starts (`n`: the end).
        let mut next: Vec<usize> = (1..=n).collect();
        let mut prev: Vec<Option<usize>> = (0..n).map(|i| i.checked_sub(1)).collect();
        let mut alive = vec![true; n];
        let pair_rank = |next: &[usize], i: usize| match next.get(next[i]) {
            Some(&end) => self.vocabulary.rank(&piece[i..end]).unwrap_or(NOT_A_TOKEN),
            None => NOT_A_TOKEN,
        };
        let mut rank: Vec<Rank> = (0..n).map(|i| pair_rank(&next, i)).collect();
        let mut heap: BinaryHeap<Reverse<(Rank, usize)>> = (0..n)
            .filter(|&i| rank[i] != NOT_A_TOKEN)
            .map(|i| Reverse((rank[i], i)))
            .collect();
        while let Some(Reverse((pair, i))) = heap.pop() {
            if !alive[i] || rank[i] != pair {
                continue;
            }
            // Join part `i` with the one after it.
            let gone = next[i];
            alive[gone] = false;
            next[i] = next[gone];
            if let Some(after) = prev.get_mut(next[i]) {
                *after = Some(i);
            }
            for start in [Some(i), prev[i]].into_iter().flatten() {
                rank[start] = pair_rank(&next, start);
                if rank[start] != NOT_A_TOKEN {
                    heap.push(Reverse((rank[start], start)));
                }
            }
        }
        parts.clear();
        parts.extend(
            (0..n)
                .filter(|&i| alive[i])
                .map(|i| (i, rank[i]))
                .chain([(n, NOT_A_TOKEN)]),
        );
    }
}
