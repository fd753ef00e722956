//! Who am I: `me/`, `profile/`, `billing/features/`.

use actix_web::{HttpResponse, web};
use paidloop_entitlements::has_feature;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::views::{CustomerAccountView, ProfileView};

/// `GET me/`: the caller as the token and the database know them.
pub async fn me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "clerk_user_id": user.profile.clerk_user_id,
        "email": user.profile.email,
        "org_id": user.org_id(),
        "billing_features": user.profile.billing_features,
        "profile": ProfileView::from(&user.profile),
        "customer_account": CustomerAccountView::new(&user.account, &user.profile),
    }))
}

/// `GET profile/`.
pub async fn profile(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(ProfileView::from(&user.profile))
}

/// Query of `billing/features/`.
#[derive(Debug, Deserialize)]
pub struct FeatureQuery {
    feature: Option<String>,
}

/// `GET billing/features/`: all features, or whether one is enabled.
pub async fn billing_features(user: CurrentUser, query: web::Query<FeatureQuery>) -> HttpResponse {
    let features: Vec<String> = match &user.profile.billing_features {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    match query
        .feature
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        Some(feature) => HttpResponse::Ok().json(json!({
            "feature": feature.to_lowercase(),
            "enabled": has_feature(&features, feature),
        })),
        None => {
            let mut sorted = features;
            sorted.sort();
            HttpResponse::Ok().json(json!({"enabled_features": sorted}))
        }
    }
}
