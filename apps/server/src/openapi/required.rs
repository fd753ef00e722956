//! Response fields the server always sends are `required`, nullable or not.
//!
//! utoipa leaves an `Option` field out of `required`, which suits request bodies (a
//! PATCH may leave anything out) but not answers: a client generated from the document
//! would have to treat `paid_at` as maybe-missing when the server always sends it,
//! `null` or a time. This pass marks every property of every schema that no request
//! body uses as required, except the few the server really leaves out.

use std::collections::BTreeSet;

use utoipa::Modify;
use utoipa::openapi::schema::{ArrayItems, Object, Schema};
use utoipa::openapi::{OpenApi as Document, RefOr};

/// `(schema, field)` pairs of answers that are sent only sometimes.
const SOMETIMES_SENT: [(&str, &str); 10] = [
    ("WebhookAck", "ignored"),
    ("WebhookAck", "deduplicated"),
    ("RefusedGrant", "grant"),
    ("ValidationErrors", "detail"),
    ("PreflightEmailResult", "recipient_email"),
    ("PreflightEmailResult", "sent_at"),
    ("PreflightEmailResult", "error"),
    ("SupabaseProfileProbe", "profile"),
    ("SupabaseProfileProbe", "source_table"),
    ("SupabaseProfileProbe", "error"),
];

/// The pass; see the module documentation.
pub struct ResponseFieldsRequired;

impl Modify for ResponseFieldsRequired {
    fn modify(&self, openapi: &mut Document) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let mut requests = BTreeSet::new();
        for item in openapi.paths.paths.values() {
            let operations = [&item.post, &item.put, &item.patch, &item.get, &item.delete];
            for operation in operations.into_iter().flatten() {
                let bodies = operation
                    .request_body
                    .iter()
                    .flat_map(|b| b.content.values());
                for schema in bodies.filter_map(|c| c.schema.as_ref()) {
                    references(schema, &mut requests);
                }
            }
        }
        // What request schemas refer to is a request schema too.
        let mut pending: Vec<String> = requests.iter().cloned().collect();
        while let Some(name) = pending.pop() {
            let mut found = BTreeSet::new();
            if let Some(schema) = components.schemas.get(&name) {
                references(schema, &mut found);
            }
            pending.extend(found.into_iter().filter(|n| requests.insert(n.clone())));
        }
        for (name, schema) in components.schemas.iter_mut() {
            if !requests.contains(name) {
                require_all(name, schema);
            }
        }
    }
}

fn require_all(name: &str, schema: &mut RefOr<Schema>) {
    match schema {
        RefOr::T(Schema::Object(object)) => require_properties(name, object),
        // A flattened struct: its own fields are an inline object among `allOf`.
        RefOr::T(Schema::AllOf(all)) => {
            for item in &mut all.items {
                require_all(name, item);
            }
        }
        _ => {}
    }
}

fn require_properties(name: &str, object: &mut Object) {
    for property in object.properties.keys() {
        let sometimes = SOMETIMES_SENT.contains(&(name, property.as_str()));
        if !sometimes && !object.required.contains(property) {
            object.required.push(property.clone());
        }
    }
}

/// Adds the names of the component schemas `schema` refers to.
fn references(schema: &RefOr<Schema>, out: &mut BTreeSet<String>) {
    match schema {
        RefOr::Ref(reference) => {
            if let Some(name) = reference.ref_location.rsplit('/').next() {
                out.insert(name.to_owned());
            }
        }
        RefOr::T(Schema::Object(object)) => {
            for property in object.properties.values() {
                references(property, out);
            }
        }
        RefOr::T(Schema::Array(array)) => {
            if let ArrayItems::RefOrSchema(items) = &array.items {
                references(items, out);
            }
        }
        RefOr::T(Schema::OneOf(one)) => one.items.iter().for_each(|s| references(s, out)),
        RefOr::T(Schema::AllOf(all)) => all.items.iter().for_each(|s| references(s, out)),
        RefOr::T(Schema::AnyOf(any)) => any.items.iter().for_each(|s| references(s, out)),
        RefOr::T(_) => {}
    }
}
