//! Cross-cutting HTTP behaviour: Host allow-list, security headers, request ids, and
//! JSON bodies for every error, actix's own included.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{HttpMessage, HttpResponse, web};
use serde_json::json;
use tracing_actix_web::RequestId;

use crate::config::Config;
use crate::error::InternalErrorText;
use crate::state::AppState;

/// The security headers every response carries; HSTS only outside debug.
pub fn security_headers(config: &Config) -> DefaultHeaders {
    let mut headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"))
        .add(("cross-origin-opener-policy", "same-origin"));
    if !config.app.debug && config.app.hsts_seconds > 0 {
        headers = headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            format!("max-age={}; includeSubDomains", config.app.hsts_seconds),
        ));
    }
    headers
}

/// Whether `host` (a Host header, port included or not) is in the allow-list.
///
/// Entries match exactly, case-insensitively; `.example.com` also matches its
/// subdomains; `*` matches anything (refused outside debug at start).
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest).to_owned()
    } else {
        host.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host.clone(), |(name, _)| name.to_owned())
    };
    allowed.iter().any(|entry| {
        let entry = entry.to_ascii_lowercase();
        entry == "*"
            || entry == name
            || entry
                .strip_prefix('.')
                .is_some_and(|domain| name == domain || name.ends_with(&entry))
    })
}

fn state(req: &ServiceRequest) -> Option<&web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>()
}

/// Refuses requests whose Host header is not allowed (400), before any routing.
pub async fn check_host(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let allowed = state(&req).is_none_or(|s| {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| req.uri().authority().map(|a| a.as_str()))
            .unwrap_or("");
        host_allowed(host, &s.config.app.allowed_hosts)
    });
    if !allowed {
        let response = HttpResponse::BadRequest().json(json!({"detail": "Invalid Host header."}));
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Echoes the request id as `x-request-id`, so a client report can be matched to logs.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().copied();
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
        res.headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Gives every error response the JSON shape of the spec.
///
/// Our own errors already are JSON; actix's (404 for an unknown path, 405 for a wrong
/// method, …) arrive with a plain or empty body and get `{"detail": …}`. In debug, an
/// internal error also shows its text under `error`.
pub async fn json_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let debug = state(&req).is_some_and(|s| s.config.app.debug);
    let method = req.method().clone();
    let res = next.call(req).await?;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res.map_into_boxed_body());
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    let internal = res
        .response()
        .extensions()
        .get::<InternalErrorText>()
        .cloned();
    let body = match internal {
        Some(InternalErrorText(text)) if debug => {
            json!({"detail": "Internal server error.", "error": text})
        }
        _ if is_json => return Ok(res.map_into_boxed_body()),
        _ => json!({"detail": default_detail(status, &method)}),
    };
    let (req, res) = res.into_parts();
    let mut res = res.set_body(BoxBody::new(body.to_string()));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(ServiceResponse::new(req, res))
}

fn default_detail(status: StatusCode, method: &Method) -> String {
    match status {
        StatusCode::NOT_FOUND => "Not found.".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => format!("Method \"{method}\" not allowed."),
        StatusCode::INTERNAL_SERVER_ERROR => "Internal server error.".to_owned(),
        other => other
            .canonical_reason()
            .unwrap_or("Request failed.")
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn hosts_match_with_or_without_port() {
        let allowed = list(&["localhost", "127.0.0.1", "::1", ".shop.test"]);
        assert!(host_allowed("localhost:8000", &allowed));
        assert!(host_allowed("LOCALHOST", &allowed));
        assert!(host_allowed("127.0.0.1:8000", &allowed));
        assert!(host_allowed("[::1]:8000", &allowed));
        assert!(host_allowed("shop.test", &allowed));
        assert!(host_allowed("api.shop.test:443", &allowed));
        assert!(!host_allowed("evil.test", &allowed));
        assert!(!host_allowed("notshop.test", &allowed));
        assert!(!host_allowed("", &allowed));
        assert!(host_allowed("anything", &list(&["*"])));
    }
}
