//! `TestApp`: a real Paidloop server on a random port, with its own fresh database and
//! its own fake Clerk (a wiremock server publishing the JWKS).
//!
//! The database is a SQLite file in a temp folder, or, when `TEST_DATABASE_URL` is set,
//! a new Postgres database created for this test and dropped afterwards.

use std::collections::{HashMap, HashSet};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::HttpServer;
use actix_web::dev::ServerHandle;
use chrono::Utc;
use paidloop_clerk::testing::{TestKey, TestKeys};
use paidloop_server::app::{build_app, build_state};
use paidloop_server::config::Config;
use paidloop_server::db;
use paidloop_server::entities::webhook_events;
use paidloop_server::one_connection::StatementObserver;
use paidloop_server::read_pool::ReadPool;
use reqwest::{Method, RequestBuilder};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, Set};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The issuer test tokens carry.
pub const ISSUER: &str = "https://clerk.paidloop.test";
/// The SPA origin the tests trust.
pub const SPA_ORIGIN: &str = "http://localhost:5173";
/// The `kid` of the key the fake Clerk publishes.
pub const KID: &str = "test-key-a";
/// The webhook signing secret test servers trust (Svix's documentation example).
pub const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The Backend API key test servers send to the fake Clerk.
pub const CLERK_SECRET_KEY: &str = "sk_test_paidloop";
/// Where the fake Clerk serves its keys.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
/// A rate limit no test reaches.
pub const UNLIMITED: &str = "1000000/sec";

/// The test's own database, removed when the test ends.
pub enum DbGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; use a thread with its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Makes an empty database for one test and returns its URL.
pub async fn fresh_database() -> (String, DbGuard) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("paidloop_t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL is reachable");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create the test database");
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(base, _)| base);
            let url = format!("{base}/{name}");
            (url, DbGuard::Postgres { admin_url, name })
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!(
                "sqlite://{}/paidloop.sqlite3?mode=rwc",
                dir.path().display()
            );
            (url, DbGuard::Sqlite(dir))
        }
    }
}

/// A fresh, migrated Postgres database behind a pool of one connection, so that a
/// statement prepared by the code under test and a look at `pg_prepared_statements`
/// share a session; `None` when the tests run on SQLite.
pub async fn postgres_on_one_connection() -> Option<(DatabaseConnection, DbGuard)> {
    let (url, guard) = fresh_database().await;
    if !url.starts_with("postgres") {
        return None;
    }
    let db = paidloop_server::db::connect(&url, 1)
        .await
        .expect("connect");
    paidloop_server::db::migrate_up(&db).await.expect("migrate");
    Some((db, guard))
}

/// Settings for [`TestApp`]: environment overrides and the JWKS refetch interval.
pub struct Spawn {
    env: HashMap<String, String>,
    refetch: Duration,
    clerk_backend: bool,
}

impl Spawn {
    /// Sets (or, with an empty value, unsets) one configuration variable.
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Points Clerk's Backend API (`CLERK_API_URL`, with a `CLERK_SECRET_KEY`) at the
    /// fake Clerk, under `/v1`.
    pub fn clerk_backend(mut self) -> Self {
        self.clerk_backend = true;
        self
    }

    /// How often an unknown `kid` may trigger a JWKS refetch.
    pub fn refetch_interval(mut self, interval: Duration) -> Self {
        self.refetch = interval;
        self
    }

