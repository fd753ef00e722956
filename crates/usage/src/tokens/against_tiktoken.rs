//! The counter against tiktoken-rs itself: the same tokens (every token's end, not only
//! the count) for both encodings over a corpus built to reach every branch of the
//! patterns, thousands of seeded random strings, and 100 KB of text.

use std::ops::ControlFlow;
use std::sync::LazyLock;

use tiktoken_rs::CoreBPE;
use tiktoken_rs::tokenizer::{Tokenizer, get_tokenizer};

use super::*;

static REFERENCE_O200K: LazyLock<CoreBPE> =
    LazyLock::new(|| tiktoken_rs::o200k_base().expect("o200k_base"));
static REFERENCE_CL100K: LazyLock<CoreBPE> =
    LazyLock::new(|| tiktoken_rs::cl100k_base().expect("cl100k_base"));

/// Where each token of `text` ends, by tiktoken-rs.
fn reference_ends(reference: &CoreBPE, text: &str) -> Vec<usize> {
    let tokens = reference.encode_ordinary(text);
    reference
        ._decode_native_and_split(tokens)
        .scan(0, |end, token| {
            *end += token.len();
            Some(*end)
        })
        .collect()
}

/// Where each token of `text` ends, by our counter.
fn our_ends(bpe: &Bpe, text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    bpe.encode(text, |end| {
        ends.push(end);
        ControlFlow::Continue(())
    });
    ends
}

/// Asserts the same tokens in both encodings for every text, and the same counts
/// through the public API.
fn assert_same_tokens<'a>(texts: impl IntoIterator<Item = &'a str>) {
    let encodings = [
        ("o200k_base", &*O200K, &*REFERENCE_O200K, "gpt-4o"),
        ("cl100k_base", &*CL100K, &*REFERENCE_CL100K, "gpt-4"),
    ];
    for text in texts {
        for (name, bpe, reference, model) in encodings {
            let expected = reference_ends(reference, text);
            assert_eq!(our_ends(bpe, text), expected, "{name} on {text:?}");
            let count = TokenCounter::for_model(model).text(text);
            assert_eq!(count, expected.len() as u64, "{name} count of {text:?}");
        }
    }
}

/// Texts that reach each branch of both patterns and the places where the
/// whitespace look-ahead decides.
const CORPUS: &[&str] = &[
    "",
    "hello world",
    "The quick brown fox jumps over the lazy dog.",
    "Paidloop meters AI usage on the server, so every plan gets what it pays for. ",
    "It's a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.",
    // contractions in every case, and the long s that folds to `s`
    "I'm, you're, we've, she'll, he'd, it's, don't; I'M YOU'RE WE'VE SHE'LL HE'D IT'S DON'T",
    "'S 's 'T 't 'Re 'rE 'VE 'M 'Ll 'lL 'D 'x ' s '' 'ſ 'ſt",
    "CamelCaseWords and SHOUTEDWords and mIxEd and ǅungla ʰat ᾈbc",
    // numbers of every length, with separators
    "0 1 12 123 1234 12345 123456 1234567 12345678 123456789 1234567890 12345678901234567890123",
    "3.14159 1,000,000 -42 +7 1e10 0x1F 2024-01-31 12:30:45 $19.99 50% ½ Ⅻ ٣٤٥ ๑๒๓",
    // whitespace runs: spaces, tabs, newlines, before words, trailing
    "a b  c   d    e     f",
    "a\tb\t\tc\t\t\td",
    "trailing space ",
    "trailing spaces   ",
    "trailing tab\t",
    "trailing newline\n",
    "trailing mix \t \n ",
    "   leading spaces",
    "\tleading tab",
    " ",
    "  ",
    "\n",
    "\n\n\n",
    "\r\n",
    "line one\r\nline two\r\n\r\nline four\r\n",
    "a \n b",
    "a  \n\n  b",
    "word\n    indented\n\tand tabbed\n",
    "x \u{a0}\u{a0}y \u{3000}\u{3000}\u{3000}z\u{2028}w\u{85}v",
    "end with wide space\u{3000}\u{3000}",
    "! ? . , ;   :  ... --- /// \\\\ ''' \"\"\"",
    "?\n\n!\r\n/path/to/file\n",
    "<|endoftext|> and <|fim_prefix|> are only text here<|endofprompt|>",
    // code
    "fn main() {\n    let x: Vec<u32> = (0..10).map(|i| i * 2).collect();\n    println!(\"{x:?}\");\n}\n",
    "def f(a, b=2):\n\treturn {'a': a, \"b\": b}  # comment\n\n\nclass K:\n    pass\n",
    "<div class=\"card\">\n  <p>Price: &euro;9</p>\n</div>\r\n",
    "SELECT id, email FROM users WHERE created_at > '2024-01-01' ORDER BY id DESC LIMIT 20;",
    // JSON
    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":256,\"temperature\":0.7}",
    "{\n  \"a\": [1, 2.5, -3e-7, null, true],\n  \"b\": {\"c\": \"d\\n\\u00e9\"}\n}\n",
    // scripts, emoji, combining marks
    "日本語のテキストです。中文也可以，對吧？한국어 문장도 있습니다.",
    "مرحبا بالعالم، كيف حالك؟ שלום עולם",
    "नमस्ते दुनिया। สวัสดีชาวโลก Привет, мир! Γειά σου Κόσμε",
    "👨‍👩‍👧‍👦 family, 👍🏽 thumbs, 🏳️‍🌈 flag, 🇫🇷🇯🇵 flags, ❤️ heart, 🤷🏿‍♀️",
    "e\u{301} a\u{300}\u{316} n\u{303}o Z\u{351}\u{34b}\u{36e}a\u{34a}l\u{350}g\u{353}o \u{301}\u{302}",
    "réservé, 計測, ✓. naïve café Ångström façade",
    "Paidloop meters AI usage server-side: réservé, 計測, ✓.",
];

