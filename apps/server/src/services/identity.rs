//! Profile and customer-account upsert from verified token claims.
//!
//! Runs on every authenticated request, so the common case — nothing changed — costs one
//! read (profile joined with its account) and no write. A claim that the token does not
//! carry leaves the stored value alone: Clerk's default session token has no email, and
//! the `user.*` webhooks may have filled it in.

use chrono::Utc;
use paidloop_clerk::VerifiedClaims;
use paidloop_entitlements::{PlanTier, features_from_claims};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use serde_json::{Map, Value, json};

use crate::entities::{customer_accounts, profiles};
use crate::error::ApiError;

/// What the claims say about the caller; `None` = the token does not say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClaimedProfile {
    /// Clerk user id (`sub`).
    pub clerk_user_id: String,
    /// `email`.
    pub email: Option<String>,
    /// `given_name` or `first_name`.
    pub first_name: Option<String>,
    /// `family_name` or `last_name`.
    pub last_name: Option<String>,
    /// `picture` or `image_url`.
    pub image_url: Option<String>,
    /// `metadata`, when it is an object.
    pub metadata: Option<Value>,
    /// Billing features, when the billing claim (or `entitlements`) is present.
    pub billing_features: Option<Vec<String>>,
}

fn text_claim(claims: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|name| claims.get(*name).and_then(Value::as_str))
        .map(|s| s.trim().to_owned())
}

impl ClaimedProfile {
    /// Reads the profile fields out of verified claims.
    pub fn from_claims(claims: &VerifiedClaims, billing_claim: &str) -> Self {
        let map = &claims.claims;
        let has_billing = map.contains_key(billing_claim) || map.contains_key("entitlements");
        Self {
            clerk_user_id: claims.subject.clone(),
            email: text_claim(map, &["email"]),
            first_name: text_claim(map, &["given_name", "first_name"]),
            last_name: text_claim(map, &["family_name", "last_name"]),
            image_url: text_claim(map, &["picture", "image_url"]),
            metadata: map.get("metadata").filter(|m| m.is_object()).cloned(),
            billing_features: has_billing.then(|| features_from_claims(map, billing_claim)),
        }
    }

    /// Applies the claims to a stored profile; returns whether anything changed.
    fn apply(&self, profile: &mut profiles::Model) -> bool {
        let before = profile.clone();
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(value) = value {
                value.clone_into(field);
            }
        };
        set(&mut profile.email, &self.email);
        set(&mut profile.first_name, &self.first_name);
        set(&mut profile.last_name, &self.last_name);
        set(&mut profile.image_url, &self.image_url);
        if let Some(metadata) = &self.metadata {
            profile.metadata = metadata.clone();
        }
        if let Some(features) = &self.billing_features {
            profile.billing_features = json!(features);
            profile.plan_tier = PlanTier::from_features(features).as_str().to_owned();
        }
        profile.is_active = true;
        *profile != before
    }
}

/// The name a customer account starts with: first + last, else email, else the Clerk id.
pub fn display_name(profile: &profiles::Model) -> String {
    let full = format!("{} {}", profile.first_name, profile.last_name);
    let full = full.trim();
    if !full.is_empty() {
        full.to_owned()
    } else if !profile.email.is_empty() {
        profile.email.clone()
    } else {
        profile.clerk_user_id.clone()
    }
}

/// Makes sure the caller has an up-to-date profile and a customer account.
#[tracing::instrument(skip_all, fields(user_id = %claimed.clerk_user_id))]
pub async fn sync_from_claims<C: ConnectionTrait>(
    db: &C,
    claimed: &ClaimedProfile,
) -> Result<(profiles::Model, customer_accounts::Model), ApiError> {
    let found = find_with_account(db, &claimed.clerk_user_id).await?;
    let (mut profile, account) = match found {
        Some(pair) => pair,
        None => (insert_profile(db, claimed).await?, None),
    };
    let stored = profile.clone();
    if claimed.apply(&mut profile) {
        let mut active = stored.into_active_model();
        active.email = Set(profile.email.clone());
        active.first_name = Set(profile.first_name.clone());
        active.last_name = Set(profile.last_name.clone());
        active.image_url = Set(profile.image_url.clone());
        active.metadata = Set(profile.metadata.clone());
        active.billing_features = Set(profile.billing_features.clone());
        active.plan_tier = Set(profile.plan_tier.clone());
        active.is_active = Set(true);
        active.updated_at = Set(Utc::now());
        profile = active.update(db).await?;
    }
    let account = match account {
        Some(account) => account,
        None => ensure_account(db, &profile).await?,
    };
    Ok((profile, account))
}

