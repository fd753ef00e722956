//! Payment deliveries processed in groups: a burst of payments for many orders, with
//! redeliveries and repeated reports, fulfils each order exactly once; each event's row
//! ends with its own outcome (processed, ignored, or handled again); one broken
//! payment in a burst fails alone; on Postgres, a group's statements have the same
//! texts whatever its size, and its plan setting ends with its transaction.

use paidloop_server::{bulk, db};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, body, event_rows, fresh_database, store_failed_event};
use crate::loop_support::{asset, order, order_status, payment_attempt, price, product};

const BUYER: &str = "user_burst";

/// A digital product with two assets and a one-time price; answers the price.
async fn kit(app: &TestApp) -> i64 {
    let kit = product(app, "Kit", "digital", json!(["kit"])).await;
    asset(app, kit, "a").await;
    asset(app, kit, "b").await;
    price(app, kit, 2500, "one_time").await
}

/// Delivers every `(svix id, event)` at once; answers each (status, body).
async fn burst(app: &TestApp, deliveries: &[(String, Value)]) -> Vec<(u16, Value)> {
    let responses =
        futures_util::future::join_all(deliveries.iter().map(|(id, event)| app.deliver(id, event)))
            .await;
    let mut answers = Vec::new();
    for response in responses {
        answers.push(body(response).await);
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_payments_fulfils_every_order_exactly_once() {
    let app = TestApp::spawn().await;
    let price = kit(&app).await;
    let mut orders = Vec::new();
    for _ in 0..30 {
        let created = order(&app, BUYER, price, 1).await;
        orders.push(created["public_id"].as_str().unwrap().to_owned());
    }
    // Each order: its payment delivered twice under one svix id, and reported again
    // under another (Clerk sends `paymentAttempt.updated` more than once).
    let mut deliveries = Vec::new();
    for (n, public_id) in orders.iter().enumerate() {
        let event = payment_attempt(public_id, "paid");
        deliveries.push((format!("msg_pay_{n}"), event.clone()));
        deliveries.push((format!("msg_pay_{n}"), event.clone()));
        deliveries.push((format!("msg_again_{n}"), event));
    }
    let answers = burst(&app, &deliveries).await;
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    let deduplicated = answers
        .iter()
        .filter(|(_, a)| a.get("deduplicated").is_some())
        .count();
    assert_eq!(
        deduplicated, 30,
        "one of each twice-delivered event: {answers:?}"
    );
    for public_id in &orders {
        assert_eq!(
            order_status(&app, BUYER, public_id).await["status"],
            "fulfilled"
        );
    }
    assert_eq!(app.count("webhook_events").await, 60);
    assert_eq!(app.count("entitlements").await, 30);
    assert_eq!(app.count("download_grants").await, 60);
    assert_eq!(app.count("payment_transactions").await, 30);
    assert_eq!(app.count("email_outbox").await, 30);
    let processed = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT count(*) AS n FROM webhook_events WHERE status = 'processed'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(processed, 60, "every stored event is finished");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_event_of_a_burst_ends_with_its_own_outcome() {
    let app = TestApp::spawn().await;
    let price = kit(&app).await;
    let mut orders = Vec::new();
    for _ in 0..4 {
        let created = order(&app, BUYER, price, 1).await;
        orders.push(created["public_id"].as_str().unwrap().to_owned());
    }
    // An event stored before and never finished (its delivery failed): handled again.
    let stuck = payment_attempt(&orders[3], "paid");
    store_failed_event(&app, "msg_stuck", &stuck, "the database went away").await;
    let nobody = uuid::Uuid::new_v4().to_string();
    let deliveries = vec![
        ("msg_paid_0".to_owned(), payment_attempt(&orders[0], "paid")),
        ("msg_paid_1".to_owned(), payment_attempt(&orders[1], "paid")),
        (
            "msg_declined".to_owned(),
            payment_attempt(&orders[2], "failed"),
        ),
        ("msg_nobody".to_owned(), payment_attempt(&nobody, "paid")),
        ("msg_stuck".to_owned(), stuck),
    ];
    let answers = burst(&app, &deliveries).await;
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    assert!(answers[3].1["ignored"].is_string(), "{answers:?}");

    let processed = |note: &str| ("processed".to_owned(), note.to_owned(), true);
    let rows = event_rows(&app).await;
    assert_eq!(rows["msg_paid_0"], processed(""));
    assert_eq!(rows["msg_paid_1"], processed(""));
    assert_eq!(rows["msg_declined"], processed(""));
    assert_eq!(
        rows["msg_stuck"],
        processed(""),
        "the earlier error is cleared"
    );
    let (status, note, finished) = &rows["msg_nobody"];
    assert_eq!((status.as_str(), finished), ("ignored", &true));
    assert!(note.contains("no order"), "{note}");
    for (n, expected) in [
        (0, "fulfilled"),
        (1, "fulfilled"),
        (2, "pending_payment"),
        (3, "fulfilled"),
    ] {
        assert_eq!(
            order_status(&app, BUYER, &orders[n]).await["status"],
            expected
        );
    }

    // Delivered again, each finished event is answered `deduplicated` and left as is.
    let again = burst(&app, &deliveries).await;
    assert!(
        again
            .iter()
            .all(|(s, a)| *s == 200 && a.get("deduplicated").is_some()),
        "{again:?}"
    );
    assert_eq!(event_rows(&app).await, rows);
    assert_eq!(app.count("download_grants").await, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_broken_payment_in_a_burst_fails_alone() {
    let app = TestApp::spawn().await;
    let price = kit(&app).await;
    let mut orders = Vec::new();
    for _ in 0..12 {
        let created = order(&app, BUYER, price, 1).await;
        orders.push(created["public_id"].as_str().unwrap().to_owned());
    }
    // The database refuses that order's grants (a trigger): confirming it fails.
    let broken = &orders[5];
    let backend = app.db.get_database_backend();
    let find_item = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT i.id FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.public_id = $1"
        }
        _ => {
            "SELECT i.id FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.public_id = ?"
        }
    };
    let item: i64 = app
        .db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            find_item,
            [uuid::Uuid::parse_str(broken).unwrap().into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    let triggers = match backend {
        sea_orm::DatabaseBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION refuse_grant() RETURNS trigger AS $$ BEGIN \
                 IF NEW.order_item_id = {item} THEN RAISE EXCEPTION 'refused'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER refuse_grant BEFORE INSERT ON download_grants \
             FOR EACH ROW EXECUTE FUNCTION refuse_grant()"
                .to_owned(),
        ],
        _ => vec![format!(
            "CREATE TRIGGER refuse_grant BEFORE INSERT ON download_grants \
             WHEN NEW.order_item_id = {item} BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )],
    };
    for sql in triggers {
        app.db
            .execute_raw(Statement::from_string(backend, sql))
            .await
            .unwrap();
    }
    let deliveries: Vec<_> = orders
        .iter()
        .enumerate()
        .map(|(n, public_id)| (format!("msg_mixed_{n}"), payment_attempt(public_id, "paid")))
        .collect();
    let answers = burst(&app, &deliveries).await;
    for ((id, _), (status, answer)) in deliveries.iter().zip(&answers) {
        let expected = if id == "msg_mixed_5" { 500 } else { 200 };
        assert_eq!(*status, expected, "{id}: {answer}");
    }
    for (n, public_id) in orders.iter().enumerate() {
        if n != 5 {
            assert_eq!(
                order_status(&app, BUYER, public_id).await["status"],
                "fulfilled"
            );
        }
    }
    assert_eq!(app.count("download_grants").await, 22);
    assert_eq!(app.count("payment_transactions").await, 11);
    let failed = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT event_id FROM webhook_events WHERE status = 'failed'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "event_id")
        .unwrap();
    assert_eq!(failed, "msg_mixed_5");
}

/// On Postgres ids and rows travel as arrays (`paidloop_server::bulk`), so a group of
/// twelve runs the very statement texts a lone payment ran: each is prepared, parsed
/// and planned once per connection, not once per group size.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_groups_statements_keep_their_texts_whatever_its_size() {
    let app = TestApp::spawn().await;
    let price = kit(&app).await;
    let mut orders = Vec::new();
    for _ in 0..13 {
        let created = order(&app, BUYER, price, 1).await;
        orders.push(created["public_id"].as_str().unwrap().to_owned());
    }
    let lone = app
        .deliver("msg_lone", &payment_attempt(&orders[0], "paid"))
        .await;
    assert_eq!(lone.status().as_u16(), 200);
    let before = app.statement_texts();

    let deliveries: Vec<(String, Value)> = orders[1..]
        .iter()
        .enumerate()
        .map(|(n, id)| (format!("msg_group_{n}"), payment_attempt(id, "paid")))
        .collect();
    let answers = burst(&app, &deliveries).await;
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    assert_eq!(app.count("entitlements").await, 13);
    assert_eq!(app.count("download_grants").await, 26);

    if app.db.get_database_backend() == DbBackend::Postgres {
        let after = app.statement_texts();
        let new: Vec<&String> = after.difference(&before).collect();
        assert!(new.is_empty(), "texts a lone payment did not run: {new:#?}");
    }
}

/// The plan cache mode of the session `on` runs in.
async fn plan_cache_mode<C: ConnectionTrait>(on: &C) -> String {
    on.query_one_raw(Statement::from_string(
        DbBackend::Postgres,
        "SHOW plan_cache_mode",
    ))
    .await
    .expect("show")
    .expect("a row")
    .try_get_by_index(0)
    .expect("the setting")
}

/// A payment group asks Postgres to reuse its plans ([`bulk::reuse_plans`]) for its own
/// transaction only: the pooled connection goes back planning as before, for every
/// other statement that runs on it.
#[tokio::test]
async fn reused_plans_end_with_the_groups_transaction() {
    let (url, _guard) = fresh_database().await;
    let pool = db::connect(&url, 1).await.expect("one connection");
    let txn = pool.begin().await.expect("begin");
    bulk::reuse_plans(&txn).await.expect("set");
    if pool.get_database_backend() != DbBackend::Postgres {
        return;
    }
    assert_eq!(plan_cache_mode(&txn).await, "force_generic_plan");
    txn.commit().await.expect("commit");
    assert_eq!(plan_cache_mode(&pool).await, "auto");
}
