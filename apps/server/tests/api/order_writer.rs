//! The order writer on its own: a crowd larger than one transaction takes, and a bad
//! order inside a group failing alone.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use futures_util::future::join_all;
use paidloop_server::db::WriteGate;
use paidloop_server::entities::{order_items, orders};
use paidloop_server::services::orders::writer::{NewOrder, OrderWriter};
use sea_orm::{EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::loop_support::{order, price, product};

/// Columns an order's INSERT binds per row (every field `new_order` sets).
const ORDER_COLUMNS: usize = 13;

fn new_order(account: i64, product: i64, price: i64) -> NewOrder {
    let now = Utc::now();
    NewOrder {
        order: orders::ActiveModel {
            public_id: Set(Uuid::new_v4()),
            customer_account_id: Set(account),
            status: Set("pending_payment".into()),
            currency: Set("USD".into()),
            subtotal_cents: Set(700),
            tax_cents: Set(0),
            total_cents: Set(700),
            notes: Set(String::new()),
            clerk_checkout_id: Set(String::new()),
            external_reference: Set(String::new()),
            metadata: Set(json!({})),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
        item: order_items::ActiveModel {
            product_id: Set(product),
            price_id: Set(Some(price)),
            quantity: Set(1),
            unit_amount_cents: Set(700),
            total_amount_cents: Set(700),
            product_name_snapshot: Set("Kit".into()),
            price_name_snapshot: Set("One-time".into()),
            metadata: Set(json!({})),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_is_written_in_capped_groups_and_a_bad_order_fails_alone() {
    let app = TestApp::spawn().await;
    let kit = product(&app, "Kit", "digital", json!([])).await;
    let price = price(&app, kit, 700, "one_time").await;
    let first = order(&app, "user_crowd", price, 1).await;
    let account = orders::Entity::find_by_id(first["id"].as_i64().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .customer_account_id;

    // Record how many rows each orders INSERT carries.
    let group_sizes = Arc::new(Mutex::new(Vec::new()));
    let mut db = app.db.clone();
    let sizes = group_sizes.clone();
    db.set_metric_callback(move |info| {
        let sql = info.statement.sql.as_str();
        if sql.starts_with("INSERT INTO \"orders\"") && !info.failed {
            let bound = info.statement.values.as_ref().map_or(0, |v| v.0.len());
            sizes.lock().unwrap().push(bound / ORDER_COLUMNS);
        }
    });

    let writer = OrderWriter::default();
    let gate = WriteGate::default();
    let mut crowd: Vec<NewOrder> = (0..600).map(|_| new_order(account, kit, price)).collect();
    crowd[300] = new_order(i64::MAX, kit, price); // no such account: its row is refused
    let results = join_all(crowd.into_iter().map(|n| writer.write(&db, &gate, n))).await;

    let mut ids = HashSet::new();
    let mut failed = 0;
    for (n, result) in results.into_iter().enumerate() {
        match result {
            Ok((order, item)) => {
                assert_eq!(item.order_id, order.id, "the item belongs to its order");
                assert_eq!(order.customer_account_id, account);
                assert!(ids.insert(order.id));
            }
            Err(_) => {
                assert_eq!(n, 300, "only the bad order fails");
                failed += 1;
            }
        }
    }
    assert_eq!(failed, 1);
    assert_eq!(ids.len(), 599);
    assert_eq!(app.count("orders").await, 600);
    assert_eq!(app.count("order_items").await, 600);

    let sizes = group_sizes.lock().unwrap().clone();
    assert!(sizes.iter().all(|&rows| rows <= 256), "{sizes:?}");
    assert!(
        sizes.contains(&256),
        "the crowd filled whole groups: {sizes:?}"
    );
}
