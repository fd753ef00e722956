//! Feature keys: the names of what a purchase or plan unlocks (`priority_support`,
//! `pro`), normalised so that "Priority Support" typed by a seller and
//! `priority_support` checked by the app are the same key.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why one text is not a feature key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureKeyError {
    /// Nothing is left after trimming.
    #[error("feature key is empty")]
    Empty,
    /// Longer than an entitlement's `feature_key` column, so fulfilment could not store it.
    #[error("feature key is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Length in characters after normalisation.
        len: usize,
        /// The limit it broke.
        max: usize,
    },
}

/// Why a product's `feature_keys` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureKeysError {
    /// The value is not a JSON array.
    #[error("feature_keys must be an array of feature keys")]
    NotAList,
    /// One entry is too long to become an entitlement.
    #[error("feature key at position {index} is longer than {max} characters")]
    TooLong {
        /// Zero-based position of the entry in the given array.
        index: usize,
        /// The limit it broke.
        max: usize,
    },
}

/// A normalised feature key: trimmed, lower-cased, spaces replaced by `_`, not empty,
/// at most [`FeatureKey::MAX_LEN`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FeatureKey(String);

impl FeatureKey {
    /// Longest key, in characters: the width of an entitlement's `feature_key` column,
    /// checked here so a product cannot carry a key its buyers' entitlements cannot hold.
    pub const MAX_LEN: usize = 80;

    /// Normalises one key: trims it, lower-cases it and turns each space into `_`.
    pub fn parse(raw: &str) -> Result<FeatureKey, FeatureKeyError> {
        let key = raw.trim().to_lowercase().replace(' ', "_");
        if key.is_empty() {
            return Err(FeatureKeyError::Empty);
        }
        let len = key.chars().count();
        if len > Self::MAX_LEN {
            return Err(FeatureKeyError::TooLong {
                len,
                max: Self::MAX_LEN,
            });
        }
        Ok(FeatureKey(key))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FeatureKey {
    type Error = FeatureKeyError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        FeatureKey::parse(&raw)
    }
}

impl From<FeatureKey> for String {
    fn from(key: FeatureKey) -> String {
        key.0
    }
}

impl AsRef<str> for FeatureKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FeatureKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The text a JSON entry of a feature list stands for, as the Django edition read it:
/// empty for "falsy" values (`null`, `false`, `0`, `""`, `[]`, `{}`), `"true"` for `true`,
/// a number's decimal form, a string as it is, and compact JSON for a non-empty array or
/// object. Shared with the claims reader so both lists treat odd entries alike.
pub fn json_text(value: &Value) -> String {
    match value {
        Value::Null | Value::Bool(false) => String::new(),
        Value::Bool(true) => "true".to_owned(),
        Value::Number(n) if n.as_f64() == Some(0.0) => String::new(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => String::new(),
        Value::Object(map) if map.is_empty() => String::new(),
        other => other.to_string(),
    }
}

/// Reads a product's `feature_keys` as a seller sent it: it must be a JSON array; each
/// entry is read with [`json_text`] and normalised like [`FeatureKey::parse`]; empty
/// entries and repeats are dropped, and the first occurrence keeps its place.
pub fn normalize_feature_keys(value: &Value) -> Result<Vec<FeatureKey>, FeatureKeysError> {
    let Value::Array(entries) = value else {
        return Err(FeatureKeysError::NotAList);
    };
    let mut keys: Vec<FeatureKey> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        match FeatureKey::parse(&json_text(entry)) {
            Ok(key) if !keys.contains(&key) => keys.push(key),
            Ok(_) | Err(FeatureKeyError::Empty) => {}
            Err(FeatureKeyError::TooLong { max, .. }) => {
                return Err(FeatureKeysError::TooLong { index, max });
            }
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn texts(keys: &[FeatureKey]) -> Vec<&str> {
        keys.iter().map(FeatureKey::as_str).collect()
    }

    #[test]
    fn parse_trims_lowercases_and_replaces_spaces() {
        assert_eq!(
            FeatureKey::parse("  Priority Support ").unwrap().as_str(),
            "priority_support"
        );
        assert_eq!(FeatureKey::parse("PRO").unwrap().as_str(), "pro");
    }

    #[test]
    fn parse_rejects_blank_and_overlong_keys() {
        assert_eq!(FeatureKey::parse(" \t "), Err(FeatureKeyError::Empty));
        let long = "k".repeat(FeatureKey::MAX_LEN + 1);
        assert_eq!(
            FeatureKey::parse(&long),
            Err(FeatureKeyError::TooLong { len: 81, max: 80 })
        );
        assert!(FeatureKey::parse(&"k".repeat(FeatureKey::MAX_LEN)).is_ok());
    }

    #[test]
    fn normalize_drops_empties_and_duplicates_keeping_order() {
        let keys = normalize_feature_keys(&json!([
            "Pro",
            " api access ",
            "",
            "pro",
            "API ACCESS",
            null,
            "beta"
        ]))
        .unwrap();
        assert_eq!(texts(&keys), ["pro", "api_access", "beta"]);
    }

    #[test]
    fn normalize_stringifies_non_string_entries() {
        let keys = normalize_feature_keys(&json!([true, false, 0, 7, 2.5, [], {}, ["x"]])).unwrap();
        assert_eq!(texts(&keys), ["true", "7", "2.5", "[\"x\"]"]);
    }

    #[test]
    fn normalize_requires_a_list() {
        for value in [json!("pro"), json!({"pro": true}), json!(null), json!(3)] {
            assert_eq!(
                normalize_feature_keys(&value),
                Err(FeatureKeysError::NotAList)
            );
        }
        assert_eq!(
            normalize_feature_keys(&json!([])).unwrap(),
            Vec::<FeatureKey>::new()
        );
    }

    #[test]
    fn normalize_reports_the_position_of_an_overlong_key() {
        let value = json!(["ok", "x".repeat(81)]);
        assert_eq!(
            normalize_feature_keys(&value),
            Err(FeatureKeysError::TooLong { index: 1, max: 80 })
        );
    }

    #[test]
    fn feature_key_round_trips_through_serde_with_normalisation() {
        let key: FeatureKey = serde_json::from_value(json!(" Early Access ")).unwrap();
        assert_eq!(key.as_str(), "early_access");
        assert_eq!(serde_json::to_value(&key).unwrap(), json!("early_access"));
        assert!(serde_json::from_value::<FeatureKey>(json!("  ")).is_err());
    }

    proptest! {
        #[test]
        fn normalized_keys_are_unique_and_already_normal(entries in proptest::collection::vec("[ a-zA-Z_]{0,12}", 0..12)) {
            let value = Value::Array(entries.iter().cloned().map(Value::String).collect());
            let keys = normalize_feature_keys(&value).unwrap();
            for (i, key) in keys.iter().enumerate() {
                prop_assert!(!key.as_str().is_empty());
                prop_assert!(!key.as_str().contains(' '));
                prop_assert_eq!(key.as_str(), key.as_str().to_lowercase());
                prop_assert_eq!(FeatureKey::parse(key.as_str()), Ok(key.clone()));
                prop_assert!(!keys[..i].contains(key));
            }
            // Every non-blank entry is represented.
            for entry in &entries {
                if let Ok(key) = FeatureKey::parse(entry) {
                    prop_assert!(keys.contains(&key));
                }
            }
        }
    }
}
