//! Which requests are limited, and which also draw from a scoped budget.
//!
//! Decided from the method and the path alone, before routing, so the route table stays
//! the one place that maps paths to handlers. The path is the one the router matches
//! (percent-decoded), so `cre%61te/` is charged like `create/`.

use actix_web::http::Method;

use super::Budget;

/// What a request is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    /// Nothing: not an API path, or one of the exempt endpoints.
    Exempt,
    /// The main budget (per user or per IP), and `scoped` too when it names one.
    Limited {
        /// The endpoint's own budget, if it has one.
        scoped: Option<Budget>,
    },
}

/// Paths that never count: probes, and the signed webhook receiver (Clerk retries a
/// refused delivery, and a lost payment event costs more than any abuse it could cause).
const EXEMPT: &[&str] = &["/api/health/", "/api/ready/", "/api/webhooks/clerk/"];

/// The charge of a `method` request to `path`.
pub fn classify(method: &Method, path: &str) -> Charge {
    if !path.starts_with("/api/") || EXEMPT.contains(&path) {
        return Charge::Exempt;
    }
    let scoped = if method == Method::POST {
        scoped_budget(path)
    } else {
        None
    };
    Charge::Limited { scoped }
}

/// The scoped budget of a POST to `path`: the three endpoints where each request costs
/// real work or could be used to probe (checkout, confirmation, signed links).
fn scoped_budget(path: &str) -> Option<Budget> {
    let inner = path.strip_prefix("/api/")?.strip_suffix('/')?;
    let segments: Vec<&str> = inner.split('/').collect();
    match segments.as_slice() {
        ["account", "orders", "create"] => Some(Budget::CheckoutCreate),
        ["account", "orders", _, "confirm"] => Some(Budget::OrderConfirm),
        ["account", "downloads", _, "access"] => Some(Budget::DownloadAccess),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scoped(method: Method, path: &str) -> Option<Budget> {
        match classify(&method, path) {
            Charge::Limited { scoped } => scoped,
            Charge::Exempt => panic!("{path} is exempt"),
        }
    }

    #[test]
    fn probes_webhooks_and_non_api_paths_are_exempt() {
        for path in [
            "/api/health/",
            "/api/ready/",
            "/api/webhooks/clerk/",
            "/",
            "/assets/app.js",
        ] {
            assert_eq!(classify(&Method::GET, path), Charge::Exempt, "{path}");
        }
        assert_eq!(
            classify(&Method::POST, "/api/webhooks/clerk/"),
            Charge::Exempt
        );
    }

    #[test]
    fn the_three_scoped_endpoints_are_recognised() {
        assert_eq!(
            scoped(Method::POST, "/api/account/orders/create/"),
            Some(Budget::CheckoutCreate)
        );
        assert_eq!(
            scoped(
                Method::POST,
                "/api/account/orders/0b7c8a4e-9d3f-4d2a-8f8e-1c2d3e4f5a6b/confirm/"
            ),
            Some(Budget::OrderConfirm)
        );
        assert_eq!(
            scoped(Method::POST, "/api/account/downloads/abc/access/"),
            Some(Budget::DownloadAccess)
        );
    }

    #[test]
    fn everything_else_under_api_has_only_the_main_budget() {
        assert_eq!(scoped(Method::GET, "/api/account/orders/create/"), None);
        assert_eq!(scoped(Method::GET, "/api/me/"), None);
        assert_eq!(scoped(Method::POST, "/api/projects/"), None);
        assert_eq!(
            scoped(Method::POST, "/api/account/orders/a/b/confirm/"),
            None
        );
        assert_eq!(scoped(Method::GET, "/api/no-such-path"), None);
    }
}
