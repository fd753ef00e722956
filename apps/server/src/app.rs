//! Assembling the actix application and its state.

use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::from_fn;
use actix_web::{App, web};
use paidloop_clerk::{BackendSettings, ClerkBackend, JwtSettings, JwtVerifier};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;

use crate::auth::dev::{DEV_KEY_ID, DevSigner};
use crate::auth::identity_cache::IdentityCache;
use crate::config::Config;
use crate::db::WriteGate;
use crate::error::ApiError;
use crate::http::{middleware, rate_limit};
use crate::integrations::Integrations;
use crate::routes;
use crate::services::ai::ledger::LedgerGroups;
use crate::services::catalog::cache::{CatalogGeneration, PublicCatalogCache};
use crate::services::orders::list_cache::OrderListCache;
use crate::services::webhooks::payments::PaymentGroups;
use crate::state::AppState;

/// The longest any outgoing call may take (Clerk; adapters set shorter ones per call).
const CLERK_HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// How often an unknown `kid` may trigger a JWKS refetch in production.
pub const JWKS_REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// Builds the shared state: the JWT verifier (with the dev key when dev sign-in is on)
/// and the integrations (email, storage, probe) the configuration selects.
///
/// `jwks_refetch_interval` is [`JWKS_REFETCH_INTERVAL`] in production; tests shorten it
/// to exercise key rotation without waiting a minute.
pub fn build_state(
    config: Config,
    db: DatabaseConnection,
    jwks_refetch_interval: Duration,
) -> Result<AppState, String> {
    // `o200k_base` takes ~20 ms to index; do it off the request path.
    std::thread::spawn(paidloop_usage::warm_up);
    let http = reqwest::Client::builder()
        .timeout(CLERK_HTTP_TIMEOUT)
        .build()
        .map_err(|err| format!("cannot build the HTTP client: {err}"))?;
    let settings = JwtSettings {
        jwks_url: config.clerk.jwks_url.clone(),
        pem_public_key: config.clerk.jwt_key.clone(),
        issuer: config.clerk.jwt_issuer.clone(),
        audience: config.clerk.jwt_audience.clone(),
        authorized_parties: config.clerk.authorized_parties.clone(),
        leeway: Duration::from_secs(60),
        jwks_min_refetch_interval: jwks_refetch_interval,
    };
    let clerk_backend = config.clerk.secret_key.clone().map(|secret_key| {
        let settings = BackendSettings {
            api_url: config.clerk.api_url.clone(),
            secret_key,
            timeout: CLERK_HTTP_TIMEOUT,
        };
        ClerkBackend::new(settings, http.clone())
    });
    let integrations = Integrations::from_config(&config, &http)?;
    let verifier = JwtVerifier::new(settings, http.clone()).map_err(|err| err.to_string())?;
    let (verifier, dev_signer) = if config.dev_auth_active() {
        let signer = DevSigner::new(config.secret_key(), &config.clerk);
        let key = signer.decoding_key();
        (
            verifier.with_trusted_key(DEV_KEY_ID, key, jsonwebtoken::Algorithm::EdDSA),
            Some(Arc::new(signer)),
        )
    } else {
        (verifier, None)
    };
    let identities = Arc::new(IdentityCache::new(config.app.identity_cache_ttl));
    let writes = WriteGate::for_url(&config.app.database_url);
    let catalog_generation = Arc::new(CatalogGeneration::default());
    let order_lists = Arc::new(OrderListCache::new(
        config.app.order_list_cache_ttl,
        catalog_generation.clone(),
    ));
    let rate_limiter = Arc::new(rate_limit::RateLimiter::from_config(&config.app)?);
    Ok(AppState {
        writes,
        order_writer: Arc::default(),
        event_recorder: Arc::default(),
        payment_groups: Arc::new(PaymentGroups::for_url(&config.app.database_url)),
        ledger_groups: Arc::new(LedgerGroups::for_url(&config.app.database_url)),
        order_lists,
        catalog_generation,
        rate_limiter,
        identities,
        config: Arc::new(config),
        db,
        verifier: Arc::new(verifier),
        integrations,
        http,
        dev_signer,
        clerk_backend,
        reads: None,
        statement_observer: None,
    })
}

fn cors(config: &Config) -> Cors {
    let origins = config.app.cors_allowed_origins.clone();
    if origins.is_empty() && config.app.debug {
        return Cors::permissive();
    }
    Cors::default()
        .allowed_origin_fn(move |origin, head| {
            let origin = origin.to_str().unwrap_or_default().trim_end_matches('/');
            let same_host = head
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|host| origin.ends_with(&format!("://{host}")));
            same_host
                || origins
                    .iter()
                    .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(origin))
        })
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-order-confirm-secret"),
        ])
        .expose_headers([header::HeaderName::from_static("x-request-id")])
        .supports_credentials()
        .max_age(3600)
}

/// The whole application, ready for `HttpServer::new` or `actix_web::test::init_service`.
///
/// There is deliberately no app-wide default service: actix would hand it to every
/// resource too, turning "wrong method" (405) into 404. Unknown paths get actix's empty
/// 404, which [`middleware::json_errors`] turns into the JSON shape.
///
/// Rate limits sit inside CORS (a 429 carries the CORS headers the SPA needs to read
/// it, and preflights are never charged) and inside the Host check. Each worker builds
/// its own public catalog cache (no lock shared between workers).
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let config = state.config.clone();
    App::new()
        .app_data(web::Data::new(PublicCatalogCache::new(
            config.app.catalog_cache_ttl,
        )))
        .app_data(web::Data::new(state))
        .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
        .app_data(web::QueryConfig::default().error_handler(|err, _| {
            ApiError::BadRequest(format!("Invalid query string: {err}")).into()
        }))
        .configure(|cfg| {
            routes::configure(cfg, config.dev_auth_active());
        })
        .configure(|cfg| crate::http::spa::configure(cfg, &config))
        .wrap(from_fn(rate_limit::enforce))
        .wrap(cors(&config))
        .wrap(from_fn(middleware::check_host))
        .wrap(from_fn(middleware::json_errors))
        .wrap(middleware::security_headers(&config))
        .wrap(from_fn(middleware::request_id_header))
        .wrap(TracingLogger::default())
}
