//! What the server does with no adapter configured: the profile probe says "not
//! configured", and S3 download links are presigned by the server itself.

use reqwest::Method;
use serde_json::json;

use crate::downloads::{asset, grant, sale};
use crate::helpers::{KID, TestApp, body};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_probe_says_not_configured_without_supabase() {
    let app = TestApp::spawn().await;
    let (status, answer) = body(app.get_as("user_probe", "/api/supabase/profile/").await).await;
    assert_eq!(status, 200);
    assert_eq!(answer["ok"], false);
    assert!(
        answer["detail"].as_str().unwrap().contains("SUPABASE_URL"),
        "{answer}"
    );
    assert!(answer.get("profile").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_download_links_are_presigned_for_the_bucket() {
    let app = TestApp::builder()
        .env("ASSET_STORAGE_BACKEND", "s3")
        .env("ASSET_STORAGE_BUCKET", "assets")
        .env("ASSET_STORAGE_S3_ENDPOINT_URL", "https://s3.storage.test")
        .env("ASSET_STORAGE_S3_REGION", "eu-central-1")
        .env("ASSET_STORAGE_S3_ACCESS_KEY_ID", "AKIDTEST")
        .env("ASSET_STORAGE_S3_SECRET_ACCESS_KEY", "s3-secret")
        .start()
        .await;
    app.publish_keys(&[(KID, &paidloop_clerk::testing::TestKeys::RSA_A)])
        .await;
    let sold = sale(&app, "seller_s3", "buyer_s3", "digital").await;
    let file = asset(&app, sold.product, "Guide", "/books/guide v2.pdf").await;
    let token = grant(&app, &sold, file, |_| {}).await.token;
    let (status, answer) = body(
        app.send_as(
            "buyer_s3",
            Method::POST,
            &format!("/api/account/downloads/{token}/access/"),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let url = url::Url::parse(answer["download_url"].as_str().unwrap()).unwrap();
    assert_eq!(url.host_str(), Some("s3.storage.test"));
    assert_eq!(url.path(), "/assets/books/guide%20v2.pdf");
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert!(query["X-Amz-Credential"].starts_with("AKIDTEST/"));
    assert!(query["X-Amz-Credential"].ends_with("/eu-central-1/s3/aws4_request"));
    assert_eq!(query["X-Amz-Expires"], "600");
    assert_eq!(query["X-Amz-Signature"].len(), 64);
    assert_eq!(answer["grant"]["download_count"], 1);
}
