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
        .route("/health/", web::get().to(health::health))
        .route("/ready/", web::get().to(health::ready))
        .route("/me/", web::get().to(identity::me))
        .route("/profile/", web::get().to(identity::profile))
        .route("/billing/features/", web::get().to(identity::billing_features))
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
        api = api.route("/dev/session/", web::post().to(dev::session));
    }
    cfg.service(api);
}
