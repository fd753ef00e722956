//! Response shapes: what the API sends for each kind of row (`spec/API.md`).
//!
//! Kept apart from the entities so a column can change without changing the contract,
//! and so the contract is visible in one place.

pub mod ai;
pub mod billing;
pub mod catalog;
pub mod downloads;
pub mod orders;

use chrono::{DateTime, NaiveDate, Utc};
use paidloop_catalog::format_amount;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::entities::{customer_accounts, profiles, projects};

/// `Profile` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Profile)]
pub struct ProfileView {
    /// Row id.
    pub id: i64,
    /// Clerk user id.
    pub clerk_user_id: String,
    /// Email from Clerk.
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Avatar URL.
    pub image_url: String,
    /// free / pro / enterprise.
    #[schema(schema_with = crate::openapi::enums::plan_tier)]
    pub plan_tier: String,
    /// Features from the billing claim: trimmed, lower-cased, de-duplicated.
    #[schema(value_type = Vec<String>)]
    pub billing_features: Value,
    /// False once Clerk deleted the user.
    pub is_active: bool,
    /// Metadata from the claims.
    #[schema(value_type = Object)]
    pub metadata: Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&profiles::Model> for ProfileView {
    fn from(p: &profiles::Model) -> Self {
        Self {
            id: p.id,
            clerk_user_id: p.clerk_user_id.clone(),
            email: p.email.clone(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            image_url: p.image_url.clone(),
            plan_tier: p.plan_tier.clone(),
            billing_features: p.billing_features.clone(),
            is_active: p.is_active,
            metadata: p.metadata.clone(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// The short profile nested in a customer account.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProfileSummary)]
pub struct ProfileSummaryView {
    /// Row id.
    pub id: i64,
    /// Clerk user id.
    pub clerk_user_id: String,
    /// Email.
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
}

/// `CustomerAccount` of the spec.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomerAccount)]
pub struct CustomerAccountView {
    /// Row id.
    pub id: i64,
    /// Whose account.
    pub profile: ProfileSummaryView,
    /// The billing provider's customer id (the Clerk user id).
    pub external_customer_id: String,
    /// Where receipts go.
    pub billing_email: String,
    /// Name on invoices.
    pub full_name: String,
    /// Company on invoices.
    pub company_name: String,
    /// ISO 3166 alpha-2, upper-case.
    pub country: String,
    /// VAT or tax number.
    pub tax_id: String,
    /// Free-form metadata.
    #[schema(value_type = Object)]
    pub metadata: Value,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl CustomerAccountView {
    /// Builds the view from the account and its profile.
    pub fn new(account: &customer_accounts::Model, profile: &profiles::Model) -> Self {
        Self {
            id: account.id,
            profile: ProfileSummaryView {
                id: profile.id,
                clerk_user_id: profile.clerk_user_id.clone(),
                email: profile.email.clone(),
                first_name: profile.first_name.clone(),
                last_name: profile.last_name.clone(),
            },
            external_customer_id: account.external_customer_id.clone(),
            billing_email: account.billing_email.clone(),
            full_name: account.full_name.clone(),
            company_name: account.company_name.clone(),
            country: account.country.clone(),
            tax_id: account.tax_id.clone(),
            metadata: account.metadata.clone(),
            created_at: account.created_at,
            updated_at: account.updated_at,
        }
    }
}

/// A project of the spec's example resource.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Project)]
pub struct ProjectView {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// URL slug, unique per owner.
    pub slug: String,
    /// Free text.
    pub summary: String,
    /// idea / building / live / paused.
    #[schema(schema_with = crate::openapi::enums::project_status)]
    pub status: String,
    /// Decimal string with two places, e.g. `"1250.00"`.
    #[schema(example = "1250.00", pattern = r"^\d+\.\d{2}$")]
    pub monthly_recurring_revenue: String,
    /// Planned launch day.
    pub target_launch_date: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&projects::Model> for ProjectView {
    fn from(p: &projects::Model) -> Self {
        Self {
            id: p.id,
            name: p.name.clone(),
            slug: p.slug.clone(),
            summary: p.summary.clone(),
            status: p.status.clone(),
            monthly_recurring_revenue: format_amount(p.monthly_recurring_revenue_cents),
            target_launch_date: p.target_launch_date,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}
