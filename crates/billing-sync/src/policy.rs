//! The configured freshness windows and the messages shown for stale states.

/// How long a successful sync stays good.
///
/// Up to the soft window the account is fresh; up to the hard TTL it is soft-stale
/// (usable, with a warning); beyond, hard-stale (usage-generating requests blocked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncPolicy {
    soft_window_seconds: u64,
    hard_ttl_seconds: u64,
}

impl SyncPolicy {
    /// `BILLING_SYNC_SOFT_STALE_SECONDS` default.
    pub const DEFAULT_SOFT_WINDOW_SECONDS: u64 = 900;
    /// `BILLING_SYNC_HARD_TTL_SECONDS` default.
    pub const DEFAULT_HARD_TTL_SECONDS: u64 = 10_800;

    /// Builds the policy; a hard TTL not above the soft window is raised to one second
    /// past it, so the soft-stale band always exists.
    pub fn new(soft_window_seconds: u64, hard_ttl_seconds: u64) -> SyncPolicy {
        let floor = soft_window_seconds.saturating_add(1);
        SyncPolicy {
            soft_window_seconds,
            hard_ttl_seconds: hard_ttl_seconds.max(floor),
        }
    }

    /// Age in seconds up to which a sync is fresh.
    pub fn soft_window_seconds(&self) -> u64 {
        self.soft_window_seconds
    }

    /// Age in seconds up to which a sync is only soft-stale; always above the soft window
    /// (except at `u64::MAX`, where both are the same).
    pub fn hard_ttl_seconds(&self) -> u64 {
        self.hard_ttl_seconds
    }
}

impl Default for SyncPolicy {
    fn default() -> Self {
        SyncPolicy::new(
            Self::DEFAULT_SOFT_WINDOW_SECONDS,
            Self::DEFAULT_HARD_TTL_SECONDS,
        )
    }
}

/// The operator-configurable `detail` texts of the stale states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMessages {
    /// `BILLING_SYNC_SOFT_WARNING_MESSAGE`: shown while soft-stale.
    pub soft_warning: String,
    /// `BILLING_SYNC_HARD_BLOCK_MESSAGE`: shown while hard-stale (blocking).
    pub hard_block: String,
}

impl Default for SyncMessages {
    fn default() -> Self {
        SyncMessages {
            soft_warning: "Billing status is a little behind; usage limits still apply.".to_owned(),
            hard_block: "Billing status could not be verified recently. Please try again shortly."
                .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_fifteen_minutes_and_three_hours() {
        let policy = SyncPolicy::default();
        assert_eq!(policy.soft_window_seconds(), 900);
        assert_eq!(policy.hard_ttl_seconds(), 10_800);
    }

    #[test]
    fn hard_ttl_is_forced_above_the_soft_window() {
        assert_eq!(SyncPolicy::new(900, 900).hard_ttl_seconds(), 901);
        assert_eq!(SyncPolicy::new(900, 10).hard_ttl_seconds(), 901);
        assert_eq!(SyncPolicy::new(0, 0).hard_ttl_seconds(), 1);
        assert_eq!(SyncPolicy::new(10, 11).hard_ttl_seconds(), 11);
        assert_eq!(SyncPolicy::new(u64::MAX, 0).hard_ttl_seconds(), u64::MAX);
    }

    #[test]
    fn default_messages_are_not_blank() {
        let messages = SyncMessages::default();
        assert!(!messages.soft_warning.trim().is_empty());
        assert!(!messages.hard_block.trim().is_empty());
        assert_ne!(messages.soft_warning, messages.hard_block);
    }
}
