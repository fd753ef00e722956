//! Reading payment events: the Django edition's key lists, order lookups and outcomes.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

const ORDER: &str = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

fn order_id() -> Uuid {
    Uuid::parse_str(ORDER).unwrap()
}

fn attempt(data: Value) -> PaymentEvent {
    PaymentEvent::read(PaymentSource::PaymentAttempt, &data)
}

#[test]
fn a_clerk_payment_attempt() {
    let event = attempt(json!({
        "id": "pa_123",
        "status": "paid",
        "charge_type": "checkout",
        "payer": {"user_id": "user_1"},
        "checkout_id": "ch_9",
        "totals": {"grand_total": {"amount": 1500, "amount_formatted": "15.00", "currency": "usd"}},
        "metadata": {"order_public_id": ORDER},
        "subscription_items": [{"status": "active", "id": "si_1"}],
    }));
    assert_eq!(event.order_public_id, Some(order_id()));
    assert_eq!(event.checkout_id.as_deref(), Some("ch_9"));
    assert_eq!(event.external_id.as_deref(), Some("pa_123"));
    assert_eq!(event.status, "paid");
    assert_eq!(event.outcome, PaymentOutcome::Succeeded);
    assert_eq!(event.amount, Some(AmountCents::new(1500).unwrap()));
    assert_eq!(event.currency, Some(Currency::parse("USD").unwrap()));
}

#[test]
fn every_order_id_key_is_read_anywhere() {
    for key in ORDER_ID_KEYS {
        for data in [
            json!({ key: ORDER }),
            json!({"metadata": { key: ORDER }}),
            json!({"public_metadata": {"deep": { key: ORDER }}}),
            json!({ key.to_uppercase(): ORDER }),
        ] {
            assert_eq!(
                attempt(data.clone()).order_public_id,
                Some(order_id()),
                "{data}"
            );
        }
    }
}

#[test]
fn order_ids_must_be_uuids() {
    assert_eq!(attempt(json!({"order_id": 42})).order_public_id, None);
    assert_eq!(
        attempt(json!({"order_id": "not-a-uuid"})).order_public_id,
        None
    );
    // A non-UUID value does not hide a UUID elsewhere.
    let data = json!({"order_id": 42, "metadata": {"order_public_id": ORDER}});
    assert_eq!(attempt(data).order_public_id, Some(order_id()));
    let embedded = json!({"order_reference": format!("order-{ORDER}")});
    assert_eq!(attempt(embedded).order_public_id, Some(order_id()));
    let object = json!({"order": {"public_id": ORDER, "total": 10}});
    assert_eq!(attempt(object).order_public_id, Some(order_id()));
    let simple = json!({"orderId": ORDER.replace('-', "")});
    assert_eq!(attempt(simple).order_public_id, Some(order_id()));
    // Inside arrays is not searched (as in the Django edition).
    let listed = json!({"items": [{"order_id": ORDER}]});
    assert_eq!(attempt(listed).order_public_id, None);
}

#[test]
fn the_shallowest_order_id_wins() {
    let other = "11111111-2222-4333-8444-555555555555";
    let data = json!({"nested": {"order_public_id": other}, "order_id": ORDER});
    assert_eq!(attempt(data).order_public_id, Some(order_id()));
}

#[test]
fn checkout_ids() {
    for key in CHECKOUT_ID_KEYS {
        let event = attempt(json!({ "id": "pa_1", "data": { key: "ch_1" } }));
        assert_eq!(event.checkout_id.as_deref(), Some("ch_1"), "{key}");
    }
    // A payment attempt's own id is not a checkout id…
    assert_eq!(attempt(json!({"id": "pa_1"})).checkout_id, None);
    // …but a checkout's is.
    let checkout = PaymentEvent::read(
        PaymentSource::Checkout,
        &json!({"id": "ch_7", "status": "completed"}),
    );
    assert_eq!(checkout.checkout_id.as_deref(), Some("ch_7"));
    assert_eq!(checkout.external_id.as_deref(), Some("ch_7"));
    assert_eq!(checkout.outcome, PaymentOutcome::Succeeded);
    // An explicit checkout key beats the checkout's own id.
    let explicit = PaymentEvent::read(
        PaymentSource::Checkout,
        &json!({"id": "ch_7", "clerk_checkout_id": "ch_8"}),
    );
    assert_eq!(explicit.checkout_id.as_deref(), Some("ch_8"));
}

#[test]
fn external_ids_prefer_payment_keys_then_id_then_checkout() {
    let data = json!({"id": "pa_1", "payment_id": "pay_2"});
    assert_eq!(attempt(data).external_id.as_deref(), Some("pay_2"));
    let data = json!({"id": "pa_1"});
    assert_eq!(attempt(data).external_id.as_deref(), Some("pa_1"));
    let data = json!({"checkout_id": "ch_1"});
    assert_eq!(attempt(data).external_id.as_deref(), Some("ch_1"));
    let data = json!({"paymentAttemptId": 981});
    assert_eq!(attempt(data).external_id.as_deref(), Some("981"));
    assert_eq!(attempt(json!({})).external_id, None);
}

