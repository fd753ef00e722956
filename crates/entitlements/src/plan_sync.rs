//! Keeping a subscription's `plan` entitlements in step with its product's feature keys
//! and its status: a diff the server applies in one transaction.

use chrono::{DateTime, Utc};
use paidloop_catalog::FeatureKey;

/// One stored `plan` entitlement of the subscription (same account, source `plan`,
/// source reference = the subscription's id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingPlanEntitlement {
    /// Its feature key as stored.
    pub feature_key: String,
    /// Its active flag.
    pub is_active: bool,
    /// When it ended, if it has.
    pub ends_at: Option<DateTime<Utc>>,
}

/// The writes that bring a subscription's plan entitlements in line.
///
/// Applying it: insert a row per `create` key (with `starts_at = now`; active with no
/// end when `create_active`, else inactive with `ends_at = now`, so the row is there to
/// reactivate later); set `is_active = true, ends_at = NULL` on each `reactivate` key;
/// set `is_active = false` and `ends_at = now` where it is still empty on each `end` key.
/// Applying the same inputs' diff again gives an empty diff.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanEntitlementDiff {
    /// Keys of the plan that have no row yet, in the plan's order.
    pub create: Vec<FeatureKey>,
    /// Whether the created rows grant access (the subscription status does).
    pub create_active: bool,
    /// Keys whose row exists but is inactive or ended while access is granted.
    pub reactivate: Vec<String>,
    /// Keys whose row still grants or has no end but must not: no longer on the plan,
    /// or the subscription no longer grants access.
    pub end: Vec<String>,
}

impl PlanEntitlementDiff {
    /// Whether nothing needs writing.
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.reactivate.is_empty() && self.end.is_empty()
    }
}

