//! The caller's customer account: billing identity edits.
//!
//! A buyer who changes `billing_email` or `full_name` here owns that field from then on:
//! the change is recorded (`*_set_by_buyer`), and the Clerk `user.*` webhooks, which
//! otherwise keep both in step with Clerk, leave it alone.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set, TryIntoModel};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::entities::customer_accounts;
use crate::error::ApiError;
use crate::services::validate::{Errors, looks_like_email};

/// PATCH body: any subset of the editable fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CustomerPatch {
    /// Where receipts go (a valid email, or blank).
    #[schema(max_length = 254)]
    pub billing_email: Option<String>,
    /// Name on invoices.
    #[schema(max_length = 180)]
    pub full_name: Option<String>,
    /// Company on invoices.
    #[schema(max_length = 180)]
    pub company_name: Option<String>,
    /// Two-letter ISO country code, any case (stored upper-cased), or blank.
    #[schema(max_length = 2)]
    pub country: Option<String>,
    /// VAT or tax number.
    #[schema(max_length = 64)]
    pub tax_id: Option<String>,
    /// A JSON object.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

/// Applies a PATCH to the account, all fields checked before anything is written.
pub async fn patch<C: ConnectionTrait>(
    db: &C,
    account: customer_accounts::Model,
    input: &CustomerPatch,
) -> Result<customer_accounts::Model, ApiError> {
    let mut errors = Errors::default();
    let mut row = account.into_active_model();
    if let Some(email) = &input.billing_email {
        let email = errors.text("billing_email", email, 254);
        if !email.is_empty() && !looks_like_email(&email) {
            errors.add("billing_email", "Enter a valid email address.");
        }
        if email != *row.billing_email.as_ref() {
            row.billing_email_set_by_buyer = Set(true);
        }
        row.billing_email = Set(email);
    }
    if let Some(name) = &input.full_name {
        let name = errors.text("full_name", name, 180);
        if name != *row.full_name.as_ref() {
            row.full_name_set_by_buyer = Set(true);
        }
        row.full_name = Set(name);
    }
    if let Some(company) = &input.company_name {
        row.company_name = Set(errors.text("company_name", company, 180));
    }
    if let Some(country) = &input.country {
        let country = country.trim().to_ascii_uppercase();
        if !country.is_empty()
            && (country.chars().count() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()))
        {
            errors.add("country", "Use a 2-letter ISO country code.");
        }
        row.country = Set(country);
    }
    if let Some(tax_id) = &input.tax_id {
        row.tax_id = Set(errors.text("tax_id", tax_id, 64));
    }
    if input.metadata.is_some() {
        let stored = row.metadata.as_ref().clone();
        row.metadata = Set(errors.metadata(input.metadata.as_ref(), Some(&stored)));
    }
    errors.finish()?;
    if !row.is_changed() {
        return Ok(row.try_into_model()?);
    }
    row.updated_at = Set(Utc::now());
    Ok(row.update(db).await?)
}
