//! `account/orders/`: create an order, list them, and the local-only confirm endpoint.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use paidloop_orders::{
    ConfirmDecision, ConfirmPolicy, OrderStatus, PaymentProvider, SharedSecretCheck, confirm_guard,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use crate::auth::{CurrentUser, Session};
use crate::error::ApiError;
use crate::http::json::JsonBody;
use crate::openapi::errors::{ErrorDetail, ValidationErrors};
use crate::services::orders::confirm::{PaymentProof, confirm};
use crate::services::orders::emails::EmailSettings;
use crate::services::orders::{self, CreateOrder};
use crate::state::AppState;
use crate::views::orders::OrderView;

/// The header that carries `ORDER_CONFIRM_SHARED_SECRET`.
const SECRET_HEADER: &str = "x-order-confirm-secret";

/// `GET account/orders/`: served from this instance's [`orders::list_cache`] while nothing the
/// list shows has changed (see that module for when a body goes stale).
#[utoipa::path(
    get,
    path = "/api/account/orders/",
    operation_id = "list_orders",
    tag = "orders",
    summary = "The caller's orders, newest first",
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses((status = 200, description = "The orders.", body = Vec<OrderView>)),
)]
pub async fn list(state: web::Data<AppState>, session: Session) -> Result<HttpResponse, ApiError> {
    // The caller's rows and the list are read on one connection: one hand-back to the
    // pool instead of one per statement (see `one_connection`).
    let db = state.one_connection();
    let account = session.user(&state, &db).await?.account.id;
    let (stamp, now) = (state.order_lists.stamp(account), Instant::now());
    if let Some(body) = state.order_lists.get(account, stamp, now) {
        return Ok(json_response(body));
    }
    let body = serde_json::to_vec(&orders::list(&db, account).await?)
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

/// Where the buyer pays for a new order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Checkout {
    /// The price's `metadata.checkout_url`, or empty: then the order waits for a payment
    /// made elsewhere (in development, `paidloop dev pay`).
    pub checkout_url: String,
    /// Always `clerk`.
    #[schema(example = "clerk")]
    pub provider: &'static str,
}

/// The answer of `account/orders/create/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOrderView {
    /// The new order, `pending_payment`.
    pub order: OrderView,
    /// Where to pay.
    pub checkout: Checkout,
}

/// `POST account/orders/create/`.
#[utoipa::path(
    post,
    path = "/api/account/orders/create/",
    operation_id = "create_order",
    tag = "orders",
    summary = "Create a pending order at the server's price",
    request_body = CreateOrder,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 201, description = "The pending order and where to pay.", body = CreatedOrderView),
        (status = 404, description = "No active price of a published product with that id.", body = ErrorDetail),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: JsonBody<CreateOrder>,
) -> Result<HttpResponse, ApiError> {
    let created = orders::create(&state, user.account.id, &body.0).await?;
    Ok(HttpResponse::Created().json(CreatedOrderView {
        order: created.order,
        checkout: Checkout {
            checkout_url: created.checkout_url,
            provider: "clerk",
        },
    }))
}

/// `POST account/orders/{public_id}/confirm/` body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmInput {
    /// Who vouches for the payment (default `clerk`).
    #[serde(default)]
    #[schema(schema_with = crate::openapi::enums::payment_provider, required = false)]
    provider: Option<PaymentProvider>,
    /// The payment's reference at the provider.
    #[serde(default)]
    external_id: Option<String>,
    /// The Clerk checkout id.
    #[serde(default)]
    clerk_checkout_id: Option<String>,
    /// Kept with the payment transaction.
    #[serde(default)]
    raw_payload: Option<Value>,
}

/// The answer of `account/orders/{public_id}/confirm/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedOrderView {
    /// The order, now fulfilled.
    pub order: OrderView,
    /// True when it was already paid before this request.
    pub already_confirmed: bool,
}

/// The 409 of a client-side Clerk confirmation: only the webhook may confirm it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingVerification {
    /// Why.
    pub detail: String,
    /// Always true.
    pub pending_verification: bool,
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
#[utoipa::path(
    post,
    path = "/api/account/orders/{public_id}/confirm/",
    tag = "orders",
    summary = "Confirm a payment from the client (local development only)",
    description = "Off by default and refused by `check --deploy`: in production only a \
                   verified Clerk webhook confirms a payment.",
    params(("public_id" = Uuid, Path, description = "The order's public id.")),
    request_body = ConfirmInput,
    security(("bearer_jwt" = []), ("session_cookie" = [])),
    responses(
        (status = 200, description = "Confirmed and fulfilled (or already was).", body = ConfirmedOrderView),
        (status = 400, description = "The order is canceled or refused, or a field is invalid.", body = ValidationErrors),
        (status = 403, description = "Manual confirmation is off, or the shared secret is missing or wrong.", body = ErrorDetail),
        (status = 409, description = "Client-side Clerk confirmation is off: the webhook will confirm it.", body = PendingVerification),
    ),
)]
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
                json!(PendingVerification {
                    detail,
                    pending_verification: true,
                }),
            ));
        }
        ConfirmDecision::AlreadyConfirmed {
            needs_fulfilment: false,
        } => {
            let view = orders::view(&state.db, &order).await?;
            return Ok(HttpResponse::Ok().json(ConfirmedOrderView {
                order: view,
                already_confirmed: true,
            }));
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
    state.order_lists.orders_changed(order.customer_account_id);
    drop(turn);
    let view = orders::view(&state.db, &confirmed.order).await?;
    Ok(HttpResponse::Ok().json(ConfirmedOrderView {
        order: view,
        already_confirmed: confirmed.already_confirmed,
    }))
}

/// This module's part of the document.
#[derive(OpenApi)]
#[openapi(paths(list, create, confirm_order))]
pub struct Api;
