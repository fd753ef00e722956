//! One encoding's vocabulary: token bytes by rank, and the index from bytes to rank.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// A token's position in its encoding's vocabulary; lower ranks merge first.
pub(super) type Rank = u32;

/// The token bytes `build.rs` wrote, embedded in the binary: every token's bytes
/// concatenated in rank order (`bytes`), and each rank's end offset in them as a
/// little-endian u32 (`ends`).
#[derive(Clone, Copy)]
pub(super) struct Tokens {
    /// All token bytes, in rank order.
    pub(super) bytes: &'static [u8],
    /// Four bytes per rank: where its token ends in `bytes`.
    pub(super) ends: &'static [u8],
}

impl Tokens {
    fn len(self) -> Rank {
        Rank::try_from(self.ends.len() / 4).expect("fewer than 2^32 tokens")
    }

    /// The bytes of token `rank`.
    fn get(self, rank: Rank) -> &'static [u8] {
        let start = rank.checked_sub(1).map_or(0, |previous| self.end(previous));
        &self.bytes[start..self.end(rank)]
    }

    fn end(self, rank: Rank) -> usize {
        let at = rank as usize * 4;
        let end: [u8; 4] = self.ends[at..at + 4].try_into().expect("a four-byte slice");
        u32::from_le_bytes(end) as usize
    }
}

/// The embedded tokens plus a hash index from bytes to rank, built once at load. The
/// index is the only heap a vocabulary takes: one u32 and one control byte per slot
/// (about 1.3 MB for `o200k_base`, 0.7 MB for `cl100k_base`).
pub(super) struct Vocabulary {
    tokens: Tokens,
    index: HashTable<Rank>,
    hasher: DefaultHashBuilder,
}

impl Vocabulary {
    /// Indexes `tokens`.
    pub(super) fn new(tokens: Tokens) -> Vocabulary {
        let hasher = DefaultHashBuilder::default();
        let hash = |rank| hasher.hash_one(tokens.get(rank));
        let mut index = HashTable::with_capacity(tokens.len() as usize);
        for rank in 0..tokens.len() {
            index.insert_unique(hash(rank), rank, |&rank| hash(rank));
        }
        Vocabulary {
            tokens,
            index,
            hasher,
        }
    }

    /// The rank of the token whose bytes are exactly `bytes`, if there is one.
    pub(super) fn rank(&self, bytes: &[u8]) -> Option<Rank> {
        let hash = self.hasher.hash_one(bytes);
        self.index
            .find(hash, |&rank| self.tokens.get(rank) == bytes)
            .copied()
    }
}
