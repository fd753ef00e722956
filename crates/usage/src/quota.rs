//! Quota math: does a request fit, how a reservation settles, and how full a bucket is.
//!
//! The server reserves a request's estimate before calling the provider (under a lock
//! on the account, so concurrent requests cannot both fit into the same remainder),
//! then settles the reservation to what the provider reports. Concurrent reservations
//! are decided together, in arrival order, against a running total ([`RunningTotals`]).

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

use crate::metric::Metric;

/// Share of a limit, in percent, from which a bucket is flagged as nearly used up.
pub const NEAR_LIMIT_PERCENT: f64 = 80.0;

/// A request that does not fit in what is left of the cycle's limit (answered 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("requested {requested} but only {remaining} of {limit} remain in this cycle")]
pub struct QuotaExceeded {
    /// What the request needs.
    pub requested: u64,
    /// What is left of the limit.
    pub remaining: u64,
    /// The cycle's limit.
    pub limit: u64,
}

/// What is left of a limit after `used`; `None` when unlimited. Never below zero, even
/// when settlement pushed usage past the limit.
pub fn remaining(used: u64, limit: Option<u64>) -> Option<u64> {
    limit.map(|limit| limit.saturating_sub(used))
}

/// Whether reserving `requested` more on top of `used` stays within `limit`.
///
/// Unlimited always fits. Reaching the limit exactly fits; going one over does not, and
/// a zero limit admits nothing but a zero request.
pub fn check_reservation(
    used: u64,
    requested: u64,
    limit: Option<u64>,
) -> Result<(), QuotaExceeded> {
    match limit {
        None => Ok(()),
        Some(limit) => {
            let remaining = limit.saturating_sub(used);
            if requested <= remaining {
                Ok(())
            } else {
                Err(QuotaExceeded {
                    requested,
                    remaining,
                    limit,
                })
            }
        }
    }
}

/// What is used per quota bucket (`K`: an account's metric in one cycle) while a group
/// of reservations is decided one after the other.
///
/// Why: the server decides every reservation waiting at once in one transaction, from
/// one sum of the ledger. Deciding each against that sum alone would let two of them
/// fit into the same remainder; deciding them in arrival order against a total that
/// grows with each accepted one gives exactly the answers they would have had one by
/// one.
#[derive(Debug, Clone)]
pub struct RunningTotals<K> {
    used: HashMap<K, u64>,
}

