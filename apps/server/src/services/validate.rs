//! Collecting field errors, so one 400 lists every bad field at once.

use paidloop_catalog::{Slug, SlugError};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::{ApiError, FieldErrors};

/// Accumulates per-field messages.
#[derive(Debug, Default)]
pub struct Errors(FieldErrors);

impl Errors {
    /// Records `message` against `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Trims `value`; records an error when it is longer than `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        let len = value.chars().count();
        if len > max {
            self.add(
                field,
                format!("Ensure this field has no more than {max} characters (it has {len})."),
            );
        }
        value.to_owned()
    }

    /// Like [`Errors::text`], and also refuses an empty value.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = self.text(field, value, max);
        if value.is_empty() {
            self.add(field, "This field may not be blank.");
        }
        value
    }

    /// The slug of a row being written: `kept` (the stored slug) when the request names
    /// none, else the given slug, or the name when the given one is blank, slugified.
    /// A slug that comes out empty (and the name is not already missing) or too long is
    /// recorded against `slug`.
    pub fn slug(
        &mut self,
        given: Option<&str>,
        kept: Option<&str>,
        name: &str,
        max: usize,
    ) -> String {
        if let (None, Some(kept)) = (given, kept) {
            return kept.to_owned();
        }
        match Slug::parse(given, name, max) {
            Ok(slug) => slug.into_string(),
            // The name's own error already says what is missing.
            Err(SlugError::Empty) if name.is_empty() => String::new(),
            Err(SlugError::Empty) => {
                self.add("slug", "Enter a slug with at least one letter or number.");
                String::new()
            }
            Err(SlugError::TooLong { max, .. }) => {
                self.add(
                    "slug",
                    format!("Ensure this field has no more than {max} characters."),
                );
                String::new()
            }
        }
    }

    /// The `metadata` to store: the given object, else the stored one, else `{}`.
    /// Anything but an object is refused.
    pub fn metadata(&mut self, given: Option<&Value>, stored: Option<&Value>) -> Value {
        match (given, stored) {
            (Some(value), _) if value.is_object() => value.clone(),
            (Some(_), _) => {
                self.add("metadata", "Expected a JSON object.");
                Value::Null
            }
            (None, Some(stored)) => stored.clone(),
            (None, None) => Value::Object(serde_json::Map::new()),
        }
    }

    /// An optional text field: the given value trimmed (and checked against `max`),
    /// else the stored one, else empty.
    pub fn merged_text(
        &mut self,
        field: &str,
        given: Option<&str>,
        stored: Option<&str>,
        max: usize,
    ) -> String {
        match (given, stored) {
            (Some(value), _) => self.text(field, value, max),
            (None, Some(stored)) => stored.to_owned(),
            (None, None) => String::new(),
        }
    }

    /// "This field is required." for a create or a PUT that left a required field out.
    pub fn required(&mut self, field: &str) -> String {
        self.add(field, "This field is required.");
        String::new()
    }

    /// `Ok` when nothing was recorded, else the 400.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// Deserialises a field that may be absent (`None`) or an explicit `null`
/// (`Some(None)`), so PATCH can tell "keep" from "clear".
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A loose email shape check: one `@`, something before it, a dotted domain after it.
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
        && value.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_trims_and_counts_characters_not_bytes() {
        let mut errors = Errors::default();
        assert_eq!(errors.text("name", "  héllo ", 5), "héllo");
        assert!(errors.finish().is_ok());
        let mut errors = Errors::default();
        errors.text("name", "abcdef", 5);
        errors.required_text("other", "   ", 5);
        let Err(ApiError::Validation(fields)) = errors.finish() else {
            panic!("expected a validation error");
        };
        assert!(fields.contains_key("name") && fields.contains_key("other"));
    }

    #[test]
    fn emails_need_a_dotted_domain() {
        assert!(looks_like_email("a@b.co"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("@b.co"));
        assert!(!looks_like_email("a b@c.co"));
        assert!(!looks_like_email("a@@b.co"));
    }
}
