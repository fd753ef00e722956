//! Turning a sync record into the status the API reports.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::policy::{SyncMessages, SyncPolicy};
use crate::reason_codes;
use crate::record::SyncRecord;

/// How recent the last successful billing sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Within the soft window (`fresh`).
    Fresh,
    /// Past the soft window, within the hard TTL (`soft_stale`): usable, with a warning.
    SoftStale,
    /// Past the hard TTL or never synced (`hard_stale`): usage-generating requests are
    /// refused until a sync succeeds.
    HardStale,
}

impl SyncState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Fresh => "fresh",
            SyncState::SoftStale => "soft_stale",
            SyncState::HardStale => "hard_stale",
        }
    }
}

/// The billing sync status of an account, in the API's shape
/// (`GET account/subscriptions/status/` and the `billing_sync` of AI answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// Freshness band.
    pub state: SyncState,
    /// Whether usage-generating requests must be refused (hard-stale).
    pub blocking: bool,
    /// Why: one of [`crate::reason_codes`], or the last attempt's code when plainly fresh.
    pub reason_code: String,
    /// The last attempt's error code, if it failed.
    pub error_code: Option<String>,
    /// A sentence for the user.
    pub detail: String,
    /// When the last attempt finished.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When the last successful attempt finished.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Whole seconds since the last success (never negative); `None` when never synced.
    pub age_seconds: Option<u64>,
    /// The policy's soft window, echoed for clients.
    pub soft_window_seconds: u64,
    /// The policy's hard TTL, echoed for clients.
    pub hard_ttl_seconds: u64,
}

impl SyncStatus {
    /// Whether an automatic sync should run before a usage-generating request (any
    /// state but fresh).
    pub fn needs_sync(&self) -> bool {
        self.state != SyncState::Fresh
    }
}

const FRESH_DETAIL: &str = "Billing is in sync.";
const FRESH_WITH_ERROR_DETAIL: &str = "The latest billing sync attempt failed, but the last successful sync is recent enough to rely on.";