async fn find_with_account<C: ConnectionTrait>(
    db: &C,
    clerk_user_id: &str,
) -> Result<Option<(profiles::Model, Option<customer_accounts::Model>)>, ApiError> {
    Ok(profiles::Entity::find()
        .filter(profiles::Column::ClerkUserId.eq(clerk_user_id))
        .find_also_related(customer_accounts::Entity)
        .one(db)
        .await?)
}

/// Inserts the profile, tolerating a concurrent first request doing the same.
async fn insert_profile<C: ConnectionTrait>(
    db: &C,
    claimed: &ClaimedProfile,
) -> Result<profiles::Model, ApiError> {
    let now = Utc::now();
    let features = claimed.billing_features.clone().unwrap_or_default();
    let row = profiles::ActiveModel {
        clerk_user_id: Set(claimed.clerk_user_id.clone()),
        email: Set(claimed.email.clone().unwrap_or_default()),
        first_name: Set(claimed.first_name.clone().unwrap_or_default()),
        last_name: Set(claimed.last_name.clone().unwrap_or_default()),
        image_url: Set(claimed.image_url.clone().unwrap_or_default()),
        plan_tier: Set(PlanTier::from_features(&features).as_str().to_owned()),
        billing_features: Set(json!(features)),
        is_active: Set(true),
        metadata: Set(claimed.metadata.clone().unwrap_or_else(|| json!({}))),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    profiles::Entity::insert(row)
        .on_conflict_do_nothing_on([profiles::Column::ClerkUserId])
        .exec_without_returning(db)
        .await?;
    profiles::Entity::find()
        .filter(profiles::Column::ClerkUserId.eq(claimed.clerk_user_id.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal("profile vanished right after its upsert".into()))
}

/// Creates the profile's customer account if it has none (one per profile).
pub async fn ensure_account<C: ConnectionTrait>(
    db: &C,
    profile: &profiles::Model,
) -> Result<customer_accounts::Model, ApiError> {
    let now = Utc::now();
    let row = customer_accounts::ActiveModel {
        profile_id: Set(profile.id),
        external_customer_id: Set(profile.clerk_user_id.clone()),
        billing_email: Set(profile.email.clone()),
        full_name: Set(display_name(profile).chars().take(180).collect()),
        company_name: Set(String::new()),
        country: Set(String::new()),
        tax_id: Set(String::new()),
        metadata: Set(json!({})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    customer_accounts::Entity::insert(row)
        .on_conflict_do_nothing_on([customer_accounts::Column::ProfileId])
        .exec_without_returning(db)
        .await?;
    customer_accounts::Entity::find()
        .filter(customer_accounts::Column::ProfileId.eq(profile.id))
        .one(db)
        .await?
        .ok_or_else(|| {
            ApiError::Internal("customer account vanished right after its upsert".into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(value: Value) -> VerifiedClaims {
        let map = value.as_object().cloned().unwrap_or_default();
        VerifiedClaims {
            subject: map["sub"].as_str().unwrap_or_default().to_owned(),
            claims: map,
        }
    }

    #[test]
    fn claims_fall_back_to_their_alternative_names() {
        let claimed = ClaimedProfile::from_claims(
            &claims(
                json!({"sub": "user_1", "first_name": "Ada", "family_name": "L", "image_url": "https://i/x.png"}),
            ),
            "entitlements",
        );
        assert_eq!(claimed.first_name.as_deref(), Some("Ada"));
        assert_eq!(claimed.last_name.as_deref(), Some("L"));
        assert_eq!(claimed.image_url.as_deref(), Some("https://i/x.png"));
        assert_eq!(claimed.email, None);
        assert_eq!(claimed.billing_features, None);
    }

    #[test]
    fn the_named_billing_claim_falls_back_to_entitlements() {
        let claimed = ClaimedProfile::from_claims(
            &claims(json!({"sub": "user_1", "entitlements": ["Pro"]})),
            "billing",
        );
        assert_eq!(claimed.billing_features, Some(vec!["pro".to_owned()]));
    }
}