    /// Starts the server.
    pub async fn start(self) -> TestApp {
        let clerk = MockServer::start().await;
        let (database_url, guard) = fresh_database().await;
        let mut env: HashMap<String, String> = [
            ("APP_DEBUG", "false"),
            (
                "APP_SECRET_KEY",
                "t3st-Xq9vLr2mZp8Kc4Wn7Bh1Jd6Fs0Gy5Ue3Ta9Ro2Pi8Lk4Mj7Nh1Vb6Cx0Zq5",
            ),
            ("APP_ALLOWED_HOSTS", "127.0.0.1,localhost"),
            ("CLERK_JWT_ISSUER", ISSUER),
            ("CLERK_WEBHOOK_SIGNING_SECRET", WEBHOOK_SECRET),
            ("CLERK_AUTHORIZED_PARTIES", SPA_ORIGIN),
            ("CORS_ALLOWED_ORIGINS", SPA_ORIGIN),
            ("DATABASE_MAX_CONNECTIONS", "5"),
            ("LOG_LEVEL", "warn"),
            // Tests of other features must never meet a rate limit (they send hundreds of
            // requests from one IP); `rate_limits.rs` sets its own.
            ("RATE_LIMIT_ANON", UNLIMITED),
            ("RATE_LIMIT_USER", UNLIMITED),
            ("RATE_LIMIT_CHECKOUT_CREATE", UNLIMITED),
            ("RATE_LIMIT_ORDER_CONFIRM", UNLIMITED),
            ("RATE_LIMIT_DOWNLOAD_ACCESS", UNLIMITED),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        env.insert("DATABASE_URL".into(), database_url.clone());
        env.insert(
            "CLERK_JWKS_URL".into(),
            format!("{}{JWKS_PATH}", clerk.uri()),
        );
        if self.clerk_backend {
            env.insert("CLERK_API_URL".into(), format!("{}/v1", clerk.uri()));
            env.insert("CLERK_SECRET_KEY".into(), CLERK_SECRET_KEY.into());
        }
        env.extend(self.env);
        let config = Config::from_lookup(&|name| env.get(name).cloned()).expect("test config");

        let conn = db::connect(&database_url, config.app.database_max_connections)
            .await
            .expect("connect");
        db::migrate_up(&conn).await.expect("migrate");
        // The server counts its statements, for "no N+1" assertions, and keeps their
        // texts, for assertions on what is prepared: those run through its pool handle
        // and those run on a `OneConnection`.
        let queries = Arc::new(AtomicUsize::new(0));
        let statements = Arc::new(Mutex::new(HashSet::new()));
        let (counter, texts) = (queries.clone(), statements.clone());
        let observer: StatementObserver = Arc::new(move |info| {
            counter.fetch_add(1, Ordering::SeqCst);
            texts
                .lock()
                .expect("statement texts")
                .insert(info.statement.sql.clone());
        });
        let mut server_conn = conn.clone();
        let pool_observer = observer.clone();
        server_conn.set_metric_callback(move |info| pool_observer(info));
        let mut state = build_state(config, server_conn, self.refetch).expect("state");
        state.statement_observer = Some(observer);
        // On Postgres, reads outside transactions take a read pool's connections, as
        // they do on a served worker (`None` on SQLite).
        state.reads = ReadPool::new(&conn, 2);

        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = HttpServer::new(move || build_app(state.clone()))
            .workers(2)
            .disable_signals()
            .listen(listener)
            .expect("listen")
            .run();
        let handle = server.handle();
        tokio::spawn(server);

        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            db: conn,
            queries,
            statements,
            clerk,
            handle,
            _guard: guard,
        }
    }
}

/// A running server and everything a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// A plain HTTP client.
    pub client: reqwest::Client,
    /// The server's database, for assertions.
    pub db: DatabaseConnection,
    /// The fake Clerk.
    pub clerk: MockServer,
    queries: Arc<AtomicUsize>,
    statements: Arc<Mutex<HashSet<String>>>,
    handle: ServerHandle,
    _guard: DbGuard,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the workers (and their pool) before the database is dropped. Tests run on
        // a multi-thread runtime, so blocking this thread briefly is allowed.
        let stop = self.handle.stop(false);
        tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(stop));
    }
}

impl TestApp {
    /// A server with the default test configuration, publishing key A.
    pub async fn spawn() -> Self {
        let app = Self::builder().start().await;
        app.publish_keys(&[(KID, &TestKeys::RSA_A)]).await;
        app
    }

    /// A server with custom settings; publish keys yourself.
    pub fn builder() -> Spawn {
        Spawn {
            env: HashMap::new(),
            refetch: Duration::from_secs(60),
            clerk_backend: false,
        }
    }

