//! The fulfilment plan: each kind of product, quantities, recurring prices, shared
//! feature keys, and idempotent application by natural keys.

use std::collections::HashSet;

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

const ORDER: &str = "3a7e8c2b-1d4f-4e6a-9b0c-5d2e1f3a4b6c";

fn order() -> Uuid {
    Uuid::parse_str(ORDER).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

fn keys(raw: &[&str]) -> Vec<FeatureKey> {
    raw.iter().map(|k| FeatureKey::parse(k).unwrap()).collect()
}

fn digital(order_item_id: i64, assets: &[i64]) -> FulfilmentItem {
    FulfilmentItem {
        order_item_id,
        product_id: 100 + order_item_id,
        product_name: "Icon pack".to_owned(),
        product_type: ProductType::Digital,
        feature_keys: Vec::new(),
        active_asset_ids: assets.to_vec(),
        service: None,
        price: Some(ItemPrice {
            price_id: 200 + order_item_id,
            billing_period: BillingPeriod::OneTime,
        }),
        quantity: 1,
    }
}

fn service(order_item_id: i64, mode: DeliveryMode, quantity: u32) -> FulfilmentItem {
    FulfilmentItem {
        product_name: "Logo design".to_owned(),
        product_type: ProductType::Service,
        service: Some(ServiceTerms {
            delivery_days: 7,
            delivery_mode: mode,
        }),
        quantity,
        ..digital(order_item_id, &[])
    }
}

fn recurring(order_item_id: i64, period: BillingPeriod) -> FulfilmentItem {
    FulfilmentItem {
        price: Some(ItemPrice {
            price_id: 200 + order_item_id,
            billing_period: period,
        }),
        ..digital(order_item_id, &[9])
    }
}

fn plan(items: &[FulfilmentItem]) -> FulfilmentPlan {
    plan_fulfilment(order(), now(), items).expect("plannable")
}

#[test]
fn an_empty_order_plans_nothing() {
    let plan = plan(&[]);
    assert!(plan.is_empty());
    assert_eq!(plan, FulfilmentPlan::default());
}

#[test]
fn digital_with_assets_gets_one_open_grant_per_asset() {
    let mut item = digital(1, &[7, 8, 7]);
    item.quantity = 3;
    let plan = plan(&[item]);
    assert_eq!(
        plan.download_grants,
        [PlannedGrant::open(1, 7), PlannedGrant::open(1, 8)]
    );
    for grant in &plan.download_grants {
        assert!(grant.is_active);
        assert_eq!(grant.max_downloads, 5);
    }
    assert!(plan.work_orders.is_empty() && plan.subscriptions.is_empty());
    assert_eq!(plan.placeholder_assets().count(), 0);
}

#[test]
fn digital_without_assets_gets_one_locked_placeholder_grant_per_unit() {
    let mut item = digital(4, &[]);
    item.quantity = 2;
    let plan = plan(&[item]);
    assert_eq!(plan.download_grants.len(), 2);
    for (index, grant) in plan.download_grants.iter().enumerate() {
        let sequence = index as u32 + 1;
        assert!(!grant.is_active);
        assert_eq!(grant.max_downloads, MAX_DOWNLOADS);
        assert_eq!(grant.order_item_id, 4);
        let GrantAsset::Placeholder(asset) = &grant.asset else {
            panic!("expected a placeholder");
        };
        assert_eq!(asset.product_id, 104);
        assert_eq!(asset.sequence, sequence);
        assert_eq!(asset.title, format!("Icon pack deliverable #{sequence}"));
        assert_eq!(
            asset.file_path,
            format!("pending/fulfillment/{ORDER}/4-{sequence}.pending")
        );
        assert_eq!(asset.reason, PendingReason::MissingDigitalAsset);
        assert_eq!(asset.version_label(), "pending");
        assert!(!asset.is_active());
        assert_eq!(
            asset.metadata(),
            serde_json::json!({
                "pending_fulfillment": true,
                "pending_reason": "missing_digital_asset",
                "order_public_id": ORDER,
                "order_item_id": 4,
                "sequence": sequence,
            })
        );
    }
}

#[test]
fn downloadable_service_gets_a_work_order_and_locked_grant_per_unit() {
    let plan = plan(&[service(5, DeliveryMode::Downloadable, 3)]);
    assert!(plan.download_grants.is_empty());
    assert_eq!(plan.work_orders.len(), 3);
    let due = now() + TimeDelta::days(7);
    for (index, work) in plan.work_orders.iter().enumerate() {
        let sequence = index as u32 + 1;
        assert_eq!(work.sequence, sequence);
        assert_eq!((work.order_item_id, work.product_id), (5, 105));
        assert_eq!(work.status(), "requested");
        assert_eq!(work.delivery_mode, DeliveryMode::Downloadable);
        assert_eq!(work.due_at, Some(due));
        assert_eq!(
            work.metadata(),
            serde_json::json!({"order_public_id": ORDER, "order_item_id": 5, "sequence": sequence})
        );
        let grant = work
            .download_grant
            .as_ref()
            .expect("downloadable has a grant");
        assert!(!grant.is_active);
        let GrantAsset::Placeholder(asset) = &grant.asset else {
            panic!("expected a placeholder");
        };
        assert_eq!(asset.reason, PendingReason::ServiceFulfillment);
        assert_eq!(asset.title, format!("Logo design deliverable #{sequence}"));
    }
    assert_eq!(plan.all_grants().count(), 3);
    assert_eq!(plan.placeholder_assets().count(), 3);
}

#[test]
fn physical_service_gets_work_orders_without_grants() {
    let plan = plan(&[service(6, DeliveryMode::PhysicalShipped, 3)]);
    assert_eq!(plan.work_orders.len(), 3);
    assert!(plan.work_orders.iter().all(|w| w.download_grant.is_none()
        && w.delivery_mode == DeliveryMode::PhysicalShipped));
    assert_eq!(plan.all_grants().count(), 0);
}

#[test]
fn a_service_without_an_offer_or_delivery_days_has_no_due_date() {
    let mut bare = service(7, DeliveryMode::Downloadable, 1);
    bare.service = None;
    let mut zero = service(8, DeliveryMode::PhysicalShipped, 1);
    zero.service = Some(ServiceTerms {
        delivery_days: 0,
        delivery_mode: DeliveryMode::PhysicalShipped,
    });
    let plan = plan(&[bare, zero]);
    assert_eq!(plan.work_orders[0].due_at, None);
    assert_eq!(
        plan.work_orders[0].delivery_mode,
        DeliveryMode::Downloadable
    );
    assert!(plan.work_orders[0].download_grant.is_some());
    assert_eq!(plan.work_orders[1].due_at, None);
    assert!(plan.work_orders[1].download_grant.is_none());
}

#[test]
fn recurring_prices_start_subscriptions() {
    let mut yearly = recurring(2, BillingPeriod::Yearly);
    yearly.quantity = 4;
    let plan = plan(&[
        recurring(1, BillingPeriod::Monthly),
        yearly,
        digital(3, &[5]),
    ]);
    assert_eq!(plan.subscriptions.len(), 2);
    let monthly = &plan.subscriptions[0];
    assert_eq!(
        (monthly.order_item_id, monthly.product_id, monthly.price_id),
        (1, 101, 201)
    );
    assert_eq!(monthly.status(), "active");
    assert_eq!(monthly.current_period_start, now());
    assert_eq!(
        monthly.current_period_end,
        Some(now() + TimeDelta::days(30))
    );
    let yearly = &plan.subscriptions[1];
    assert_eq!(yearly.billing_period, BillingPeriod::Yearly);
    assert_eq!(
        yearly.current_period_end,
        Some(now() + TimeDelta::days(365))
    );
    assert_eq!(
        yearly.metadata(),
        serde_json::json!({"order_public_id": ORDER, "order_item_id": 2, "quantity": 4})
    );
}

#[test]
fn no_subscription_without_a_price_or_for_one_time() {
    let mut deleted_price = recurring(1, BillingPeriod::Monthly);
    deleted_price.price = None;
    let plan = plan(&[deleted_price, digital(2, &[1])]);
    assert!(plan.subscriptions.is_empty());
}

#[test]
fn feature_keys_become_one_entitlement_each_across_items() {
    let mut a = digital(1, &[1]);
    a.feature_keys = keys(&["pro", "icons"]);
    let mut b = service(2, DeliveryMode::PhysicalShipped, 1);
    b.feature_keys = keys(&["icons", "priority_support"]);
    let plan = plan(&[a, b]);
    let planned: Vec<(&str, i64)> = plan
        .entitlements
        .iter()
        .map(|e| (e.feature_key.as_str(), e.order_item_id))
        .collect();
    assert_eq!(planned, [("pro", 1), ("icons", 1), ("priority_support", 2)]);
    for entitlement in &plan.entitlements {
        assert_eq!(entitlement.source_type(), "purchase");
        assert_eq!(entitlement.source_reference, ORDER);
        assert_eq!(entitlement.starts_at, now());
    }
    assert_eq!(
        plan.entitlements[2].metadata(),
        serde_json::json!({"order_item_id": 2})
    );
}

#[test]
fn a_mixed_order() {
    let mut ebook = digital(1, &[11, 12]);
    ebook.feature_keys = keys(&["library"]);
    let plan = plan(&[
        ebook,
        digital(2, &[]),
        service(3, DeliveryMode::Downloadable, 2),
        recurring(4, BillingPeriod::Monthly),
    ]);
    assert_eq!(plan.entitlements.len(), 1);
    assert_eq!(plan.download_grants.len(), 2 + 1 + 1);
    assert_eq!(plan.work_orders.len(), 2);
    assert_eq!(plan.subscriptions.len(), 1);
    assert_eq!(plan.all_grants().count(), 6);
    assert_eq!(plan.placeholder_assets().count(), 3);
}

#[test]
fn quantity_zero_counts_as_one() {
    let mut item = service(1, DeliveryMode::Downloadable, 0);
    item.price = Some(ItemPrice {
        price_id: 1,
        billing_period: BillingPeriod::Monthly,
    });
    let plan = plan(&[item]);
    assert_eq!(plan.work_orders.len(), 1);
    assert_eq!(plan.subscriptions[0].quantity, 1);
}

#[test]
fn per_unit_rows_are_capped() {
    let over = MAX_UNITS_PER_ITEM + 1;
    assert_eq!(
        plan_fulfilment(
            order(),
            now(),
            &[service(9, DeliveryMode::PhysicalShipped, over)]
        ),
        Err(FulfilmentError::TooManyUnits {
            order_item_id: 9,
            quantity: over,
            max: MAX_UNITS_PER_ITEM
        })
    );
    let mut no_files = digital(9, &[]);
    no_files.quantity = over;
    assert!(plan_fulfilment(order(), now(), &[no_files]).is_err());
    // Items with one row per asset are not limited by quantity.
    let mut with_files = digital(9, &[1]);
    with_files.quantity = u32::MAX;
    assert_eq!(plan(&[with_files]).download_grants.len(), 1);
    let at_limit = plan(&[service(
        9,
        DeliveryMode::PhysicalShipped,
        MAX_UNITS_PER_ITEM,
    )]);
    assert_eq!(at_limit.work_orders.len(), MAX_UNITS_PER_ITEM as usize);
}

#[test]
fn an_item_given_twice_is_refused() {
    assert_eq!(
        plan_fulfilment(order(), now(), &[digital(1, &[1]), digital(1, &[2])]),
        Err(FulfilmentError::DuplicateItem(1))
    );
}

#[test]
fn long_product_names_fit_the_title_column() {
    let mut item = digital(1, &[]);
    item.product_name = "N".repeat(400);
    let plan = plan(&[item]);
    let asset = plan.placeholder_assets().next().unwrap();
    assert_eq!(asset.title.chars().count(), 180);
    assert!(asset.title.ends_with(" deliverable #1"));
    let mut blank = digital(2, &[]);
    blank.product_name = "  ".to_owned();
    let plan = super::plan_fulfilment(order(), now(), &[blank]).unwrap();
    assert_eq!(
        plan.placeholder_assets().next().unwrap().title,
        "Custom deliverable deliverable #1"
    );
}

#[test]
fn due_dates_past_the_calendar_are_dropped() {
    let mut item = service(1, DeliveryMode::PhysicalShipped, 1);
    item.service = Some(ServiceTerms {
        delivery_days: u32::MAX,
        delivery_mode: DeliveryMode::PhysicalShipped,
    });
    assert_eq!(plan(&[item]).work_orders[0].due_at, None);
}

/// A stand-in for the database: what exists, by natural key. `apply` gets or creates
/// each planned row the way the server must, and says how many rows it created.
#[derive(Default)]
struct Store {
    entitlements: HashSet<(String, &'static str, String)>,
    assets: HashSet<(i64, String)>,
    grants: HashSet<(i64, String)>,
    work_orders: HashSet<(i64, u32)>,
    subscriptions: HashSet<i64>,
}

impl Store {
    fn grant(&mut self, grant: &PlannedGrant) -> usize {
        let asset = match &grant.asset {
            GrantAsset::Existing(id) => format!("asset:{id}"),
            GrantAsset::Placeholder(p) => {
                let created = self.assets.insert((p.product_id, p.file_path.clone()));
                return usize::from(created)
                    + usize::from(
                        self.grants
                            .insert((grant.order_item_id, p.file_path.clone())),
                    );
            }
        };
        usize::from(self.grants.insert((grant.order_item_id, asset)))
    }

    fn apply(&mut self, plan: &FulfilmentPlan) -> usize {
        let mut created = 0;
        for e in &plan.entitlements {
            created += usize::from(self.entitlements.insert((
                e.feature_key.to_string(),
                e.source_type(),
                e.source_reference.clone(),
            )));
        }
        for grant in &plan.download_grants {
            created += self.grant(grant);
        }
        for work in &plan.work_orders {
            if let Some(grant) = &work.download_grant {
                created += self.grant(grant);
            }
            created += usize::from(self.work_orders.insert((work.order_item_id, work.sequence)));
        }
        for sub in &plan.subscriptions {
            created += usize::from(self.subscriptions.insert(sub.order_item_id));
        }
        created
    }
}

fn rows(plan: &FulfilmentPlan) -> usize {
    plan.entitlements.len()
        + plan.all_grants().count()
        + plan.placeholder_assets().count()
        + plan.work_orders.len()
        + plan.subscriptions.len()
}

fn item_strategy() -> impl Strategy<Value = FulfilmentItem> {
    (
        any::<bool>(),
        prop::collection::vec(1i64..6, 0..4),
        prop::collection::vec(
            prop::sample::select(vec!["pro", "icons", "support", "beta"]),
            0..4,
        ),
        prop_oneof![
            Just(DeliveryMode::Downloadable),
            Just(DeliveryMode::PhysicalShipped)
        ],
        0u32..30,
        prop::option::of(prop::sample::select(BillingPeriod::ALL.to_vec())),
        0u32..6,
    )
        .prop_map(
            |(is_service, assets, feature_keys, mode, days, period, quantity)| FulfilmentItem {
                order_item_id: 0,
                product_id: 1,
                product_name: "Thing".to_owned(),
                product_type: if is_service {
                    ProductType::Service
                } else {
                    ProductType::Digital
                },
                feature_keys: keys(&feature_keys),
                active_asset_ids: assets,
                service: Some(ServiceTerms {
                    delivery_days: days,
                    delivery_mode: mode,
                }),
                price: period.map(|billing_period| ItemPrice {
                    price_id: 1,
                    billing_period,
                }),
                quantity,
            },
        )
}

fn order_strategy() -> impl Strategy<Value = Vec<FulfilmentItem>> {
    prop::collection::vec(item_strategy(), 0..6).prop_map(|mut items| {
        for (index, item) in items.iter_mut().enumerate() {
            item.order_item_id = index as i64 + 1;
            item.product_id = index as i64 + 100;
        }
        items
    })
}

proptest! {
    #[test]
    fn applying_twice_creates_nothing_twice(items in order_strategy()) {
        let plan = plan(&items);
        let mut store = Store::default();
        prop_assert_eq!(store.apply(&plan), rows(&plan), "every planned row is new");
        prop_assert_eq!(store.apply(&plan), 0);
        // Planning again (a retry) gives the same keys, so it creates nothing either.
        let again = super::plan_fulfilment(order(), now(), &items).unwrap();
        prop_assert_eq!(&again, &plan);
        prop_assert_eq!(store.apply(&again), 0);
    }

    #[test]
    fn the_plan_has_the_promised_shape(items in order_strategy()) {
        let plan = plan(&items);
        let distinct_keys: HashSet<&FeatureKey> = items.iter().flat_map(|i| &i.feature_keys).collect();
        prop_assert_eq!(plan.entitlements.len(), distinct_keys.len());
        let services: u32 = items.iter()
            .filter(|i| i.product_type == ProductType::Service)
            .map(|i| i.quantity.max(1))
            .sum();
        prop_assert_eq!(plan.work_orders.len(), services as usize);
        let recurring = items.iter()
            .filter(|i| i.price.is_some_and(|p| p.billing_period.is_recurring()))
            .count();
        prop_assert_eq!(plan.subscriptions.len(), recurring);
        for item in items.iter().filter(|i| i.product_type == ProductType::Digital) {
            let grants: Vec<_> = plan.download_grants.iter()
                .filter(|g| g.order_item_id == item.order_item_id)
                .collect();
            let distinct_assets: HashSet<_> = item.active_asset_ids.iter().collect();
            if distinct_assets.is_empty() {
                prop_assert_eq!(grants.len(), item.quantity.max(1) as usize);
                prop_assert!(grants.iter().all(|g| !g.is_active));
            } else {
                prop_assert_eq!(grants.len(), distinct_assets.len());
                prop_assert!(grants.iter().all(|g| g.is_active));
            }
        }
        let paths: HashSet<_> = plan.placeholder_assets().map(|p| &p.file_path).collect();
        prop_assert_eq!(paths.len(), plan.placeholder_assets().count());
    }
}
