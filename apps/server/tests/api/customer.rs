//! The customer account: read and PATCH with validation.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, body};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_updates_and_normalises_the_account() {
    let app = TestApp::spawn().await;
    let (status, account) = body(app.get_as("user_c", "/api/account/customer/").await).await;
    assert_eq!(status, 200);
    assert_eq!(account["profile"]["clerk_user_id"], "user_c");
    assert_eq!(account["country"], "");
    let (status, patched) = body(
        app.send_as(
            "user_c",
            Method::PATCH,
            "/api/account/customer/",
            &json!({"country": " us ", "company_name": " Acme ", "tax_id": "DE123", "metadata": {"segment": "indie"}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["country"], "US");
    assert_eq!(patched["company_name"], "Acme");
    assert_eq!(patched["tax_id"], "DE123");
    assert_eq!(patched["metadata"], json!({"segment": "indie"}));
    assert_eq!(
        patched["billing_email"], "user_c@example.com",
        "untouched fields stay"
    );
    let (_, again) = body(app.get_as("user_c", "/api/account/customer/").await).await;
    assert_eq!(again["country"], "US");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_patches_are_refused_whole() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"country": "U"}), "country"),
        (json!({"country": "USA"}), "country"),
        (json!({"country": "1A"}), "country"),
        (json!({"tax_id": "9".repeat(65)}), "tax_id"),
        (json!({"full_name": "n".repeat(181)}), "full_name"),
        (json!({"billing_email": "not-an-email"}), "billing_email"),
        (json!({"metadata": [1, 2]}), "metadata"),
        (json!({"company_name": 7}), "company_name"),
    ];
    for (input, field) in cases {
        let mut input = input;
        // A valid field alongside must not be written either.
        input["company_name"] = input
            .get("company_name")
            .cloned()
            .unwrap_or(json!("Should Not Stick"));
        let (status, errors) = body(
            app.send_as("user_d", Method::PATCH, "/api/account/customer/", &input)
                .await,
        )
        .await;
        assert_eq!(status, 400, "{input}: {errors}");
        assert!(errors[field].is_array(), "{input}: {errors}");
    }
    let (_, account) = body(app.get_as("user_d", "/api/account/customer/").await).await;
    assert_eq!(account["company_name"], "");
    assert_eq!(account["country"], "");
}
