//! What the server remembers about an account's billing syncs, and how one attempt
//! updates it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest error detail kept, in characters: enough to diagnose, short enough that a
/// provider's whole error page never lands in the account row.
pub const MAX_ERROR_DETAIL_CHARS: usize = 240;

/// The per-account sync record. Every field has a default (`#[serde(default)]`), so a
/// record stored as JSON by an older version, or not stored at all, still reads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncRecord {
    /// When the last attempt, successful or not, finished.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Whether that attempt succeeded; `None` before any attempt.
    pub last_attempt_succeeded: Option<bool>,
    /// When the last successful attempt finished; freshness is measured from here.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The reason code of the last attempt (see [`AttemptReason`]); empty before any.
    pub last_reason_code: String,
    /// The error code of the last attempt when it failed; empty after a success.
    pub last_error_code: String,
    /// The failure's detail, trimmed and cut to [`MAX_ERROR_DETAIL_CHARS`]; empty after
    /// a success.
    pub last_error_detail: String,
}

/// How a sync attempt ended. Failures are recorded with their code as the error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptReason {
    /// Clerk returned subscriptions and all were applied (`synced`).
    Synced,
    /// Some subscriptions were applied and some failed (`synced_with_partial_errors`).
    SyncedWithPartialErrors,
    /// Clerk said the user has no subscription; local Clerk subscriptions were
    /// canceled (`no_active_subscription`).
    NoActiveSubscription,
    /// Clerk's answer held no subscription data either way (`no_subscription_payload`).
    NoSubscriptionPayload,
    /// Clerk returned subscriptions but none could be applied (`subscription_upsert_failed`).
    SubscriptionUpsertFailed,
    /// No Clerk client: `CLERK_SECRET_KEY` is unset (`clerk_client_unavailable`).
    ClerkClientUnavailable,
    /// The Clerk call failed (`clerk_api_error`).
    ClerkApiError,
    /// The account has no Clerk user id to ask about (`missing_clerk_user_id`).
    MissingClerkUserId,
}

impl AttemptReason {
    /// The stored and reported code.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptReason::Synced => "synced",
            AttemptReason::SyncedWithPartialErrors => "synced_with_partial_errors",
            AttemptReason::NoActiveSubscription => "no_active_subscription",
            AttemptReason::NoSubscriptionPayload => "no_subscription_payload",
            AttemptReason::SubscriptionUpsertFailed => "subscription_upsert_failed",
            AttemptReason::ClerkClientUnavailable => "clerk_client_unavailable",
            AttemptReason::ClerkApiError => "clerk_api_error",
            AttemptReason::MissingClerkUserId => "missing_clerk_user_id",
        }
    }

    /// Whether the attempt counts as a successful sync (it resets the freshness clock).
    pub fn succeeded(self) -> bool {
        matches!(
            self,
            AttemptReason::Synced
                | AttemptReason::SyncedWithPartialErrors
                | AttemptReason::NoActiveSubscription
                | AttemptReason::NoSubscriptionPayload
        )
    }
}

