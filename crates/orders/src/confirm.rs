//! The guard of the client-side confirm endpoint (`POST account/orders/{id}/confirm/`).
//!
//! In production an order is paid only by a verified webhook; this endpoint exists for
//! local development and controlled setups, so every path through it is decided here.

use std::fmt;
use std::str::FromStr;

use paidloop_catalog::UnknownChoice;
use serde::{Deserialize, Serialize};

use crate::status::OrderStatus;

/// Who says the order was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentProvider {
    /// Clerk Billing (`clerk`), the default.
    #[default]
    Clerk,
    /// Marked paid by hand (`manual`), for development.
    Manual,
}

impl PaymentProvider {
    /// Every provider.
    pub const ALL: [PaymentProvider; 2] = [PaymentProvider::Clerk, PaymentProvider::Manual];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentProvider::Clerk => "clerk",
            PaymentProvider::Manual => "manual",
        }
    }

    /// Reads a wire name (exact).
    pub fn parse(raw: &str) -> Result<PaymentProvider, UnknownChoice> {
        Self::ALL
            .into_iter()
            .find(|provider| provider.as_str() == raw)
            .ok_or_else(|| {
                let names = Self::ALL.map(PaymentProvider::as_str);
                UnknownChoice::new("payment provider", raw, &names)
            })
    }
}

impl fmt::Display for PaymentProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PaymentProvider {
    type Err = UnknownChoice;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// The outcome of checking `X-Order-Confirm-Secret` against `ORDER_CONFIRM_SHARED_SECRET`;
/// the caller does the constant-time comparison and reports the result here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedSecretCheck {
    /// No shared secret is configured, so none is required.
    NotConfigured,
    /// A secret is configured and the header carried it.
    Matched,
    /// A secret is configured and the header was missing or different.
    MissingOrMismatched,
}

/// The two confirm flags, both off by default (and `check --deploy` fails when either
/// is on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConfirmPolicy {
    /// `ORDER_CONFIRM_ALLOW_MANUAL`: accept provider `manual`.
    pub allow_manual: bool,
    /// `ORDER_CONFIRM_ALLOW_CLIENT_SIDE_CLERK_CONFIRM`: accept provider `clerk` from the
    /// client instead of waiting for the webhook.
    pub allow_client_side_clerk: bool,
}

/// Why a confirmation is forbidden (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForbiddenReason {
    /// Provider `manual` while `ORDER_CONFIRM_ALLOW_MANUAL` is off.
    ManualConfirmDisabled,
    /// A shared secret is configured and the request did not carry it.
    SharedSecretMismatch,
}

/// What the confirm endpoint must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmDecision {
    /// Payment was already confirmed: answer 200 with `already_confirmed: true`, after
    /// finishing fulfilment when `needs_fulfilment` (the order is only `paid`).
    AlreadyConfirmed {
        /// The order is `paid` but not yet `fulfilled`.
        needs_fulfilment: bool,
    },
    /// Every check passed: run Confirmation.
    Proceed,
    /// 403 with the reason's detail.
    Forbidden(ForbiddenReason),
    /// 409 with `pending_verification: true`: client-side Clerk confirmation is off, so
    /// the order waits for the verified webhook.
    PendingVerification,
    /// 400: the order cannot be confirmed from this status (canceled, refunded, or a
    /// draft that was never submitted for payment).
    InvalidState(OrderStatus),
}

impl ConfirmDecision {
    /// A message for the response's `detail` when the decision refuses the request.
    pub fn detail(&self) -> Option<&'static str> {
        match self {
            ConfirmDecision::AlreadyConfirmed { .. } | ConfirmDecision::Proceed => None,
            ConfirmDecision::Forbidden(ForbiddenReason::ManualConfirmDisabled) => Some(
                "Manual order confirmation is turned off. Enable ORDER_CONFIRM_ALLOW_MANUAL only for local development.",
            ),
            ConfirmDecision::Forbidden(ForbiddenReason::SharedSecretMismatch) => Some(
                "The order confirmation secret is missing or wrong. Send X-Order-Confirm-Secret with the server's value.",
            ),
            ConfirmDecision::PendingVerification => Some(
                "Client-side Clerk confirmation is turned off. The order will be marked paid when the verified payment webhook arrives.",
            ),
            ConfirmDecision::InvalidState(OrderStatus::Draft) => {
                Some("This order has not been submitted for payment.")
            }
            ConfirmDecision::InvalidState(_) => {
                Some("A canceled or refunded order cannot be confirmed.")
            }
        }
    }
}

