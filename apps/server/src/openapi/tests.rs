//! The document against the router, and the rules every operation follows.

use std::collections::{BTreeSet, HashSet};

use actix_web::App;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::path::Operation;

use super::document;
use crate::routes::{self, ServedRoute};

/// Every method and path the router serves.
fn served(dev_auth_active: bool) -> BTreeSet<ServedRoute> {
    let mut served = Vec::new();
    let _app = App::new().configure(|cfg| served = routes::configure(cfg, dev_auth_active));
    served.into_iter().collect()
}

/// Every operation of the document, with its method and path.
fn operations(doc: &Document) -> Vec<(ServedRoute, &Operation)> {
    let mut out = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
            ("HEAD", &item.head),
            ("OPTIONS", &item.options),
            ("TRACE", &item.trace),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation {
                let route = ServedRoute {
                    method: method.to_owned(),
                    path: path.clone(),
                };
                out.push((route, operation));
            }
        }
    }
    out
}

fn documented(dev_auth_active: bool) -> BTreeSet<ServedRoute> {
    operations(&document(dev_auth_active))
        .into_iter()
        .map(|(route, _)| route)
        .collect()
}

#[test]
fn the_document_names_exactly_what_the_router_serves() {
    for dev in [true, false] {
        let served = served(dev);
        let documented = documented(dev);
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty() && unserved.is_empty(),
            "dev sign-in {dev}: served but not documented {undocumented:?}; \
             documented but not served {unserved:?}"
        );
    }
}

#[test]
fn dev_sign_in_is_documented_only_when_it_is_served() {
    let dev_session = ServedRoute {
        method: "POST".into(),
        path: "/api/dev/session/".into(),
    };
    assert!(documented(true).contains(&dev_session));
    assert!(!documented(false).contains(&dev_session));
}

#[test]
fn every_operation_has_a_summary_one_known_tag_and_a_unique_id() {
    let doc = document(true);
    let known: HashSet<String> = doc
        .tags
        .iter()
        .flatten()
        .map(|tag| tag.name.clone())
        .collect();
    let mut ids = HashSet::new();
    for (route, operation) in operations(&doc) {
        let summary = operation.summary.as_deref().unwrap_or_default();
        assert!(!summary.is_empty(), "{route:?} has no summary");
        let tags = operation.tags.clone().unwrap_or_default();
        assert!(
            tags.len() == 1 && known.contains(&tags[0]),
            "{route:?} has tags {tags:?}"
        );
        let id = operation.operation_id.clone().unwrap_or_default();
        assert!(
            ids.insert(id.clone()),
            "{route:?} repeats operation id {id}"
        );
    }
}

#[test]
fn signed_in_operations_document_401_and_bodies_document_400_413_415() {
    let doc = document(true);
    for (route, operation) in operations(&doc) {
        let statuses: Vec<&str> = operation
            .responses
            .responses
            .keys()
            .map(String::as_str)
            .collect();
        if operation.security.is_some() {
            assert!(statuses.contains(&"401"), "{route:?}: {statuses:?}");
        }
        if operation.request_body.is_some() {
            assert!(statuses.contains(&"400"), "{route:?}: {statuses:?}");
            assert!(statuses.contains(&"413"), "{route:?}: {statuses:?}");
        }
        if route.path.contains('{') {
            assert!(statuses.contains(&"404"), "{route:?}: {statuses:?}");
        }
        assert!(
            statuses.iter().any(|s| s.starts_with('2')),
            "{route:?} documents no success"
        );
    }
}

#[test]
fn every_rate_limited_operation_documents_429_with_retry_after() {
    use actix_web::http::Method;

    use crate::http::rate_limit::policy::{Charge, classify};

    let doc = document(true);
    let mut limited = 0;
    for (route, operation) in operations(&doc) {
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        let documents_429 = operation.responses.responses.contains_key("429");
        let is_limited = classify(&method, &route.path) != Charge::Exempt;
        assert_eq!(documents_429, is_limited, "{route:?}");
        limited += usize::from(is_limited);
    }
    for exempt in ["/api/health/", "/api/ready/", "/api/webhooks/clerk/"] {
        assert!(
            doc.paths.paths.contains_key(exempt),
            "{exempt} is documented"
        );
    }
    assert!(limited > 30, "only {limited} limited operations");
    let json = serde_json::to_value(&doc).unwrap();
    let too_many = &json["components"]["responses"]["TooManyRequests"];
    assert_eq!(
        too_many["headers"]["Retry-After"]["schema"]["type"],
        "integer"
    );
    assert_eq!(
        json["paths"]["/api/account/orders/create/"]["post"]["responses"]["429"]["$ref"],
        "#/components/responses/TooManyRequests"
    );
}

#[test]
fn it_is_openapi_3_1_with_both_security_schemes() {
    let json = serde_json::to_value(document(false)).expect("serialisable");
    assert_eq!(json["openapi"], "3.1.0");
    let schemes = &json["components"]["securitySchemes"];
    assert_eq!(schemes["bearer_jwt"]["scheme"], "bearer");
    assert_eq!(schemes["session_cookie"]["in"], "cookie");
    assert_eq!(schemes["session_cookie"]["name"], "__session");
    let order_status = &json["components"]["schemas"]["OrderStatus"]["enum"];
    assert!(
        order_status
            .as_array()
            .is_some_and(|v| v.contains(&"fulfilled".into()))
    );
}

#[test]
fn answers_require_their_nullable_fields_and_requests_do_not() {
    let json = serde_json::to_value(document(false)).expect("serialisable");
    let schemas = &json["components"]["schemas"];
    let required = |name: &str| -> Vec<String> {
        serde_json::from_value(schemas[name]["required"].clone()).unwrap_or_default()
    };
    assert!(required("Order").contains(&"paid_at".to_owned()));
    assert!(required("WorkOrder").contains(&"due_at".to_owned()));
    assert!(!required("WebhookAck").contains(&"ignored".to_owned()));
    assert!(!required("RefusedGrant").contains(&"grant".to_owned()));
    assert!(required("ProductInput").is_empty());
    assert_eq!(required("CreateOrder"), ["price_id"]);
}
