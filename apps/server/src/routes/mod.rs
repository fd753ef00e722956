//! The URL map: every path of `spec/API.md` that this build serves, under `/api/`.
//!
//! Routes are registered through [`ApiRoutes`], which also records each method and path
//! it registers, so that the OpenAPI test can compare what the router serves with what
//! the document (each module's `Api`) describes.

mod account;
mod ai;
mod billing;
mod dev;
mod downloads;
mod health;
mod identity;
mod openapi;
mod orders;
mod products;
mod projects;
mod seller;
mod webhooks;
mod work_orders;

use actix_web::http::Method;
use actix_web::{FromRequest, Handler, Responder, Route, Scope, web};
use utoipa::OpenApi;

/// One method and path the router serves, as OpenAPI writes it (`/api/projects/{id}/`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServedRoute {
    /// Upper-case HTTP method.
    pub method: String,
    /// The full path, with actix's `{name:regex}` written as `{name}`.
    pub path: String,
}

/// The `/api` scope being built, and what it serves so far.
struct ApiRoutes {
    scope: Scope,
    served: Vec<ServedRoute>,
}

/// A method and its handler, ready for [`ApiRoutes::at`].
type Endpoint = (Method, Route);

fn endpoint<F, Args>(method: Method, handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    (method.clone(), web::method(method).to(handler))
}

fn get<F, Args>(handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    endpoint(Method::GET, handler)
}

fn post<F, Args>(handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    endpoint(Method::POST, handler)
}

fn put<F, Args>(handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    endpoint(Method::PUT, handler)
}

fn patch<F, Args>(handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    endpoint(Method::PATCH, handler)
}

fn delete<F, Args>(handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    endpoint(Method::DELETE, handler)
}

impl ApiRoutes {
    fn new() -> Self {
        Self {
            scope: web::scope("/api"),
            served: Vec::new(),
        }
    }

    /// Serves `endpoints` at `path` (relative to `/api`).
    fn at<const N: usize>(mut self, path: &str, endpoints: [Endpoint; N]) -> Self {
        let mut resource = web::resource(path);
        for (method, route) in endpoints {
            self.served.push(ServedRoute {
                method: method.to_string(),
                path: openapi_path(&format!("/api{path}")),
            });
            resource = resource.route(route);
        }
        self.scope = self.scope.service(resource);
        self
    }
}

