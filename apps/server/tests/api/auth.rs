//! Authentication: every way a token can be refused, the ways it is accepted, the
//! cookie CSRF rule, JWKS caching, and the profile sync that follows.

use std::time::Duration;

use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use paidloop_clerk::testing::TestKeys;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{KID, SPA_ORIGIN, TestApp, body};

async fn me_with_token(app: &TestApp, token: &str) -> (u16, Value) {
    body(
        app.request(Method::GET, "/api/me/")
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn assert_rejected(app: &TestApp, token: &str, why: &str) {
    let response = app
        .request(Method::GET, "/api/me/")
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap()),
        Some("Bearer"),
        "{why}"
    );
    let (status, body) = body(response).await;
    assert_eq!(status, 401, "{why}: {body}");
    assert!(body["detail"].is_string(), "{why}: {body}");
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn without(mut claims: Value, key: &str) -> Value {
    claims.as_object_mut().unwrap().remove(key);
    claims
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_token_is_accepted_and_creates_profile_and_account() {
    let app = TestApp::spawn().await;
    let (status, me) = me_with_token(&app, &app.token("user_alice")).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["clerk_user_id"], "user_alice");
    assert_eq!(me["email"], "user_alice@example.com");
    assert_eq!(me["profile"]["first_name"], "Test");
    assert_eq!(me["profile"]["plan_tier"], "free");
    assert_eq!(me["customer_account"]["external_customer_id"], "user_alice");
    assert_eq!(
        me["customer_account"]["billing_email"],
        "user_alice@example.com"
    );
    assert_eq!(me["customer_account"]["full_name"], "Test User");
    assert_eq!(app.count("profiles").await, 1);
    assert_eq!(app.count("customer_accounts").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_and_garbage_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let (status, body) = body(app.request(Method::GET, "/api/me/").send().await.unwrap()).await;
    assert_eq!(status, 401, "{body}");
    assert_rejected(&app, "garbage", "garbage").await;
    assert_rejected(&app, "a.b.c", "three garbage segments").await;
    assert_eq!(app.count("profiles").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_and_not_yet_valid_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let now = Utc::now().timestamp();
    let claims = app.claims("user_t");
    let expired = with(claims.clone(), "exp", json!(now - 120));
    assert_rejected(&app, &app.sign(&expired), "expired beyond the leeway").await;
    let future = with(claims.clone(), "nbf", json!(now + 300));
    assert_rejected(&app, &app.sign(&future), "not yet valid").await;
    // Inside the 60 s leeway both are still fine.
    let barely = with(claims, "exp", json!(now - 30));
    assert_eq!(me_with_token(&app, &app.sign(&barely)).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_keys_and_algorithms_are_refused() {
    let app = TestApp::spawn().await;
    let claims = app.claims("user_k");
    // Unknown kid, signed by a key the JWKS does not have.
    let unknown = TestKeys::sign(&claims, Some("rotated-away"), &TestKeys::RSA_B);
    assert_rejected(&app, &unknown, "unknown kid").await;
    // Known kid, but signed by another key.
    let forged = TestKeys::sign(&claims, Some(KID), &TestKeys::RSA_B);
    assert_rejected(&app, &forged, "signed by another key").await;
    // alg: none.
    let none = TestKeys::unsigned_token(&json!({"alg": "none", "typ": "JWT", "kid": KID}), &claims);
    assert_rejected(&app, &none, "alg none").await;
    // HS256 "signed" with the public key's bytes (the classic key-confusion attack).
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(KID.to_owned());
    let confused = jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(TestKeys::RSA_A.public_pem().as_bytes()),
    )
    .unwrap();
    assert_rejected(&app, &confused, "HS256 with the public key").await;
    assert_eq!(app.count("profiles").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuer_subject_and_authorized_party_are_checked() {
    let app = TestApp::spawn().await;
    let claims = app.claims("user_c");
    let wrong_iss = with(claims.clone(), "iss", json!("https://evil.test"));
    assert_rejected(&app, &app.sign(&wrong_iss), "wrong iss").await;
    let bad_azp = with(claims.clone(), "azp", json!("https://evil.test"));
    assert_rejected(&app, &app.sign(&bad_azp), "disallowed azp").await;
    let other_port = with(claims.clone(), "azp", json!("http://127.0.0.1:3000"));
    assert_rejected(&app, &app.sign(&other_port), "loopback on another port").await;
    assert_rejected(
        &app,
        &app.sign(&without(claims.clone(), "sub")),
        "missing sub",
    )
    .await;
    assert_rejected(
        &app,
        &app.sign(&with(claims.clone(), "sub", json!(""))),
        "empty sub",
    )
    .await;
    // The loopback alias of the allowed origin is the same party.
    let alias = with(claims, "azp", json!("http://127.0.0.1:5173/"));
    assert_eq!(me_with_token(&app, &app.sign(&alias)).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audience_must_match_when_configured() {
    let app = TestApp::builder()
        .env("CLERK_JWT_AUDIENCE", "paidloop-api")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let claims = app.claims("user_aud");
    assert_rejected(&app, &app.sign(&claims), "no aud").await;
    let wrong = with(claims.clone(), "aud", json!("someone-else"));
    assert_rejected(&app, &app.sign(&wrong), "wrong aud").await;
    let listed = with(claims, "aud", json!(["other", "paidloop-api"]));
    assert_eq!(me_with_token(&app, &app.sign(&listed)).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_authorization_headers_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.token("user_h");
    for header in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        format!("Bearer {token} extra"),
        format!("Basic {token}"),
    ] {
        let (status, body) = body(
            app.request(Method::GET, "/api/me/")
                .header("authorization", header.as_str())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 401, "{header:?}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_auth_needs_a_trusted_origin_for_unsafe_methods() {
    let app = TestApp::spawn().await;
    let cookie = format!("__session={}", app.token("user_cookie"));
    // Safe methods need no CSRF check.
    let (status, _) = body(
        app.request(Method::GET, "/api/projects/")
            .header("cookie", cookie.as_str())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let post = |origin: Option<&str>| {
        let mut request = app
            .request(Method::POST, "/api/projects/")
            .header("cookie", cookie.as_str())
            .json(&json!({"name": "Cookie project"}));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    let (status, body_missing) = body(post(None).await.unwrap()).await;
    assert_eq!(status, 403, "{body_missing}");
    let (status, _) = body(post(Some("https://evil.test")).await.unwrap()).await;
    assert_eq!(status, 403);
    assert_eq!(app.count("projects").await, 0);
    let (status, created) = body(post(Some(SPA_ORIGIN)).await.unwrap()).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(app.count("projects").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwks_is_fetched_once_not_on_every_request() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        assert_eq!(me_with_token(&app, &app.token("user_cache")).await.0, 200);
    }
    assert_eq!(app.jwks_fetches().await, 1);
    // Unknown kids within the refetch interval do not hammer Clerk.
    for i in 0..3 {
        let token = TestKeys::sign(
            &app.claims("user_x"),
            Some(&format!("nope-{i}")),
            &TestKeys::RSA_B,
        );
        assert_eq!(me_with_token(&app, &token).await.0, 401);
    }
    assert_eq!(app.jwks_fetches().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_fetched_once_then_cached() {
    let app = TestApp::builder()
        .refetch_interval(Duration::ZERO)
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    assert_eq!(me_with_token(&app, &app.token("user_rot")).await.0, 200);
    // Clerk rotates: key B appears under a new kid (the mock's request log restarts).
    app.publish_keys(&[(KID, &TestKeys::RSA_A), ("test-key-b", &TestKeys::RSA_B)])
        .await;
    let claims = app.claims("user_rot");
    for _ in 0..4 {
        let token = TestKeys::sign(&claims, Some("test-key-b"), &TestKeys::RSA_B);
        assert_eq!(me_with_token(&app, &token).await.0, 200);
        assert_eq!(me_with_token(&app, &app.token("user_rot")).await.0, 200);
    }
    assert_eq!(
        app.jwks_fetches().await,
        1,
        "one refetch for the new kid, none after"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_follows_the_claims_and_is_not_rewritten_when_unchanged() {
    let app = TestApp::spawn().await;
    let claims = with(app.claims("user_p"), "given_name", json!("Ada"));
    let (_, first) = me_with_token(&app, &app.sign(&claims)).await;
    assert_eq!(first["profile"]["first_name"], "Ada");
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (_, same) = me_with_token(&app, &app.sign(&claims)).await;
    assert_eq!(
        same["profile"]["updated_at"], first["profile"]["updated_at"],
        "no write when nothing changed"
    );
    let changed = with(
        with(claims, "given_name", json!("Grace")),
        "picture",
        json!("https://img.test/g.png"),
    );
    let (_, after) = me_with_token(&app, &app.sign(&changed)).await;
    assert_eq!(after["profile"]["first_name"], "Grace");
    assert_eq!(after["profile"]["image_url"], "https://img.test/g.png");
    assert_ne!(
        after["profile"]["updated_at"],
        first["profile"]["updated_at"]
    );
    assert_eq!(app.count("profiles").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_features_come_from_list_dict_and_csv_claims() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!(["Pro", "beta", "pro"]), vec!["beta", "pro"], "pro"),
        (
            json!({"growth": true, "beta": false, "x": 1}),
            vec!["growth", "x"],
            "pro",
        ),
        (
            json!(" enterprise , Extra "),
            vec!["enterprise", "extra"],
            "enterprise",
        ),
        (json!([]), vec![], "free"),
    ];
    for (i, (claim, expected, tier)) in cases.into_iter().enumerate() {
        let sub = format!("user_f{i}");
        let token = app.sign(&with(app.claims(&sub), "entitlements", claim.clone()));
        let (status, features) = body(
            app.request(Method::GET, "/api/billing/features/")
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(features["enabled_features"], json!(expected), "{claim}");
        let (_, profile) = me_with_token(&app, &token).await;
        assert_eq!(profile["profile"]["plan_tier"], tier, "{claim}");
    }
    let token = app.sign(&with(app.claims("user_q"), "entitlements", json!(["pro"])));
    let (_, one) = body(
        app.request(Method::GET, "/api/billing/features/?feature=PRO")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(one, json!({"feature": "pro", "enabled": true}));
    let (_, other) = body(
        app.request(Method::GET, "/api/billing/features/?feature=Enterprise")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(other, json!({"feature": "enterprise", "enabled": false}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_billing_claim_is_read_with_entitlements_as_fallback() {
    let app = TestApp::builder()
        .env("CLERK_BILLING_CLAIM", "plan_features")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let named = with(app.claims("user_n"), "plan_features", json!("premium"));
    let named = with(named, "entitlements", json!(["ignored"]));
    let (_, me) = me_with_token(&app, &app.sign(&named)).await;
    assert_eq!(me["billing_features"], json!(["premium"]));
    assert_eq!(me["profile"]["plan_tier"], "pro");
    let fallback = with(app.claims("user_m"), "entitlements", json!(["beta"]));
    let (_, me) = me_with_token(&app, &app.sign(&fallback)).await;
    assert_eq!(me["billing_features"], json!(["beta"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_requests_create_one_profile() {
    let app = TestApp::spawn().await;
    let token = app.token("user_race");
    let requests = (0..16).map(|_| me_with_token(&app, &token));
    let results = futures_util::future::join_all(requests).await;
    assert!(
        results.iter().all(|(status, _)| *status == 200),
        "{results:?}"
    );
    assert_eq!(app.count("profiles").await, 1);
    assert_eq!(app.count("customer_accounts").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_endpoint_returns_the_profile_shape() {
    let app = TestApp::spawn().await;
    let (status, profile) = body(app.get_as("user_shape", "/api/profile/").await).await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = profile
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "id",
        "clerk_user_id",
        "email",
        "first_name",
        "last_name",
        "image_url",
        "plan_tier",
        "billing_features",
        "is_active",
        "metadata",
        "created_at",
        "updated_at",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authenticated_request_reads_once_and_writes_nothing_when_unchanged() {
    let app = TestApp::builder()
        .env("AUTH_IDENTITY_CACHE_SECONDS", "0")
        .start()
        .await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    let token = app.token("user_q");
    assert_eq!(me_with_token(&app, &token).await.0, 200);
    let before = app.queries();
    for _ in 0..5 {
        assert_eq!(me_with_token(&app, &token).await.0, 200);
    }
    assert_eq!(
        app.queries() - before,
        5,
        "one SELECT per request, no writes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_identities_skip_the_database_but_never_hide_this_instances_writes() {
    let app = TestApp::spawn().await;
    let token = app.token("user_cached");
    assert_eq!(me_with_token(&app, &token).await.0, 200);
    let before = app.queries();
    for _ in 0..5 {
        assert_eq!(me_with_token(&app, &token).await.0, 200);
    }
    assert_eq!(app.queries(), before, "served from the identity cache");
    let (status, _) = body(
        app.send_as(
            "user_cached",
            Method::PATCH,
            "/api/account/customer/",
            &json!({"company_name": "Fresh Co"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (_, me) = me_with_token(&app, &token).await;
    assert_eq!(me["customer_account"]["company_name"], "Fresh Co");
    // New claims bypass the cache and update the profile.
    let renamed = with(app.claims("user_cached"), "given_name", json!("Renamed"));
    let (_, me) = me_with_token(&app, &app.sign(&renamed)).await;
    assert_eq!(me["profile"]["first_name"], "Renamed");
}
