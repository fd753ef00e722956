//! Order statuses and the moves between them.

use std::fmt;
use std::str::FromStr;

use paidloop_catalog::UnknownChoice;
use serde::{Deserialize, Serialize};

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Being put together, not yet submitted for payment (`draft`).
    Draft,
    /// Waiting for a verified payment (`pending_payment`), the state of a new order.
    #[default]
    PendingPayment,
    /// Payment verified, fulfilment not yet done (`paid`).
    Paid,
    /// Entitlements, downloads and work orders created (`fulfilled`).
    Fulfilled,
    /// Abandoned before payment (`canceled`).
    Canceled,
    /// Money returned after payment (`refunded`).
    Refunded,
}

/// A status change the rules do not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order cannot go from {from} to {to}")]
pub struct TransitionError {
    /// The status the order has.
    pub from: OrderStatus,
    /// The status that was asked for.
    pub to: OrderStatus,
}

impl OrderStatus {
    /// Every status, in life order.
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Draft,
        OrderStatus::PendingPayment,
        OrderStatus::Paid,
        OrderStatus::Fulfilled,
        OrderStatus::Canceled,
        OrderStatus::Refunded,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Draft => "draft",
            OrderStatus::PendingPayment => "pending_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Fulfilled => "fulfilled",
            OrderStatus::Canceled => "canceled",
            OrderStatus::Refunded => "refunded",
        }
    }

    /// Reads a stored status name (exact).
    pub fn parse(raw: &str) -> Result<OrderStatus, UnknownChoice> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| {
                let names = Self::ALL.map(OrderStatus::as_str);
                UnknownChoice::new("order status", raw, &names)
            })
    }

    /// Whether moving to `next` is allowed:
    /// draft → pending_payment | canceled; pending_payment → paid | canceled;
    /// paid → fulfilled | refunded; fulfilled → refunded. Canceled and refunded are final,
    /// and a paid order is refunded, never canceled.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Draft, PendingPayment | Canceled)
                | (PendingPayment, Paid | Canceled)
                | (Paid, Fulfilled | Refunded)
                | (Fulfilled, Refunded)
        )
    }

    /// Moves to `next` when allowed, so a service cannot skip a step by accident.
    pub fn transition(self, next: OrderStatus) -> Result<OrderStatus, TransitionError> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(TransitionError {
                from: self,
                to: next,
            })
        }
    }

    /// Whether payment has been verified (paid or fulfilled).
    pub fn is_payment_confirmed(self) -> bool {
        matches!(self, OrderStatus::Paid | OrderStatus::Fulfilled)
    }

    /// Whether no further move is possible (canceled or refunded).
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Canceled | OrderStatus::Refunded)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = UnknownChoice;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::*;

    #[test]
    fn the_paid_loop_is_allowed() {
        assert_eq!(PendingPayment.transition(Paid), Ok(Paid));
        assert_eq!(Paid.transition(Fulfilled), Ok(Fulfilled));
        assert_eq!(Fulfilled.transition(Refunded), Ok(Refunded));
        assert!(Draft.can_become(PendingPayment));
        assert!(PendingPayment.can_become(Canceled));
        assert!(Paid.can_become(Refunded));
    }

    #[test]
    fn skipping_payment_or_undoing_it_is_refused() {
        assert_eq!(
            PendingPayment.transition(Fulfilled),
            Err(TransitionError {
                from: PendingPayment,
                to: Fulfilled
            })
        );
        assert!(!Draft.can_become(Paid));
        assert!(!Paid.can_become(Canceled));
        assert!(!Fulfilled.can_become(Paid));
        assert!(!Paid.can_become(PendingPayment));
        assert_eq!(
            Paid.transition(Canceled).unwrap_err().to_string(),
            "an order cannot go from paid to canceled"
        );
    }

    #[test]
    fn final_states_go_nowhere_and_nothing_stays_in_place() {
        for next in OrderStatus::ALL {
            assert!(!Canceled.can_become(next));
            assert!(!Refunded.can_become(next));
            assert!(!next.can_become(next), "{next} → {next}");
        }
        assert!(Canceled.is_final() && Refunded.is_final() && !Paid.is_final());
    }

    #[test]
    fn confirmed_means_paid_or_fulfilled() {
        let confirmed: Vec<_> = OrderStatus::ALL
            .into_iter()
            .filter(|s| s.is_payment_confirmed())
            .collect();
        assert_eq!(confirmed, [Paid, Fulfilled]);
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for status in OrderStatus::ALL {
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(status));
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.as_str())
            );
        }
        assert!(OrderStatus::parse("Paid").is_err());
        assert_eq!(OrderStatus::default(), PendingPayment);
    }
}
