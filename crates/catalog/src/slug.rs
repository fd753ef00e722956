//! URL slugs: the same folding as Django's `slugify`, and a `Slug` type that holds only
//! a non-empty slug within its column's length.

use std::fmt;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// Turns free text into a URL slug the way the Django edition does, so a product or
/// project keeps the same slug whichever edition created it.
///
/// Steps: Unicode NFKD decomposition with every non-ASCII character dropped (accents
/// fall away, letters with no ASCII decomposition disappear), ASCII lower-case, every
/// character other than a letter, digit, `_`, `-` or whitespace removed, each run of
/// whitespace and hyphens replaced by one `-`, and leading/trailing `-` and `_` stripped.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut in_separator_run = false;
    let ascii = text
        .nfkd()
        .filter(char::is_ascii)
        .map(|c| c.to_ascii_lowercase());
    for c in ascii {
        if c == '-' || is_python_space(c) {
            if !in_separator_run {
                slug.push('-');
                in_separator_run = true;
            }
        } else if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
            in_separator_run = false;
        }
        // Anything else is punctuation or a control character: dropped without
        // ending a separator run, as Django removes it before collapsing runs.
    }
    slug.trim_matches(['-', '_']).to_owned()
}

/// Whitespace as Python's `\s` sees it within ASCII: besides the usual five, the
/// vertical tab and the four information separators (0x1C..=0x1F) count, which
/// `char::is_ascii_whitespace` leaves out.
fn is_python_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f'
    )
}

/// Why no slug could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// Neither the given slug nor the fallback name leaves any slug character.
    #[error("slug is required")]
    Empty,
    /// The slug is longer than its column allows.
    #[error("slug is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Length of the slug that was made.
        len: usize,
        /// The limit it broke.
        max: usize,
    },
}

