//! `user.*` events: keep the profile and customer account in step with Clerk.
//!
//! The account's `billing_email` and `full_name` follow Clerk's primary email and name,
//! except a field the buyer set through `PATCH account/customer/`: a webhook never
//! overwrites a buyer's own edit.

use chrono::Utc;
use paidloop_entitlements::{PlanTier, features_from_claims};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    Set, TryIntoModel,
};
use serde_json::{Value, json};

use super::Handled;
use crate::entities::{customer_accounts, profiles};
use crate::error::ApiError;
use crate::services::identity::{display_name, ensure_account};
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
    let account = ensure_account(txn, &profile).await?;
    follow_clerk(txn, account, &profile).await?;
    state.identities.forget(&clerk_user_id);
    Ok(Handled::Processed)
}

/// What Clerk now says the account's billing fields should be: `(billing_email,
/// full_name)`, each `None` when the account keeps its own (the buyer set it, Clerk has
/// no email, or nothing changed).
fn clerk_owned_fields(
    account: &customer_accounts::Model,
    profile: &profiles::Model,
) -> (Option<String>, Option<String>) {
    let email = Some(profile.email.clone()).filter(|email| {
        !account.billing_email_set_by_buyer && !email.is_empty() && *email != account.billing_email
    });
    let name: String = display_name(profile).chars().take(180).collect();
    let name =
        Some(name).filter(|name| !account.full_name_set_by_buyer && *name != account.full_name);
    (email, name)
}

/// Keeps the account's `billing_email` and `full_name` in step with the profile Clerk
/// just sent, except the fields the buyer set through `PATCH account/customer/`.
async fn follow_clerk(
    txn: &DatabaseTransaction,
    account: customer_accounts::Model,
    profile: &profiles::Model,
) -> Result<(), ApiError> {
    let (email, name) = clerk_owned_fields(&account, profile);
    if email.is_none() && name.is_none() {
        return Ok(());
    }
    let mut row = account.into_active_model();
    if let Some(email) = email {
        row.billing_email = Set(email);
    }
    if let Some(name) = name {
        row.full_name = Set(name);
    }
    row.updated_at = Set(Utc::now());
    row.update(txn).await?;
    Ok(())
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

    fn rows(
        email_by_buyer: bool,
        name_by_buyer: bool,
    ) -> (customer_accounts::Model, profiles::Model) {
        let now = Utc::now();
        let profile = profiles::Model {
            id: 1,
            clerk_user_id: "user_1".into(),
            email: "new@x.test".into(),
            first_name: "Ada".into(),
            last_name: "Byron".into(),
            image_url: String::new(),
            plan_tier: "free".into(),
            billing_features: json!([]),
            is_active: true,
            metadata: json!({}),
            created_at: now,
            updated_at: now,
        };
        let account = customer_accounts::Model {
            id: 1,
            profile_id: 1,
            external_customer_id: "user_1".into(),
            billing_email: "old@x.test".into(),
            full_name: "Ada".into(),
            company_name: String::new(),
            country: String::new(),
            tax_id: String::new(),
            billing_email_set_by_buyer: email_by_buyer,
            full_name_set_by_buyer: name_by_buyer,
            metadata: json!({}),
            created_at: now,
            updated_at: now,
        };
        (account, profile)
    }

    #[test]
    fn clerk_owns_the_fields_the_buyer_never_set() {
        let (account, profile) = rows(false, false);
        assert_eq!(
            clerk_owned_fields(&account, &profile),
            (Some("new@x.test".into()), Some("Ada Byron".into()))
        );
        let (account, profile) = rows(true, false);
        assert_eq!(
            clerk_owned_fields(&account, &profile),
            (None, Some("Ada Byron".into()))
        );
        let (account, profile) = rows(false, true);
        assert_eq!(
            clerk_owned_fields(&account, &profile),
            (Some("new@x.test".into()), None)
        );
        let (account, mut profile) = rows(false, false);
        profile.email = String::new();
        assert_eq!(
            clerk_owned_fields(&account, &profile).0,
            None,
            "no email from Clerk"
        );
    }

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