/// Evaluates an account's sync record at `now`.
///
/// - Never synced successfully: hard-stale, blocking, `never_synced`.
/// - Otherwise by the age of the last success: up to the soft window fresh, up to the
///   hard TTL soft-stale, beyond hard-stale (blocking).
/// - A failed attempt is flagged with a `_with_sync_error` reason: for stale states
///   whenever an error code is on record (so never-synced with a failure reads
///   `hard_stale_with_sync_error`); for fresh only when that failure came after the
///   last success.
/// - A plainly fresh status reports the last attempt's own reason code (`synced`,
///   `no_active_subscription`, …) when one is recorded.
///
/// `detail` is the hard-block message while blocking, the soft warning while
/// soft-stale (a blank configured message falls back to the default one), and a fixed
/// sentence otherwise.
pub fn evaluate(
    record: &SyncRecord,
    now: DateTime<Utc>,
    policy: &SyncPolicy,
    messages: &SyncMessages,
) -> SyncStatus {
    let age_seconds = record
        .last_success_at
        .map(|success| u64::try_from((now - success).num_seconds()).unwrap_or(0));
    let has_error = !record.last_error_code.is_empty();

    let (state, reason_code) = match age_seconds {
        None => (
            SyncState::HardStale,
            if has_error {
                reason_codes::HARD_STALE_WITH_SYNC_ERROR
            } else {
                reason_codes::NEVER_SYNCED
            },
        ),
        Some(age) if age <= policy.soft_window_seconds() => {
            let failed_since_success = record.last_attempt_succeeded == Some(false)
                && matches!((record.last_attempt_at, record.last_success_at), (Some(attempt), Some(success)) if attempt > success);
            if has_error && failed_since_success {
                (SyncState::Fresh, reason_codes::FRESH_WITH_SYNC_ERROR)
            } else {
                (SyncState::Fresh, reason_codes::FRESH)
            }
        }
        Some(age) if age <= policy.hard_ttl_seconds() => (
            SyncState::SoftStale,
            if has_error {
                reason_codes::SOFT_STALE_WITH_SYNC_ERROR
            } else {
                reason_codes::SOFT_STALE
            },
        ),
        Some(_) => (
            SyncState::HardStale,
            if has_error {
                reason_codes::HARD_STALE_WITH_SYNC_ERROR
            } else {
                reason_codes::HARD_STALE
            },
        ),
    };

    let blocking = state == SyncState::HardStale;
    let defaults = SyncMessages::default();
    let configured_or_default = |configured: &str, fallback: &str| {
        let configured = configured.trim();
        if configured.is_empty() {
            fallback.to_owned()
        } else {
            configured.to_owned()
        }
    };
    let detail = match state {
        SyncState::HardStale => configured_or_default(&messages.hard_block, &defaults.hard_block),
        SyncState::SoftStale => {
            configured_or_default(&messages.soft_warning, &defaults.soft_warning)
        }
        SyncState::Fresh if reason_code == reason_codes::FRESH_WITH_SYNC_ERROR => {
            FRESH_WITH_ERROR_DETAIL.to_owned()
        }
        SyncState::Fresh => FRESH_DETAIL.to_owned(),
    };

    let reason_code = if reason_code == reason_codes::FRESH && !record.last_reason_code.is_empty() {
        record.last_reason_code.clone()
    } else {
        reason_code.to_owned()
    };

    SyncStatus {
        state,
        blocking,
        reason_code,
        error_code: has_error.then(|| record.last_error_code.clone()),
        detail,
        last_attempt_at: record.last_attempt_at,
        last_success_at: record.last_success_at,
        age_seconds,
        soft_window_seconds: policy.soft_window_seconds(),
        hard_ttl_seconds: policy.hard_ttl_seconds(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::AttemptReason;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;
    use serde_json::json;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + seconds, 0).unwrap()
    }

    fn eval(record: &SyncRecord, now: i64) -> SyncStatus {
        evaluate(
            record,
            at(now),
            &SyncPolicy::default(),
            &SyncMessages::default(),
        )
    }

    fn synced_at(seconds: i64) -> SyncRecord {
        let mut record = SyncRecord::default();
        record.record_attempt(at(seconds), AttemptReason::Synced, "");
        record
    }

    #[test]
    fn never_synced_is_hard_stale_and_blocking() {
        let status = eval(&SyncRecord::default(), 0);
        assert_eq!(status.state, SyncState::HardStale);
        assert!(status.blocking);
        assert_eq!(status.reason_code, "never_synced");
        assert_eq!(status.age_seconds, None);
        assert_eq!(status.error_code, None);
        assert_eq!(status.detail, SyncMessages::default().hard_block);
    }

    #[test]
    fn never_synced_after_a_failure_carries_the_error() {
        let mut record = SyncRecord::default();
        record.record_attempt(at(0), AttemptReason::ClerkClientUnavailable, "no key");
        let status = eval(&record, 10);
        assert_eq!(status.state, SyncState::HardStale);
        assert_eq!(status.reason_code, "hard_stale_with_sync_error");
        assert_eq!(
            status.error_code.as_deref(),
            Some("clerk_client_unavailable")
        );
    }

    #[test]
    fn a_recent_sync_is_fresh_and_reports_the_attempt_reason() {
        let status = eval(&synced_at(0), 900);
        assert_eq!(status.state, SyncState::Fresh);
        assert!(!status.blocking);
        assert_eq!(status.reason_code, "synced");
        assert_eq!(status.age_seconds, Some(900));
        assert!(!status.needs_sync());
    }

    #[test]
    fn a_fresh_record_without_a_reason_reads_fresh() {
        let record = SyncRecord {
            last_success_at: Some(at(0)),
            ..SyncRecord::default()
        };
        assert_eq!(eval(&record, 1).reason_code, "fresh");
    }

    #[test]
    fn the_bands_follow_the_windows() {
        let record = synced_at(0);
        assert_eq!(eval(&record, 901).state, SyncState::SoftStale);
        assert_eq!(eval(&record, 901).reason_code, "soft_stale");
        assert_eq!(eval(&record, 10_800).state, SyncState::SoftStale);
        let hard = eval(&record, 10_801);
        assert_eq!(
            (hard.state, hard.blocking, hard.reason_code.as_str()),
            (SyncState::HardStale, true, "hard_stale")
        );
        assert!(eval(&record, 901).needs_sync());
    }

    #[test]
    fn a_failure_after_a_fresh_success_is_flagged_but_not_blocking() {
        let mut record = synced_at(0);
        record.record_attempt(at(100), AttemptReason::ClerkApiError, "502 from Clerk");
        let status = eval(&record, 200);
        assert_eq!(status.state, SyncState::Fresh);
        assert_eq!(status.reason_code, "fresh_with_sync_error");
        assert_eq!(status.error_code.as_deref(), Some("clerk_api_error"));
        assert_eq!(status.detail, FRESH_WITH_ERROR_DETAIL);
        assert!(!status.blocking);
    }

    #[test]
    fn stale_states_add_the_error_suffix() {
        let mut record = synced_at(0);
        record.record_attempt(at(1_000), AttemptReason::ClerkApiError, "");
        assert_eq!(
            eval(&record, 2_000).reason_code,
            "soft_stale_with_sync_error"
        );
        assert_eq!(
            eval(&record, 20_000).reason_code,
            "hard_stale_with_sync_error"
        );
        assert_eq!(
            eval(&record, 2_000).detail,
            SyncMessages::default().soft_warning
        );
    }

    #[test]
    fn a_success_clock_in_the_future_counts_as_age_zero() {
        let status = eval(&synced_at(100), 0);
        assert_eq!(status.age_seconds, Some(0));
        assert_eq!(status.state, SyncState::Fresh);
    }

    #[test]
    fn configured_messages_and_windows_are_used() {
        let messages = SyncMessages {
            soft_warning: " slow ".to_owned(),
            hard_block: "blocked".to_owned(),
        };
        let policy = SyncPolicy::new(10, 20);
        let record = synced_at(0);
        let soft = evaluate(&record, at(15), &policy, &messages);
        assert_eq!(
            (soft.state, soft.detail.as_str()),
            (SyncState::SoftStale, "slow")
        );
        let hard = evaluate(&record, at(21), &policy, &messages);
        assert_eq!(
            (hard.state, hard.detail.as_str()),
            (SyncState::HardStale, "blocked")
        );
        assert_eq!((hard.soft_window_seconds, hard.hard_ttl_seconds), (10, 20));
    }

    #[test]
    fn blank_configured_messages_fall_back_to_the_defaults() {
        let blank = SyncMessages {
            soft_warning: "  ".to_owned(),
            hard_block: String::new(),
        };
        let record = synced_at(0);
        let policy = SyncPolicy::default();
        assert_eq!(
            evaluate(&record, at(1_000), &policy, &blank).detail,
            SyncMessages::default().soft_warning
        );
        assert_eq!(
            evaluate(&record, at(20_000), &policy, &blank).detail,
            SyncMessages::default().hard_block
        );
    }

    #[test]
    fn status_serializes_in_the_api_shape() {
        let status = eval(&synced_at(0), 60);
        let value = serde_json::to_value(&status).unwrap();
        assert_eq!(
            value,
            json!({
                "state": "fresh",
                "blocking": false,
                "reason_code": "synced",
                "error_code": null,
                "detail": FRESH_DETAIL,
                "last_attempt_at": "2023-11-14T22:13:20Z",
                "last_success_at": "2023-11-14T22:13:20Z",
                "age_seconds": 60,
                "soft_window_seconds": 900,
                "hard_ttl_seconds": 10800,
            })
        );
    }

    proptest! {
        #[test]
        fn state_worsens_with_age_and_blocks_only_when_hard(soft in 0u64..5_000, extra in 1u64..5_000, age in 0i64..20_000, failed in any::<bool>()) {
            let policy = SyncPolicy::new(soft, soft + extra);
            let mut record = synced_at(0);
            if failed {
                record.record_attempt(at(1), AttemptReason::ClerkApiError, "x");
            }
            let status = evaluate(&record, at(0) + Duration::seconds(age), &policy, &SyncMessages::default());
            let age = age as u64;
            let expected = if age <= soft { SyncState::Fresh } else if age <= soft + extra { SyncState::SoftStale } else { SyncState::HardStale };
            prop_assert_eq!(status.state, expected);
            prop_assert_eq!(status.blocking, expected == SyncState::HardStale);
            prop_assert_eq!(status.reason_code.ends_with("_with_sync_error"), failed);
            prop_assert_eq!(status.error_code.is_some(), failed);
        }
    }
}