/// Decides a client-side confirmation, in the contract's order: the order's status
/// first (canceled/refunded refused, paid/fulfilled already confirmed); then, for an
/// order pending payment, (1) manual while manual is off → forbidden, (2) Clerk while
/// client-side Clerk confirmation is off → pending verification, (3) a configured
/// shared secret not matched → forbidden; else proceed.
///
/// A `draft` order is refused as an invalid state: it never went to checkout, and
/// confirming it would skip the guard's checks.
pub fn confirm_guard(
    status: OrderStatus,
    provider: PaymentProvider,
    policy: ConfirmPolicy,
    secret: SharedSecretCheck,
) -> ConfirmDecision {
    match status {
        OrderStatus::Canceled | OrderStatus::Refunded | OrderStatus::Draft => {
            return ConfirmDecision::InvalidState(status);
        }
        OrderStatus::Paid => {
            return ConfirmDecision::AlreadyConfirmed {
                needs_fulfilment: true,
            };
        }
        OrderStatus::Fulfilled => {
            return ConfirmDecision::AlreadyConfirmed {
                needs_fulfilment: false,
            };
        }
        OrderStatus::PendingPayment => {}
    }
    if provider == PaymentProvider::Manual && !policy.allow_manual {
        return ConfirmDecision::Forbidden(ForbiddenReason::ManualConfirmDisabled);
    }
    if provider == PaymentProvider::Clerk && !policy.allow_client_side_clerk {
        return ConfirmDecision::PendingVerification;
    }
    if secret == SharedSecretCheck::MissingOrMismatched {
        return ConfirmDecision::Forbidden(ForbiddenReason::SharedSecretMismatch);
    }
    ConfirmDecision::Proceed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL_ON: ConfirmPolicy = ConfirmPolicy {
        allow_manual: true,
        allow_client_side_clerk: true,
    };
    const ALL_OFF: ConfirmPolicy = ConfirmPolicy {
        allow_manual: false,
        allow_client_side_clerk: false,
    };

    fn pending(
        provider: PaymentProvider,
        policy: ConfirmPolicy,
        secret: SharedSecretCheck,
    ) -> ConfirmDecision {
        confirm_guard(OrderStatus::PendingPayment, provider, policy, secret)
    }

    #[test]
    fn defaults_refuse_both_providers() {
        assert_eq!(ConfirmPolicy::default(), ALL_OFF);
        assert_eq!(
            pending(
                PaymentProvider::Manual,
                ALL_OFF,
                SharedSecretCheck::NotConfigured
            ),
            ConfirmDecision::Forbidden(ForbiddenReason::ManualConfirmDisabled)
        );
        assert_eq!(
            pending(
                PaymentProvider::Clerk,
                ALL_OFF,
                SharedSecretCheck::NotConfigured
            ),
            ConfirmDecision::PendingVerification
        );
    }

    #[test]
    fn flag_checks_come_before_the_secret_check() {
        assert_eq!(
            pending(
                PaymentProvider::Manual,
                ALL_OFF,
                SharedSecretCheck::MissingOrMismatched
            ),
            ConfirmDecision::Forbidden(ForbiddenReason::ManualConfirmDisabled)
        );
        assert_eq!(
            pending(
                PaymentProvider::Clerk,
                ALL_OFF,
                SharedSecretCheck::MissingOrMismatched
            ),
            ConfirmDecision::PendingVerification
        );
    }

    #[test]
    fn a_configured_secret_must_match() {
        for provider in PaymentProvider::ALL {
            assert_eq!(
                pending(provider, ALL_ON, SharedSecretCheck::MissingOrMismatched),
                ConfirmDecision::Forbidden(ForbiddenReason::SharedSecretMismatch)
            );
            assert_eq!(
                pending(provider, ALL_ON, SharedSecretCheck::Matched),
                ConfirmDecision::Proceed
            );
            assert_eq!(
                pending(provider, ALL_ON, SharedSecretCheck::NotConfigured),
                ConfirmDecision::Proceed
            );
        }
    }

    #[test]
    fn each_flag_opens_only_its_provider() {
        let manual_only = ConfirmPolicy {
            allow_manual: true,
            allow_client_side_clerk: false,
        };
        assert_eq!(
            pending(
                PaymentProvider::Manual,
                manual_only,
                SharedSecretCheck::NotConfigured
            ),
            ConfirmDecision::Proceed
        );
        assert_eq!(
            pending(
                PaymentProvider::Clerk,
                manual_only,
                SharedSecretCheck::NotConfigured
            ),
            ConfirmDecision::PendingVerification
        );
        let clerk_only = ConfirmPolicy {
            allow_manual: false,
            allow_client_side_clerk: true,
        };
        assert_eq!(
            pending(
                PaymentProvider::Clerk,
                clerk_only,
                SharedSecretCheck::NotConfigured
            ),
            ConfirmDecision::Proceed
        );
        assert_eq!(
            pending(
                PaymentProvider::Manual,
                clerk_only,
                SharedSecretCheck::NotConfigured
            ),
            ConfirmDecision::Forbidden(ForbiddenReason::ManualConfirmDisabled)
        );
    }

    #[test]
    fn status_is_decided_before_any_guard() {
        let guard = |status| {
            confirm_guard(
                status,
                PaymentProvider::Manual,
                ALL_OFF,
                SharedSecretCheck::MissingOrMismatched,
            )
        };
        assert_eq!(
            guard(OrderStatus::Paid),
            ConfirmDecision::AlreadyConfirmed {
                needs_fulfilment: true
            }
        );
        assert_eq!(
            guard(OrderStatus::Fulfilled),
            ConfirmDecision::AlreadyConfirmed {
                needs_fulfilment: false
            }
        );
        assert_eq!(
            guard(OrderStatus::Canceled),
            ConfirmDecision::InvalidState(OrderStatus::Canceled)
        );
        assert_eq!(
            guard(OrderStatus::Refunded),
            ConfirmDecision::InvalidState(OrderStatus::Refunded)
        );
        assert_eq!(
            guard(OrderStatus::Draft),
            ConfirmDecision::InvalidState(OrderStatus::Draft)
        );
    }

    #[test]
    fn refusals_carry_a_detail_and_successes_do_not() {
        assert!(ConfirmDecision::Proceed.detail().is_none());
        assert!(
            ConfirmDecision::AlreadyConfirmed {
                needs_fulfilment: true
            }
            .detail()
            .is_none()
        );
        assert!(
            ConfirmDecision::PendingVerification
                .detail()
                .unwrap()
                .contains("webhook")
        );
        assert!(
            ConfirmDecision::Forbidden(ForbiddenReason::SharedSecretMismatch)
                .detail()
                .unwrap()
                .contains("X-Order-Confirm-Secret")
        );
        assert!(
            ConfirmDecision::InvalidState(OrderStatus::Refunded)
                .detail()
                .is_some()
        );
    }

    #[test]
    fn provider_names_round_trip() {
        for provider in PaymentProvider::ALL {
            assert_eq!(PaymentProvider::parse(provider.as_str()), Ok(provider));
            assert_eq!(
                serde_json::to_value(provider).unwrap(),
                serde_json::json!(provider.as_str())
            );
        }
        assert!("stripe".parse::<PaymentProvider>().is_err());
        assert_eq!(PaymentProvider::default(), PaymentProvider::Clerk);
    }

    fn arb_status() -> impl Strategy<Value = OrderStatus> {
        proptest::sample::select(OrderStatus::ALL.to_vec())
    }

    fn arb_secret() -> impl Strategy<Value = SharedSecretCheck> {
        proptest::sample::select(vec![
            SharedSecretCheck::NotConfigured,
            SharedSecretCheck::Matched,
            SharedSecretCheck::MissingOrMismatched,
        ])
    }

    proptest! {
        #[test]
        fn proceed_only_when_pending_allowed_and_secret_ok(
            status in arb_status(),
            manual in any::<bool>(),
            allow_manual in any::<bool>(),
            allow_clerk in any::<bool>(),
            secret in arb_secret(),
        ) {
            let provider = if manual { PaymentProvider::Manual } else { PaymentProvider::Clerk };
            let policy = ConfirmPolicy { allow_manual, allow_client_side_clerk: allow_clerk };
            let decision = confirm_guard(status, provider, policy, secret);
            let flag_on = if manual { allow_manual } else { allow_clerk };
            let expect_proceed = status == OrderStatus::PendingPayment && flag_on && secret != SharedSecretCheck::MissingOrMismatched;
            prop_assert_eq!(decision == ConfirmDecision::Proceed, expect_proceed);
            // Proceeding always leads to a legal move.
            if decision == ConfirmDecision::Proceed {
                prop_assert!(status.can_become(OrderStatus::Paid));
            }
        }
    }
}