/// `/a/{name:.*}/b` → `/a/{name}/b`: actix's pattern as an OpenAPI path template.
fn openapi_path(actix_path: &str) -> String {
    let mut out = String::with_capacity(actix_path.len());
    let mut rest = actix_path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}').map(|e| start + e) else {
            break;
        };
        let inner = &rest[start + 1..end];
        out.push_str(&rest[..=start]);
        out.push_str(inner.split(':').next().unwrap_or(inner));
        out.push('}');
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Registers every route and returns what it registered. Dev sign-in is registered only
/// when it is active.
pub fn configure(cfg: &mut web::ServiceConfig, dev_auth_active: bool) -> Vec<ServedRoute> {
    let mut api = ApiRoutes::new();
    api.scope = api
        .scope
        .app_data(web::Data::new(openapi::DocumentJson::new(dev_auth_active)))
        // The webhook receiver reads its body raw (it must verify the exact bytes).
        .app_data(web::PayloadConfig::new(crate::http::json::MAX_JSON_BYTES));
    let mut api = api
        .at("/health/", [get(health::health)])
        .at("/ready/", [get(health::ready)])
        .at("/openapi.json", [get(openapi::document)])
        .at("/me/", [get(identity::me)])
        .at("/me/clerk/", [get(billing::clerk_user)])
        .at("/profile/", [get(identity::profile)])
        .at("/billing/features/", [get(identity::billing_features)])
        .at("/supabase/profile/", [get(identity::supabase_profile)])
        .at(
            "/account/customer/",
            [get(account::get_customer), patch(account::patch_customer)],
        )
        .at("/account/subscriptions/", [get(billing::subscriptions)])
        .at(
            "/account/subscriptions/status/",
            [get(billing::sync_status)],
        )
        .at("/account/entitlements/", [get(billing::entitlements)])
        .at(
            "/account/preflight/email-test/",
            [post(account::preflight_email_test)],
        )
        .at("/account/orders/", [get(orders::list)])
        .at("/account/orders/create/", [post(orders::create)])
        .at(
            "/account/orders/{public_id}/confirm/",
            [post(orders::confirm_order)],
        )
        .at("/webhooks/clerk/", [post(webhooks::clerk)])
        .at("/account/downloads/", [get(downloads::list)])
        .at(
            "/account/downloads/{token}/access/",
            [post(downloads::access)],
        )
        .at("/account/orders/work/", [get(work_orders::list)])
        .at("/account/bookings/", [get(work_orders::bookings)])
        .at("/downloads/local/{path:.*}", [get(downloads::local)])
        .at("/ai/providers/", [get(ai::providers)])
        .at("/ai/tokens/estimate/", [post(ai::estimate)])
        .at("/ai/chat/complete/", [post(ai::chat)])
        .at("/ai/images/generate/", [post(ai::images)])
        .at("/ai/usage/summary/", [get(ai::summary)])
        .at("/projects/", [get(projects::list), post(projects::create)])
        .at(
            "/projects/{id}/",
            [
                get(projects::get),
                patch(projects::patch),
                put(projects::put),
                delete(projects::delete),
            ],
        )
        .at("/products/", [get(products::list)])
        .at("/products/{slug}/", [get(products::detail)])
        .at(
            "/seller/products/",
            [get(seller::list_products), post(seller::create_product)],
        )
        .at(
            "/seller/products/{id}/",
            [
                get(seller::get_product),
                patch(seller::patch_product),
                put(seller::put_product),
                delete(seller::delete_product),
            ],
        )
        .at(
            "/seller/products/{product_id}/prices/",
            [get(seller::list_prices), post(seller::create_price)],
        )
        .at(
            "/seller/prices/{id}/",
            [
                get(seller::get_price),
                patch(seller::patch_price),
                put(seller::put_price),
                delete(seller::delete_price),
            ],
        )
        .at(
            "/seller/products/{product_id}/assets/",
            [get(seller::list_assets), post(seller::create_asset)],
        )
        .at(
            "/seller/assets/{id}/",
            [
                get(seller::get_asset),
                patch(seller::patch_asset),
                put(seller::put_asset),
                delete(seller::delete_asset),
            ],
        )
        .at(
            "/seller/products/{product_id}/service-offer/",
            [
                get(seller::get_offer),
                put(seller::put_offer),
                patch(seller::patch_offer),
            ],
        );
    if dev_auth_active {
        api = api.at("/dev/session/", [post(dev::session)]);
    }
    cfg.service(api.scope);
    api.served
}

/// Each route module's part of the OpenAPI document, for [`crate::openapi::document`].
pub fn documents() -> Vec<utoipa::openapi::OpenApi> {
    vec![
        health::Api::openapi(),
        openapi::Api::openapi(),
        identity::Api::openapi(),
        account::Api::openapi(),
        billing::Api::openapi(),
        ai::Api::openapi(),
        products::Api::openapi(),
        seller::Api::openapi(),
        orders::Api::openapi(),
        downloads::Api::openapi(),
        work_orders::Api::openapi(),
        webhooks::Api::openapi(),
        projects::Api::openapi(),
        dev::Api::openapi(),
    ]
}

#[cfg(test)]
mod tests {
    use super::openapi_path;

    #[test]
    fn actix_patterns_become_openapi_parameters() {
        assert_eq!(
            openapi_path("/api/downloads/local/{path:.*}"),
            "/api/downloads/local/{path}"
        );
        assert_eq!(openapi_path("/api/projects/{id}/"), "/api/projects/{id}/");
        assert_eq!(openapi_path("/api/health/"), "/api/health/");
    }
}
