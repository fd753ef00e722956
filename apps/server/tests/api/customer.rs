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

async fn account_of_user_sync(app: &TestApp) -> serde_json::Value {
    body(app.get_as("user_sync", "/api/account/customer/").await)
        .await
        .1
}

/// A Clerk `user.updated` event for `id` with this primary email and name.
fn user_updated(id: &str, email: &str, first: &str, last: &str) -> serde_json::Value {
    json!({
        "type": "user.updated",
        "data": {
            "id": id,
            "first_name": first,
            "last_name": last,
            "primary_email_address_id": "idn_1",
            "email_addresses": [{"id": "idn_1", "email_address": email}],
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_keeps_the_account_in_step_except_what_the_buyer_edited() {
    let app = TestApp::spawn().await;
    let before = account_of_user_sync(&app).await;
    assert_eq!(before["billing_email"], "user_sync@example.com");

    // Clerk changes both: the account follows.
    let event = user_updated("user_sync", "new@shop.test", "Ada", "Byron");
    assert_eq!(app.deliver("msg_sync_1", &event).await.status(), 200);
    let synced = account_of_user_sync(&app).await;
    assert_eq!(synced["billing_email"], "new@shop.test");
    assert_eq!(synced["full_name"], "Ada Byron");

    // The buyer sets their own billing email; an unchanged name is no edit.
    let (status, patched) = body(
        app.send_as(
            "user_sync",
            Method::PATCH,
            "/api/account/customer/",
            &json!({"billing_email": "accounts@buyer.test", "full_name": "Ada Byron"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{patched}");

    // Clerk changes both again: the buyer's email stays, the name still follows.
    let event = user_updated("user_sync", "newer@shop.test", "Ada", "Lovelace");
    assert_eq!(app.deliver("msg_sync_2", &event).await.status(), 200);
    let after = account_of_user_sync(&app).await;
    assert_eq!(
        after["billing_email"], "accounts@buyer.test",
        "the buyer's edit stays"
    );
    assert_eq!(after["full_name"], "Ada Lovelace");

    // Once the buyer edits the name too, Clerk no longer changes it either.
    let (status, _) = body(
        app.send_as(
            "user_sync",
            Method::PATCH,
            "/api/account/customer/",
            &json!({"full_name": "Lovelace Consulting"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let event = user_updated("user_sync", "newest@shop.test", "A.", "L.");
    assert_eq!(app.deliver("msg_sync_3", &event).await.status(), 200);
    let last = account_of_user_sync(&app).await;
    assert_eq!(last["billing_email"], "accounts@buyer.test");
    assert_eq!(last["full_name"], "Lovelace Consulting");
}
