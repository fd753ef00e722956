//! The paid loop end to end: order → verified Clerk payment event → fulfilment.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{TestApp, body};
use crate::loop_support::{asset, offer, order, order_status, payment_attempt, price, product};

const BUYER: &str = "user_buyer";

async fn pay(app: &TestApp, public_id: &str) {
    let (status, answer) = body(
        app.deliver(
            &format!("msg_{public_id}"),
            &payment_attempt(public_id, "paid"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digital_purchase_is_paid_by_webhook_and_fulfilled() {
    let app = TestApp::spawn().await;
    let ebook = product(&app, "Ebook", "digital", json!(["Ebook Access", "updates"])).await;
    asset(&app, ebook, "chapter-1").await;
    asset(&app, ebook, "chapter-2").await;
    let one_time = price(&app, ebook, 1900, "one_time").await;

    let (status, created) = body(
        app.send_as(
            BUYER,
            Method::POST,
            "/api/account/orders/create/",
            &json!({"price_id": one_time, "quantity": 2, "amount_cents": 1, "total_cents": 1}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let order = &created["order"];
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(order["total_cents"], 3800, "amounts come from the database");
    assert_eq!(order["subtotal_cents"], 3800);
    assert_eq!(order["items"][0]["unit_amount_cents"], 1900);
    assert_eq!(order["items"][0]["price_name_snapshot"], "One-time");
    assert_eq!(order["items"][0]["product_type"], "digital");
    assert_eq!(
        created["checkout"],
        json!({"checkout_url": "", "provider": "clerk"})
    );
    let public_id = order["public_id"].as_str().unwrap();

    pay(&app, public_id).await;

    let fulfilled = order_status(&app, BUYER, public_id).await;
    assert_eq!(fulfilled["status"], "fulfilled");
    assert!(fulfilled["paid_at"].is_string());
    assert!(fulfilled["fulfilled_at"].is_string());
    assert_eq!(
        fulfilled["external_reference"],
        format!("pay_{}", &public_id[..8])
    );
    assert_eq!(app.count("entitlements").await, 2);
    assert_eq!(
        app.count("download_grants").await,
        2,
        "one per active asset"
    );
    assert_eq!(app.count("payment_transactions").await, 1);
    assert_eq!(app.count("email_outbox").await, 1, "order fulfilled email");
    assert_eq!(app.count("fulfillment_orders").await, 0);
    let (_, grants) = body(app.get_as(BUYER, "/api/account/downloads/").await).await;
    let grants = grants.as_array().unwrap();
    assert_eq!(grants.len(), 2);
    assert!(
        grants
            .iter()
            .all(|g| g["is_active"] == true && g["max_downloads"] == 5)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digital_product_without_assets_gets_a_locked_pending_grant_per_unit() {
    let app = TestApp::spawn().await;
    let soon = product(&app, "Coming Soon", "digital", json!([])).await;
    let price = price(&app, soon, 500, "one_time").await;
    let order = order(&app, BUYER, price, 2).await;
    pay(&app, order["public_id"].as_str().unwrap()).await;
    let (_, grants) = body(app.get_as(BUYER, "/api/account/downloads/").await).await;
    let grants = grants.as_array().unwrap();
    assert_eq!(grants.len(), 2, "{grants:?}");
    assert!(
        grants
            .iter()
            .all(|g| g["is_active"] == false && g["can_download"] == false)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_open_work_orders_with_or_without_a_locked_grant() {
    let app = TestApp::spawn().await;
    let logo = product(&app, "Logo Design", "service", json!(["design_client"])).await;
    offer(&app, logo, 5, "downloadable").await;
    let logo_price = price(&app, logo, 30000, "one_time").await;
    let print = product(&app, "Printed Poster", "service", json!([])).await;
    offer(&app, print, 10, "physical").await;
    let print_price = price(&app, print, 4500, "one_time").await;

    let logo_order = order(&app, BUYER, logo_price, 3).await;
    pay(&app, logo_order["public_id"].as_str().unwrap()).await;
    let print_order = order(&app, BUYER, print_price, 1).await;
    pay(&app, print_order["public_id"].as_str().unwrap()).await;

    let (status, work) = body(app.get_as(BUYER, "/api/account/orders/work/").await).await;
    assert_eq!(status, 200);
    let work = work.as_array().unwrap();
    assert_eq!(work.len(), 4, "{work:?}");
    let downloadable: Vec<_> = work
        .iter()
        .filter(|w| w["delivery_mode"] == "downloadable")
        .collect();
    assert_eq!(downloadable.len(), 3);
    assert!(downloadable.iter().all(|w| w["download_grant"].is_i64()
        && w["download_ready"] == false
        && w["status"] == "requested"
        && w["customer_request"] == "Please hurry"));
    let physical: Vec<_> = work
        .iter()
        .filter(|w| w["delivery_mode"] == "physical_shipped")
        .collect();
    assert_eq!(physical.len(), 1);
    assert!(physical[0]["download_grant"].is_null());
    assert_eq!(app.count("download_grants").await, 3);
    // Order fulfilled + work order received, for each of the two orders.
    assert_eq!(app.count("email_outbox").await, 4);
    let (_, bookings) = body(app.get_as(BUYER, "/api/account/bookings/").await).await;
    assert_eq!(bookings.as_array().unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recurring_price_starts_an_active_subscription() {
    let app = TestApp::spawn().await;
    let pro = product(&app, "Pro Plan", "digital", json!(["pro"])).await;
    let monthly = price(&app, pro, 2900, "monthly").await;
    let order = order(&app, BUYER, monthly, 1).await;
    pay(&app, order["public_id"].as_str().unwrap()).await;
    assert_eq!(app.count("subscriptions").await, 1);
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT status, current_period_start, current_period_end FROM subscriptions",
        ))
        .await
        .unwrap()
        .unwrap();
    let status: String = row.try_get("", "status").unwrap();
    let start: chrono::DateTime<chrono::Utc> = row.try_get("", "current_period_start").unwrap();
    let end: chrono::DateTime<chrono::Utc> = row.try_get("", "current_period_end").unwrap();
    assert_eq!(status, "active");
    assert_eq!((end - start).num_days(), 30);
    assert_eq!(app.count("entitlements").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkout_events_are_matched_by_checkout_id() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    asset(&app, kit, "kit").await;
    let price = price(&app, kit, 1000, "one_time").await;
    let order = order(&app, BUYER, price, 1).await;
    let public_id = order["public_id"].as_str().unwrap();
    let created = json!({"type": "checkout.created", "data": {"id": "chk_123", "status": "pending", "metadata": {"order_public_id": public_id}}});
    assert_eq!(
        app.deliver("msg_chk_1", &created).await.status().as_u16(),
        200
    );
    assert_eq!(
        order_status(&app, BUYER, public_id).await["clerk_checkout_id"],
        "chk_123"
    );
    assert_eq!(
        order_status(&app, BUYER, public_id).await["status"],
        "pending_payment"
    );
    // The update carries only the checkout id.
    let updated = json!({"type": "billing.checkout.updated", "data": {"id": "chk_123", "status": "completed"}});
    assert_eq!(
        app.deliver("msg_chk_2", &updated).await.status().as_u16(),
        200
    );
    assert_eq!(
        order_status(&app, BUYER, public_id).await["status"],
        "fulfilled"
    );
    assert_eq!(app.count("download_grants").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_attempt_is_recorded_and_fulfils_nothing() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!(["kit"])).await;
    asset(&app, kit, "kit").await;
    let price = price(&app, kit, 1000, "one_time").await;
    let order = order(&app, BUYER, price, 1).await;
    let public_id = order["public_id"].as_str().unwrap();
    let (status, _) = body(
        app.deliver("msg_fail", &payment_attempt(public_id, "failed"))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        order_status(&app, BUYER, public_id).await["status"],
        "pending_payment"
    );
    assert_eq!(app.count("payment_transactions").await, 1);
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT status FROM payment_transactions",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "status").unwrap(), "failed");
    assert_eq!(app.count("entitlements").await, 0);
    assert_eq!(app.count("download_grants").await, 0);
    assert_eq!(app.count("email_outbox").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_creation_refuses_what_cannot_be_bought() {
    let app = TestApp::spawn().await;
    let live = product(&app, "Live", "digital", json!([])).await;
    let live_price = price(&app, live, 1000, "one_time").await;
    let (status, _) = body(
        app.send_as(
            SELLER_FOR_DRAFT,
            Method::POST,
            "/api/seller/products/",
            &json!({"name": "Draft"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
    let (_, drafts) = body(app.get_as(SELLER_FOR_DRAFT, "/api/seller/products/").await).await;
    let draft = drafts[0]["id"].as_i64().unwrap();
    let (_, draft_price) = body(
        app.send_as(
            SELLER_FOR_DRAFT,
            Method::POST,
            &format!("/api/seller/products/{draft}/prices/"),
            &json!({"amount_cents": 100}),
        )
        .await,
    )
    .await;
    let (_, inactive) = body(
        app.send_as(
            crate::loop_support::SELLER,
            Method::POST,
            &format!("/api/seller/products/{live}/prices/"),
            &json!({"amount_cents": 100, "is_active": false}),
        )
        .await,
    )
    .await;
    for (input, expected, field) in [
        (json!({"price_id": 999_999}), 404, None),
        (json!({"price_id": draft_price["id"]}), 404, None),
        (json!({"price_id": inactive["id"]}), 404, None),
        (
            json!({"price_id": live_price, "quantity": 0}),
            400,
            Some("quantity"),
        ),
        (
            json!({"price_id": live_price, "quantity": 1001}),
            400,
            Some("quantity"),
        ),
        (
            json!({"price_id": live_price, "notes": "n".repeat(4001)}),
            400,
            Some("notes"),
        ),
        (json!({"price_id": "ten"}), 400, Some("price_id")),
        (json!({}), 400, Some("price_id")),
    ] {
        let (status, answer) = body(
            app.send_as(BUYER, Method::POST, "/api/account/orders/create/", &input)
                .await,
        )
        .await;
        assert_eq!(status, expected, "{input}: {answer}");
        if let Some(field) = field {
            assert!(answer[field].is_array(), "{input}: {answer}");
        }
    }
    assert_eq!(app.count("orders").await, 0);
}

const SELLER_FOR_DRAFT: &str = "user_drafter";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_order_list_is_the_callers_newest_first_with_a_fixed_query_count() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    let price = price(&app, kit, 1000, "one_time").await;
    let first = order(&app, BUYER, price, 1).await;
    let _ = order(&app, "user_someone_else", price, 1).await;
    let (_, list) = body(app.get_as(BUYER, "/api/account/orders/").await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    let _ = order(&app, BUYER, price, 1).await;
    let before = app.queries();
    let (_, list) = body(app.get_as(BUYER, "/api/account/orders/").await).await;
    let for_two = app.queries() - before;
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "a new order shows at once"
    );
    let statements = match app.db.get_database_backend() {
        // The orders, then their items and products.
        sea_orm::DbBackend::Postgres => 2,
        // Orders, items and products joined.
        _ => 1,
    };
    assert_eq!(for_two, statements, "statements for one order list");

    // Unchanged, it is served from memory: the cache's generations belong to this
    // app, so nothing another test does can make it read again.
    for _ in 0..3 {
        let before = app.queries();
        let (_, again) = body(app.get_as(BUYER, "/api/account/orders/").await).await;
        assert_eq!(again, list);
        assert_eq!(
            app.queries(),
            before,
            "an unchanged list is served from the cache"
        );
    }

    for _ in 0..5 {
        let _ = order(&app, BUYER, price, 1).await;
    }
    let before = app.queries();
    let (_, list) = body(app.get_as(BUYER, "/api/account/orders/").await).await;
    assert_eq!(app.queries() - before, for_two, "no query per order");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 7);
    assert_eq!(list[6]["public_id"], first["public_id"], "oldest last");
}

/// Postgres keeps one plan for the order list whoever the buyer is: with one buyer's
/// thousands of orders beside another's twenty, a plain `= $1` on the buyer made it plan
/// every execution afresh, which took longer than reading the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_reuses_one_plan_for_every_buyers_order_list() {
    let Some((db, _guard)) = crate::helpers::postgres_on_one_connection().await else {
        return;
    };
    db.execute_unprepared(
        "INSERT INTO profiles (id, clerk_user_id, email, first_name, last_name, image_url, \
         plan_tier, billing_features, is_active, metadata, created_at, updated_at) \
         SELECT n, 'user_' || n, '', '', '', '', 'free', '[]', true, '{}', now(), now() \
         FROM generate_series(1, 2) n; \
         INSERT INTO customer_accounts (id, profile_id, external_customer_id, billing_email, \
         full_name, company_name, country, tax_id, billing_email_set_by_buyer, \
         full_name_set_by_buyer, metadata, created_at, updated_at) \
         SELECT n, n, 'user_' || n, '', '', '', '', '', false, false, '{}', now(), now() \
         FROM generate_series(1, 2) n; \
         INSERT INTO orders (public_id, customer_account_id, status, currency, subtotal_cents, \
         tax_cents, total_cents, notes, clerk_checkout_id, external_reference, metadata, \
         created_at, updated_at) \
         SELECT gen_random_uuid(), CASE WHEN n <= 20 THEN 1 ELSE 2 END, 'pending_payment', \
         'USD', 100, 0, 100, '', '', '', '{}', now(), now() FROM generate_series(1, 5020) n; \
         ANALYZE",
    )
    .await
    .expect("seed two buyers");
    // Postgres tries its cached generic plan from the sixth execution on.
    for _ in 0..8 {
        let list = paidloop_server::services::orders::list(&db, 1)
            .await
            .expect("list");
        assert_eq!(list.len(), 20);
    }
    let plans = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT generic_plans FROM pg_prepared_statements \
             WHERE statement LIKE 'SELECT o.id, o.public_id%'",
        ))
        .await
        .expect("query")
        .expect("the list is a prepared statement");
    let generic: i64 = plans.try_get_by_index(0).unwrap();
    assert!(generic >= 2, "generic plans of the order list: {generic}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_order_creations_are_each_written_whole_and_priced_by_the_server() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    let price = price(&app, kit, 1250, "one_time").await;
    let buyers: Vec<String> = (0..20).map(|n| format!("user_rush_{}", n % 4)).collect();
    let requests = buyers.iter().enumerate().map(|(n, buyer)| {
        let quantity = i64::try_from(n % 3 + 1).unwrap();
        let app = &app;
        async move {
            let response = app
                .send_as(
                    buyer,
                    Method::POST,
                    "/api/account/orders/create/",
                    &json!({"price_id": price, "quantity": quantity}),
                )
                .await;
            (quantity, body(response).await)
        }
    });
    let results = futures_util::future::join_all(requests).await;
    let mut public_ids = std::collections::HashSet::new();
    for (quantity, (status, answer)) in results {
        assert_eq!(status, 201, "{answer}");
        let order = &answer["order"];
        assert_eq!(order["total_cents"], 1250 * quantity, "{order}");
        assert_eq!(order["items"].as_array().unwrap().len(), 1);
        assert_eq!(order["items"][0]["quantity"], quantity);
        assert!(public_ids.insert(order["public_id"].as_str().unwrap().to_owned()));
    }
    assert_eq!(app.count("orders").await, 20);
    assert_eq!(app.count("order_items").await, 20);
    // Each buyer's list holds exactly their own five orders.
    let (_, list) = body(app.get_as("user_rush_0", "/api/account/orders/").await).await;
    assert_eq!(list.as_array().unwrap().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_order_list_shows_a_payment_and_a_renamed_product_at_once() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    let price = price(&app, kit, 1000, "one_time").await;
    let created = order(&app, BUYER, price, 1).await;
    let public_id = created["public_id"].as_str().unwrap();

    // The list as created matches the order the create call answered, field for field.
    let listed = order_status(&app, BUYER, public_id).await;
    assert_eq!(listed, created);
    assert_eq!(listed["status"], "pending_payment");

    pay(&app, public_id).await;
    let listed = order_status(&app, BUYER, public_id).await;
    assert_eq!(
        listed["status"], "fulfilled",
        "the webhook's change shows at once"
    );
    assert!(listed["paid_at"].is_string());

    let (status, _) = body(
        app.send_as(
            crate::loop_support::SELLER,
            Method::PATCH,
            &format!("/api/seller/products/{kit}/"),
            &json!({"slug": "kit-two"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let listed = order_status(&app, BUYER, public_id).await;
    assert_eq!(listed["items"][0]["product_slug"], "kit-two");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paidloop_dev_pay_pays_through_the_real_webhook_path() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!(["kit"])).await;
    asset(&app, kit, "kit").await;
    let price = price(&app, kit, 1500, "one_time").await;
    let order = order(&app, BUYER, price, 1).await;
    let public_id = order["public_id"].as_str().unwrap().to_owned();
    let run = |status: &'static str, secret: &'static str| {
        let (id, url) = (public_id.clone(), app.address.clone());
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_paidloop"))
                .args(["dev", "pay", &id, "--status", status, "--url", &url])
                .env_clear()
                .env("CLERK_WEBHOOK_SIGNING_SECRET", secret)
                .current_dir(std::env::temp_dir())
                .output()
                .expect("run paidloop")
        })
    };
    // Signed with another secret: the server refuses it.
    let forged = run("paid", "whsec_c29tZW9uZS1lbHNlcy1zZWNyZXQ=")
        .await
        .unwrap();
    assert!(!forged.status.success());
    assert_eq!(
        order_status(&app, BUYER, &public_id).await["status"],
        "pending_payment"
    );
    let declined = run("failed", crate::helpers::WEBHOOK_SECRET).await.unwrap();
    assert!(declined.status.success(), "{declined:?}");
    assert_eq!(
        order_status(&app, BUYER, &public_id).await["status"],
        "pending_payment"
    );
    let paid = run("paid", crate::helpers::WEBHOOK_SECRET).await.unwrap();
    assert!(paid.status.success(), "{paid:?}");
    assert_eq!(
        order_status(&app, BUYER, &public_id).await["status"],
        "fulfilled"
    );
    assert_eq!(
        app.count("payment_transactions").await,
        2,
        "one failed, one succeeded"
    );
}
