//! The URL map: every path of `spec/API.md` that this build serves, under `/api/`.

mod account;
mod dev;
mod health;
mod identity;
mod projects;

use actix_web::web;

/// Registers every route. Dev sign-in is registered only when it is active.
pub fn configure(cfg: &mut web::ServiceConfig, dev_auth_active: bool) {
    let mut api = web::scope("/api")
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
        );
    if dev_auth_active {
        api = api.service(web::resource("/dev/session/").post(dev::session));
    }
    cfg.service(api);
}
