//! `JsonBody<T>`: the JSON request extractor with the error shapes of the spec.
//!
//! actix's own `web::Json` answers bad input with plain-text errors; this one answers 415
//! for a non-JSON content type, 413 over the size limit, 400 `{"detail"}` for malformed
//! JSON, 400 `{"non_field_errors"}` when the body is not an object, and 400
//! `{"field": [...]}` naming the field when a value has the wrong type or is missing.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, FieldErrors};

/// The largest JSON body accepted (1 MiB).
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// A JSON object body deserialised into `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_length.is_some_and(|len| len > MAX_JSON_BYTES) {
                return Err(too_large());
            }
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk: Bytes = chunk.map_err(|err| {
                    ApiError::BadRequest(format!("Could not read the body: {err}"))
                })?;
                if body.len() + chunk.len() > MAX_JSON_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            let value = if body.iter().all(u8::is_ascii_whitespace) {
                Value::Object(serde_json::Map::new())
            } else {
                check_content_type(content_type.as_deref())?;
                serde_json::from_slice::<Value>(&body)
                    .map_err(|err| ApiError::BadRequest(format!("JSON parse error - {err}")))?
            };
            refuse_nul(&value)?;
            from_value(value).map(JsonBody)
        })
    }
}

fn too_large() -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "Request body is larger than {MAX_JSON_BYTES} bytes."
    ))
}

fn check_content_type(content_type: Option<&str>) -> Result<(), ApiError> {
    let essence = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|ct| ct.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if essence == "application/json" || essence.ends_with("+json") {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "Unsupported media type \"{essence}\" in request; send application/json."
        )))
    }
}

/// Refuses a body with a NUL character in any string or key: Postgres cannot store one
/// in text or JSONB, so it would fail as a 500 deep in a write instead of a 400 here.
fn refuse_nul(body: &Value) -> Result<(), ApiError> {
    fn has_nul(value: &Value) -> bool {
        match value {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().any(has_nul),
            Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    let Value::Object(map) = body else {
        return Ok(());
    };
    match map.iter().find(|(k, v)| k.contains('\0') || has_nul(v)) {
        Some((field, _)) => Err(ApiError::field(
            &field.replace('\0', ""),
            "Null characters are not allowed.",
        )),
        None => Ok(()),
    }
}

/// Deserialises an already-parsed JSON value, naming the field that failed.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    if !value.is_object() {
        let got = match value {
            Value::Array(_) => "list",
            Value::String(_) => "str",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        let mut errors = FieldErrors::new();
        errors.insert(
            "non_field_errors".to_owned(),
            vec![format!(
                "Invalid data. Expected a dictionary, but got {got}."
            )],
        );
        return Err(ApiError::Validation(errors));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        let (field, message) = match (path.as_str(), missing_field(&message)) {
            (".", Some(name)) => (name.to_owned(), "This field is required.".to_owned()),
            (".", None) => ("non_field_errors".to_owned(), message),
            _ => (path, message),
        };
        let mut errors = FieldErrors::new();
        errors.insert(field, vec![message]);
        ApiError::Validation(errors)
    })
}

/// The field name out of serde's "missing field `name`" message.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Input {
        #[allow(dead_code)]
        name: String,
        #[allow(dead_code)]
        count: Option<u32>,
    }

    fn field_errors(err: ApiError) -> FieldErrors {
        match err {
            ApiError::Validation(errors) => errors,
            other => panic!("expected validation, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let errors = field_errors(
            from_value::<Input>(serde_json::json!({"name": "x", "count": "many"})).unwrap_err(),
        );
        assert!(errors.contains_key("count"), "{errors:?}");
    }

    #[test]
    fn a_missing_field_is_required() {
        let errors = field_errors(from_value::<Input>(serde_json::json!({})).unwrap_err());
        assert_eq!(errors["name"], ["This field is required."]);
    }

    #[test]
    fn a_list_is_not_an_object() {
        let errors = field_errors(from_value::<Input>(serde_json::json!([1])).unwrap_err());
        assert!(errors["non_field_errors"][0].contains("list"));
    }

    #[test]
    fn a_nul_character_anywhere_is_refused_naming_the_field() {
        let nested = serde_json::json!({"name": "ok", "metadata": {"a": ["x\u{0}"]}});
        let errors = field_errors(refuse_nul(&nested).unwrap_err());
        assert!(errors.contains_key("metadata"), "{errors:?}");
        let plain = serde_json::json!({"name": "a\u{0}b"});
        assert!(field_errors(refuse_nul(&plain).unwrap_err()).contains_key("name"));
        assert!(refuse_nul(&serde_json::json!({"name": "fine", "n": 1})).is_ok());
    }

    #[test]
    fn only_json_content_types_pass() {
        assert!(check_content_type(Some("application/json; charset=utf-8")).is_ok());
        assert!(check_content_type(Some("application/merge-patch+json")).is_ok());
        assert!(check_content_type(Some("text/plain")).is_err());
        assert!(check_content_type(None).is_err());
    }
}