impl<K> Default for RunningTotals<K> {
    fn default() -> Self {
        Self {
            used: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash> RunningTotals<K> {
    /// Starts from the ledger's sums (a bucket that is absent has used nothing).
    pub fn new(used: HashMap<K, u64>) -> Self {
        Self { used }
    }

    /// What `key` has used so far.
    pub fn used(&self, key: &K) -> u64 {
        self.used.get(key).copied().unwrap_or(0)
    }

    /// Counts `amount` that is already spent or held (a settlement written with the
    /// group, another request's live hold), whatever the limit.
    pub fn add(&mut self, key: K, amount: u64) {
        let used = self.used.entry(key).or_insert(0);
        *used = used.saturating_add(amount);
    }

    /// Decides one reservation: refused when `enforce` is on and it does not fit under
    /// `limit` (see [`check_reservation`]), else counted. Answers what was used before
    /// it.
    pub fn reserve(
        &mut self,
        key: K,
        amount: u64,
        limit: Option<u64>,
        enforce: bool,
    ) -> Result<u64, QuotaExceeded> {
        let before = self.used(&key);
        if enforce {
            check_reservation(before, amount, limit)?;
        }
        self.add(key, amount);
        Ok(before)
    }
}

/// How a reservation is corrected once the provider reports what was really used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// The estimate was right.
    Exact,
    /// Less was used than reserved: give back this much.
    Release(u64),
    /// More was used than reserved: record this much more. The work is done, so it is
    /// charged even when it carries the cycle past its limit; the next request is the
    /// one refused.
    Charge(u64),
}

/// Settles a reservation of `reserved` units to the `actual` usage.
pub fn settle(reserved: u64, actual: u64) -> Settlement {
    if actual < reserved {
        Settlement::Release(reserved - actual)
    } else if actual > reserved {
        Settlement::Charge(actual - reserved)
    } else {
        Settlement::Exact
    }
}

/// How much of the limit is used, in percent rounded to two decimals; `None` when
/// unlimited. Can exceed 100 after an over-charge. A zero limit reads as 100 (full),
/// since nothing more can be used.
pub fn percent_used(used: u64, limit: Option<u64>) -> Option<f64> {
    let limit = limit?;
    if limit == 0 {
        return Some(100.0);
    }
    let percent = used as f64 / limit as f64 * 100.0;
    Some((percent * 100.0).round() / 100.0)
}

/// Whether the bucket is nearly used up: at least [`NEAR_LIMIT_PERCENT`] of a limit.
/// Never true when unlimited.
pub fn near_limit(used: u64, limit: Option<u64>) -> bool {
    percent_used(used, limit).is_some_and(|percent| percent >= NEAR_LIMIT_PERCENT)
}

/// One bucket of the usage summary (`GET ai/usage/summary/`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageBucket {
    /// The metric (`tokens`, `images`, `videos`).
    pub key: Metric,
    /// Its human label.
    pub label: &'static str,
    /// Used so far this cycle.
    pub used: u64,
    /// The cycle's limit; `null` when unlimited.
    pub limit: Option<u64>,
    /// What `used` and `limit` count.
    pub unit: &'static str,
    /// When the count resets: always at the end of the billing cycle.
    pub reset_window: &'static str,
    /// See [`percent_used`].
    pub percent_used: Option<f64>,
    /// See [`near_limit`].
    pub near_limit: bool,
}

impl UsageBucket {
    /// The bucket of one metric from its cycle total and limit.
    pub fn new(metric: Metric, used: u64, limit: Option<u64>) -> UsageBucket {
        UsageBucket {
            key: metric,
            label: metric.label(),
            used,
            limit,
            unit: metric.as_str(),
            reset_window: "billing_cycle",
            percent_used: percent_used(used, limit),
            near_limit: near_limit(used, limit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reservations_fit_up_to_the_limit() {
        assert_eq!(check_reservation(90, 10, Some(100)), Ok(()));
        assert_eq!(
            check_reservation(90, 11, Some(100)),
            Err(QuotaExceeded {
                requested: 11,
                remaining: 10,
                limit: 100
            })
        );
        assert_eq!(check_reservation(0, 0, Some(0)), Ok(()));
        assert_eq!(
            check_reservation(0, 1, Some(0)),
            Err(QuotaExceeded {
                requested: 1,
                remaining: 0,
                limit: 0
            })
        );
    }

    #[test]
    fn over_used_cycles_have_nothing_left() {
        assert_eq!(
            check_reservation(150, 1, Some(100)),
            Err(QuotaExceeded {
                requested: 1,
                remaining: 0,
                limit: 100
            })
        );
        assert_eq!(remaining(150, Some(100)), Some(0));
        assert_eq!(remaining(40, Some(100)), Some(60));
    }

    #[test]
    fn unlimited_always_fits() {
        assert_eq!(check_reservation(u64::MAX, u64::MAX, None), Ok(()));
        assert_eq!(remaining(5, None), None);
    }

    #[test]
    fn quota_message_names_the_numbers() {
        let err = check_reservation(95, 10, Some(100)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "requested 10 but only 5 of 100 remain in this cycle"
        );
    }

    #[test]
    fn a_group_is_decided_in_order_against_a_running_total() {
        let mut totals = RunningTotals::new(HashMap::from([("a", 60), ("b", 10)]));
        // Two reservations of 30 in a bucket with 40 left: the first fits, the second
        // would have fitted against the sum alone but not after the first.
        assert_eq!(totals.reserve("a", 30, Some(100), true), Ok(60));
        assert_eq!(
            totals.reserve("a", 30, Some(100), true),
            Err(QuotaExceeded {
                requested: 30,
                remaining: 10,
                limit: 100
            })
        );
        // A refused one takes nothing: a smaller one still fits.
        assert_eq!(totals.reserve("a", 10, Some(100), true), Ok(90));
        // Buckets are independent; an absent bucket starts at zero.
        assert_eq!(totals.reserve("b", 90, Some(100), true), Ok(10));
        assert_eq!(totals.reserve("c", 5, Some(5), true), Ok(0));
        // Settled usage counts whatever the limit, and later reservations see it.
        totals.add("c", 10);
        assert_eq!(totals.used(&"c"), 15);
        assert!(totals.reserve("c", 1, Some(100), true).is_ok());
        // Not enforced: recorded even past the limit.
        assert_eq!(totals.reserve("a", 50, Some(100), false), Ok(100));
        assert_eq!(totals.used(&"a"), 150);
    }

    #[test]
    fn settlement_releases_or_charges_the_difference() {
        assert_eq!(settle(500, 320), Settlement::Release(180));
        assert_eq!(settle(300, 320), Settlement::Charge(20));
        assert_eq!(settle(320, 320), Settlement::Exact);
        assert_eq!(settle(0, u64::MAX), Settlement::Charge(u64::MAX));
    }

    #[test]
    fn percent_used_rounds_to_two_decimals() {
        assert_eq!(percent_used(1, Some(3)), Some(33.33));
        assert_eq!(percent_used(2, Some(3)), Some(66.67));
        assert_eq!(percent_used(150, Some(100)), Some(150.0));
        assert_eq!(percent_used(0, Some(0)), Some(100.0));
        assert_eq!(percent_used(10, None), None);
    }

    #[test]
    fn near_limit_starts_at_eighty_percent() {
        assert!(!near_limit(79, Some(100)));
        assert!(near_limit(80, Some(100)));
        assert!(near_limit(120, Some(100)));
        assert!(!near_limit(1_000_000, None));
        // 79.996% rounds to 80.0 and counts as near.
        assert!(near_limit(79_996, Some(100_000)));
    }

    #[test]
    fn bucket_serializes_in_the_summary_shape() {
        let bucket = UsageBucket::new(Metric::Images, 96, Some(120));
        assert_eq!(
            serde_json::to_value(&bucket).unwrap(),
            serde_json::json!({
                "key": "images",
                "label": "Image generations",
                "used": 96,
                "limit": 120,
                "unit": "images",
                "reset_window": "billing_cycle",
                "percent_used": 80.0,
                "near_limit": true,
            })
        );
        let unlimited = serde_json::to_value(UsageBucket::new(Metric::Tokens, 5, None)).unwrap();
        assert_eq!(
            (
                unlimited["limit"].clone(),
                unlimited["percent_used"].clone()
            ),
            (serde_json::Value::Null, serde_json::Value::Null)
        );
    }

    proptest! {
        #[test]
        fn a_reservation_fits_exactly_when_the_sum_stays_within_the_limit(used in any::<u64>(), requested in any::<u64>(), limit in proptest::option::of(any::<u64>())) {
            let fits = limit.is_none_or(|limit| u128::from(used) + u128::from(requested) <= u128::from(limit));
            prop_assert_eq!(check_reservation(used, requested, limit).is_ok(), fits);
        }

        #[test]
        fn a_group_accepts_exactly_what_one_by_one_reservations_would(used in 0u64..1_000, limit in 0u64..2_000, amounts in proptest::collection::vec(0u64..400, 0..40)) {
            let mut totals = RunningTotals::new(HashMap::from([((), used)]));
            let mut alone = used;
            let mut accepted = 0u64;
            for amount in amounts {
                let grouped = totals.reserve((), amount, Some(limit), true);
                let one_by_one = check_reservation(alone, amount, Some(limit));
                prop_assert_eq!(grouped.is_ok(), one_by_one.is_ok());
                if grouped.is_ok() {
                    alone += amount;
                    accepted += amount;
                }
            }
            prop_assert_eq!(totals.used(&()), used + accepted);
            prop_assert!(accepted <= limit.saturating_sub(used));
        }

        #[test]
        fn settling_reaches_the_actual_amount(reserved in any::<u64>(), actual in any::<u64>()) {
            let settled = match settle(reserved, actual) {
                Settlement::Exact => i128::from(reserved),
                Settlement::Release(back) => { prop_assert!(back > 0); i128::from(reserved) - i128::from(back) }
                Settlement::Charge(more) => { prop_assert!(more > 0); i128::from(reserved) + i128::from(more) }
            };
            prop_assert_eq!(settled, i128::from(actual));
        }

        #[test]
        fn percent_grows_with_use(a in 0u64..1_000_000, b in 0u64..1_000_000, limit in 1u64..1_000_000) {
            let (low, high) = (a.min(b), a.max(b));
            prop_assert!(percent_used(low, Some(limit)).unwrap() <= percent_used(high, Some(limit)).unwrap());
            prop_assert_eq!(near_limit(high, Some(limit)), percent_used(high, Some(limit)).unwrap() >= NEAR_LIMIT_PERCENT);
        }
    }
}
