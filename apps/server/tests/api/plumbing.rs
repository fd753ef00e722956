//! Cross-cutting HTTP behaviour: probes, error shapes, body limits, headers, Host.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, body};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_ready_answer_without_auth() {
    let app = TestApp::spawn().await;
    let (status, health) = body(
        app.request(Method::GET, "/api/health/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    assert!(health["timestamp"].as_str().unwrap().ends_with('Z'));
    let (status, ready) = body(
        app.request(Method::GET, "/api/ready/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ready, json!({"status": "ok", "database": "ok"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_and_wrong_methods_answer_json() {
    let app = TestApp::spawn().await;
    let response = app.request(Method::GET, "/api/nope/").send().await.unwrap();
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let (status, not_found) = body(response).await;
    assert_eq!(status, 404);
    assert_eq!(not_found, json!({"detail": "Not found."}));
    let (status, not_allowed) = body(
        app.request(Method::DELETE, "/api/health/")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 405);
    assert_eq!(
        not_allowed,
        json!({"detail": "Method \"DELETE\" not allowed."})
    );
}

async fn post_raw(app: &TestApp, content_type: &str, raw: Vec<u8>) -> (u16, Value) {
    body(
        app.request(Method::POST, "/api/projects/")
            .bearer_auth(app.token("user_raw"))
            .header("content-type", content_type)
            .body(raw)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_are_4xx_and_store_nothing() {
    let app = TestApp::spawn().await;
    let (status, err) = post_raw(&app, "application/json", b"{\"name\": ".to_vec()).await;
    assert_eq!(status, 400);
    assert!(
        err["detail"].as_str().unwrap().contains("JSON parse error"),
        "{err}"
    );
    let (status, err) = post_raw(&app, "application/json", b"[{\"name\": \"x\"}]".to_vec()).await;
    assert_eq!(status, 400);
    assert!(
        err["non_field_errors"][0]
            .as_str()
            .unwrap()
            .contains("list"),
        "{err}"
    );
    let (status, err) = post_raw(&app, "application/json", b"\"a string\"".to_vec()).await;
    assert_eq!(status, 400, "{err}");
    let (status, err) = post_raw(&app, "text/plain", b"{\"name\": \"x\"}".to_vec()).await;
    assert_eq!(status, 415, "{err}");
    assert!(err["detail"].is_string());
    let (status, err) = post_raw(
        &app,
        "application/x-www-form-urlencoded",
        b"name=x".to_vec(),
    )
    .await;
    assert_eq!(status, 415, "{err}");
    assert_eq!(app.count("projects").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_one_mebibyte_are_413() {
    let app = TestApp::spawn().await;
    let summary = "x".repeat(1024 * 1024);
    let raw = serde_json::to_vec(&json!({"name": "Big", "summary": summary})).unwrap();
    let (status, err) = post_raw(&app, "application/json", raw).await;
    assert_eq!(status, 413, "{err}");
    assert!(err["detail"].is_string());
    assert_eq!(app.count("projects").await, 0);
    // Just under the limit is fine.
    let summary = "y".repeat(1024 * 1000);
    let raw = serde_json::to_vec(&json!({"name": "Almost", "summary": summary})).unwrap();
    assert_eq!(post_raw(&app, "application/json", raw).await.0, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/api/health/")
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(
        headers["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=31536000")
    );
    let id = headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    // Errors carry them too.
    let response = app.request(Method::GET, "/api/nope/").send().await.unwrap();
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_mode_has_no_hsts() {
    let app = TestApp::builder().env("APP_DEBUG", "true").start().await;
    let response = app
        .request(Method::GET, "/api/health/")
        .send()
        .await
        .unwrap();
    assert!(!response.headers().contains_key("strict-transport-security"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosts_outside_the_allow_list_are_refused() {
    let app = TestApp::spawn().await;
    let (status, err) = body(
        app.request(Method::GET, "/api/health/")
            .header("host", "evil.test")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(err, json!({"detail": "Invalid Host header."}));
    let status = app
        .request(Method::GET, "/api/health/")
        .header("host", "localhost:8000")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_the_configured_origin_only() {
    let app = TestApp::spawn().await;
    let preflight = |origin: &'static str| {
        app.request(Method::OPTIONS, "/api/projects/")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight("http://localhost:5173").await.unwrap();
    assert_eq!(allowed.status().as_u16(), 200);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let refused = preflight("https://evil.test").await.unwrap();
    assert!(
        !refused
            .headers()
            .contains_key("access-control-allow-origin")
    );
}

/// Runs `work` as an actix worker runs requests: on a thread of its own, with a
/// single-threaded runtime.
fn on_a_worker_thread<F>(work: impl FnOnce() -> F + Send + 'static)
where
    F: std::future::Future<Output = ()>,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(work());
    })
    .join()
    .expect("the worker thread");
}

/// On Postgres an HTTP worker's own pool opens nothing until it is used, then answers
/// on the worker's runtime and stays within its share; on SQLite there is no such pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_pool_opens_lazily_within_its_share() {
    use paidloop_server::db::{PoolPlan, worker_pool};
    use sea_orm::ConnectionTrait;

    let (url, _guard) = crate::helpers::fresh_database().await;
    let plan = PoolPlan::new(&url, 5, 2);
    if url.starts_with("sqlite:") {
        assert_eq!(plan.per_worker, None);
        return;
    }
    assert_eq!(plan.per_worker, Some(2));
    on_a_worker_thread(move || async move {
        let db = worker_pool(&url, 2).expect("worker pool");
        let pool = db.get_postgres_connection_pool();
        assert_eq!(pool.size(), 0, "a worker pool connects on first use");
        assert_eq!(pool.options().get_max_connections(), 2);
        db.execute_unprepared("SELECT 1").await.expect("query");
        assert_eq!(pool.size(), 1);
        db.close().await.expect("close");
    });
}

/// A worker opens its pool's connections at start, on its own runtime, before any
/// request needs them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_opens_its_connections_ahead() {
    use paidloop_server::db::{open_ahead, worker_pool};
    use std::time::{Duration, Instant};

    let (url, _guard) = crate::helpers::fresh_database().await;
    if url.starts_with("sqlite:") {
        return;
    }
    on_a_worker_thread(move || async move {
        let db = worker_pool(&url, 3).expect("worker pool");
        open_ahead(&db, 3);
        let pool = db.get_postgres_connection_pool();
        let deadline = Instant::now() + Duration::from_secs(10);
        while (pool.size(), pool.num_idle()) != (3, 3) {
            assert!(
                Instant::now() < deadline,
                "3 open and idle connections, got {} open and {} idle",
                pool.size(),
                pool.num_idle()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        db.close().await.expect("close");
    });
}

/// The backend process serving `one`'s connection.
async fn backend_pid(one: &paidloop_server::one_connection::OneConnection<'_>) -> i32 {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    one.query_one_raw(Statement::from_string(
        DbBackend::Postgres,
        "SELECT pg_backend_pid()",
    ))
    .await
    .expect("pid")
    .expect("a row")
    .try_get_by_index(0)
    .expect("an int")
}

/// A worker's read connection goes back to its pool as it is and serves the next
/// request; one whose statement failed, or was cut short when its request went away,
/// is closed instead, and the next request gets a new one that answers at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_connections_are_reused_unless_a_statement_failed_or_was_cut_short() {
    use paidloop_server::db::worker_pool;
    use paidloop_server::one_connection::OneConnection;
    use paidloop_server::read_pool::ReadPool;
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use std::time::{Duration, Instant};

    let (url, _guard) = crate::helpers::fresh_database().await;
    if url.starts_with("sqlite:") {
        let db = paidloop_server::db::connect(&url, 1).await.expect("sqlite");
        assert!(ReadPool::new(&db, 2).is_none(), "SQLite has no read pool");
        return;
    }
    on_a_worker_thread(move || async move {
        let db = worker_pool(&url, 1).expect("worker pool");
        assert!(ReadPool::new(&db, 0).is_none());
        let reads = ReadPool::new(&db, 1).expect("a read pool");
        let sql = |text: &str| Statement::from_string(DbBackend::Postgres, text);

        let first = backend_pid(&OneConnection::new(&db, Some(&reads), None)).await;
        let again = backend_pid(&OneConnection::new(&db, Some(&reads), None)).await;
        assert_eq!(first, again, "the one read connection served both");
        assert_eq!(reads.size(), 1);
        assert_eq!(
            db.get_postgres_connection_pool().size(),
            0,
            "reads never touched the worker's other pool"
        );

        let failing = OneConnection::new(&db, Some(&reads), None);
        assert!(
            failing
                .query_all_raw(sql("SELECT * FROM nowhere"))
                .await
                .is_err()
        );
        drop(failing);
        let after_failure = backend_pid(&OneConnection::new(&db, Some(&reads), None)).await;
        assert_ne!(
            after_failure, first,
            "a failed statement's connection is closed"
        );

        let cut = OneConnection::new(&db, Some(&reads), None);
        let slept = tokio::time::timeout(
            Duration::from_millis(200),
            cut.execute_unprepared("SELECT pg_sleep(5)"),
        )
        .await;
        assert!(slept.is_err(), "the statement was cut short");
        drop(cut);
        let started = Instant::now();
        let after_cut = backend_pid(&OneConnection::new(&db, Some(&reads), None)).await;
        assert_ne!(
            after_cut, after_failure,
            "a cut-short statement's connection is closed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the next request did not wait for the sleep: {:?}",
            started.elapsed()
        );
    });
}
