//! Which usage cycle a moment falls in: the current period of a live subscription, or
//! else a monthly cycle anchored on the account's creation time.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

/// Where a usage period came from (the summary's `period_source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodSource {
    /// A subscription's current billing period (`subscription_cycle`).
    SubscriptionCycle,
    /// A monthly cycle anchored on the account's creation (`anchored_monthly_cycle`).
    AnchoredMonthlyCycle,
}

impl PeriodSource {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodSource::SubscriptionCycle => "subscription_cycle",
            PeriodSource::AnchoredMonthlyCycle => "anchored_monthly_cycle",
        }
    }
}

/// A usage cycle: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UsagePeriod {
    /// First instant of the cycle.
    pub start: DateTime<Utc>,
    /// First instant after the cycle (when usage resets).
    pub end: DateTime<Utc>,
    /// Where it came from.
    pub source: PeriodSource,
    /// The subscription whose period it is, recorded on ledger rows.
    pub subscription_id: Option<i64>,
}

/// One subscription's stored current period, a candidate for the usage cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriptionPeriod {
    /// The subscription's row id.
    pub subscription_id: i64,
    /// `current_period_start`, if known.
    pub start: Option<DateTime<Utc>>,
    /// `current_period_end`, if known.
    pub end: Option<DateTime<Utc>>,
}