    /// Makes the fake Clerk publish these keys (replacing what it published before).
    pub async fn publish_keys(&self, keys: &[(&str, &TestKey)]) {
        self.clerk.reset().await;
        Mock::given(method("GET"))
            .and(path(JWKS_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(TestKeys::jwk_set_json(keys)))
            .mount(&self.clerk)
            .await;
    }

    /// How many times the server fetched the JWKS.
    pub async fn jwks_fetches(&self) -> usize {
        self.clerk
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == JWKS_PATH)
            .count()
    }

    /// How many SQL statements the server has run so far.
    pub fn queries(&self) -> usize {
        self.queries.load(Ordering::SeqCst)
    }

    /// Every distinct SQL text the server has run so far.
    pub fn statement_texts(&self) -> HashSet<String> {
        self.statements.lock().expect("statement texts").clone()
    }

    /// The full URL of an API path (`/api/...`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A request to `path`.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Valid claims for `sub`: right issuer and azp, 10 minutes to live.
    pub fn claims(&self, sub: &str) -> Value {
        let now = Utc::now().timestamp();
        json!({
            "sub": sub,
            "iss": ISSUER,
            "azp": SPA_ORIGIN,
            "iat": now,
            "nbf": now - 5,
            "exp": now + 600,
            "email": format!("{sub}@example.com"),
            "given_name": "Test",
            "family_name": "User",
        })
    }

    /// Signs `claims` with key A under the published kid.
    pub fn sign(&self, claims: &Value) -> String {
        TestKeys::sign(claims, Some(KID), &TestKeys::RSA_A)
    }

    /// A valid token for `sub`.
    pub fn token(&self, sub: &str) -> String {
        self.sign(&self.claims(sub))
    }

    /// `GET path` as `sub`.
    pub async fn get_as(&self, sub: &str, path: &str) -> reqwest::Response {
        self.request(Method::GET, path)
            .bearer_auth(self.token(sub))
            .send()
            .await
            .expect("request")
    }

    /// A JSON request as `sub`.
    pub async fn send_as(
        &self,
        sub: &str,
        method: Method,
        path: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.request(method, path)
            .bearer_auth(self.token(sub))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Delivers a webhook event as Svix would: signed now, with the given message id.
    pub async fn deliver(&self, svix_id: &str, event: &Value) -> reqwest::Response {
        let body = serde_json::to_vec(event).expect("event JSON");
        let now = Utc::now().timestamp();
        let signature = paidloop_clerk::sign_webhook(WEBHOOK_SECRET, svix_id, now, &body)
            .expect("test secret is valid");
        self.request(Method::POST, "/api/webhooks/clerk/")
            .header("content-type", "application/json")
            .header("svix-id", svix_id)
            .header("svix-timestamp", now.to_string())
            .header("svix-signature", signature)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// Counts rows of `table` (for "nothing was stored" assertions).
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }
}

/// Every stored webhook event's status, note and whether it has a processed time, by
/// event id.
pub async fn event_rows(
    app: &TestApp,
) -> std::collections::BTreeMap<String, (String, String, bool)> {
    webhook_events::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            let finished = e.processed_at.is_some();
            (e.event_id, (e.status, e.error_message, finished))
        })
        .collect()
}

/// Stores `event` under `event_id` as `failed` with `error`, as a delivery whose
/// handler failed leaves it, for tests that deliver it again.
pub async fn store_failed_event(app: &TestApp, event_id: &str, event: &Value, error: &str) {
    webhook_events::ActiveModel {
        provider: Set("clerk".into()),
        event_id: Set(event_id.into()),
        event_type: Set(event["type"].as_str().unwrap_or_default().into()),
        payload: Set(event.clone()),
        status: Set("failed".into()),
        error_message: Set(error.into()),
        received_at: Set(Utc::now()),
        processed_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// Reads a response body as JSON, with the status for context.
pub async fn body(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}
