//! The types of Clerk webhook events, read once into an enum so the webhook handler
//! dispatches on values rather than strings.

use serde::Serialize;

/// What a Clerk webhook event is about, from its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClerkEventType {
    /// `user.created`: upsert the profile and customer account.
    UserCreated,
    /// `user.updated`: upsert the profile and customer account.
    UserUpdated,
    /// `user.deleted`: deactivate the profile and blank its personal fields.
    UserDeleted,
    /// `session.created`: logged only.
    SessionCreated,
    /// `subscription.*`: upsert or cancel a Clerk subscription.
    Subscription(SubscriptionEvent),
    /// `paymentAttempt.*` or `checkout.*`: may pay an order.
    Payment(PaymentEventType),
    /// Anything else: stored as `ignored`.
    Other,
}

/// The `subscription.*` events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionEvent {
    /// `subscription.created`.
    Created,
    /// `subscription.updated`.
    Updated,
    /// `subscription.active`.
    Active,
    /// `subscription.pastDue` (also `past_due`).
    PastDue,
    /// `subscription.paused`.
    Paused,
    /// `subscription.canceled` (also `cancelled`).
    Canceled,
}

impl SubscriptionEvent {
    /// Whether the event ends the subscription (and its plan entitlements) rather
    /// than upserting it.
    pub fn is_cancellation(self) -> bool {
        self == SubscriptionEvent::Canceled
    }
}

/// Which Clerk Billing object a payment event describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentSource {
    /// A payment attempt (`paymentAttempt.*`, `payment_attempt.*`).
    PaymentAttempt,
    /// A checkout (`checkout.*`); its own `id` is the checkout id.
    Checkout,
}

/// Whether a payment object was created or updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentChange {
    /// `*.created`.
    Created,
    /// `*.updated`.
    Updated,
}

/// A payment event's type: payment attempt or checkout, created or updated. Both
/// changes are handled alike; the payload's status decides what happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PaymentEventType {
    /// The object the event is about.
    pub source: PaymentSource,
    /// Created or updated.
    pub change: PaymentChange,
}

