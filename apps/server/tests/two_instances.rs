//! Two real `paidloop serve` processes on one fresh Postgres database (and one Redis),
//! as production runs them behind a load balancer. Shows that:
//! (a) 20 deliveries of one payment event, split across both, fulfil the order once;
//! (b) 20 concurrent confirmations, split across both, do the same;
//! (c) with the Redis store, a 5/min limit holds across both together;
//! (d) a buyer's order list on B shows `fulfilled` no later than
//!     `ORDER_LIST_CACHE_SECONDS` after the payment webhook landed on A.
//!
//! Postgres is `TEST_DATABASE_URL`'s server, else `TEST_POSTGRES_URL`'s (which
//! `scripts/test` sets for its SQLite pass too), else the local default; Redis is `REDIS_URL` (default `redis://127.0.0.1:6379/0`, also started by
//! `scripts/test`). The test makes its own database and drops it at the end.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::future::join_all;
use reqwest::Client;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};

const SECRET: &str = "t3st-Xq9vLr2mZp8Kc4Wn7Bh1Jd6Fs0Gy5Ue3Ta9Ro2Pi8Lk4Mj7Nh1Vb6Cx0Zq5";
const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const LIST_CACHE_SECONDS: u64 = 2;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// A fresh Postgres database, dropped when the test ends.
struct FreshDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl FreshDatabase {
    async fn create() -> Self {
        let fallback = env_or(
            "TEST_POSTGRES_URL",
            "postgres://postgres@127.0.0.1:5432/test",
        );
        let admin_url = env_or("TEST_DATABASE_URL", &fallback);
        assert!(
            admin_url.starts_with("postgres"),
            "the two-instance test runs on Postgres; TEST_DATABASE_URL is {admin_url}"
        );
        let name = format!("paidloop_two_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .expect("Postgres is reachable (scripts/test starts it)");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create the database");
        admin.close().await.ok();
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Self {
            admin_url,
            name,
            url,
        }
    }

    async fn drop_now(self) {
        if let Ok(admin) = Database::connect(&self.admin_url).await {
            let _ = admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                ))
                .await;
        }
    }
}