impl SyncRecord {
    /// Records an attempt that finished at `attempted_at`.
    ///
    /// A success moves `last_success_at` and clears the error code and detail (its
    /// `detail` is ignored). A failure keeps `last_success_at`, uses its reason code as
    /// the error code, and keeps `detail` trimmed and cut to [`MAX_ERROR_DETAIL_CHARS`]
    /// characters.
    pub fn record_attempt(
        &mut self,
        attempted_at: DateTime<Utc>,
        reason: AttemptReason,
        detail: &str,
    ) {
        let succeeded = reason.succeeded();
        self.last_attempt_at = Some(attempted_at);
        self.last_attempt_succeeded = Some(succeeded);
        self.last_reason_code = reason.as_str().to_owned();
        if succeeded {
            self.last_success_at = Some(attempted_at);
            self.last_error_code.clear();
            self.last_error_detail.clear();
        } else {
            self.last_error_code = reason.as_str().to_owned();
            self.last_error_detail = detail.trim().chars().take(MAX_ERROR_DETAIL_CHARS).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_success_moves_the_success_clock_and_clears_errors() {
        let mut record = SyncRecord::default();
        record.record_attempt(at(0), AttemptReason::ClerkApiError, "boom");
        record.record_attempt(at(5), AttemptReason::Synced, "ignored");
        assert_eq!(record.last_attempt_at, Some(at(5)));
        assert_eq!(record.last_attempt_succeeded, Some(true));
        assert_eq!(record.last_success_at, Some(at(5)));
        assert_eq!(record.last_reason_code, "synced");
        assert_eq!(record.last_error_code, "");
        assert_eq!(record.last_error_detail, "");
    }

    #[test]
    fn a_failure_keeps_the_last_success() {
        let mut record = SyncRecord::default();
        record.record_attempt(at(0), AttemptReason::NoActiveSubscription, "");
        record.record_attempt(
            at(60),
            AttemptReason::ClerkClientUnavailable,
            "  CLERK_SECRET_KEY is not set  ",
        );
        assert_eq!(record.last_success_at, Some(at(0)));
        assert_eq!(record.last_attempt_at, Some(at(60)));
        assert_eq!(record.last_attempt_succeeded, Some(false));
        assert_eq!(record.last_reason_code, "clerk_client_unavailable");
        assert_eq!(record.last_error_code, "clerk_client_unavailable");
        assert_eq!(record.last_error_detail, "CLERK_SECRET_KEY is not set");
    }

    #[test]
    fn error_detail_is_cut_to_240_characters() {
        let mut record = SyncRecord::default();
        let long = "é".repeat(300);
        record.record_attempt(at(0), AttemptReason::ClerkApiError, &long);
        assert_eq!(
            record.last_error_detail.chars().count(),
            MAX_ERROR_DETAIL_CHARS
        );
        assert!(record.last_error_detail.chars().all(|c| c == 'é'));
    }

    #[test]
    fn success_and_failure_codes() {
        let failures = [
            AttemptReason::SubscriptionUpsertFailed,
            AttemptReason::ClerkClientUnavailable,
            AttemptReason::ClerkApiError,
            AttemptReason::MissingClerkUserId,
        ];
        for reason in failures {
            assert!(!reason.succeeded(), "{reason:?}");
            assert_eq!(
                serde_json::to_value(reason).unwrap(),
                serde_json::json!(reason.as_str())
            );
        }
        assert!(AttemptReason::SyncedWithPartialErrors.succeeded());
        assert!(AttemptReason::NoSubscriptionPayload.succeeded());
    }

    #[test]
    fn a_partial_or_empty_stored_record_reads_with_defaults() {
        let record: SyncRecord =
            serde_json::from_str(r#"{"last_success_at": "2025-01-02T03:04:05.123456+00:00"}"#)
                .unwrap();
        assert_eq!(record.last_success_at.unwrap().timestamp(), 1_735_787_045);
        assert_eq!(record.last_attempt_succeeded, None);
        assert_eq!(
            serde_json::from_str::<SyncRecord>("{}").unwrap(),
            SyncRecord::default()
        );
    }

    #[test]
    fn a_record_round_trips_through_json() {
        let mut record = SyncRecord::default();
        record.record_attempt(at(1), AttemptReason::ClerkApiError, "timeout");
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(serde_json::from_str::<SyncRecord>(&json).unwrap(), record);
    }

    proptest! {
        #[test]
        fn stored_detail_is_short_and_trimmed(detail in any::<String>()) {
            let mut record = SyncRecord::default();
            record.record_attempt(at(0), AttemptReason::ClerkApiError, &detail);
            prop_assert!(record.last_error_detail.chars().count() <= MAX_ERROR_DETAIL_CHARS);
            prop_assert!(detail.trim().starts_with(&record.last_error_detail));
        }
    }
}
