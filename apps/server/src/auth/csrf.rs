//! The CSRF check for cookie-authenticated requests with an unsafe method.
//!
//! A browser attaches the `__session` cookie to cross-site requests too, so a cookie
//! alone does not prove the request came from our SPA. The request passes when its
//! `Origin` (or, failing that, its `Referer`) is a trusted origin or this server's own
//! origin, or when the browser says `Sec-Fetch-Site: same-origin`. Bearer requests need
//! none of this: a cross-site page cannot set that header.

use actix_web::HttpRequest;
use actix_web::http::header;
use url::Url;

use crate::config::Config;
use crate::error::ApiError;
use crate::http::client_ip::public_origin;

/// `scheme://host[:port]`, lower-cased, default ports dropped.
fn origin_of(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    let host = url.host_str()?;
    let origin = match url.port() {
        Some(port) => format!("{}://{}:{port}", url.scheme(), host),
        None => format!("{}://{}", url.scheme(), host),
    };
    Some(origin.to_ascii_lowercase())
}

/// Passes or answers 403 with the reason.
pub fn check(req: &HttpRequest, config: &Config) -> Result<(), ApiError> {
    let headers = req.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if text(header::HeaderName::from_static("sec-fetch-site")) == Some("same-origin") {
        return Ok(());
    }
    let Some(origin) = text(header::ORIGIN)
        .filter(|o| *o != "null")
        .or_else(|| text(header::REFERER))
    else {
        return Err(ApiError::Forbidden(
            "CSRF Failed: Origin checking failed - no Origin or Referer header.".into(),
        ));
    };
    let Some(origin) = origin_of(origin) else {
        return Err(ApiError::Forbidden("CSRF Failed: malformed Origin.".into()));
    };
    let own = public_origin(req, config)
        .map(|url| url.to_string().to_ascii_lowercase())
        .unwrap_or_default();
    let trusted = config
        .app
        .csrf_trusted_origins
        .iter()
        .chain(&config.app.cors_allowed_origins)
        .filter_map(|o| origin_of(o))
        .any(|o| o == origin);
    if trusted || origin_of(&own).is_some_and(|o| o == origin) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "CSRF Failed: Origin checking failed - {origin} does not match any trusted origins."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin_of("HTTP://LocalHost:5173/app/").as_deref(),
            Some("http://localhost:5173")
        );
        assert_eq!(
            origin_of("https://shop.test:443/x").as_deref(),
            Some("https://shop.test")
        );
        assert_eq!(origin_of("not a url"), None);
    }
}
