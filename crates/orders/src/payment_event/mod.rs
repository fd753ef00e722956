//! Reading Clerk Billing payment events (`paymentAttempt.*`, `checkout.*`): which
//! order they are about, the ids to record, and whether the payment succeeded.
//!
//! Payloads vary between Clerk versions and custom checkouts, so fields are searched
//! by several names anywhere in the event's `data` (see the `payload` module's
//! rules). Nothing read here is trusted for money: the amount is informational, and
//! the order's own total is what a payment transaction records.

mod payload;

use paidloop_catalog::{AmountCents, Currency};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::confirm::{ConfirmDecision, ConfirmPolicy, PaymentProvider, SharedSecretCheck};
use crate::confirm_guard;
use crate::event_type::PaymentSource;
use crate::status::OrderStatus;

#[cfg(test)]
mod tests;

/// Names that may carry the order's public id (checked in this order per object).
pub const ORDER_ID_KEYS: [&str; 7] = [
    "order_public_id",
    "orderPublicId",
    "order_id",
    "orderId",
    "order_reference",
    "orderReference",
    "order",
];

/// Names that may carry the Clerk checkout id.
pub const CHECKOUT_ID_KEYS: [&str; 7] = [
    "checkout_id",
    "checkoutId",
    "clerk_checkout_id",
    "checkout_session_id",
    "checkoutSessionId",
    "session_id",
    "sessionId",
];

/// Names that may carry the payment's own id (the external reference).
pub const EXTERNAL_ID_KEYS: [&str; 7] = [
    "payment_attempt_id",
    "paymentAttemptId",
    "payment_id",
    "paymentId",
    "external_id",
    "externalId",
    "id",
];

/// Names that may carry the payment status.
pub const STATUS_KEYS: [&str; 6] = [
    "status",
    "payment_status",
    "paymentStatus",
    "checkout_status",
    "checkoutStatus",
    "state",
];

/// Statuses that mean the money arrived.
const SUCCESS_STATUSES: [&str; 7] = [
    "paid",
    "succeeded",
    "success",
    "completed",
    "complete",
    "captured",
    "settled",
];

/// Statuses that mean it did not and will not.
const FAILED_STATUSES: [&str; 8] = [
    "failed",
    "failure",
    "canceled",
    "cancelled",
    "declined",
    "voided",
    "refunded",
    "expired",
];

/// What a payment status means for the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentOutcome {
    /// The money arrived: run Confirmation.
    Succeeded,
    /// It did not (failed, canceled, declined, voided, refunded, expired).
    Failed,
    /// Anything else, including no status at all: record and wait.
    Pending,
}

impl PaymentOutcome {
    /// Reads a status, ignoring case and surrounding spaces: `paid`, `succeeded`,
    /// `success`, `completed`, `complete`, `captured`, `settled` succeed; `failed`,
    /// `failure`, `canceled`, `cancelled`, `declined`, `voided`, `refunded`, `expired`
    /// fail; the rest is pending.
    pub fn from_status(raw: &str) -> PaymentOutcome {
        let status = raw.trim().to_lowercase();
        if SUCCESS_STATUSES.contains(&status.as_str()) {
            PaymentOutcome::Succeeded
        } else if FAILED_STATUSES.contains(&status.as_str()) {
            PaymentOutcome::Failed
        } else {
            PaymentOutcome::Pending
        }
    }

    /// The `payment_transactions.status` to record: `succeeded`, `failed` or `pending`.
    pub fn transaction_status(self) -> &'static str {
        match self {
            PaymentOutcome::Succeeded => "succeeded",
            PaymentOutcome::Failed => "failed",
            PaymentOutcome::Pending => "pending",
        }
    }

    /// Whether the order should be confirmed.
    pub fn is_success(self) -> bool {
        self == PaymentOutcome::Succeeded
    }
}

/// One way to find the order an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderLookup<'a> {
    /// `orders.public_id`.
    PublicId(Uuid),
    /// `orders.clerk_checkout_id`.
    CheckoutId(&'a str),
    /// `orders.external_reference`.
    ExternalReference(&'a str),
}

/// What a payment event says, read from its `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentEvent {
    /// Payment attempt or checkout.
    pub source: PaymentSource,
    /// The first value under an [`ORDER_ID_KEYS`] name that holds a UUID: a string that
    /// is one or contains one as a word (`order-<uuid>`), or an object (e.g. `order`)
    /// whose `public_id`, `order_public_id` or `id` does. Values that are not UUIDs are
    /// skipped, so a numeric `order_id` does not hide a `metadata.order_public_id`.
    pub order_public_id: Option<Uuid>,
    /// The first [`CHECKOUT_ID_KEYS`] value; for a checkout event without one, the
    /// payload's own `id`.
    pub checkout_id: Option<String>,
    /// The first [`EXTERNAL_ID_KEYS`] value (the payload's own `id` is the last
    /// candidate), else the checkout id: recorded as the transaction's `external_id`
    /// and the order's `external_reference`.
    pub external_id: Option<String>,
    /// The first [`STATUS_KEYS`] value, trimmed and lower-cased (empty when absent).
    pub status: String,
    /// What [`PaymentEvent::status`] means.
    pub outcome: PaymentOutcome,
    /// The amount charged, in cents, when the payload states one: an integer
    /// `amount_cents`/`amountCents`/`amount` at the root (or a money object
    /// `{amount, currency}` under `amount`), else `totals.grand_total.amount`.
    /// Informational: compare it with the order's total, never record it instead.
    pub amount: Option<AmountCents>,
    /// The currency beside that amount, else a root `currency`/`currency_code`/
    /// `currencyCode`, when it is a valid 3-letter code.
    pub currency: Option<Currency>,
}

