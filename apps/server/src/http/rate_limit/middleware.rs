//! The middleware that charges each request to its budgets and answers 429 when one is
//! spent.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};
use serde_json::json;

use super::policy::{Charge, classify};
use super::{Budget, Decision};
use crate::auth;
use crate::http::client_ip;
use crate::state::AppState;

/// Charges the request: the main budget (the user's when the session token is valid,
/// else the client IP's), then the endpoint's scoped budget. The first spent budget
/// answers 429 `{"detail"}` with `Retry-After` in whole seconds (rounded up).
///
/// A valid token's claims are left in the request for [`auth::CurrentUser`], so the
/// token is verified once per request.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Charge::Limited { scoped } = classify(req.method(), req.match_info().as_str()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let (main, key) = match auth::verified_session(req.request(), &state).await {
        Some(session) => {
            let key = session.0.subject.clone();
            req.extensions_mut().insert(session);
            (Budget::User, key)
        }
        None => {
            let ip = client_ip::of_request(req.request(), &state.config.app.trusted_proxies);
            (Budget::Anon, ip.to_string())
        }
    };
    for budget in std::iter::once(main).chain(scoped) {
        if let Decision::Denied { retry_after } = state.rate_limiter.check(budget, &key).await {
            tracing::debug!(budget = budget.name(), "rate limited");
            return Ok(req.into_response(too_many_requests(retry_after)));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The 429 answer: DRF's wording, whole seconds, never 0.
fn too_many_requests(retry_after: Duration) -> HttpResponse {
    let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    HttpResponse::TooManyRequests()
        .insert_header((header::RETRY_AFTER, seconds.to_string()))
        .json(json!({
            "detail": format!("Request was throttled. Expected available in {seconds} seconds.")
        }))
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;

    use super::*;

    #[actix_web::test]
    async fn retry_after_rounds_up_to_whole_seconds() {
        for (wait, expected) in [
            (Duration::from_millis(1), "1"),
            (Duration::from_secs(20), "20"),
            (Duration::from_millis(20_001), "21"),
            (Duration::ZERO, "1"),
        ] {
            let response = too_many_requests(wait);
            assert_eq!(response.status(), 429);
            assert_eq!(
                response.headers().get(header::RETRY_AFTER).unwrap(),
                expected
            );
            let body = to_bytes(response.into_body()).await.unwrap();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(
                body["detail"],
                format!("Request was throttled. Expected available in {expected} seconds.")
            );
        }
    }
}
