//! `account/orders/`: create an order, list them, and the local-only confirm endpoint.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use paidloop_orders::{
    ConfirmDecision, ConfirmPolicy, OrderStatus, PaymentProvider, SharedSecretCheck, confirm_guard,
};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::services::orders::confirm::{PaymentProof, confirm};
use crate::services::orders::emails::EmailSettings;
use crate::services::orders::{self, CreateOrder, list_cache};
use crate::state::AppState;

/// The header that carries `ORDER_CONFIRM_SHARED_SECRET`.
const SECRET_HEADER: &str = "x-order-confirm-secret";

/// `GET account/orders/`: served from this instance's [`list_cache`] while nothing the
/// list shows has changed (see that module for when a body goes stale).
pub async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let account = user.account.id;
    let (stamp, now) = (list_cache::stamp(account), Instant::now());
    if let Some(body) = state.order_lists.get(account, stamp, now) {
        return Ok(json_response(body));
    }
    let body = serde_json::to_vec(&orders::list(&state.db, account).await?)
        .map(Bytes::from)
        .map_err(|err| ApiError::Internal(format!("serialising the order list: {err}")))?;
    state.order_lists.put(account, body.clone(), stamp, now);
    Ok(json_response(body))
}

fn json_response(body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body)
}

/// `POST account/orders/create/`.
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<CreateOrder>,
) -> Result<HttpResponse, ApiError> {
    let created = orders::create(&state, user.account.id, &body.0).await?;
    Ok(HttpResponse::Created().json(json!({
        "order": created.order,
        "checkout": {"checkout_url": created.checkout_url, "provider": "clerk"},
    })))
}

/// `POST account/orders/{public_id}/confirm/` body.
#[derive(Debug, Deserialize)]
pub struct ConfirmInput {
    #[serde(default)]
    provider: Option<PaymentProvider>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    clerk_checkout_id: Option<String>,
    #[serde(default)]
    raw_payload: Option<Value>,
}

/// Compares the header with the configured secret in constant time (digests of both,
/// so not even the length leaks).
fn check_secret(req: &HttpRequest, configured: Option<&str>) -> SharedSecretCheck {
    let Some(expected) = configured else {
        return SharedSecretCheck::NotConfigured;
    };
    let given = req
        .headers()
        .get(SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let same: bool = Sha256::digest(given.as_bytes())
        .ct_eq(&Sha256::digest(expected.as_bytes()))
        .into();
    if same && !given.is_empty() {
        SharedSecretCheck::Matched
    } else {
        SharedSecretCheck::MissingOrMismatched
    }
}

/// `POST account/orders/{public_id}/confirm/`: local-only payment confirmation.
pub async fn confirm_order(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    public_id: web::Path<String>,
    body: JsonBody<ConfirmInput>,
) -> Result<HttpResponse, ApiError> {
    let public_id = Uuid::parse_str(&public_id).map_err(|_| ApiError::NotFound)?;
    let order = orders::find_own(&state.db, user.account.id, public_id).await?;
    let input = body.0;
    let provider = input.provider.unwrap_or_default();
    let status = OrderStatus::parse(&order.status)
        .map_err(|err| ApiError::Internal(format!("stored order status: {err}")))?;
    let policy = ConfirmPolicy {
        allow_manual: state.config.order_confirm.allow_manual,
        allow_client_side_clerk: state.config.order_confirm.allow_client_side_clerk_confirm,
    };
    let secret = check_secret(&req, state.config.order_confirm.shared_secret.as_deref());
    let decision = confirm_guard(status, provider, policy, secret);
    let detail = decision.detail().unwrap_or_default().to_owned();
    match decision {
        ConfirmDecision::InvalidState(_) => return Err(ApiError::BadRequest(detail)),
        ConfirmDecision::Forbidden(_) => return Err(ApiError::Forbidden(detail)),
        ConfirmDecision::PendingVerification => {
            return Err(ApiError::WithBody(
                StatusCode::CONFLICT,
                json!({"detail": detail, "pending_verification": true}),
            ));
        }
        ConfirmDecision::AlreadyConfirmed {
            needs_fulfilment: false,
        } => {
            let view = orders::view(&state.db, &order).await?;
            return Ok(HttpResponse::Ok().json(json!({"order": view, "already_confirmed": true})));
        }
        ConfirmDecision::AlreadyConfirmed { .. } | ConfirmDecision::Proceed => {}
    }
    let proof = PaymentProof {
        provider: provider.as_str(),
        external_id: input.external_id,
        checkout_id: input.clerk_checkout_id,
        raw_payload: input.raw_payload.unwrap_or_else(|| json!({})),
    };
    let emails = EmailSettings::from_config(&state.config);
    let turn = state.writes.enter().await;
    let confirmed = confirm(&state.db, order.id, &proof, &emails).await?;
    list_cache::orders_changed(order.customer_account_id);
    drop(turn);
    let view = orders::view(&state.db, &confirmed.order).await?;
    Ok(HttpResponse::Ok().json(json!({
        "order": view,
        "already_confirmed": confirmed.already_confirmed,
    })))
}