/// Lower-cased, with `_` and `-` removed, so `paymentAttempt`, `payment_attempt` and
/// `PaymentAttempt` read alike.
fn fold(part: &str) -> String {
    part.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl ClerkEventType {
    /// Reads an event `type`. Surrounding whitespace and one leading `billing.` are
    /// ignored; the rest must be `<object>.<change>`, each part compared without case
    /// and without `_`/`-` (so `paymentAttempt.updated`, `payment_attempt.updated`,
    /// `billing.paymentAttempt.updated` and `subscription.past_due` are all known).
    /// Anything else is [`ClerkEventType::Other`].
    pub fn parse(raw: &str) -> ClerkEventType {
        let raw = raw.trim();
        let raw = match raw.get(..8) {
            Some(prefix) if prefix.eq_ignore_ascii_case("billing.") => &raw[8..],
            _ => raw,
        };
        let Some((object, change)) = raw.split_once('.') else {
            return ClerkEventType::Other;
        };
        let (object, change) = (fold(object), fold(change));
        let payment = |source| {
            let change = match change.as_str() {
                "created" => PaymentChange::Created,
                "updated" => PaymentChange::Updated,
                _ => return ClerkEventType::Other,
            };
            ClerkEventType::Payment(PaymentEventType { source, change })
        };
        match (object.as_str(), change.as_str()) {
            ("user", "created") => ClerkEventType::UserCreated,
            ("user", "updated") => ClerkEventType::UserUpdated,
            ("user", "deleted") => ClerkEventType::UserDeleted,
            ("session", "created") => ClerkEventType::SessionCreated,
            ("subscription", change) => match change {
                "created" => ClerkEventType::Subscription(SubscriptionEvent::Created),
                "updated" => ClerkEventType::Subscription(SubscriptionEvent::Updated),
                "active" => ClerkEventType::Subscription(SubscriptionEvent::Active),
                "pastdue" => ClerkEventType::Subscription(SubscriptionEvent::PastDue),
                "paused" => ClerkEventType::Subscription(SubscriptionEvent::Paused),
                "canceled" | "cancelled" => {
                    ClerkEventType::Subscription(SubscriptionEvent::Canceled)
                }
                _ => ClerkEventType::Other,
            },
            ("paymentattempt", _) => payment(PaymentSource::PaymentAttempt),
            ("checkout", _) => payment(PaymentSource::Checkout),
            _ => ClerkEventType::Other,
        }
    }

    /// Whether the webhook has a handler for it (everything but `Other`).
    pub fn is_handled(self) -> bool {
        self != ClerkEventType::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn payment(source: PaymentSource, change: PaymentChange) -> ClerkEventType {
        ClerkEventType::Payment(PaymentEventType { source, change })
    }

    #[test]
    fn payment_attempt_spellings() {
        for raw in [
            "paymentAttempt.updated",
            "billing.paymentAttempt.updated",
            "payment_attempt.updated",
            "billing.payment_attempt.updated",
            " PaymentAttempt.Updated ",
            "BILLING.paymentattempt.updated",
        ] {
            assert_eq!(
                ClerkEventType::parse(raw),
                payment(PaymentSource::PaymentAttempt, PaymentChange::Updated),
                "{raw}"
            );
        }
        assert_eq!(
            ClerkEventType::parse("paymentAttempt.created"),
            payment(PaymentSource::PaymentAttempt, PaymentChange::Created)
        );
    }

    #[test]
    fn checkout_spellings() {
        assert_eq!(
            ClerkEventType::parse("checkout.created"),
            payment(PaymentSource::Checkout, PaymentChange::Created)
        );
        assert_eq!(
            ClerkEventType::parse("billing.checkout.updated"),
            payment(PaymentSource::Checkout, PaymentChange::Updated)
        );
        assert_eq!(
            ClerkEventType::parse("checkout.deleted"),
            ClerkEventType::Other
        );
    }

    #[test]
    fn users_and_sessions() {
        assert_eq!(
            ClerkEventType::parse("user.created"),
            ClerkEventType::UserCreated
        );
        assert_eq!(
            ClerkEventType::parse("user.updated"),
            ClerkEventType::UserUpdated
        );
        assert_eq!(
            ClerkEventType::parse("user.deleted"),
            ClerkEventType::UserDeleted
        );
        assert_eq!(
            ClerkEventType::parse("billing.user.created"),
            ClerkEventType::UserCreated
        );
        assert_eq!(
            ClerkEventType::parse("session.created"),
            ClerkEventType::SessionCreated
        );
        assert_eq!(
            ClerkEventType::parse("session.ended"),
            ClerkEventType::Other
        );
    }

    #[test]
    fn subscriptions() {
        use SubscriptionEvent::*;
        for (raw, event) in [
            ("subscription.created", Created),
            ("subscription.updated", Updated),
            ("subscription.active", Active),
            ("subscription.pastDue", PastDue),
            ("subscription.past_due", PastDue),
            ("subscription.paused", Paused),
            ("subscription.canceled", Canceled),
            ("subscription.cancelled", Canceled),
            ("billing.subscription.updated", Updated),
            ("billing.subscription.cancelled", Canceled),
        ] {
            assert_eq!(
                ClerkEventType::parse(raw),
                ClerkEventType::Subscription(event),
                "{raw}"
            );
        }
        assert!(Canceled.is_cancellation());
        assert!(!PastDue.is_cancellation());
        assert_eq!(
            ClerkEventType::parse("subscription.ended"),
            ClerkEventType::Other
        );
    }

    #[test]
    fn everything_else_is_other() {
        for raw in [
            "",
            "billing.",
            "user",
            "user.created.extra",
            "billing.billing.user.created",
            "organization.created",
            "subscriptionItem.active",
            "email.created",
        ] {
            let kind = ClerkEventType::parse(raw);
            assert_eq!(kind, ClerkEventType::Other, "{raw}");
            assert!(!kind.is_handled());
        }
        assert!(ClerkEventType::parse("user.created").is_handled());
    }

    proptest! {
        #[test]
        fn never_panics(raw in "\\PC{0,40}") {
            let _ = ClerkEventType::parse(&raw);
        }
    }
}