/// Picks the usage cycle containing `now`.
///
/// `subscriptions` are the account's subscriptions whose status frames usage (active,
/// trialing, past due), in order of preference (the server lists the latest period end
/// first, then the most recently updated). The first with a well-formed period
/// (`start < end`) that contains `now` wins; otherwise the cycle is
/// [`anchored_monthly_cycle`] of the account's creation time.
pub fn resolve_usage_period(
    subscriptions: &[SubscriptionPeriod],
    account_created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> UsagePeriod {
    let current = subscriptions
        .iter()
        .find_map(|sub| match (sub.start, sub.end) {
            (Some(start), Some(end)) if start < end && start <= now && now < end => {
                Some(UsagePeriod {
                    start,
                    end,
                    source: PeriodSource::SubscriptionCycle,
                    subscription_id: Some(sub.subscription_id),
                })
            }
            _ => None,
        });
    current.unwrap_or_else(|| {
        let (start, end) = anchored_monthly_cycle(account_created_at, now);
        UsagePeriod {
            start,
            end,
            source: PeriodSource::AnchoredMonthlyCycle,
            subscription_id: None,
        }
    })
}

/// The monthly cycle anchored on `anchor` (the account's creation time) that contains
/// `now`, as `(start, end)` with `start <= now < end`.
///
/// Each cycle starts on the anchor's day of the month at the anchor's time of day; in a
/// month too short for that day, it starts on the month's last day instead (an account
/// created on 31 January renews on 28 or 29 February, then on 31 March). A cycle ends
/// where the next month's cycle starts. All in UTC.
///
/// # Panics
/// Only within a month of the largest or smallest date chrono can represent (around
/// year ±262,000), which no stored timestamp reaches.
pub fn anchored_monthly_cycle(
    anchor: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let this_month = anchored_in(now.year(), now.month(), anchor);
    let start = if now < this_month {
        let (year, month) = previous_month(now.year(), now.month());
        anchored_in(year, month, anchor)
    } else {
        this_month
    };
    let (year, month) = next_month(start.year(), start.month());
    (start, anchored_in(year, month, anchor))
}

/// The anchor's day and time of day placed in the given month, the day clamped to the
/// month's length.
fn anchored_in(year: i32, month: u32, anchor: DateTime<Utc>) -> DateTime<Utc> {
    let day = anchor.day().min(days_in_month(year, month));
    NaiveDate::from_ymd_opt(year, month, day)
        .expect("a clamped day of a month within chrono's range is a valid date")
        .and_time(anchor.time())
        .and_utc()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (next_year, next) = next_month(year, month);
    let first_of_next =
        NaiveDate::from_ymd_opt(next_year, next, 1).expect("month within chrono's range");
    first_of_next
        .pred_opt()
        .expect("month within chrono's range")
        .day()
}

fn next_month(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

fn previous_month(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn cycle_starts_on_the_anchor_day_of_this_month() {
        let anchor = utc(2024, 1, 15, 9, 30);
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2024, 5, 20, 0, 0)),
            (utc(2024, 5, 15, 9, 30), utc(2024, 6, 15, 9, 30))
        );
    }

    #[test]
    fn before_the_anchor_time_the_cycle_began_last_month() {
        let anchor = utc(2024, 1, 15, 9, 30);
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2024, 5, 15, 9, 29)),
            (utc(2024, 4, 15, 9, 30), utc(2024, 5, 15, 9, 30))
        );
        // Exactly at the anchor instant a new cycle begins.
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2024, 5, 15, 9, 30)).0,
            utc(2024, 5, 15, 9, 30)
        );
    }

    #[test]
    fn month_end_anchors_clamp_to_short_months() {
        let anchor = utc(2023, 1, 31, 12, 0);
        // Leap February: starts on the 29th, ends on 31 March.
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2024, 3, 1, 0, 0)),
            (utc(2024, 2, 29, 12, 0), utc(2024, 3, 31, 12, 0))
        );
        // Ordinary February.
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2023, 2, 28, 12, 0)),
            (utc(2023, 2, 28, 12, 0), utc(2023, 3, 31, 12, 0))
        );
        // April has 30 days.
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2023, 4, 30, 13, 0)),
            (utc(2023, 4, 30, 12, 0), utc(2023, 5, 31, 12, 0))
        );
    }

    #[test]
    fn cycles_cross_the_year_boundary() {
        let anchor = utc(2022, 6, 10, 0, 0);
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2025, 1, 5, 0, 0)),
            (utc(2024, 12, 10, 0, 0), utc(2025, 1, 10, 0, 0))
        );
        assert_eq!(
            anchored_monthly_cycle(anchor, utc(2024, 12, 25, 0, 0)),
            (utc(2024, 12, 10, 0, 0), utc(2025, 1, 10, 0, 0))
        );
    }

    #[test]
    fn a_live_subscription_period_wins() {
        let now = utc(2025, 3, 10, 0, 0);
        let subs = [
            SubscriptionPeriod {
                subscription_id: 1,
                start: Some(utc(2025, 1, 1, 0, 0)),
                end: Some(utc(2025, 2, 1, 0, 0)),
            },
            SubscriptionPeriod {
                subscription_id: 2,
                start: Some(utc(2025, 3, 1, 0, 0)),
                end: Some(utc(2025, 4, 1, 0, 0)),
            },
        ];
        let period = resolve_usage_period(&subs, utc(2020, 1, 20, 0, 0), now);
        assert_eq!(period.source, PeriodSource::SubscriptionCycle);
        assert_eq!(period.subscription_id, Some(2));
        assert_eq!(
            (period.start, period.end),
            (utc(2025, 3, 1, 0, 0), utc(2025, 4, 1, 0, 0))
        );
    }

    #[test]
    fn malformed_or_elapsed_periods_fall_back_to_the_anchored_cycle() {
        let now = utc(2025, 3, 10, 0, 0);
        let subs = [
            SubscriptionPeriod {
                subscription_id: 1,
                start: None,
                end: Some(utc(2025, 4, 1, 0, 0)),
            },
            SubscriptionPeriod {
                subscription_id: 2,
                start: Some(utc(2025, 4, 1, 0, 0)),
                end: Some(utc(2025, 3, 1, 0, 0)),
            },
            SubscriptionPeriod {
                subscription_id: 3,
                start: Some(utc(2025, 2, 1, 0, 0)),
                end: Some(now),
            },
        ];
        let period = resolve_usage_period(&subs, utc(2020, 1, 20, 0, 0), now);
        assert_eq!(period.source, PeriodSource::AnchoredMonthlyCycle);
        assert_eq!(period.subscription_id, None);
        assert_eq!(
            (period.start, period.end),
            (utc(2025, 2, 20, 0, 0), utc(2025, 3, 20, 0, 0))
        );
    }

    #[test]
    fn period_serializes_with_wire_names() {
        let period = resolve_usage_period(&[], utc(2025, 1, 1, 0, 0), utc(2025, 1, 2, 0, 0));
        let value = serde_json::to_value(period).unwrap();
        assert_eq!(value["source"], "anchored_monthly_cycle");
        assert_eq!(value["start"], "2025-01-01T00:00:00Z");
        assert_eq!(
            PeriodSource::SubscriptionCycle.as_str(),
            "subscription_cycle"
        );
    }

    fn arb_instant() -> impl Strategy<Value = DateTime<Utc>> {
        // 1970..2100, with sub-second precision.
        (0i64..4_102_444_800, 0u32..1_000_000_000)
            .prop_map(|(secs, nanos)| Utc.timestamp_opt(secs, nanos).unwrap())
    }

    proptest! {
        #[test]
        fn the_cycle_contains_now_and_follows_the_anchor(anchor in arb_instant(), now in arb_instant()) {
            let (start, end) = anchored_monthly_cycle(anchor, now);
            prop_assert!(start <= now && now < end, "{start} <= {now} < {end}");
            prop_assert_eq!(start.time(), anchor.time());
            prop_assert_eq!(end.time(), anchor.time());
            prop_assert_eq!(start.day(), anchor.day().min(days_in_month(start.year(), start.month())));
            prop_assert_eq!(end.day(), anchor.day().min(days_in_month(end.year(), end.month())));
            prop_assert_eq!(next_month(start.year(), start.month()), (end.year(), end.month()));
            let length = end - start;
            prop_assert!(length >= Duration::days(28) && length <= Duration::days(31));
        }

        #[test]
        fn consecutive_cycles_touch(anchor in arb_instant(), now in arb_instant()) {
            let (_, end) = anchored_monthly_cycle(anchor, now);
            let (next_start, _) = anchored_monthly_cycle(anchor, end);
            prop_assert_eq!(next_start, end);
            let just_before = end - Duration::nanoseconds(1);
            prop_assert_eq!(anchored_monthly_cycle(anchor, just_before).1, end);
        }
    }
}