/// Compares the feature keys a subscription's product wants with the plan entitlements
/// already stored for that subscription.
///
/// `desired` keys are normalised like a product's feature keys (blank or overlong ones
/// are skipped, repeats count once). `grants_access` is whether the subscription's
/// status grants its plan (see `SubscriptionStatus::grants_access`); a canceled
/// subscription passes no desired keys and `false`, which ends every row.
pub fn diff_plan_entitlements<K: AsRef<str>>(
    desired: &[K],
    existing: &[ExistingPlanEntitlement],
    grants_access: bool,
) -> PlanEntitlementDiff {
    let mut wanted: Vec<FeatureKey> = Vec::with_capacity(desired.len());
    for key in desired
        .iter()
        .filter_map(|raw| FeatureKey::parse(raw.as_ref()).ok())
    {
        if !wanted.contains(&key) {
            wanted.push(key);
        }
    }

    let find = |key: &FeatureKey| existing.iter().find(|row| row.feature_key == key.as_str());
    // A row "still grants or is open" when it is active or has no end yet.
    let is_open = |row: &ExistingPlanEntitlement| row.is_active || row.ends_at.is_none();

    let mut diff = PlanEntitlementDiff {
        create_active: grants_access,
        ..PlanEntitlementDiff::default()
    };
    for key in &wanted {
        match find(key) {
            None => diff.create.push(key.clone()),
            Some(row) if grants_access && (!row.is_active || row.ends_at.is_some()) => {
                diff.reactivate.push(row.feature_key.clone())
            }
            Some(row) if !grants_access && is_open(row) => diff.end.push(row.feature_key.clone()),
            Some(_) => {}
        }
    }
    for row in existing {
        let still_wanted = wanted.iter().any(|key| key.as_str() == row.feature_key);
        if !still_wanted && is_open(row) {
            diff.end.push(row.feature_key.clone());
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
    }

    fn row(key: &str, is_active: bool, ended: bool) -> ExistingPlanEntitlement {
        ExistingPlanEntitlement {
            feature_key: key.to_owned(),
            is_active,
            ends_at: ended.then(now),
        }
    }

    fn keys(keys: &[FeatureKey]) -> Vec<&str> {
        keys.iter().map(FeatureKey::as_str).collect()
    }

    #[test]
    fn a_new_active_subscription_creates_every_key() {
        let diff = diff_plan_entitlements(&["pro", "API Access", "pro", " "], &[], true);
        assert_eq!(keys(&diff.create), ["pro", "api_access"]);
        assert!(diff.create_active);
        assert!(diff.reactivate.is_empty() && diff.end.is_empty());
    }

    #[test]
    fn an_up_to_date_subscription_needs_nothing() {
        let existing = [row("pro", true, false), row("old", false, true)];
        let diff = diff_plan_entitlements(&["pro"], &existing, true);
        assert!(diff.is_empty(), "{diff:?}");
    }

    #[test]
    fn a_returning_subscription_reactivates_ended_rows() {
        let existing = [row("pro", false, true), row("api", true, true)];
        let diff = diff_plan_entitlements(&["pro", "api"], &existing, true);
        assert_eq!(diff.reactivate, ["pro", "api"]);
        assert!(diff.create.is_empty() && diff.end.is_empty());
    }

    #[test]
    fn keys_dropped_from_the_plan_are_ended() {
        let existing = [
            row("pro", true, false),
            row("legacy", true, false),
            row("gone", false, true),
        ];
        let diff = diff_plan_entitlements(&["pro"], &existing, true);
        assert_eq!(diff.end, ["legacy"]);
    }

    #[test]
    fn losing_access_ends_open_rows_and_creates_missing_ones_inactive() {
        let existing = [
            row("pro", true, false),
            row("api", false, false),
            row("beta", false, true),
        ];
        let diff = diff_plan_entitlements(&["pro", "api", "beta", "new"], &existing, false);
        assert_eq!(diff.end, ["pro", "api"]);
        assert_eq!(keys(&diff.create), ["new"]);
        assert!(!diff.create_active);
        assert!(diff.reactivate.is_empty());
    }

    #[test]
    fn a_canceled_subscription_ends_everything() {
        let existing = [row("pro", true, false), row("api", true, false)];
        let diff = diff_plan_entitlements::<&str>(&[], &existing, false);
        assert_eq!(diff.end, ["pro", "api"]);
        assert!(diff.create.is_empty());
    }

    /// Applies a diff the way the server does.
    fn apply(diff: &PlanEntitlementDiff, existing: &mut Vec<ExistingPlanEntitlement>) {
        for key in &diff.create {
            existing.push(ExistingPlanEntitlement {
                feature_key: key.to_string(),
                is_active: diff.create_active,
                ends_at: (!diff.create_active).then(now),
            });
        }
        for row in existing.iter_mut() {
            if diff.reactivate.contains(&row.feature_key) {
                row.is_active = true;
                row.ends_at = None;
            }
            if diff.end.contains(&row.feature_key) {
                row.is_active = false;
                row.ends_at = row.ends_at.or(Some(now()));
            }
        }
    }

    fn arb_rows() -> impl Strategy<Value = Vec<ExistingPlanEntitlement>> {
        proptest::collection::btree_map("[a-e]", (any::<bool>(), any::<bool>()), 0..5).prop_map(
            |rows| {
                rows.into_iter()
                    .map(|(key, (active, ended))| row(&key, active, ended))
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn applying_the_diff_grants_exactly_the_plan_and_settles(desired in proptest::collection::vec("[a-e]", 0..5), mut existing in arb_rows(), grants in any::<bool>()) {
            let diff = diff_plan_entitlements(&desired, &existing, grants);
            apply(&diff, &mut existing);

            let mut granted: Vec<&str> = existing.iter().filter(|r| r.is_active && r.ends_at.is_none()).map(|r| r.feature_key.as_str()).collect();
            granted.sort_unstable();
            let mut expected: Vec<&str> = if grants { desired.iter().map(String::as_str).collect() } else { Vec::new() };
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(granted, expected);
            // Every desired key has a row, and a row that grants nothing has an end.
            for key in &desired {
                prop_assert!(existing.iter().any(|r| &r.feature_key == key));
            }
            prop_assert!(existing.iter().all(|r| r.is_active || r.ends_at.is_some()));

            let again = diff_plan_entitlements(&desired, &existing, grants);
            prop_assert!(again.is_empty(), "second diff not empty: {:?}", again);
        }
    }
}
