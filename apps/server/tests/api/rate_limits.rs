//! Rate limits over HTTP: the 429 shape, per-user and per-IP budgets, the scoped
//! budgets, the exempt routes, `X-Forwarded-For` and trusted proxies, and the Redis
//! store shared by two apps.

use paidloop_clerk::testing::TestKeys;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{KID, TestApp, body};
use crate::loop_support::{price, product};

async fn app_with(env: &[(&str, &str)]) -> TestApp {
    let mut builder = TestApp::builder();
    for (name, value) in env {
        builder = builder.env(name, value);
    }
    let app = builder.start().await;
    app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
    app
}

async fn anonymous(app: &TestApp, path: &str, forwarded_for: Option<&str>) -> u16 {
    let mut request = app.request(Method::GET, path);
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.expect("request").status().as_u16()
}

async fn me(app: &TestApp, user: &str) -> u16 {
    app.get_as(user, "/api/me/").await.status().as_u16()
}

/// A user id no other test (or earlier run, for the shared Redis) uses.
fn unique_user(name: &str) -> String {
    format!("user_{name}_{}", uuid::Uuid::new_v4().simple())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_limit_is_429_with_a_detail_and_retry_after_in_whole_seconds() {
    let app = app_with(&[("RATE_LIMIT_ANON", "3/min")]).await;
    for _ in 0..3 {
        assert_eq!(anonymous(&app, "/api/products/", None).await, 200);
    }
    let response = app
        .request(Method::GET, "/api/products/")
        .send()
        .await
        .expect("request");
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("20"),
        "one request per 20 s once the burst of 3 is spent"
    );
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        None,
        "no Origin sent, so no CORS header; the 429 still went through the stack"
    );
    let (status, answer) = body(response).await;
    assert_eq!(status, 429);
    assert_eq!(
        answer,
        json!({"detail": "Request was throttled. Expected available in 20 seconds."})
    );
    // Unknown paths count too (no free probing), and answer 429 now.
    assert_eq!(anonymous(&app, "/api/no-such-thing/", None).await, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_and_the_webhook_receiver_are_never_limited() {
    let app = app_with(&[("RATE_LIMIT_ANON", "1/hour")]).await;
    assert_eq!(anonymous(&app, "/api/products/", None).await, 200);
    assert_eq!(anonymous(&app, "/api/products/", None).await, 429);
    for _ in 0..5 {
        assert_eq!(anonymous(&app, "/api/health/", None).await, 200);
        assert_eq!(anonymous(&app, "/api/ready/", None).await, 200);
    }
    for n in 0..5 {
        let event = json!({
            "type": "user.created",
            "data": {"id": format!("user_hook_{n}"), "first_name": "Hook"}
        });
        let (status, answer) = body(app.deliver(&format!("msg_rl_{n}"), &event).await).await;
        assert_eq!(status, 200, "{answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_user_has_a_budget_of_their_own_apart_from_the_ip() {
    let app = app_with(&[("RATE_LIMIT_USER", "2/min"), ("RATE_LIMIT_ANON", "2/min")]).await;
    assert_eq!(me(&app, "user_a").await, 200);
    assert_eq!(me(&app, "user_a").await, 200);
    assert_eq!(me(&app, "user_a").await, 429);
    assert_eq!(
        me(&app, "user_b").await,
        200,
        "another user is not affected"
    );
    assert_eq!(
        anonymous(&app, "/api/products/", None).await,
        200,
        "anonymous requests from the same IP draw from the IP's budget"
    );
    // A token that fails verification is anonymous here (and 401 at the handler).
    let bad = app
        .request(Method::GET, "/api/me/")
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("request");
    assert_eq!(bad.status().as_u16(), 401);
    assert_eq!(
        anonymous(&app, "/api/products/", None).await,
        429,
        "IP budget spent"
    );
    assert_eq!(
        me(&app, "user_b").await,
        200,
        "users keep their own budgets"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scoped_limits_apply_on_top_of_the_user_limit() {
    let app = app_with(&[
        ("RATE_LIMIT_CHECKOUT_CREATE", "2/hour"),
        ("RATE_LIMIT_ORDER_CONFIRM", "1/hour"),
        ("RATE_LIMIT_DOWNLOAD_ACCESS", "1/hour"),
    ])
    .await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    let price = price(&app, kit, 900, "one_time").await;
    let create = |user: &'static str, path: &'static str| {
        let app = &app;
        async move {
            app.send_as(user, Method::POST, path, &json!({"price_id": price}))
                .await
        }
    };
    let path = "/api/account/orders/create/";
    assert_eq!(create("user_buyer", path).await.status().as_u16(), 201);
    assert_eq!(create("user_buyer", path).await.status().as_u16(), 201);
    let refused = create("user_buyer", path).await;
    assert_eq!(refused.status().as_u16(), 429);
    assert_eq!(refused.headers()["retry-after"], "1800");
    assert_ne!(
        create("user_buyer", "/api/account/orders/cre%61te/")
            .await
            .status()
            .as_u16(),
        201,
        "an encoded path is charged like the plain one"
    );
    assert_eq!(
        create("user_other", path).await.status().as_u16(),
        201,
        "another buyer has their own scoped budget"
    );
    assert_eq!(
        app.get_as("user_buyer", "/api/account/orders/")
            .await
            .status()
            .as_u16(),
        200,
        "the rest of the API still answers the buyer"
    );

    let confirm = format!("/api/account/orders/{}/confirm/", uuid::Uuid::new_v4());
    let access = format!("/api/account/downloads/{}/access/", uuid::Uuid::new_v4());
    let empty = json!({});
    for path in [confirm, access] {
        let send = || app.send_as("user_buyer", Method::POST, &path, &empty);
        assert_eq!(send().await.status().as_u16(), 404, "{path}");
        assert_eq!(send().await.status().as_u16(), 429, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_forwarded_for_is_ignored_without_a_trusted_proxy() {
    let app = app_with(&[("RATE_LIMIT_ANON", "2/min")]).await;
    assert_eq!(
        anonymous(&app, "/api/products/", Some("198.51.100.1")).await,
        200
    );
    assert_eq!(
        anonymous(&app, "/api/products/", Some("198.51.100.2")).await,
        200
    );
    assert_eq!(
        anonymous(&app, "/api/products/", Some("198.51.100.3")).await,
        429,
        "every request came from 127.0.0.1, whatever it claimed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_is_honoured_from_a_trusted_proxy() {
    let app = app_with(&[
        ("RATE_LIMIT_ANON", "2/min"),
        ("TRUSTED_PROXIES", "127.0.0.1/32"),
    ])
    .await;
    for _ in 0..2 {
        assert_eq!(
            anonymous(&app, "/api/products/", Some("198.51.100.1")).await,
            200
        );
    }
    assert_eq!(
        anonymous(&app, "/api/products/", Some("198.51.100.1")).await,
        429
    );
    assert_eq!(
        anonymous(&app, "/api/products/", Some("198.51.100.2")).await,
        200,
        "another client behind the proxy"
    );
    assert_eq!(
        anonymous(&app, "/api/products/", Some("203.0.113.9, 198.51.100.1")).await,
        429,
        "the hop the proxy saw counts, not what the client prepended"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_redis_store_shares_one_budget_between_apps() {
    let redis_url = std::env::var("REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "redis://127.0.0.1:6379/0".to_owned());
    let env = [
        ("RATE_LIMIT_STORE", "redis"),
        ("REDIS_URL", redis_url.as_str()),
        ("RATE_LIMIT_USER", "3/min"),
    ];
    let (a, b) = (app_with(&env).await, app_with(&env).await);
    let user = unique_user("shared");
    assert_eq!(me(&a, &user).await, 200);
    assert_eq!(me(&b, &user).await, 200);
    assert_eq!(me(&a, &user).await, 200);
    let refused = b.get_as(&user, "/api/me/").await;
    assert_eq!(refused.status().as_u16(), 429, "the budget is shared");
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((19..=20).contains(&wait), "{wait}");
    assert_eq!(me(&a, &unique_user("other")).await, 200);
}
