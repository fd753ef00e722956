//! `user.*` events: keep the profile and customer account in step with Clerk.

use chrono::Utc;
use paidloop_entitlements::{PlanTier, features_from_claims};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    Set, TryIntoModel,
};
use serde_json::{Value, json};

use super::Handled;
use crate::entities::profiles;
use crate::error::ApiError;
use crate::services::identity::ensure_account;
use crate::state::AppState;

fn text(data: &Value, key: &str) -> String {
    data.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The primary email: the one `primary_email_address_id` names, else the first.
fn primary_email(data: &Value) -> String {
    let addresses = data
        .get("email_addresses")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let primary = data.get("primary_email_address_id").and_then(Value::as_str);
    addresses
        .iter()
        .find(|a| primary.is_some() && a.get("id").and_then(Value::as_str) == primary)
        .or_else(|| addresses.first())
        .and_then(|a| a.get("email_address"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// `user.created` / `user.updated`: upsert the profile and make sure it has an account.
pub(super) async fn upsert(
    state: &AppState,
    txn: &DatabaseTransaction,
    data: &Value,
) -> Result<Handled, ApiError> {
    let clerk_user_id = text(data, "id");
    if clerk_user_id.is_empty() {
        return Ok(Handled::Ignored("user event without an id".into()));
    }
    let metadata = data
        .get("public_metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let features = features_from_claims(&metadata, &state.config.clerk.billing_claim);
    let now = Utc::now();
    let existing = profiles::Entity::find()
        .filter(profiles::Column::ClerkUserId.eq(clerk_user_id.as_str()))
        .one(txn)
        .await?;
    let mut row = match existing {
        Some(profile) => profile.into_active_model(),
        None => profiles::ActiveModel {
            clerk_user_id: Set(clerk_user_id.clone()),
            metadata: Set(json!({})),
            created_at: Set(now),
            ..Default::default()
        },
    };
    row.email = Set(primary_email(data).chars().take(254).collect());
    row.first_name = Set(text(data, "first_name").chars().take(150).collect());
    row.last_name = Set(text(data, "last_name").chars().take(150).collect());
    row.image_url = Set(text(data, "image_url"));
    row.plan_tier = Set(PlanTier::from_features(&features).as_str().to_owned());
    row.billing_features = Set(json!(features));
    row.is_active = Set(true);
    row.updated_at = Set(now);
    let profile = row.save(txn).await?.try_into_model()?;
    ensure_account(txn, &profile).await?;
    state.identities.forget(&clerk_user_id);
    Ok(Handled::Processed)
}

/// `user.deleted`: deactivate the profile and blank its personal fields.
pub(super) async fn deactivate(
    state: &AppState,
    txn: &DatabaseTransaction,
    data: &Value,
) -> Result<Handled, ApiError> {
    let clerk_user_id = text(data, "id");
    let Some(profile) = profiles::Entity::find()
        .filter(profiles::Column::ClerkUserId.eq(clerk_user_id.as_str()))
        .one(txn)
        .await?
    else {
        return Ok(Handled::Ignored("no profile for the deleted user".into()));
    };
    let mut row = profile.into_active_model();
    row.is_active = Set(false);
    row.email = Set(String::new());
    row.first_name = Set(String::new());
    row.last_name = Set(String::new());
    row.image_url = Set(String::new());
    row.updated_at = Set(Utc::now());
    row.update(txn).await?;
    state.identities.forget(&clerk_user_id);
    Ok(Handled::Processed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_email_wins_over_the_first() {
        let data = json!({
            "primary_email_address_id": "idn_2",
            "email_addresses": [
                {"id": "idn_1", "email_address": "old@x.test"},
                {"id": "idn_2", "email_address": "main@x.test"}
            ]
        });
        assert_eq!(primary_email(&data), "main@x.test");
        let no_primary = json!({"email_addresses": [{"id": "a", "email_address": "first@x.test"}]});
        assert_eq!(primary_email(&no_primary), "first@x.test");
        assert_eq!(primary_email(&json!({})), "");
    }
}
