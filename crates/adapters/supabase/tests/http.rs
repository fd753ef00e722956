//! The Supabase client against a fake Supabase (wiremock).

use std::time::Duration;

use paidloop_supabase::{ProbeError, SignError, SupabaseClient, SupabaseSettings};
use serde_json::json;
use url::Url;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> SupabaseClient {
    SupabaseClient::new(
        SupabaseSettings {
            url: Url::parse(&server.uri()).expect("mock url"),
            anon_key: Some("anon-key".into()),
            service_role_key: Some("service-key".into()),
            timeout: Duration::from_secs(2),
        },
        reqwest::Client::new(),
    )
}

fn tables(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn missing_table() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({
        "code": "PGRST205",
        "details": null,
        "hint": null,
        "message": "Could not find the table 'public.x' in the schema cache",
    }))
}

#[tokio::test]
async fn the_probe_reads_the_configured_table_with_the_anon_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rest/v1/members"))
        .and(query_param("clerk_user_id", "eq.user_1"))
        .and(query_param("limit", "1"))
        .and(header("apikey", "anon-key"))
        .and(header("authorization", "Bearer anon-key"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": 7, "clerk_user_id": "user_1"}])),
        )
        .expect(1)
        .mount(&server)
        .await;

    let hit = client(&server)
        .probe_profile(&tables(&["members", "api_profile", "profiles"]), "user_1")
        .await
        .expect("probe");
    assert_eq!(hit.table, "members");
    assert_eq!(hit.row, Some(json!({"id": 7, "clerk_user_id": "user_1"})));
}

#[tokio::test]
async fn a_missing_table_falls_back_to_the_next_one() {
    let server = MockServer::start().await;
    for table in ["members", "api_profile"] {
        Mock::given(path(format!("/rest/v1/{table}")))
            .respond_with(missing_table())
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(path("/rest/v1/profiles"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let hit = client(&server)
        .probe_profile(&tables(&["members", "api_profile", "profiles"]), "user_1")
        .await
        .expect("probe");
    assert_eq!(hit.table, "profiles");
    assert_eq!(hit.row, None);

    let none = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(missing_table())
        .mount(&none)
        .await;
    assert_eq!(
        client(&none)
            .probe_profile(&tables(&["api_profile", "profiles"]), "user_1")
            .await,
        Err(ProbeError::NoTable(tables(&["api_profile", "profiles"])))
    );
}

#[tokio::test]
async fn a_refused_key_stops_the_probe() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "message": "Invalid API key",
            "hint": "Double check your Supabase `anon` or `service_role` API key.",
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server)
        .probe_profile(&tables(&["api_profile", "profiles"]), "user_1")
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ProbeError::Unauthorized {
            status: 401,
            message: "Invalid API key".into()
        }
    );
}

#[tokio::test]
async fn a_signed_url_is_asked_with_the_service_key_and_joined_to_the_project() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/storage/v1/object/sign/digital-assets/books/guide.pdf",
        ))
        .and(header("apikey", "service-key"))
        .and(header("authorization", "Bearer service-key"))
        .and(body_json(json!({"expiresIn": 600})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "signedURL": "/object/sign/digital-assets/books/guide.pdf?token=abc"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let url = client(&server)
        .signed_url("digital-assets", "books/guide.pdf", 600)
        .await
        .expect("signed");
    assert_eq!(
        url.as_str(),
        format!(
            "{}/storage/v1/object/sign/digital-assets/books/guide.pdf?token=abc",
            server.uri()
        )
    );
}

#[tokio::test]
async fn a_storage_error_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "statusCode": "404", "error": "not_found", "message": "Object not found"
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .signed_url("digital-assets", "nope.pdf", 600)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        SignError::Failed("Storage answered HTTP 400: Object not found".into())
    );
}
