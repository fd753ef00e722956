//! The `reason_code` values of a sync status that this crate produces itself. When the
//! status is plainly fresh, the reason code of the last recorded attempt is reported
//! instead (see [`crate::AttemptReason`]).

/// Synced within the soft window, with no failed attempt since.
pub const FRESH: &str = "fresh";
/// Synced within the soft window, but a later attempt failed.
pub const FRESH_WITH_SYNC_ERROR: &str = "fresh_with_sync_error";
/// Past the soft window, within the hard TTL.
pub const SOFT_STALE: &str = "soft_stale";
/// Soft-stale, and the last attempt failed.
pub const SOFT_STALE_WITH_SYNC_ERROR: &str = "soft_stale_with_sync_error";
/// Past the hard TTL.
pub const HARD_STALE: &str = "hard_stale";
/// Hard-stale (including never synced), and the last attempt failed.
pub const HARD_STALE_WITH_SYNC_ERROR: &str = "hard_stale_with_sync_error";
/// No sync ever succeeded and no failure is on record.
pub const NEVER_SYNCED: &str = "never_synced";
