//! The email outbox worker on a real database: claims, retries with backoff, failure,
//! expired claims, shutdown, racing workers, and a purchase that ends as an `.eml` file.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::future::BoxFuture;
use paidloop_server::db::WriteGate;
use paidloop_server::entities::email_outbox;
use paidloop_server::services::email::eml_outbox::EmlOutbox;
use paidloop_server::services::email::message::Email;
use paidloop_server::services::email::transport::{EmailTransport, SendError};
use paidloop_server::services::email::worker::{
    OutboxWorker, WorkerPolicy, claim, claim_statement,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, QueryOrder, Set, Statement,
};
use serde_json::json;
use tokio::sync::watch;

use crate::helpers::TestApp;
use crate::loop_support::{asset, order, payment_attempt, price, product};

/// A transport that records every message it is given and answers from a script.
#[derive(Clone)]
struct Recorder {
    sent: Arc<Mutex<Vec<(String, Instant)>>>,
    answer: fn(usize) -> Result<(), SendError>,
    delay: Duration,
}

impl Recorder {
    fn new(answer: fn(usize) -> Result<(), SendError>) -> Self {
        Self {
            sent: Arc::default(),
            answer,
            delay: Duration::ZERO,
        }
    }

    fn keys(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(k, _)| k.clone())
            .collect()
    }
}

impl EmailTransport for Recorder {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            let n = {
                let mut sent = self.sent.lock().unwrap();
                sent.push((email.idempotency_key.clone(), Instant::now()));
                sent.len()
            };
            (self.answer)(n)
        })
    }

    fn name(&self) -> &'static str {
        "recorder"
    }
}

fn worker(app: &TestApp, transport: &Recorder, policy: WorkerPolicy) -> OutboxWorker {
    OutboxWorker {
        db: app.db.clone(),
        writes: WriteGate::default(),
        transport: Arc::new(transport.clone()),
        default_from: "Shop <shop@example.com>".into(),
        policy,
    }
}

fn fast_policy() -> WorkerPolicy {
    WorkerPolicy {
        batch: 5,
        claim_for: Duration::from_secs(60),
        idle_poll: Duration::from_millis(20),
        max_attempts: 3,
        backoff_base: Duration::from_millis(300),
        backoff_cap: Duration::from_secs(5),
    }
}