#[test]
fn statuses_map_to_outcomes() {
    for raw in [
        "paid",
        "succeeded",
        "success",
        "completed",
        "complete",
        "captured",
        "settled",
        " PAID ",
    ] {
        assert_eq!(
            PaymentOutcome::from_status(raw),
            PaymentOutcome::Succeeded,
            "{raw}"
        );
    }
    for raw in [
        "failed",
        "failure",
        "canceled",
        "cancelled",
        "declined",
        "voided",
        "refunded",
        "expired",
        "Failed",
    ] {
        assert_eq!(
            PaymentOutcome::from_status(raw),
            PaymentOutcome::Failed,
            "{raw}"
        );
    }
    for raw in ["", "pending", "processing", "requires_action", "paid?"] {
        assert_eq!(
            PaymentOutcome::from_status(raw),
            PaymentOutcome::Pending,
            "{raw}"
        );
    }
    assert_eq!(PaymentOutcome::Succeeded.transaction_status(), "succeeded");
    assert_eq!(PaymentOutcome::Failed.transaction_status(), "failed");
    assert_eq!(PaymentOutcome::Pending.transaction_status(), "pending");
    assert!(PaymentOutcome::Succeeded.is_success() && !PaymentOutcome::Pending.is_success());
}

#[test]
fn status_keys_are_read_anywhere() {
    for key in STATUS_KEYS {
        let event = attempt(json!({"checkout": { key: "Completed" }}));
        assert_eq!(event.status, "completed", "{key}");
        assert_eq!(event.outcome, PaymentOutcome::Succeeded);
    }
    let missing = attempt(json!({"id": "pa_1"}));
    assert_eq!(
        (missing.status.as_str(), missing.outcome),
        ("", PaymentOutcome::Pending)
    );
}

#[test]
fn amounts_in_their_usual_places() {
    let root = attempt(json!({"amount": 990, "currency": "eur"}));
    assert_eq!(root.amount, Some(AmountCents::new(990).unwrap()));
    assert_eq!(root.currency, Some(Currency::parse("EUR").unwrap()));
    let money = attempt(json!({"amount": {"amount": 500, "currency": "GBP"}, "currency": "USD"}));
    assert_eq!(money.amount, Some(AmountCents::new(500).unwrap()));
    assert_eq!(money.currency, Some(Currency::parse("GBP").unwrap()));
    let cents = attempt(json!({"amount_cents": 12}));
    assert_eq!(
        (cents.amount, cents.currency),
        (Some(AmountCents::new(12).unwrap()), None)
    );
    for odd in [
        json!({"amount": -5}),
        json!({"amount": "10.00"}),
        json!({"amount": 1.5}),
        json!({}),
    ] {
        assert_eq!(attempt(odd.clone()).amount, None, "{odd}");
    }
    assert_eq!(attempt(json!({"currency": "dollars"})).currency, None);
}

#[test]
fn non_objects_read_as_empty() {
    for data in [json!(null), json!("paid"), json!([{"status": "paid"}])] {
        let event = attempt(data);
        assert_eq!(event.order_public_id, None);
        assert_eq!(event.outcome, PaymentOutcome::Pending);
        assert!(event.order_lookups().is_empty());
    }
}

#[test]
fn lookups_go_public_id_then_checkout_then_external() {
    let event = attempt(json!({"id": "pa_1", "checkout_id": "ch_1", "order_id": ORDER}));
    assert_eq!(
        event.order_lookups(),
        [
            OrderLookup::PublicId(order_id()),
            OrderLookup::CheckoutId("ch_1"),
            OrderLookup::ExternalReference("pa_1"),
        ]
    );
    let event = attempt(json!({"id": "pa_1"}));
    assert_eq!(
        event.order_lookups(),
        [OrderLookup::ExternalReference("pa_1")]
    );
}

#[test]
fn webhook_confirmation_follows_the_order_status() {
    use OrderStatus::*;
    assert_eq!(
        webhook_confirmation(PendingPayment),
        ConfirmDecision::Proceed
    );
    assert_eq!(
        webhook_confirmation(Paid),
        ConfirmDecision::AlreadyConfirmed {
            needs_fulfilment: true
        }
    );
    assert_eq!(
        webhook_confirmation(Fulfilled),
        ConfirmDecision::AlreadyConfirmed {
            needs_fulfilment: false
        }
    );
    for status in [Draft, Canceled, Refunded] {
        assert_eq!(
            webhook_confirmation(status),
            ConfirmDecision::InvalidState(status)
        );
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z0-9_ -]{0,12}".prop_map(Value::from),
        Just(Value::from(ORDER)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("status".to_owned()),
                    Just("order_id".to_owned()),
                    Just("id".to_owned()),
                    Just("amount".to_owned()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..5
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_payload_reads_without_panicking(data in json_value()) {
        let event = PaymentEvent::read(PaymentSource::Checkout, &data);
        prop_assert_eq!(event.outcome, PaymentOutcome::from_status(&event.status));
        if let Some(id) = event.order_public_id {
            prop_assert_eq!(id, order_id());
        }
        prop_assert!(event.order_lookups().len() <= 3);
    }

    #[test]
    fn the_order_id_is_found_at_any_depth(depth in 0usize..6, key in prop::sample::select(ORDER_ID_KEYS.to_vec())) {
        let mut data = json!({ key: ORDER });
        for level in 0..depth {
            data = json!({ format!("level{level}"): data, "id": "pa_1" });
        }
        prop_assert_eq!(attempt(data).order_public_id, Some(order_id()));
    }
}
