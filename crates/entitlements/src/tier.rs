//! The plan tier shown on a profile and used to pick usage limits.

use std::fmt;
use std::str::FromStr;

use paidloop_catalog::UnknownChoice;
use serde::{Deserialize, Serialize};

/// A user's plan tier, derived from their billing features.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PlanTier {
    /// No paid plan (`free`).
    #[default]
    Free,
    /// A paid plan (`pro`).
    Pro,
    /// The top plan (`enterprise`), with no usage limits.
    Enterprise,
}

impl PlanTier {
    /// Every tier, lowest first.
    pub const ALL: [PlanTier; 3] = [PlanTier::Free, PlanTier::Pro, PlanTier::Enterprise];

    /// Features that put a user on the pro tier.
    const PRO_FEATURES: [&str; 3] = ["pro", "premium", "growth"];

    /// Derives the tier: `enterprise` when that feature is present, else `pro` when any
    /// of `pro`, `premium` or `growth` is, else `free`. Case is ignored.
    pub fn from_features(features: &[String]) -> PlanTier {
        let has = |name: &str| {
            features
                .iter()
                .any(|feature| feature.trim().eq_ignore_ascii_case(name))
        };
        if has("enterprise") {
            PlanTier::Enterprise
        } else if Self::PRO_FEATURES.into_iter().any(has) {
            PlanTier::Pro
        } else {
            PlanTier::Free
        }
    }

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanTier::Free => "free",
            PlanTier::Pro => "pro",
            PlanTier::Enterprise => "enterprise",
        }
    }

    /// Reads a stored tier name (exact).
    pub fn parse(raw: &str) -> Result<PlanTier, UnknownChoice> {
        Self::ALL
            .into_iter()
            .find(|tier| tier.as_str() == raw)
            .ok_or_else(|| {
                let names = Self::ALL.map(PlanTier::as_str);
                UnknownChoice::new("plan tier", raw, &names)
            })
    }
}

impl fmt::Display for PlanTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PlanTier {
    type Err = UnknownChoice;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(features: &[&str]) -> PlanTier {
        let owned: Vec<String> = features.iter().map(|f| (*f).to_owned()).collect();
        PlanTier::from_features(&owned)
    }

    #[test]
    fn enterprise_wins_over_everything() {
        assert_eq!(tier(&["pro", "enterprise"]), PlanTier::Enterprise);
        assert_eq!(tier(&["Enterprise"]), PlanTier::Enterprise);
    }

    #[test]
    fn any_pro_alias_gives_pro() {
        for feature in ["pro", "premium", "growth", "GROWTH"] {
            assert_eq!(tier(&["beta", feature]), PlanTier::Pro, "{feature}");
        }
    }

    #[test]
    fn anything_else_is_free() {
        assert_eq!(tier(&[]), PlanTier::Free);
        assert_eq!(
            tier(&["beta", "professional", "enterprise_trial"]),
            PlanTier::Free
        );
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for tier in PlanTier::ALL {
            assert_eq!(PlanTier::parse(tier.as_str()), Ok(tier));
            assert_eq!(
                serde_json::to_value(tier).unwrap(),
                serde_json::json!(tier.as_str())
            );
        }
        assert!("Pro".parse::<PlanTier>().is_err());
    }
}