#[test]
fn the_corpus_encodes_as_tiktoken_does() {
    assert_same_tokens(CORPUS.iter().copied());
}

/// splitmix64: a seeded generator, so a failure reproduces.
fn random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Random strings over a mix of the character classes the patterns tell apart.
fn random_texts(seed: u64, count: usize) -> Vec<String> {
    const CLASSES: &[&str] = &[
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "0123456789",
        "      ",
        "\t\n\r",
        "\u{a0}\u{3000}\u{2028}\u{85}",
        "'''sStTlLdDmMrReEvV",
        ".,;:!?-_/\\()[]{}<>\"'`~@#$%^&*+=|",
        "ǅǈʰʲˆ々ªº",
        "é日本語中文한국어",
        "مرحبا",
        "\u{301}\u{300}\u{308}\u{36f}",
        "👍🏽👨\u{200d}👩\u{200d}👧🏳️\u{fe0f}🇫🇷",
        "½Ⅻ٣๑²",
    ];
    let mut state = seed;
    (0..count)
        .map(|_| {
            let len = random(&mut state) % 40;
            (0..len)
                .map(|_| {
                    let class: Vec<char> = CLASSES[random(&mut state) as usize % CLASSES.len()]
                        .chars()
                        .collect();
                    class[random(&mut state) as usize % class.len()]
                })
                .collect()
        })
        .collect()
}

#[test]
fn random_strings_encode_as_tiktoken_does() {
    let texts = random_texts(0x7061_6964_6c6f_6f70, 3_000);
    assert_same_tokens(texts.iter().map(String::as_str));
}

/// Single pieces longer than `LONG_PIECE` bytes (merged with the heap): runs of
/// letters, of one letter, of CJK and of punctuation.
#[test]
fn long_pieces_encode_as_tiktoken_does() {
    let mut state = 0x6c6f_6e67;
    let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz".chars().collect();
    let mut texts: Vec<String> = (0..12)
        .map(|_| {
            let len = 257 + random(&mut state) % 3_000;
            (0..len)
                .map(|_| letters[random(&mut state) as usize % letters.len()])
                .collect()
        })
        .collect();
    texts.push("a".repeat(2_500));
    texts.push(format!(" hell{}", "o".repeat(600)));
    texts.push("日本語中文".repeat(120));
    texts.push("!?#*".repeat(300));
    assert_same_tokens(texts.iter().map(String::as_str));
}

/// A 200,000-letter word (the largest estimate the API takes) is counted at once; the
/// quadratic scan would take about half a minute.
#[test]
fn a_huge_piece_is_counted_quickly() {
    let word = "ab".repeat(100_000);
    let started = std::time::Instant::now();
    let count = TokenCounter::for_model("gpt-4o").text(&word);
    assert!(count > 0 && count < 200_000, "{count} tokens");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_long_text_encodes_as_tiktoken_does() {
    let mut text = String::new();
    let random = random_texts(12, 400);
    let mut pieces = CORPUS
        .iter()
        .copied()
        .chain(random.iter().map(String::as_str));
    while text.len() < 100_000 {
        let piece = pieces.next().unwrap_or("The end is near. ");
        text.push_str(piece);
        text.push(' ');
    }
    assert_same_tokens([text.as_str()]);
}

#[test]
fn models_pick_the_encoding_tiktoken_picks() {
    let models = [
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4o-2024-08-06",
        "chatgpt-4o-latest",
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4.1-nano",
        "o1",
        "o1-mini",
        "o3",
        "o3-mini",
        "o4-mini",
        "gpt-4",
        "gpt-4-0613",
        "gpt-4-turbo",
        "gpt-4-32k",
        "gpt-3.5-turbo",
        "gpt-3.5-turbo-0125",
        "gpt-3.5",
        "gpt-35-turbo",
        "gpt-35-turbo-16k",
        "davinci-002",
        "babbage-002",
        "text-embedding-ada-002",
        "text-embedding-3-small",
        "text-embedding-3-large",
        "ft:gpt-4o-mini:org::id",
        "ft:gpt-4-0613:org::id",
        "ft:gpt-3.5-turbo:org::id",
        "ft:davinci-002:org",
        "ft:babbage-002:org",
        "text-davinci-003",
        "text-davinci-001",
        "davinci",
        "code-davinci-002",
        "gpt2",
        "gpt-2",
        "gpt-5",
        "claude-3-5-sonnet",
        "llama3.2",
        "",
        "gpt-4o ",
        "GPT-4",
    ];
    for model in models {
        let expected = match get_tokenizer(model) {
            Some(Tokenizer::Cl100kBase) => Encoding::Cl100kBase,
            _ => Encoding::O200kBase,
        };
        assert_eq!(encoding_for(model), expected, "{model:?}");
    }
}

#[test]
fn truncation_never_splits_a_character() {
    let counter = TokenCounter::for_model("gpt-4o");
    let text = "👨‍👩‍👧‍👦 計測 🤷🏿‍♀️ é";
    let total = counter.text(text);
    for limit in 0..=total + 1 {
        let (cut, count) = counter.truncate(text, limit);
        assert!(text.starts_with(&cut) && count <= limit, "{limit}: {cut:?}");
        assert_eq!(counter.text(&cut), count, "{limit}: {cut:?}");
    }
    assert_eq!(counter.truncate(text, total), (text.to_owned(), total));
}
