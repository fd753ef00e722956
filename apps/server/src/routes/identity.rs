//! Who am I: `me/`, `profile/`, `billing/features/`.

use actix_web::{HttpResponse, web};
use paidloop_entitlements::has_feature;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::auth::CurrentUser;
use crate::services::profile_probe::ProbeAnswer;
use crate::state::AppState;
use crate::views::{CustomerAccountView, ProfileView};

/// The answer of `me/`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Me)]
pub struct MeView<'a> {
    /// The Clerk user id (`sub`).
    pub clerk_user_id: &'a str,
    /// The profile's email.
    pub email: &'a str,
    /// The token's Clerk organisation, if any.
    pub org_id: Option<&'a str>,
    /// Features from the billing claim.
    #[schema(value_type = Vec<String>)]
    pub billing_features: &'a Value,
    /// The caller's profile.
    pub profile: ProfileView,
    /// The caller's customer account.
    pub customer_account: CustomerAccountView,
}

/// `GET me/`: the caller as the token and the database know them.
#[utoipa::path(
    get,
    path = "/api/me/",
    tag = "identity",
    summary = "The caller: claims, profile and customer account",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The caller.", body = MeView)),
)]
pub async fn me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(MeView {
        clerk_user_id: &user.profile.clerk_user_id,
        email: &user.profile.email,
        org_id: user.org_id(),
        billing_features: &user.profile.billing_features,
        profile: ProfileView::from(&user.profile),
        customer_account: CustomerAccountView::new(&user.account, &user.profile),
    })
}

/// `GET profile/`.
#[utoipa::path(
    get,
    path = "/api/profile/",
    tag = "identity",
    summary = "The caller's profile",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The profile.", body = ProfileView)),
)]
pub async fn profile(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(ProfileView::from(&user.profile))
}

/// Query of `billing/features/`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeatureQuery {
    /// A feature to check (any case); without it, every enabled feature is listed.
    feature: Option<String>,
}

/// The answers of `billing/features/`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum BillingFeatures {
    /// Without `?feature=`: every enabled feature.
    All {
        /// Sorted.
        enabled_features: Vec<String>,
    },
    /// With `?feature=`: whether that one is enabled.
    One {
        /// The feature asked about, lower-cased.
        feature: String,
        /// Whether the caller has it.
        enabled: bool,
    },
}

/// `GET billing/features/`: all features, or whether one is enabled.
#[utoipa::path(
    get,
    path = "/api/billing/features/",
    tag = "identity",
    summary = "The caller's billing features, or whether one is enabled",
    params(FeatureQuery),
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The features, or the one asked about.", body = BillingFeatures)),
)]
pub async fn billing_features(user: CurrentUser, query: web::Query<FeatureQuery>) -> HttpResponse {
    let features: Vec<String> = match &user.profile.billing_features {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let answer = match query
        .feature
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        Some(feature) => BillingFeatures::One {
            feature: feature.to_lowercase(),
            enabled: has_feature(&features, feature),
        },
        None => {
            let mut enabled_features = features;
            enabled_features.sort();
            BillingFeatures::All { enabled_features }
        }
    };
    HttpResponse::Ok().json(answer)
}

/// The answer of `supabase/profile/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupabaseProfileProbe {
    /// Whether Supabase's REST API answered for one of the profile tables.
    pub ok: bool,
    /// What happened, safe to show.
    pub detail: String,
    /// The caller's row, when one was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub profile: Option<Value>,
    /// The table that answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_table: Option<String>,
    /// The underlying error; only in debug.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `GET supabase/profile/`: probes Supabase for the caller's profile row.
#[utoipa::path(
    get,
    path = "/api/supabase/profile/",
    tag = "identity",
    summary = "Probe Supabase's REST API for the caller's profile row",
    description = "Tries SUPABASE_PROFILE_TABLE, then `api_profile`, then `profiles` with the \
                   anon key. Never a 5xx: when Supabase is not configured or fails, the \
                   answer is 200 with `ok: false` and a safe detail.",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The probe's outcome.", body = SupabaseProfileProbe)),
)]
pub async fn supabase_profile(state: web::Data<AppState>, user: CurrentUser) -> HttpResponse {
    let answer = match &state.integrations.profile_probe {
        Some(probe) => probe.probe(&user.profile.clerk_user_id).await,
        None => ProbeAnswer::not_configured(),
    };
    HttpResponse::Ok().json(SupabaseProfileProbe {
        ok: answer.ok,
        detail: answer.detail,
        profile: answer.profile,
        source_table: answer.source_table,
        error: answer.error.filter(|_| state.config.app.debug),
    })
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(me, profile, billing_features, supabase_profile))]
pub struct Api;