impl PaymentEvent {
    /// Reads the `data` of a payment event (any JSON; a non-object yields an event
    /// with nothing found and a pending outcome).
    pub fn read(source: PaymentSource, data: &Value) -> PaymentEvent {
        let checkout_id = payload::find_text(data, &CHECKOUT_ID_KEYS).or_else(|| {
            (source == PaymentSource::Checkout)
                .then(|| data.get("id").and_then(payload::text))
                .flatten()
        });
        let external_id =
            payload::find_text(data, &EXTERNAL_ID_KEYS).or_else(|| checkout_id.clone());
        let status = payload::find_text(data, &STATUS_KEYS)
            .map(|s| s.to_lowercase())
            .unwrap_or_default();
        let (amount, money_currency) = read_amount(data);
        let currency = money_currency.or_else(|| {
            ["currency", "currency_code", "currencyCode"]
                .iter()
                .find_map(|key| currency_of(data.get(*key)))
        });
        PaymentEvent {
            source,
            order_public_id: payload::find(data, &ORDER_ID_KEYS, order_uuid),
            checkout_id,
            external_id,
            outcome: PaymentOutcome::from_status(&status),
            status,
            amount,
            currency,
        }
    }

    /// The ways to find the order, to be tried in this order until one matches: by
    /// public id, then checkout id, then external reference (each only when present).
    pub fn order_lookups(&self) -> Vec<OrderLookup<'_>> {
        let mut lookups = Vec::with_capacity(3);
        if let Some(id) = self.order_public_id {
            lookups.push(OrderLookup::PublicId(id));
        }
        if let Some(id) = self.checkout_id.as_deref() {
            lookups.push(OrderLookup::CheckoutId(id));
        }
        if let Some(id) = self.external_id.as_deref() {
            lookups.push(OrderLookup::ExternalReference(id));
        }
        lookups
    }
}

/// A UUID held by an order-id value: a string, or an object's id field.
fn order_uuid(value: &Value) -> Option<Uuid> {
    match value {
        Value::String(raw) => payload::uuid_in(raw),
        Value::Object(object) => ["public_id", "order_public_id", "id"]
            .iter()
            .filter_map(|key| object.get(*key)?.as_str())
            .find_map(payload::uuid_in),
        _ => None,
    }
}

/// A non-negative integer amount of cents.
fn cents(value: Option<&Value>) -> Option<AmountCents> {
    AmountCents::new(value?.as_i64()?).ok()
}

/// A valid currency code.
fn currency_of(value: Option<&Value>) -> Option<Currency> {
    Currency::parse(value?.as_str()?).ok()
}

/// The stated amount and the currency of the same money object, if any.
fn read_amount(data: &Value) -> (Option<AmountCents>, Option<Currency>) {
    for key in ["amount_cents", "amountCents", "amount"] {
        match data.get(key) {
            Some(Value::Object(money)) => {
                if let Some(amount) = cents(money.get("amount")) {
                    return (Some(amount), currency_of(money.get("currency")));
                }
            }
            value => {
                if let Some(amount) = cents(value) {
                    return (Some(amount), None);
                }
            }
        }
    }
    let grand_total = data.get("totals").and_then(|t| t.get("grand_total"));
    match grand_total.and_then(|money| cents(money.get("amount"))) {
        Some(amount) => (
            Some(amount),
            currency_of(grand_total.and_then(|money| money.get("currency"))),
        ),
        None => (None, None),
    }
}

/// What a verified, successful payment event does to an order in `status`: the
/// confirm guard, with the trust of a verified webhook (a signed Clerk event passes the
/// client-side checks by construction). So: pending payment → `Proceed` (run
/// Confirmation); paid → `AlreadyConfirmed { needs_fulfilment: true }`; fulfilled →
/// `AlreadyConfirmed { needs_fulfilment: false }`; draft, canceled, refunded →
/// `InvalidState` (record the transaction and log it; a redelivery would find the
/// same state, so failing the event only makes Svix retry in vain).
pub fn webhook_confirmation(status: OrderStatus) -> ConfirmDecision {
    let verified = ConfirmPolicy {
        allow_manual: false,
        allow_client_side_clerk: true,
    };
    confirm_guard(
        status,
        PaymentProvider::Clerk,
        verified,
        SharedSecretCheck::NotConfigured,
    )
}