async fn queue(app: &TestApp, key: &str) -> i64 {
    let now = Utc::now();
    email_outbox::ActiveModel {
        kind: Set("order_fulfilled".into()),
        dedupe_key: Set(Some(key.into())),
        to_email: Set("buyer@example.com".into()),
        from_email: Set(String::new()),
        subject: Set(format!("Subject {key}")),
        text_body: Set("Thanks".into()),
        html_body: Set("<p>Thanks</p>".into()),
        status: Set("pending".into()),
        attempts: Set(0),
        last_error: Set(String::new()),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        metadata: Set(json!({})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("queued")
    .id
}

async fn row(app: &TestApp, id: i64) -> email_outbox::Model {
    email_outbox::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("row")
}

fn running() -> watch::Receiver<bool> {
    watch::channel(false).1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_transport_is_retried_with_backoff_then_marked_failed() {
    let app = TestApp::spawn().await;
    let id = queue(&app, "k1").await;
    let transport = Recorder::new(|_| Err(SendError::Transient("relay is down".into())));
    let worker = worker(&app, &transport, fast_policy());
    let stop = running();

    assert_eq!(worker.deliver_batch(&stop).await.unwrap(), 1);
    let after_first = row(&app, id).await;
    assert_eq!(after_first.status, "pending");
    assert_eq!(after_first.attempts, 1);
    assert_eq!(after_first.last_error, "relay is down");
    assert!(
        after_first.next_attempt_at > Utc::now(),
        "not due again at once"
    );
    // Nothing is due yet: the backoff holds it back.
    assert_eq!(worker.deliver_batch(&stop).await.unwrap(), 0);

    let deadline = Instant::now() + Duration::from_secs(10);
    while row(&app, id).await.status != "failed" {
        assert!(Instant::now() < deadline, "never marked failed");
        worker.deliver_batch(&stop).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let failed = row(&app, id).await;
    assert_eq!(failed.attempts, 3);
    assert_eq!(failed.last_error, "relay is down");
    assert_eq!(failed.sent_at, None);
    let sent = transport.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 3, "one send per attempt");
    // The waits grow: at least the base, then at least twice the base.
    let first_wait = sent[1].1 - sent[0].1;
    let second_wait = sent[2].1 - sent[1].1;
    assert!(first_wait >= Duration::from_millis(300), "{first_wait:?}");
    assert!(second_wait >= Duration::from_millis(600), "{second_wait:?}");
    // Every attempt carried the same idempotency key.
    assert_eq!(transport.keys(), ["k1", "k1", "k1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_error_fails_at_once_and_a_success_is_marked_sent() {
    let app = TestApp::spawn().await;
    let refused = queue(&app, "refused").await;
    let transport = Recorder::new(|_| Err(SendError::Permanent("address rejected".into())));
    worker(&app, &transport, fast_policy())
        .deliver_batch(&running())
        .await
        .unwrap();
    let row_refused = row(&app, refused).await;
    assert_eq!(
        (row_refused.status.as_str(), row_refused.attempts),
        ("failed", 1)
    );
    assert_eq!(row_refused.last_error, "address rejected");

    let good = queue(&app, "good").await;
    let ok = Recorder::new(|_| Ok(()));
    worker(&app, &ok, fast_policy())
        .deliver_batch(&running())
        .await
        .unwrap();
    let sent = row(&app, good).await;
    assert_eq!(sent.status, "sent");
    assert!(sent.sent_at.is_some());
    assert_eq!(ok.keys(), ["good"], "the failed row is not sent again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_claim_is_taken_again_and_a_live_one_is_not() {
    let app = TestApp::spawn().await;
    let crashed = queue(&app, "crashed").await;
    let live = queue(&app, "live").await;
    let now = Utc::now();
    for (id, until) in [
        (crashed, now - chrono::Duration::seconds(1)),
        (live, now + chrono::Duration::seconds(60)),
    ] {
        let mut claimed: email_outbox::ActiveModel = row(&app, id).await.into();
        claimed.status = Set("sending".into());
        claimed.attempts = Set(1);
        claimed.next_attempt_at = Set(until);
        claimed.update(&app.db).await.expect("claim");
    }
    let ok = Recorder::new(|_| Ok(()));
    worker(&app, &ok, fast_policy())
        .deliver_batch(&running())
        .await
        .unwrap();
    assert_eq!(ok.keys(), ["crashed"]);
    let retried = row(&app, crashed).await;
    assert_eq!((retried.status.as_str(), retried.attempts), ("sent", 2));
    assert_eq!(row(&app, live).await.status, "sending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_hands_the_claimed_rows_back_unsent() {
    let app = TestApp::spawn().await;
    let ids = [queue(&app, "a").await, queue(&app, "b").await];
    let ok = Recorder::new(|_| Ok(()));
    let (stop, stopped) = watch::channel(false);
    stop.send(true).unwrap();
    assert_eq!(
        worker(&app, &ok, fast_policy())
            .deliver_batch(&stopped)
            .await
            .unwrap(),
        2
    );
    assert!(ok.keys().is_empty());
    for id in ids {
        let back = row(&app, id).await;
        assert_eq!((back.status.as_str(), back.attempts), ("pending", 0));
        assert!(back.next_attempt_at <= Utc::now());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_racing_workers_send_each_of_50_messages_exactly_once() {
    let app = TestApp::spawn().await;
    for n in 0..50 {
        queue(&app, &format!("m{n}")).await;
    }
    let mut transport = Recorder::new(|_| Ok(()));
    transport.delay = Duration::from_millis(2);
    let (stop, stopped) = watch::channel(false);
    let workers: Vec<_> = (0..2)
        .map(|_| {
            // Each worker as if in its own process: its own write queue.
            let mut w = worker(&app, &transport, fast_policy());
            w.writes = WriteGate::for_url("postgres://separate-process");
            tokio::spawn(w.run(stopped.clone()))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = email_outbox::Entity::find()
            .order_by_asc(email_outbox::Column::Id)
            .all(&app.db)
            .await
            .unwrap();
        if rows.iter().all(|r| r.status == "sent") {
            assert!(
                rows.iter().all(|r| r.attempts == 1),
                "no row was claimed twice"
            );
            break;
        }
        assert!(Instant::now() < deadline, "not all sent");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    stop.send(true).unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for key in transport.keys() {
        *counts.entry(key).or_default() += 1;
    }
    assert_eq!(counts.len(), 50);
    assert!(counts.values().all(|&c| c == 1), "{counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purchase_leaves_a_rendered_eml_file_in_the_outbox() {
    let app = TestApp::spawn().await;
    let ebook = product(&app, "Guide <Deluxe> & Co", "digital", json!([])).await;
    asset(&app, ebook, "chapter-1").await;
    let one_time = price(&app, ebook, 1900, "one_time").await;
    let created = order(&app, "user_eml", one_time, 2).await;
    let public_id = created["public_id"].as_str().unwrap();
    let paid = app
        .deliver(
            &format!("msg_{public_id}"),
            &payment_attempt(public_id, "paid"),
        )
        .await;
    assert_eq!(paid.status().as_u16(), 200);

    let dir = tempfile::tempdir().unwrap();
    let worker = OutboxWorker {
        db: app.db.clone(),
        writes: WriteGate::default(),
        transport: Arc::new(EmlOutbox::new(dir.path().join("outbox"))),
        default_from: "Shop <shop@example.com>".into(),
        policy: fast_policy(),
    };
    assert_eq!(worker.deliver_batch(&running()).await.unwrap(), 1);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    for needle in [
        "To: user_eml@example.com",
        &format!("Subject: Your order {} is ready", &public_id[..8]),
        "multipart/alternative",
        "text/html",
    ] {
        assert!(eml.contains(needle), "{needle} missing from\n{eml}");
    }
    // Bodies were rendered when the order was paid: HTML escaped, text verbatim.
    let queued = email_outbox::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(queued.status, "sent");
    assert!(
        queued.html_body.contains("Guide &lt;Deluxe&gt; &amp; Co"),
        "{}",
        queued.html_body
    );
    assert!(
        queued
            .text_body
            .contains("- Guide <Deluxe> & Co x2 (USD 38.00)"),
        "{}",
        queued.text_body
    );
}

/// The plan of `claim_statement` on the test database, one line per plan row.
async fn claim_plan(app: &TestApp) -> String {
    let backend = app.db.get_database_backend();
    let claim = claim_statement(backend, &fast_policy(), Utc::now());
    let (explain, detail_column) = match backend {
        DbBackend::Postgres => ("EXPLAIN ", 0),
        _ => ("EXPLAIN QUERY PLAN ", 3),
    };
    let explained = Statement::from_sql_and_values(
        backend,
        format!("{explain}{}", claim.sql),
        claim.values.map(|values| values.0).unwrap_or_default(),
    );
    let rows = app.db.query_all_raw(explained).await.expect("explain");
    rows.iter()
        .map(|row| {
            row.try_get_by_index::<String>(detail_column)
                .expect("plan text")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_reads_the_due_index_in_order_instead_of_sorting_the_backlog() {
    let app = TestApp::spawn().await;
    // A backlog as a burst of sales leaves it: thousands sent, thousands waiting.
    let now = Utc::now();
    for chunk in 0..8 {
        let rows = (0..500).map(|n| {
            let key = chunk * 500 + n;
            email_outbox::ActiveModel {
                kind: Set("order_fulfilled".into()),
                dedupe_key: Set(Some(format!("backlog-{key}"))),
                to_email: Set("buyer@example.com".into()),
                from_email: Set(String::new()),
                subject: Set("Your order".into()),
                text_body: Set("Thanks".into()),
                html_body: Set(String::new()),
                status: Set(if key % 2 == 0 { "sent" } else { "pending" }.into()),
                attempts: Set(0),
                last_error: Set(String::new()),
                next_attempt_at: Set(now - chrono::Duration::seconds(key)),
                sent_at: Set(None),
                metadata: Set(json!({})),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        email_outbox::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .expect("backlog");
    }
    if app.db.get_database_backend() == DbBackend::Postgres {
        app.db
            .execute_unprepared("ANALYZE email_outbox")
            .await
            .expect("analyze");
    }

    let plan = claim_plan(&app).await;
    assert!(plan.contains("email_outbox_due_idx"), "claim plan:\n{plan}");
    assert!(
        !plan.contains("Sort") && !plan.contains("TEMP B-TREE"),
        "the claim sorts its candidates:\n{plan}"
    );

    // And it takes the oldest due rows (RETURNING gives them in no set order).
    let claimed = claim(&app.db, &fast_policy(), now).await.expect("claim");
    let mut keys: Vec<_> = claimed
        .iter()
        .filter_map(|r| r.dedupe_key.clone())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "backlog-3991",
            "backlog-3993",
            "backlog-3995",
            "backlog-3997",
            "backlog-3999"
        ]
    );
}

/// A claim made while the outbox is empty must not leave Postgres a cached plan for an
/// empty table: every claim is planned for the table as it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_on_postgres_are_planned_for_the_table_as_it_is_now() {
    let Some((db, _guard)) = crate::helpers::postgres_on_one_connection().await else {
        return;
    };
    // Postgres tries a cached generic plan from the sixth execution of a statement on.
    for _ in 0..8 {
        assert!(
            claim(&db, &fast_policy(), Utc::now())
                .await
                .unwrap()
                .is_empty()
        );
    }
    let plans = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements \
             WHERE statement LIKE 'UPDATE email_outbox SET status = ''sending''%'",
        ))
        .await
        .expect("query")
        .expect("the claim is a prepared statement");
    let generic: i64 = plans.try_get_by_index(0).unwrap();
    let custom: i64 = plans.try_get_by_index(1).unwrap();
    assert_eq!(
        (generic, custom),
        (0, 8),
        "generic and custom plans of the claim"
    );
}
