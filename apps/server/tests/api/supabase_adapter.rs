// remove-adapter-file: supabase
//! The Supabase adapter wired into the server: `supabase/profile/` and Storage download
//! links against a fake Supabase (wiremock).

use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::downloads::{asset, grant, sale, stored};
use crate::helpers::{KID, TestApp, body};

async fn with_supabase(supabase: &MockServer, debug: bool) -> TestApp {
    let app = TestApp::builder()
        .env("APP_DEBUG", if debug { "true" } else { "false" })
        .env("SUPABASE_URL", &supabase.uri())
        .env("SUPABASE_ANON_KEY", "anon")
        .env("SUPABASE_SERVICE_ROLE_KEY", "service")
        .env("SUPABASE_PROFILE_TABLE", "members")
        .env("ASSET_STORAGE_BACKEND", "supabase")
        .start()
        .await;
    app.publish_keys(&[(KID, &paidloop_clerk::testing::TestKeys::RSA_A)])
        .await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_probe_falls_back_to_a_table_that_exists() {
    let supabase = MockServer::start().await;
    Mock::given(path("/rest/v1/members"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"code": "PGRST205", "message": "no table"})),
        )
        .mount(&supabase)
        .await;
    Mock::given(path("/rest/v1/api_profile"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"clerk_user_id": "user_sb", "plan": "pro"}])),
        )
        .mount(&supabase)
        .await;
    let app = with_supabase(&supabase, false).await;
    let (status, answer) = body(app.get_as("user_sb", "/api/supabase/profile/").await).await;
    assert_eq!(status, 200);
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["source_table"], "api_profile");
    assert_eq!(answer["profile"]["plan"], "pro");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_is_ok_false_with_internals_only_in_debug() {
    let supabase = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Invalid API key"})),
        )
        .mount(&supabase)
        .await;
    for debug in [false, true] {
        let app = with_supabase(&supabase, debug).await;
        let (status, answer) = body(app.get_as("user_sb", "/api/supabase/profile/").await).await;
        assert_eq!(status, 200);
        assert_eq!(answer["ok"], false);
        assert!(
            answer["detail"]
                .as_str()
                .unwrap()
                .contains("SUPABASE_ANON_KEY"),
            "{answer}"
        );
        assert_eq!(answer.get("error").is_some(), debug, "{answer}");
    }
    // An unreachable Supabase is ok:false too, never a 5xx. The address is a port nothing
    // listens on (bound, then freed); a dropped MockServer would not do, because wiremock
    // pools its servers and another test may be serving a healthy Supabase from it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let uri = format!("http://127.0.0.1:{port}");
    let app = TestApp::builder()
        .env("SUPABASE_URL", &uri)
        .env("SUPABASE_ANON_KEY", "anon")
        .start()
        .await;
    app.publish_keys(&[(KID, &paidloop_clerk::testing::TestKeys::RSA_A)])
        .await;
    let (status, answer) = body(app.get_as("user_sb", "/api/supabase/profile/").await).await;
    assert_eq!(
        (status, answer["ok"].clone()),
        (200, json!(false)),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_links_come_from_supabase_storage() {
    let supabase = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/storage/v1/object/sign/digital-assets/books/guide.pdf",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "signedURL": "/object/sign/digital-assets/books/guide.pdf?token=signed"
        })))
        .expect(1)
        .mount(&supabase)
        .await;
    let app = with_supabase(&supabase, false).await;
    let sold = sale(&app, "seller_sb", "buyer_sb", "digital").await;
    let file = asset(&app, sold.product, "Guide", "books/guide.pdf").await;
    let token = grant(&app, &sold, file, |_| {}).await.token;
    let (status, answer) = body(
        app.send_as(
            "buyer_sb",
            Method::POST,
            &format!("/api/account/downloads/{token}/access/"),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["download_url"],
        format!(
            "{}/storage/v1/object/sign/digital-assets/books/guide.pdf?token=signed",
            supabase.uri()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supabase_storage_without_a_project_is_503_and_costs_nothing() {
    let app = TestApp::builder()
        .env("ASSET_STORAGE_BACKEND", "supabase")
        .start()
        .await;
    app.publish_keys(&[(KID, &paidloop_clerk::testing::TestKeys::RSA_A)])
        .await;
    let sold = sale(&app, "seller_sb503", "buyer_sb503", "digital").await;
    let file = asset(&app, sold.product, "Guide", "books/guide.pdf").await;
    let row = grant(&app, &sold, file, |_| {}).await;
    let (status, answer) = body(
        app.send_as(
            "buyer_sb503",
            Method::POST,
            &format!("/api/account/downloads/{}/access/", row.token),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 503, "{answer}");
    assert!(
        answer["detail"].as_str().unwrap().contains("SUPABASE_URL"),
        "{answer}"
    );
    assert_eq!(stored(&app, row.id).await.download_count, 0);
}
