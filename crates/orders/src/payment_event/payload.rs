//! Searching a webhook payload for a field by any of several names, the way the
//! Django edition did: objects are visited breadth-first from the root (values inside
//! arrays are not searched), key names are compared without ASCII case, and within
//! one object the candidate names are tried in the order given.

use std::collections::VecDeque;

use serde_json::{Map, Value};
use uuid::Uuid;

/// Every object of the payload, the root first, then breadth-first.
pub(super) fn objects(root: &Value) -> impl Iterator<Item = &Map<String, Value>> {
    let mut queue: VecDeque<&Map<String, Value>> = VecDeque::new();
    if let Value::Object(map) = root {
        queue.push_back(map);
    }
    std::iter::from_fn(move || {
        let current = queue.pop_front()?;
        queue.extend(current.values().filter_map(Value::as_object));
        Some(current)
    })
}

/// The values of `object` under `name`, compared without ASCII case and ignoring
/// surrounding spaces in the key.
fn values_named<'a>(object: &'a Map<String, Value>, name: &str) -> impl Iterator<Item = &'a Value> {
    object
        .iter()
        .filter(move |(key, _)| key.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

/// The first value, in search order, under one of `names` for which `read` gives
/// something.
pub(super) fn find<'a, T>(
    root: &'a Value,
    names: &[&str],
    mut read: impl FnMut(&'a Value) -> Option<T>,
) -> Option<T> {
    objects(root).find_map(|object| {
        names
            .iter()
            .find_map(|name| values_named(object, name).find_map(&mut read))
    })
}

/// A string (trimmed) or a number as text; `None` for blanks and other JSON types.
pub(super) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first text value under one of `names`.
pub(super) fn find_text(root: &Value, names: &[&str]) -> Option<String> {
    find(root, names, text)
}

/// A UUID in a string: the whole (trimmed) string in any form `uuid` reads
/// (hyphenated, simple, braced, URN), or else the first hyphenated UUID standing as its
/// own word inside it (`order-<uuid>` works, `x<uuid>` does not).
pub(super) fn uuid_in(raw: &str) -> Option<Uuid> {
    let raw = raw.trim();
    if let Ok(id) = Uuid::try_parse(raw) {
        return Some(id);
    }
    const LEN: usize = 36;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    raw.char_indices().find_map(|(start, _)| {
        let candidate = raw.get(start..start + LEN)?;
        let shaped = candidate.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
        let before = raw[..start].chars().next_back();
        let after = raw[start + LEN..].chars().next();
        if shaped && !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            Uuid::try_parse(candidate).ok()
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_are_visited_root_first_and_arrays_are_skipped() {
        let payload = json!({
            "a": {"b": {"c": 1}},
            "list": [{"hidden": true}],
            "d": {"e": 2},
        });
        let keys: Vec<Vec<&str>> = objects(&payload)
            .map(|object| object.keys().map(String::as_str).collect())
            .collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
        assert!(keys[0].contains(&"list"));
        assert!(!keys.iter().flatten().any(|k| *k == "hidden"));
        assert_eq!(keys[3], ["c"]);
        assert_eq!(objects(&json!([{"a": 1}])).count(), 0);
    }

    #[test]
    fn names_are_tried_in_order_within_an_object_and_ignore_case() {
        let payload =
            json!({"ID": "root", "payment_id": "pay_1", "nested": {"payment_id": "deep"}});
        assert_eq!(
            find_text(&payload, &["payment_id", "id"]).as_deref(),
            Some("pay_1")
        );
        assert_eq!(find_text(&payload, &["id"]).as_deref(), Some("root"));
        let shallow_first = json!({"id": "root", "nested": {"payment_id": "deep"}});
        assert_eq!(
            find_text(&shallow_first, &["payment_id", "id"]).as_deref(),
            Some("root")
        );
    }

    #[test]
    fn blanks_and_odd_types_are_skipped() {
        let payload =
            json!({"id": "  ", "x": {"id": null}, "y": {"id": {"deep": 1}}, "z": {"id": 42}});
        assert_eq!(find_text(&payload, &["id"]).as_deref(), Some("42"));
        assert_eq!(find_text(&json!({"id": false}), &["id"]), None);
        assert_eq!(find_text(&json!("not an object"), &["id"]), None);
    }

    #[test]
    fn uuids_whole_or_embedded() {
        let id = Uuid::parse_str("0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d").unwrap();
        for raw in [
            "0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d",
            " 0B0E4C5A-6A38-4F5E-9D1B-3C1F2A4B5C6D ",
            "0b0e4c5a6a384f5e9d1b3c1f2a4b5c6d",
            "{0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d}",
            "urn:uuid:0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d",
            "order-0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d",
            "order 0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d (paid)",
            "é—0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d",
        ] {
            assert_eq!(uuid_in(raw), Some(id), "{raw}");
        }
        for raw in [
            "",
            "42",
            "x0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d",
            "0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d_1",
            "0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6",
            "éx0b0e4c5a-6a38-4f5e-9d1b-3c1f2a4b5c6d",
        ] {
            assert_eq!(uuid_in(raw), None, "{raw}");
        }
    }
}
