//! Per-cycle usage limits of each plan tier.

use paidloop_entitlements::PlanTier;

use crate::metric::Metric;

/// How much of each metric a plan allows per usage cycle; `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanLimits {
    /// LLM tokens per cycle.
    pub tokens: Option<u64>,
    /// Images per cycle.
    pub images: Option<u64>,
    /// Videos per cycle.
    pub videos: Option<u64>,
}

impl PlanLimits {
    /// No limit on anything: the enterprise tier.
    pub const UNLIMITED: PlanLimits = PlanLimits {
        tokens: None,
        images: None,
        videos: None,
    };

    /// Free tier defaults (`AI_USAGE_LIMIT_FREE_*` unset): 100,000 tokens, 120 images,
    /// 2 videos per cycle.
    pub const FREE_DEFAULT: PlanLimits = PlanLimits {
        tokens: Some(100_000),
        images: Some(120),
        videos: Some(2),
    };

    /// Pro tier defaults (`AI_USAGE_LIMIT_PRO_*` unset): 1,500,000 tokens, 1,000 images,
    /// 40 videos per cycle.
    pub const PRO_DEFAULT: PlanLimits = PlanLimits {
        tokens: Some(1_500_000),
        images: Some(1_000),
        videos: Some(40),
    };

    /// The limit of one metric.
    pub fn limit(&self, metric: Metric) -> Option<u64> {
        match metric {
            Metric::Tokens => self.tokens,
            Metric::Images => self.images,
            Metric::Videos => self.videos,
        }
    }
}

/// The configured limits of the limited tiers; enterprise is always unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitsByTier {
    /// Limits of the free tier.
    pub free: PlanLimits,
    /// Limits of the pro tier.
    pub pro: PlanLimits,
}

impl LimitsByTier {
    /// The limits that apply to a tier.
    pub fn for_tier(&self, tier: PlanTier) -> PlanLimits {
        match tier {
            PlanTier::Free => self.free,
            PlanTier::Pro => self.pro,
            PlanTier::Enterprise => PlanLimits::UNLIMITED,
        }
    }
}

impl Default for LimitsByTier {
    fn default() -> Self {
        LimitsByTier {
            free: PlanLimits::FREE_DEFAULT,
            pro: PlanLimits::PRO_DEFAULT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tier_gets_its_limits() {
        let limits = LimitsByTier::default();
        assert_eq!(
            limits.for_tier(PlanTier::Free).limit(Metric::Tokens),
            Some(100_000)
        );
        assert_eq!(
            limits.for_tier(PlanTier::Free).limit(Metric::Images),
            Some(120)
        );
        assert_eq!(
            limits.for_tier(PlanTier::Free).limit(Metric::Videos),
            Some(2)
        );
        assert_eq!(
            limits.for_tier(PlanTier::Pro).limit(Metric::Tokens),
            Some(1_500_000)
        );
        assert_eq!(
            limits.for_tier(PlanTier::Pro).limit(Metric::Videos),
            Some(40)
        );
    }

    #[test]
    fn enterprise_is_unlimited_whatever_is_configured() {
        let everything_zero = PlanLimits {
            tokens: Some(0),
            images: Some(0),
            videos: Some(0),
        };
        let limits = LimitsByTier {
            free: everything_zero,
            pro: everything_zero,
        };
        for metric in Metric::ALL {
            assert_eq!(limits.for_tier(PlanTier::Enterprise).limit(metric), None);
            assert_eq!(limits.for_tier(PlanTier::Pro).limit(metric), Some(0));
        }
    }
}
