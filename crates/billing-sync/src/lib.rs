//! Pure billing-sync policy: freshness states and reason codes.
