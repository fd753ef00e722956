//! Subscription statuses, and what each means for access and usage periods.

use std::fmt;
use std::str::FromStr;

use paidloop_catalog::UnknownChoice;
use serde::{Deserialize, Serialize};

/// The status of a subscription row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// In a free trial (`trialing`): grants its plan.
    Trialing,
    /// Paid up (`active`): grants its plan.
    Active,
    /// A renewal payment failed (`past_due`): no plan features, but its period still
    /// frames usage.
    PastDue,
    /// Ended (`canceled`).
    Canceled,
    /// Not started or not understood (`incomplete`), the state of a new row.
    #[default]
    Incomplete,
    /// Paused by the seller or buyer (`paused`).
    Paused,
}

impl SubscriptionStatus {
    /// Every status.
    pub const ALL: [SubscriptionStatus; 6] = [
        SubscriptionStatus::Trialing,
        SubscriptionStatus::Active,
        SubscriptionStatus::PastDue,
        SubscriptionStatus::Canceled,
        SubscriptionStatus::Incomplete,
        SubscriptionStatus::Paused,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Trialing => "trialing",
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::PastDue => "past_due",
            SubscriptionStatus::Canceled => "canceled",
            SubscriptionStatus::Incomplete => "incomplete",
            SubscriptionStatus::Paused => "paused",
        }
    }

    /// Reads a stored status name (exact).
    pub fn parse(raw: &str) -> Result<SubscriptionStatus, UnknownChoice> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| {
                let names = Self::ALL.map(SubscriptionStatus::as_str);
                UnknownChoice::new("subscription status", raw, &names)
            })
    }

    /// Maps a status as Clerk (or another billing provider) spells it: case, spaces and
    /// `-`/`_` are forgiven, `pastDue`/`past-due` and `cancelled` are understood, and
    /// anything unknown is `incomplete`, which grants nothing.
    pub fn from_provider(raw: &str) -> SubscriptionStatus {
        match raw.trim().to_lowercase().replace('-', "_").as_str() {
            "active" => SubscriptionStatus::Active,
            "trialing" => SubscriptionStatus::Trialing,
            "past_due" | "pastdue" => SubscriptionStatus::PastDue,
            "canceled" | "cancelled" => SubscriptionStatus::Canceled,
            "paused" => SubscriptionStatus::Paused,
            _ => SubscriptionStatus::Incomplete,
        }
    }

    /// Whether the subscription's plan features are granted: active or trialing.
    pub fn grants_access(self) -> bool {
        matches!(
            self,
            SubscriptionStatus::Active | SubscriptionStatus::Trialing
        )
    }

    /// Whether its current period is the usage period for AI quotas: active, trialing
    /// or past due (a failed renewal does not reset the cycle).
    pub fn frames_usage_period(self) -> bool {
        matches!(
            self,
            SubscriptionStatus::Active | SubscriptionStatus::Trialing | SubscriptionStatus::PastDue
        )
    }
}

impl fmt::Display for SubscriptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SubscriptionStatus {
    type Err = UnknownChoice;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_spellings_map_to_statuses() {
        assert_eq!(
            SubscriptionStatus::from_provider(" Active "),
            SubscriptionStatus::Active
        );
        assert_eq!(
            SubscriptionStatus::from_provider("pastDue"),
            SubscriptionStatus::PastDue
        );
        assert_eq!(
            SubscriptionStatus::from_provider("past-due"),
            SubscriptionStatus::PastDue
        );
        assert_eq!(
            SubscriptionStatus::from_provider("cancelled"),
            SubscriptionStatus::Canceled
        );
        assert_eq!(
            SubscriptionStatus::from_provider("trialing"),
            SubscriptionStatus::Trialing
        );
        assert_eq!(
            SubscriptionStatus::from_provider("paused"),
            SubscriptionStatus::Paused
        );
        assert_eq!(
            SubscriptionStatus::from_provider("upcoming"),
            SubscriptionStatus::Incomplete
        );
        assert_eq!(
            SubscriptionStatus::from_provider(""),
            SubscriptionStatus::Incomplete
        );
    }

    #[test]
    fn only_active_and_trialing_grant_access() {
        let granting: Vec<_> = SubscriptionStatus::ALL
            .into_iter()
            .filter(|s| s.grants_access())
            .collect();
        assert_eq!(
            granting,
            [SubscriptionStatus::Trialing, SubscriptionStatus::Active]
        );
    }

    #[test]
    fn past_due_still_frames_the_usage_period() {
        let framing: Vec<_> = SubscriptionStatus::ALL
            .into_iter()
            .filter(|s| s.frames_usage_period())
            .collect();
        assert_eq!(
            framing,
            [
                SubscriptionStatus::Trialing,
                SubscriptionStatus::Active,
                SubscriptionStatus::PastDue
            ]
        );
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for status in SubscriptionStatus::ALL {
            assert_eq!(SubscriptionStatus::parse(status.as_str()), Ok(status));
            assert_eq!(SubscriptionStatus::from_provider(status.as_str()), status);
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.as_str())
            );
        }
        assert!("pastDue".parse::<SubscriptionStatus>().is_err());
    }
}
