//! The URL map: every path of `spec/API.md` that this build serves, under `/api/`.

mod account;
mod dev;
mod downloads;
mod health;
mod identity;
mod orders;
mod products;
mod projects;
mod seller;
mod webhooks;
mod work_orders;

use actix_web::web;

use crate::services::catalog::cache::PublicCatalogCache;

/// Registers every route. Dev sign-in is registered only when it is active.
pub fn configure(cfg: &mut web::ServiceConfig, dev_auth_active: bool) {
    let mut api = web::scope("/api")
        .app_data(web::Data::new(PublicCatalogCache::default()))
        .service(web::resource("/health/").get(health::health))
        .service(web::resource("/ready/").get(health::ready))
        .service(web::resource("/me/").get(identity::me))
        .service(web::resource("/profile/").get(identity::profile))
        .service(web::resource("/billing/features/").get(identity::billing_features))
        .service(
            web::resource("/account/customer/")
                .route(web::get().to(account::get_customer))
                .route(web::patch().to(account::patch_customer)),
        )
        .service(web::resource("/account/orders/").get(orders::list))
        .service(web::resource("/account/orders/create/").post(orders::create))
        .service(web::resource("/account/orders/{public_id}/confirm/").post(orders::confirm_order))
        .service(
            web::resource("/webhooks/clerk/")
                .app_data(web::PayloadConfig::new(crate::http::json::MAX_JSON_BYTES))
                .post(webhooks::clerk),
        )
        .service(web::resource("/account/downloads/").get(downloads::list))
        .service(web::resource("/account/downloads/{token}/access/").post(downloads::access))
        .service(web::resource("/account/orders/work/").get(work_orders::list))
        .service(web::resource("/account/bookings/").get(work_orders::list))
        .service(web::resource("/downloads/local/{path:.*}").get(downloads::local))
        .service(
            web::resource("/projects/")
                .route(web::get().to(projects::list))
                .route(web::post().to(projects::create)),
        )
        .service(
            web::resource("/projects/{id}/")
                .route(web::get().to(projects::get))
                .route(web::patch().to(projects::patch))
                .route(web::put().to(projects::put))
                .route(web::delete().to(projects::delete)),
        )
        .service(web::resource("/products/").get(products::list))
        .service(web::resource("/products/{slug}/").get(products::detail))
        .service(
            web::resource("/seller/products/")
                .get(seller::list_products)
                .post(seller::create_product),
        )
        .service(
            web::resource("/seller/products/{id}/")
                .get(seller::get_product)
                .patch(seller::patch_product)
                .put(seller::put_product)
                .delete(seller::delete_product),
        )
        .service(
            web::resource("/seller/products/{product_id}/prices/")
                .get(seller::list_prices)
                .post(seller::create_price),
        )
        .service(
            web::resource("/seller/prices/{id}/")
                .get(seller::get_price)
                .patch(seller::update_price)
                .put(seller::update_price)
                .delete(seller::delete_price),
        )
        .service(
            web::resource("/seller/products/{product_id}/assets/")
                .get(seller::list_assets)
                .post(seller::create_asset),
        )
        .service(
            web::resource("/seller/assets/{id}/")
                .get(seller::get_asset)
                .patch(seller::patch_asset)
                .put(seller::put_asset)
                .delete(seller::delete_asset),
        )
        .service(
            web::resource("/seller/products/{product_id}/service-offer/")
                .get(seller::get_offer)
                .put(seller::upsert_offer)
                .patch(seller::upsert_offer),
        );
    if dev_auth_active {
        api = api.service(web::resource("/dev/session/").post(dev::session));
    }
    cfg.service(api);
}