/// A non-empty slug of `[a-z0-9_-]` characters within a length limit, with no leading
/// or trailing `-`/`_` and no doubled hyphen: a value that passed [`Slug::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Makes the slug of a product or project: from the given slug when it slugifies to
    /// something, else from the name (so a seller can leave the slug blank, or type
    /// one made only of punctuation, and still get one).
    ///
    /// The length limit applies to the slug made, not to the text typed, as the column
    /// stores the slug.
    pub fn parse(
        given: Option<&str>,
        fallback_name: &str,
        max_len: usize,
    ) -> Result<Slug, SlugError> {
        let from_given = given.map(slugify).filter(|slug| !slug.is_empty());
        let slug = from_given.unwrap_or_else(|| slugify(fallback_name));
        if slug.is_empty() {
            return Err(SlugError::Empty);
        }
        // A slug is ASCII, so its byte length is its character count.
        if slug.len() > max_len {
            return Err(SlugError::TooLong {
                len: slug.len(),
                max: max_len,
            });
        }
        Ok(Slug(slug))
    }

    /// The slug as text, for queries and responses.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The slug as an owned string, for storing it.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugify_lowers_and_joins_words_with_hyphens() {
        assert_eq!(slugify("Hello World"), "hello-world");
        assert_eq!(slugify("  My   first\tProduct  "), "my-first-product");
    }

    #[test]
    fn slugify_folds_accents_and_drops_what_has_no_ascii_form() {
        assert_eq!(slugify("Café Déjà Vu"), "cafe-deja-vu");
        assert_eq!(slugify("Straße"), "strae");
        assert_eq!(slugify("日本 guide"), "guide");
        assert_eq!(slugify("日本"), "");
    }

    #[test]
    fn slugify_applies_compatibility_decomposition() {
        // The "fi" ligature and the vulgar fraction decompose to ASCII pieces.
        assert_eq!(slugify("\u{FB01}le"), "file");
        assert_eq!(slugify("½ price"), "12-price");
    }

    #[test]
    fn slugify_removes_punctuation_and_collapses_separators() {
        assert_eq!(slugify("Rock & Roll!!"), "rock-roll");
        assert_eq!(slugify("a -- b"), "a-b");
        assert_eq!(slugify("a.-.b"), "a-b");
        assert_eq!(slugify("snake_case stays"), "snake_case-stays");
    }

    #[test]
    fn slugify_strips_leading_and_trailing_hyphens_and_underscores() {
        assert_eq!(slugify("__a--b__"), "a-b");
        assert_eq!(slugify("_-x-_"), "x");
        assert_eq!(slugify("-_-"), "");
    }

    #[test]
    fn slugify_treats_python_whitespace_as_separators() {
        assert_eq!(slugify("a\u{0b}b"), "a-b");
        assert_eq!(slugify("a\u{1c}b"), "a-b");
        // Other control characters are removed, not turned into separators.
        assert_eq!(slugify("a\u{07}b"), "ab");
    }

    #[test]
    fn parse_prefers_the_given_slug() {
        let slug = Slug::parse(Some("Launch Kit"), "Ignored Name", 200).unwrap();
        assert_eq!(slug.as_str(), "launch-kit");
    }

    #[test]
    fn parse_falls_back_to_the_name_when_the_slug_is_blank_or_absent() {
        assert_eq!(
            Slug::parse(None, "Pro Plan", 200).unwrap().as_str(),
            "pro-plan"
        );
        assert_eq!(
            Slug::parse(Some("   "), "Pro Plan", 200).unwrap().as_str(),
            "pro-plan"
        );
        assert_eq!(
            Slug::parse(Some("!!!"), "Pro Plan", 200).unwrap().as_str(),
            "pro-plan"
        );
    }

    #[test]
    fn parse_rejects_an_empty_result() {
        assert_eq!(Slug::parse(Some(""), "???", 200), Err(SlugError::Empty));
        assert_eq!(Slug::parse(None, "", 200), Err(SlugError::Empty));
    }

    #[test]
    fn parse_rejects_a_slug_over_the_limit_and_accepts_one_at_it() {
        assert_eq!(
            Slug::parse(Some("abcdef"), "", 5),
            Err(SlugError::TooLong { len: 6, max: 5 })
        );
        assert_eq!(Slug::parse(Some("abcde"), "", 5).unwrap().as_str(), "abcde");
    }

    #[test]
    fn slug_serializes_as_a_plain_string() {
        let slug = Slug::parse(Some("a b"), "", 10).unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"a-b\"");
        assert_eq!(slug.to_string(), "a-b");
    }

    proptest! {
        #[test]
        fn slugify_output_uses_only_slug_characters(text in any::<String>()) {
            let slug = slugify(&text);
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'));
            prop_assert!(!slug.starts_with(['-', '_']) && !slug.ends_with(['-', '_']));
            prop_assert!(!slug.contains("--"));
        }

        #[test]
        fn slugify_is_idempotent(text in any::<String>()) {
            let once = slugify(&text);
            prop_assert_eq!(slugify(&once), once);
        }

        #[test]
        fn slugify_joins_plain_words_with_single_hyphens(words in proptest::collection::vec("[A-Za-z0-9]{1,8}", 1..6), gap in "[ \t-]{1,3}") {
            let slug = slugify(&words.join(&gap));
            prop_assert_eq!(slug, words.join("-").to_ascii_lowercase());
        }

        #[test]
        fn parsed_slugs_respect_the_limit(given in proptest::option::of(any::<String>()), name in any::<String>(), max in 0usize..40) {
            match Slug::parse(given.as_deref(), &name, max) {
                Ok(slug) => {
                    prop_assert!(!slug.as_str().is_empty());
                    prop_assert!(slug.as_str().len() <= max);
                }
                Err(SlugError::Empty) => {
                    prop_assert!(given.as_deref().map(slugify).unwrap_or_default().is_empty());
                    prop_assert!(slugify(&name).is_empty());
                }
                Err(SlugError::TooLong { len, max: limit }) => prop_assert!(len > limit),
            }
        }
    }
}
