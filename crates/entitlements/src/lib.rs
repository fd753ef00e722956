//! Pure entitlement rules: claims to features, plan tier, plan-entitlement diffs.
//!
//! The server reads a signed-in user's billing features from their session claims,
//! derives a plan tier from them, and keeps `plan` entitlements in step with each
//! subscription. The rules for all of that live here, with `now` passed in.

mod claims;
mod current;
mod plan_sync;
mod subscription;
mod tier;

pub use claims::{DEFAULT_BILLING_CLAIM, features_from_claims, has_feature};
pub use current::is_current;
pub use plan_sync::{ExistingPlanEntitlement, PlanEntitlementDiff, diff_plan_entitlements};
pub use subscription::SubscriptionStatus;
pub use tier::PlanTier;