/// One `paidloop serve` process, killed on drop.
struct Instance {
    base: String,
    child: Child,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Instance {
    /// Starts an instance on `database_url`; only the first applies the migrations.
    async fn start(name: &str, database_url: &str, migrate: bool, dir: &Path) -> Self {
        let port = free_port();
        let log = std::fs::File::create(dir.join(format!("{name}.log"))).expect("log file");
        let redis_url = env_or("REDIS_URL", "redis://127.0.0.1:6379/0");
        let fast = "1000000/sec";
        let child = Command::new(env!("CARGO_BIN_EXE_paidloop"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs([
                ("APP_DEBUG", "true"),
                ("DEV_AUTH_ENABLED", "true"),
                ("APP_SECRET_KEY", SECRET),
                ("DATABASE_URL", database_url),
                ("DATABASE_MAX_CONNECTIONS", "5"),
                ("AUTO_MIGRATE", if migrate { "true" } else { "false" }),
                ("HOST", "127.0.0.1"),
                ("PORT", &port.to_string()),
                ("LOG_LEVEL", "warn"),
                ("LOG_FORMAT", "json"),
                ("CLERK_WEBHOOK_SIGNING_SECRET", WEBHOOK_SECRET),
                ("ORDER_CONFIRM_ALLOW_MANUAL", "true"),
                ("EMAIL_BACKEND", "disabled"),
                ("RATE_LIMIT_STORE", "redis"),
                ("REDIS_URL", &redis_url),
                ("RATE_LIMIT_ANON", fast),
                ("RATE_LIMIT_USER", fast),
                ("RATE_LIMIT_CHECKOUT_CREATE", fast),
                ("RATE_LIMIT_ORDER_CONFIRM", fast),
                ("RATE_LIMIT_DOWNLOAD_ACCESS", "5/min"),
                ("ORDER_LIST_CACHE_SECONDS", &LIST_CACHE_SECONDS.to_string()),
            ])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start paidloop serve");
        let mut instance = Self {
            base: format!("http://127.0.0.1:{port}"),
            child,
        };
        let client = Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = instance.child.try_wait() {
                let log =
                    std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
                panic!("instance {name} exited with {status}:\n{log}");
            }
            let health = client
                .get(format!("{}/api/health/", instance.base))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return instance;
            }
            assert!(
                Instant::now() < deadline,
                "instance {name} never became healthy"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A client for both instances.
struct Cluster {
    client: Client,
    a: Instance,
    b: Instance,
}

impl Cluster {
    /// Instance A for even `n`, B for odd: requests split across both.
    fn pick(&self, n: usize) -> &Instance {
        if n.is_multiple_of(2) {
            &self.a
        } else {
            &self.b
        }
    }

    async fn send(
        &self,
        instance: &Instance,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", instance.base))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn token(&self, user: &str) -> String {
        let (status, session) = self
            .send(
                &self.a,
                reqwest::Method::POST,
                "/api/dev/session/",
                None,
                &json!({"user_id": user}),
            )
            .await;
        assert_eq!(status, 200, "{session}");
        session["token"].as_str().expect("a token").to_owned()
    }

    /// A published digital product with one file and one price; returns the price id.
    async fn catalog(&self, seller: &str) -> i64 {
        let post = |path: String, body: Value| async move {
            let (status, row) = self
                .send(&self.a, reqwest::Method::POST, &path, Some(seller), &body)
                .await;
            assert_eq!(status, 201, "{path}: {row}");
            row["id"].as_i64().expect("an id")
        };
        let product = post(
            "/api/seller/products/".into(),
            json!({"name": "Guide", "product_type": "digital", "visibility": "published"}),
        )
        .await;
        post(
            format!("/api/seller/products/{product}/assets/"),
            json!({"title": "Guide", "file_path": "files/guide.pdf"}),
        )
        .await;
        post(
            format!("/api/seller/products/{product}/prices/"),
            json!({"amount_cents": 1900, "currency": "usd", "billing_period": "one_time"}),
        )
        .await
    }

    /// A new order of `price` by the buyer (on B, so both instances take part); its
    /// public id.
    async fn order(&self, buyer: &str, price: i64) -> String {
        let (status, created) = self
            .send(
                &self.b,
                reqwest::Method::POST,
                "/api/account/orders/create/",
                Some(buyer),
                &json!({"price_id": price}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        created["order"]["public_id"]
            .as_str()
            .expect("a public id")
            .to_owned()
    }

    /// Delivers a Clerk payment event for `order` as Svix would, to `instance`.
    async fn deliver_payment(&self, instance: &Instance, svix_id: &str, order: &str) -> u16 {
        let event = json!({
            "type": "paymentAttempt.updated",
            "object": "event",
            "data": {
                "id": format!("pa_{}", &order[..8]),
                "status": "paid",
                "payment_id": format!("pay_{}", &order[..8]),
                "metadata": {"order_public_id": order},
            }
        });
        let body = serde_json::to_vec(&event).expect("JSON");
        let now = Utc::now().timestamp();
        let signature =
            paidloop_clerk::sign_webhook(WEBHOOK_SECRET, svix_id, now, &body).expect("signature");
        self.client
            .post(format!("{}/api/webhooks/clerk/", instance.base))
            .header("content-type", "application/json")
            .header("svix-id", svix_id)
            .header("svix-timestamp", now.to_string())
            .header("svix-signature", signature)
            .body(body)
            .send()
            .await
            .expect("delivery")
            .status()
            .as_u16()
    }

    /// The order's status in the buyer's list, as `instance` shows it.
    async fn listed_status(&self, instance: &Instance, buyer: &str, order: &str) -> String {
        let (status, list) = self
            .send(
                instance,
                reqwest::Method::GET,
                "/api/account/orders/",
                Some(buyer),
                &json!({}),
            )
            .await;
        assert_eq!(status, 200, "{list}");
        list.as_array()
            .expect("a list")
            .iter()
            .find(|o| o["public_id"] == order)
            .and_then(|o| o["status"].as_str())
            .expect("the order is listed")
            .to_owned()
    }
}

/// What fulfilment made for `order`: (payment rows, download grants, status).
async fn fulfilment_of(db: &DatabaseConnection, order: &str) -> (i64, i64, String) {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT o.status, \
                   (SELECT COUNT(*) FROM payment_transactions p WHERE p.order_id = o.id) AS payments, \
                   (SELECT COUNT(*) FROM download_grants g JOIN order_items i ON i.id = g.order_item_id \
                     WHERE i.order_id = o.id) AS grants \
                 FROM orders o WHERE o.public_id = '{order}'"
            ),
        ))
        .await
        .expect("query")
        .expect("the order");
    (
        row.try_get("", "payments").expect("payments"),
        row.try_get("", "grants").expect("grants"),
        row.try_get("", "status").expect("status"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_share_money_and_limits() {
    let database = FreshDatabase::create().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let a = Instance::start("a", &database.url, true, dir.path()).await;
    let b = Instance::start("b", &database.url, false, dir.path()).await;
    let cluster = Cluster {
        client: Client::new(),
        a,
        b,
    };
    let db = Database::connect(&database.url).await.expect("connect");
    let run = uuid::Uuid::new_v4().simple().to_string();
    let seller = cluster.token(&format!("user_seller_{}", &run[..8])).await;
    let buyer = cluster.token(&format!("user_buyer_{}", &run[..8])).await;
    let price = cluster.catalog(&seller).await;

    // (a) One payment event delivered 20 times, split across both instances.
    let order = cluster.order(&buyer, price).await;
    let deliveries = (0..20).map(|n| cluster.deliver_payment(cluster.pick(n), "msg_two_a", &order));
    let statuses = join_all(deliveries).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(
        fulfilment_of(&db, &order).await,
        (1, 1, "fulfilled".to_owned()),
        "one payment, one grant"
    );

    // (b) 20 concurrent confirmations, split across both instances.
    let order = cluster.order(&buyer, price).await;
    let path = format!("/api/account/orders/{order}/confirm/");
    let proof = json!({"provider": "manual", "external_id": format!("manual_{order}")});
    let confirms = (0..20).map(|n| {
        cluster.send(
            cluster.pick(n),
            reqwest::Method::POST,
            &path,
            Some(&buyer),
            &proof,
        )
    });
    let answers = join_all(confirms).await;
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    let first_confirmations = answers
        .iter()
        .filter(|(_, a)| a["already_confirmed"] == false)
        .count();
    assert_eq!(first_confirmations, 1, "{answers:?}");
    assert_eq!(
        fulfilment_of(&db, &order).await,
        (1, 1, "fulfilled".to_owned())
    );

    // (c) A 5/min limit (download access) holds across both together: whichever
    // instance gets the 6th request refuses it.
    let limited = cluster.token(&format!("user_limited_{}", &run[..8])).await;
    let mut statuses = Vec::new();
    for n in 0..6 {
        let path = format!("/api/account/downloads/{}/access/", uuid::Uuid::new_v4());
        let (status, _) = cluster
            .send(
                cluster.pick(n + 1),
                reqwest::Method::POST,
                &path,
                Some(&limited),
                &json!({}),
            )
            .await;
        statuses.push(status);
    }
    assert_eq!(
        statuses,
        [404, 404, 404, 404, 404, 429],
        "B, A, B, A, B, then A refuses"
    );

    // (d) B has the buyer's list cached; the payment lands on A; B shows it within
    // ORDER_LIST_CACHE_SECONDS.
    let order = cluster.order(&buyer, price).await;
    assert_eq!(
        cluster.listed_status(&cluster.b, &buyer, &order).await,
        "pending_payment"
    );
    assert_eq!(
        cluster
            .deliver_payment(&cluster.a, "msg_two_d", &order)
            .await,
        200
    );
    let landed = Instant::now();
    let bound = Duration::from_secs(LIST_CACHE_SECONDS);
    loop {
        // B cached the list before the payment landed, so any request B answers from
        // that body was sent less than the TTL after the landing.
        let asked = landed.elapsed();
        let status = cluster.listed_status(&cluster.b, &buyer, &order).await;
        if status == "fulfilled" {
            break;
        }
        assert!(
            asked < bound,
            "B still showed {status} to a request sent {asked:?} after the payment landed on A"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    db.close().await.ok();
    drop(cluster);
    database.drop_now().await;
}
