//! Writes the vocabularies of `o200k_base` and `cl100k_base` to `OUT_DIR` in a compact
//! form that `src/tokens/` embeds, so tiktoken-rs is the source of truth for the token
//! bytes without being loaded at run time (see the module docs there for why).
//!
//! For each encoding, two files in rank order:
//! - `<name>.bytes`: every token's bytes, concatenated;
//! - `<name>.ends`: for each rank, where its bytes end in `.bytes` (u32, little endian).
//!
//! Ranks must be dense (`0..n`, special tokens above them), so a rank is an index and
//! needs no storing; the build fails if tiktoken-rs ever ships an encoding where they
//! are not.

use std::collections::HashSet;
use std::path::Path;
use std::{env, fs};

use tiktoken_rs::CoreBPE;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    let encodings = [
        ("o200k_base", tiktoken_rs::o200k_base()),
        ("cl100k_base", tiktoken_rs::cl100k_base()),
    ];
    for (name, bpe) in encodings {
        let bpe = bpe.unwrap_or_else(|err| panic!("tiktoken-rs cannot build {name}: {err}"));
        let (bytes, ends) = vocabulary(name, &bpe);
        fs::write(out_dir.join(format!("{name}.bytes")), bytes).expect("write vocabulary");
        fs::write(out_dir.join(format!("{name}.ends")), ends).expect("write vocabulary");
    }
}

/// The token bytes of `bpe` in rank order, and each token's end offset.
fn vocabulary(name: &str, bpe: &CoreBPE) -> (Vec<u8>, Vec<u8>) {
    // Special tokens (`<|endoftext|>`, …) are never produced by an ordinary encode, and
    // their ranks sit above the vocabulary's.
    let special: HashSet<u32> = bpe
        .special_tokens()
        .into_iter()
        .flat_map(|token| bpe.encode_with_special_tokens(token))
        .collect();
    let highest = special.iter().copied().max().expect("special tokens");
    let mut bytes = Vec::new();
    let mut ends = Vec::new();
    let mut missing = None;
    for rank in (0..highest).filter(|rank| !special.contains(rank)) {
        match token_bytes(bpe, rank) {
            Some(token) => {
                assert!(
                    missing.is_none(),
                    "{name}: rank {rank} exists after the gap at {missing:?}; ranks are not dense"
                );
                bytes.extend_from_slice(&token);
                let end = u32::try_from(bytes.len()).expect("vocabulary under 4 GB");
                ends.extend_from_slice(&end.to_le_bytes());
            }
            None => missing = missing.or(Some(rank)),
        }
    }
    assert!(!ends.is_empty(), "{name}: empty vocabulary");
    (bytes, ends)
}

/// The bytes of the ordinary token `rank`, or `None` when no token has that rank.
///
/// Most tokens are whole UTF-8 text and decode as such. For the others (parts of a
/// character, or no token at all) tiktoken-rs's public byte-level decode panics on an
/// unknown rank (its typed error is not exported), so that probe runs under
/// `catch_unwind` with the panic message silenced.
fn token_bytes(bpe: &CoreBPE, rank: u32) -> Option<Vec<u8>> {
    if let Ok(text) = bpe.decode(vec![rank]) {
        return Some(text.into_bytes());
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let token = std::panic::catch_unwind(|| bpe._decode_native_and_split(vec![rank]).next());
    std::panic::set_hook(hook);
    token.ok().flatten()
}
