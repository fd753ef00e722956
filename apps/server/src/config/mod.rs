//! Typed configuration, read once at start from the environment (and `.env`).
//!
//! Every variable of `spec/CONFIG.md` lives here with its default. Values that cannot be
//! parsed stop the load ([`ConfigError`] names each variable); settings that parse but are
//! unsafe are reported by [`Config::startup_problems`] (the server refuses to start) and
//! [`deploy::findings`] (`paidloop check --deploy`).

pub mod deploy;
mod parse;

use std::time::Duration;

use ipnet::IpNet;
use url::Url;

pub use parse::{ConfigError, RateLimit, parse_bool};
use parse::{Reader, split_list};

/// The signing key used in debug when `APP_SECRET_KEY` is unset. Never valid outside debug.
pub const DEV_SECRET_KEY: &str =
    "paidloop-insecure-development-key-never-use-in-production-0123456789";

/// Everything the server needs to know, parsed and checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// Core switches, listen address and HTTP policy.
    pub app: AppConfig,
    /// Clerk identity, billing and webhook settings.
    pub clerk: ClerkConfig,
    /// Local-only payment confirmation switches.
    pub order_confirm: OrderConfirmConfig,
    /// Billing sync freshness windows and messages.
    pub billing_sync: BillingSyncConfig,
    /// Email transport.
    pub email: EmailConfig,
    /// Supabase probe and asset storage.
    pub storage: StorageConfig,
    /// AI providers and usage limits.
    pub ai: AiConfig,
}

/// Core switches, listen address and HTTP policy.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Development mode: verbose errors, permissive CORS, dev endpoints allowed.
    pub debug: bool,
    /// The secret that signs server-made tokens; `None` only when unset.
    pub secret_key: Option<String>,
    /// Allowed `Host` header values (`*` only in debug).
    pub allowed_hosts: Vec<String>,
    /// Listen host.
    pub host: String,
    /// Listen port.
    pub port: u16,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Connection pool size.
    pub database_max_connections: u32,
    /// Apply pending migrations at start.
    pub auto_migrate: bool,
    /// Origins allowed by CORS.
    pub cors_allowed_origins: Vec<String>,
    /// Origins trusted by the cookie CSRF check (besides the CORS ones).
    pub csrf_trusted_origins: Vec<String>,
    /// Where the SPA lives, for deep links in emails.
    pub frontend_app_url: Url,
    /// Built SPA to serve, if present.
    pub frontend_dist_dir: Option<String>,
    /// `tracing` filter directive.
    pub log_level: String,
    /// `pretty` or `json`.
    pub log_format: LogFormat,
    /// `Strict-Transport-Security` max-age; 0 turns the header off.
    pub hsts_seconds: u64,
    /// Per-IP budget for anonymous requests.
    pub rate_limit_anon: RateLimit,
    /// Per-user budget.
    pub rate_limit_user: RateLimit,
    /// Per-user budget on order creation.
    pub rate_limit_checkout_create: RateLimit,
    /// Per-user budget on order confirmation.
    pub rate_limit_order_confirm: RateLimit,
    /// Per-user budget on download access.
    pub rate_limit_download_access: RateLimit,
    /// Where rate-limit budgets live: this process, or a Redis all instances share.
    pub rate_limit_store: RateLimitStore,
    /// Reverse proxies whose `X-Forwarded-*` headers are believed; empty = none.
    pub trusted_proxies: Vec<IpNet>,
    /// The public origin for links the server makes; `None` = from the request's `Host`.
    pub public_url: Option<Url>,
    /// Local sign-in without Clerk (`POST /api/dev/session/`).
    pub dev_auth_enabled: bool,
    /// How long a caller's profile and account rows are reused (0: read every request).
    pub identity_cache_ttl: Duration,
    /// How long a public catalog body is reused (0: the cache is off).
    pub catalog_cache_ttl: Duration,
    /// How long a buyer's order list body is reused (0: the cache is off).
    pub order_list_cache_ttl: Duration,
}

/// Where rate-limit budgets are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateLimitStore {
    /// In this process: each instance has its own budgets (the default).
    Memory,
    /// In the Redis at this URL, shared by every instance that uses it.
    Redis(Url),
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Clerk identity, billing and webhook settings.
#[derive(Debug, Clone)]
pub struct ClerkConfig {
    /// The Frontend API domain; derives the JWKS URL and issuer when those are unset.
    pub domain: Option<String>,
    /// Where the signing keys are published.
    pub jwks_url: Option<Url>,
    /// Expected `iss`.
    pub jwt_issuer: Option<String>,
    /// PEM public key for networkless verification.
    pub jwt_key: Option<String>,
    /// Expected `aud` entry.
    pub jwt_audience: Option<String>,
    /// Allowed `azp` values.
    pub authorized_parties: Vec<String>,
    /// The claim holding billing features.
    pub billing_claim: String,
    /// Backend API key.
    pub secret_key: Option<String>,
    /// Backend API base URL.
    pub api_url: Url,
    /// Svix signing secret (`whsec_…`).
    pub webhook_signing_secret: Option<String>,
}

/// Local-only payment confirmation switches (all off in production).
#[derive(Debug, Clone)]
pub struct OrderConfirmConfig {
    /// Allow `provider: manual` confirmation.
    pub allow_manual: bool,
    /// Allow the client to confirm a Clerk checkout itself.
    pub allow_client_side_clerk_confirm: bool,
    /// Extra secret the confirm endpoint requires when set.
    pub shared_secret: Option<String>,
}

/// Billing sync freshness windows and messages.
#[derive(Debug, Clone)]
pub struct BillingSyncConfig {
    /// Up to this age a sync is fresh.
    pub soft_stale_seconds: u64,
    /// Beyond this age a sync is hard-stale and blocks usage (always above the soft window).
    pub hard_ttl_seconds: u64,
    /// Shown while soft-stale.
    pub soft_warning_message: String,
    /// Shown while hard-stale.
    pub hard_block_message: String,
}

/// Email transport.
#[derive(Debug, Clone)]
pub struct EmailConfig {
    /// `resend`, `smtp`, `outbox` or `disabled`.
    pub backend: String,
    /// Resend API key.
    pub resend_api_key: Option<String>,
    /// Resend API base URL.
    pub resend_api_url: Url,
    /// Sender for Resend.
    pub resend_from_email: Option<String>,
    /// Reply-to for Resend.
    pub resend_reply_to_email: Option<String>,
    /// Resend request timeout.
    pub resend_timeout: Duration,
    /// SMTP relay URL.
    pub smtp_url: Option<String>,
    /// Fallback sender.
    pub from_email: Option<String>,
    /// Folder of the `.eml` outbox.
    pub outbox_dir: String,
    /// Whether `paidloop serve` also delivers queued emails (`paidloop worker` does
    /// it alone).
    pub worker_enabled: bool,
}

/// Supabase probe and asset storage.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// Supabase project URL.
    pub supabase_url: Option<Url>,
    /// Supabase anon key (REST probe).
    pub supabase_anon_key: Option<String>,
    /// Supabase service-role key (Storage signing).
    pub supabase_service_role_key: Option<String>,
    /// Preferred table for the profile probe.
    pub supabase_profile_table: Option<String>,
    /// `local`, `supabase`, `s3`, or `None` when unconfigured.
    pub backend: Option<String>,
    /// Bucket name.
    pub bucket: String,
    /// Folder of the embedded local storage.
    pub local_dir: String,
    /// Lifetime of a signed download URL.
    pub signed_url_ttl: Duration,
    /// S3-compatible endpoint.
    pub s3_endpoint_url: Option<Url>,
    /// S3 region.
    pub s3_region: String,
    /// S3 access key id.
    pub s3_access_key_id: Option<String>,
    /// S3 secret.
    pub s3_secret_access_key: Option<String>,
}

/// AI providers and usage limits.
#[derive(Debug, Clone)]
pub struct AiConfig {
    /// The deterministic local simulator.
    pub simulator_enabled: bool,
    /// Allow calls to remote providers.
    pub provider_calls_enabled: bool,
    /// Refuse requests past the plan's quota.
    pub usage_enforcement_enabled: bool,
    /// Provider request timeout.
    pub provider_timeout: Duration,
    /// Default chat model.
    pub default_chat_model: String,
    /// Default image size.
    pub default_image_size: String,
    /// Free tier: tokens per cycle.
    pub limit_free_tokens: u64,
    /// Free tier: images per cycle.
    pub limit_free_images: u64,
    /// Free tier: videos per cycle.
    pub limit_free_videos: u64,
    /// Pro tier: tokens per cycle.
    pub limit_pro_tokens: u64,
    /// Pro tier: images per cycle.
    pub limit_pro_images: u64,
    /// Pro tier: videos per cycle.
    pub limit_pro_videos: u64,
    /// OpenAI key.
    pub openai_api_key: Option<String>,
    /// OpenAI base URL.
    pub openai_base_url: Url,
    /// OpenAI chat model.
    pub openai_default_model: Option<String>,
    /// OpenAI image model.
    pub openai_image_model: Option<String>,
    /// OpenRouter key.
    pub openrouter_api_key: Option<String>,
    /// OpenRouter base URL.
    pub openrouter_base_url: Url,
    /// OpenRouter chat model.
    pub openrouter_default_model: Option<String>,
    /// OpenRouter image model.
    pub openrouter_image_model: Option<String>,
    /// Ollama base URL.
    pub ollama_base_url: Url,
    /// Ollama chat model.
    pub ollama_model: Option<String>,
    /// Ollama image model.
    pub ollama_image_model: Option<String>,
}

impl Config {
    /// Loads `.env` (real variables win) and reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is the normal case in production.
        let _ = dotenvy::dotenv();
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`; tests pass a map.
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut r = Reader::new(lookup);
        let debug = r.bool("APP_DEBUG", false);
        let app = read_app(&mut r, debug);
        let clerk = read_clerk(&mut r);
        let order_confirm = OrderConfirmConfig {
            allow_manual: r.bool("ORDER_CONFIRM_ALLOW_MANUAL", false),
            allow_client_side_clerk_confirm: r
                .bool("ORDER_CONFIRM_ALLOW_CLIENT_SIDE_CLERK_CONFIRM", false),
            shared_secret: r.opt("ORDER_CONFIRM_SHARED_SECRET"),
        };
        let soft = r.number(
            "BILLING_SYNC_SOFT_STALE_SECONDS",
            900,
            1,
            u64::from(u32::MAX),
        );
        let hard = r.number(
            "BILLING_SYNC_HARD_TTL_SECONDS",
            10_800,
            1,
            u64::from(u32::MAX),
        );
        let billing_sync = BillingSyncConfig {
            soft_stale_seconds: soft,
            hard_ttl_seconds: hard.max(soft + 1),
            soft_warning_message: r.string(
                "BILLING_SYNC_SOFT_WARNING_MESSAGE",
                "Billing status is a little out of date; it will refresh shortly.",
            ),
            hard_block_message: r.string(
                "BILLING_SYNC_HARD_BLOCK_MESSAGE",
                "Billing status could not be confirmed recently. Refresh billing status and try again.",
            ),
        };
        let email = read_email(&mut r);
        let storage = read_storage(&mut r, debug);
        let ai = read_ai(&mut r, debug);
        r.finish()?;
        Ok(Self {
            app,
            clerk,
            order_confirm,
            billing_sync,
            email,
            storage,
            ai,
        })
    }

    /// The key that signs server-made tokens: the configured one, or in debug the fixed dev key.
    pub fn secret_key(&self) -> &str {
        self.app.secret_key.as_deref().unwrap_or(DEV_SECRET_KEY)
    }

    /// Whether the dev sign-in endpoint and key are live.
    pub fn dev_auth_active(&self) -> bool {
        self.app.debug && self.app.dev_auth_enabled
    }

    /// Settings that parse but must never run: the server refuses to start with any.
    pub fn startup_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.app.dev_auth_enabled && !self.app.debug {
            problems.push(
                "DEV_AUTH_ENABLED=true needs APP_DEBUG=true: local sign-in is never allowed outside development"
                    .to_owned(),
            );
        }
        if !self.app.debug {
            if let Some(problem) = deploy::secret_key_problem(self.app.secret_key.as_deref()) {
                problems.push(problem);
            }
            if self.app.allowed_hosts.iter().any(|h| h == "*") {
                problems
                    .push("APP_ALLOWED_HOSTS: `*` is only allowed with APP_DEBUG=true".to_owned());
            }
        }
        problems
    }
}

fn read_app(r: &mut Reader<'_>, debug: bool) -> AppConfig {
    let port = r.number("PORT", 8000, 1, 65_535);
    let frontend_dist_dir = r.opt("FRONTEND_DIST_DIR").or_else(|| {
        std::path::Path::new("frontend/dist")
            .is_dir()
            .then(|| "frontend/dist".to_owned())
    });
    AppConfig {
        debug,
        secret_key: r.opt("APP_SECRET_KEY"),
        allowed_hosts: r.list("APP_ALLOWED_HOSTS", "localhost,127.0.0.1"),
        host: r.string("HOST", "127.0.0.1"),
        port: u16::try_from(port).unwrap_or(8000),
        database_url: r.string("DATABASE_URL", "sqlite://data/paidloop.sqlite3?mode=rwc"),
        database_max_connections: u32::try_from(r.number("DATABASE_MAX_CONNECTIONS", 10, 1, 1000))
            .unwrap_or(10),
        auto_migrate: r.bool("AUTO_MIGRATE", debug),
        cors_allowed_origins: r.list("CORS_ALLOWED_ORIGINS", ""),
        csrf_trusted_origins: r.list("CSRF_TRUSTED_ORIGINS", ""),
        frontend_app_url: r.url_or("FRONTEND_APP_URL", "http://localhost:5173"),
        frontend_dist_dir,
        log_level: r.string("LOG_LEVEL", "info"),
        log_format: match r
            .choice(
                "LOG_FORMAT",
                if debug { "pretty" } else { "json" },
                &["pretty", "json"],
            )
            .as_str()
        {
            "json" => LogFormat::Json,
            _ => LogFormat::Pretty,
        },
        hsts_seconds: r.number(
            "SECURE_HSTS_SECONDS",
            if debug { 0 } else { 31_536_000 },
            0,
            u64::from(u32::MAX),
        ),
        rate_limit_anon: r.rate("RATE_LIMIT_ANON", "120/min"),
        rate_limit_user: r.rate("RATE_LIMIT_USER", "1500/hour"),
        rate_limit_checkout_create: r.rate("RATE_LIMIT_CHECKOUT_CREATE", "60/hour"),
        rate_limit_order_confirm: r.rate("RATE_LIMIT_ORDER_CONFIRM", "60/hour"),
        rate_limit_download_access: r.rate("RATE_LIMIT_DOWNLOAD_ACCESS", "180/hour"),
        rate_limit_store: read_rate_limit_store(r),
        trusted_proxies: r.networks("TRUSTED_PROXIES"),
        public_url: r.origin("APP_PUBLIC_URL"),
        dev_auth_enabled: r.bool("DEV_AUTH_ENABLED", false),
        identity_cache_ttl: r.seconds("AUTH_IDENTITY_CACHE_SECONDS", 5, 300),
        catalog_cache_ttl: r.seconds("CATALOG_CACHE_SECONDS", 2, 300),
        order_list_cache_ttl: r.seconds("ORDER_LIST_CACHE_SECONDS", 2, 300),
    }
}

/// `RATE_LIMIT_STORE` and, for `redis`, the `REDIS_URL` it needs.
fn read_rate_limit_store(r: &mut Reader<'_>) -> RateLimitStore {
    if r.choice("RATE_LIMIT_STORE", "memory", &["memory", "redis"]) != "redis" {
        return RateLimitStore::Memory;
    }
    let Some(raw) = r.opt("REDIS_URL") else {
        r.problem(
            "REDIS_URL",
            "required when RATE_LIMIT_STORE=redis (e.g. redis://127.0.0.1:6379/0)",
        );
        return RateLimitStore::Memory;
    };
    match Url::parse(&raw) {
        Ok(url) if url.scheme() == "redis" && url.has_host() => RateLimitStore::Redis(url),
        _ => {
            r.problem(
                "REDIS_URL",
                format!("expected redis://host:port/db, got {raw:?}"),
            );
            RateLimitStore::Memory
        }
    }
}

fn read_clerk(r: &mut Reader<'_>) -> ClerkConfig {
    let domain = r.opt("CLERK_DOMAIN").map(|d| {
        d.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    });
    let mut jwks_url = r.url("CLERK_JWKS_URL");
    if jwks_url.is_none()
        && let Some(domain) = &domain
    {
        match Url::parse(&format!("https://{domain}/.well-known/jwks.json")) {
            Ok(url) => jwks_url = Some(url),
            Err(_) => r.problem("CLERK_DOMAIN", format!("not a host name: {domain:?}")),
        }
    }
    let jwt_issuer = r
        .opt("CLERK_JWT_ISSUER")
        .or_else(|| domain.as_ref().map(|d| format!("https://{d}")));
    let webhook_signing_secret = r.opt("CLERK_WEBHOOK_SIGNING_SECRET");
    ClerkConfig {
        domain,
        jwks_url,
        jwt_issuer,
        jwt_key: r.opt("CLERK_JWT_KEY").map(|k| k.replace("\\n", "\n")),
        jwt_audience: r.opt("CLERK_JWT_AUDIENCE"),
        authorized_parties: split_list(&r.string("CLERK_AUTHORIZED_PARTIES", "")),
        billing_claim: r.string("CLERK_BILLING_CLAIM", "entitlements"),
        secret_key: r.opt("CLERK_SECRET_KEY"),
        api_url: r.url_or("CLERK_API_URL", "https://api.clerk.com/v1"),
        webhook_signing_secret,
    }
}

fn read_email(r: &mut Reader<'_>) -> EmailConfig {
    let resend_api_key = r.opt("RESEND_API_KEY");
    let default_backend = if resend_api_key.is_some() {
        "resend"
    } else {
        "outbox"
    };
    EmailConfig {
        backend: r.choice(
            "EMAIL_BACKEND",
            default_backend,
            &["resend", "smtp", "outbox", "disabled"],
        ),
        resend_api_key,
        resend_api_url: r.url_or("RESEND_API_URL", "https://api.resend.com"),
        resend_from_email: r.opt("RESEND_FROM_EMAIL"),
        resend_reply_to_email: r.opt("RESEND_REPLY_TO_EMAIL"),
        resend_timeout: Duration::from_secs(r.number("RESEND_TIMEOUT_SECONDS", 10, 1, 300)),
        smtp_url: r.opt("SMTP_URL"),
        from_email: r.opt("EMAIL_FROM"),
        outbox_dir: r.string("EMAIL_OUTBOX_DIR", "data/outbox"),
        worker_enabled: r.bool("EMAIL_WORKER_ENABLED", true),
    }
}

fn read_storage(r: &mut Reader<'_>, debug: bool) -> StorageConfig {
    let backend = match r.opt("ASSET_STORAGE_BACKEND") {
        Some(_) => Some(r.choice(
            "ASSET_STORAGE_BACKEND",
            "local",
            &["local", "supabase", "s3"],
        )),
        None => debug.then(|| "local".to_owned()),
    };
    StorageConfig {
        supabase_url: r.url("SUPABASE_URL"),
        supabase_anon_key: r.opt("SUPABASE_ANON_KEY"),
        supabase_service_role_key: r.opt("SUPABASE_SERVICE_ROLE_KEY"),
        supabase_profile_table: r.opt("SUPABASE_PROFILE_TABLE"),
        backend,
        bucket: r.string("ASSET_STORAGE_BUCKET", "digital-assets"),
        local_dir: r.string("ASSET_STORAGE_LOCAL_DIR", "data/assets"),
        signed_url_ttl: Duration::from_secs(r.number(
            "ASSET_STORAGE_SIGNED_URL_TTL_SECONDS",
            600,
            60,
            7 * 86_400,
        )),
        s3_endpoint_url: r.url("ASSET_STORAGE_S3_ENDPOINT_URL"),
        s3_region: r.string("ASSET_STORAGE_S3_REGION", "us-east-1"),
        s3_access_key_id: r.opt("ASSET_STORAGE_S3_ACCESS_KEY_ID"),
        s3_secret_access_key: r.opt("ASSET_STORAGE_S3_SECRET_ACCESS_KEY"),
    }
}

fn read_ai(r: &mut Reader<'_>, debug: bool) -> AiConfig {
    const MAX: u64 = i64::MAX as u64;
    AiConfig {
        simulator_enabled: r.bool("AI_SIMULATOR_ENABLED", debug),
        provider_calls_enabled: r.bool("AI_PROVIDER_CALLS_ENABLED", false),
        usage_enforcement_enabled: r.bool("AI_USAGE_ENFORCEMENT_ENABLED", true),
        provider_timeout: Duration::from_secs(r.number("AI_PROVIDER_TIMEOUT_SECONDS", 45, 1, 600)),
        default_chat_model: r.string("AI_DEFAULT_CHAT_MODEL", "gpt-4.1-mini"),
        default_image_size: r.string("AI_DEFAULT_IMAGE_SIZE", "1024x1024"),
        limit_free_tokens: r.number("AI_USAGE_LIMIT_FREE_TOKENS", 100_000, 0, MAX),
        limit_free_images: r.number("AI_USAGE_LIMIT_FREE_IMAGES", 120, 0, MAX),
        limit_free_videos: r.number("AI_USAGE_LIMIT_FREE_VIDEOS", 2, 0, MAX),
        limit_pro_tokens: r.number("AI_USAGE_LIMIT_PRO_TOKENS", 1_500_000, 0, MAX),
        limit_pro_images: r.number("AI_USAGE_LIMIT_PRO_IMAGES", 1_000, 0, MAX),
        limit_pro_videos: r.number("AI_USAGE_LIMIT_PRO_VIDEOS", 40, 0, MAX),
        openai_api_key: r.opt("OPENAI_API_KEY"),
        openai_base_url: r.url_or("OPENAI_BASE_URL", "https://api.openai.com/v1"),
        openai_default_model: r.opt("OPENAI_DEFAULT_MODEL"),
        openai_image_model: r.opt("OPENAI_IMAGE_MODEL"),
        openrouter_api_key: r.opt("OPENROUTER_API_KEY"),
        openrouter_base_url: r.url_or("OPENROUTER_BASE_URL", "https://openrouter.ai/api/v1"),
        openrouter_default_model: r.opt("OPENROUTER_DEFAULT_MODEL"),
        openrouter_image_model: r.opt("OPENROUTER_IMAGE_MODEL"),
        ollama_base_url: r.url_or("OLLAMA_BASE_URL", "http://127.0.0.1:11434"),
        ollama_model: r.opt("OLLAMA_MODEL"),
        ollama_image_model: r.opt("OLLAMA_IMAGE_MODEL"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(&move |name| map.get(name).cloned())
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let config = load(&[]).unwrap();
        assert!(!config.app.debug);
        assert_eq!(config.app.port, 8000);
        assert_eq!(config.app.allowed_hosts, ["localhost", "127.0.0.1"]);
        assert!(!config.app.auto_migrate);
        assert_eq!(config.app.log_format, LogFormat::Json);
        assert_eq!(config.app.hsts_seconds, 31_536_000);
        assert_eq!(config.clerk.billing_claim, "entitlements");
        assert_eq!(config.email.backend, "outbox");
        assert!(config.email.worker_enabled);
        assert_eq!(config.storage.backend, None);
        assert!(!config.ai.simulator_enabled);
    }

    #[test]
    fn debug_turns_on_the_development_defaults() {
        let config = load(&[("APP_DEBUG", "yes")]).unwrap();
        assert!(config.app.auto_migrate);
        assert_eq!(config.app.hsts_seconds, 0);
        assert_eq!(config.app.log_format, LogFormat::Pretty);
        assert_eq!(config.storage.backend.as_deref(), Some("local"));
        assert!(config.ai.simulator_enabled);
        assert_eq!(config.secret_key(), DEV_SECRET_KEY);
    }

    #[test]
    fn clerk_domain_derives_jwks_and_issuer() {
        let config = load(&[("CLERK_DOMAIN", "https://clerk.example.com/")]).unwrap();
        assert_eq!(
            config.clerk.jwks_url.unwrap().as_str(),
            "https://clerk.example.com/.well-known/jwks.json"
        );
        assert_eq!(
            config.clerk.jwt_issuer.as_deref(),
            Some("https://clerk.example.com")
        );
    }

    #[test]
    fn bad_values_are_all_reported_by_name() {
        let err = load(&[
            ("PORT", "http"),
            ("APP_DEBUG", "sometimes"),
            ("RATE_LIMIT_ANON", "lots"),
            ("ASSET_STORAGE_SIGNED_URL_TTL_SECONDS", "10"),
        ])
        .unwrap_err();
        let text = err.to_string();
        for name in [
            "PORT",
            "APP_DEBUG",
            "RATE_LIMIT_ANON",
            "ASSET_STORAGE_SIGNED_URL_TTL_SECONDS",
        ] {
            assert!(text.contains(name), "{name} missing from {text}");
        }
    }

    #[test]
    fn hardening_settings_have_their_documented_defaults() {
        let app = load(&[]).unwrap().app;
        assert_eq!(app.rate_limit_store, RateLimitStore::Memory);
        assert!(app.trusted_proxies.is_empty());
        assert_eq!(app.public_url, None);
        assert_eq!(app.catalog_cache_ttl, Duration::from_secs(2));
        assert_eq!(app.order_list_cache_ttl, Duration::from_secs(2));
        assert_eq!(app.identity_cache_ttl, Duration::from_secs(5));
    }

    #[test]
    fn hardening_settings_parse_and_name_their_variable_when_wrong() {
        let app = load(&[
            ("RATE_LIMIT_STORE", "redis"),
            ("REDIS_URL", "redis://127.0.0.1:6379/0"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1"),
            ("APP_PUBLIC_URL", "https://shop.test"),
            ("CATALOG_CACHE_SECONDS", "0"),
        ])
        .unwrap()
        .app;
        assert!(
            matches!(app.rate_limit_store, RateLimitStore::Redis(ref url) if url.port() == Some(6379))
        );
        assert_eq!(app.trusted_proxies.len(), 2);
        assert_eq!(
            app.public_url.map(|u| u.origin().ascii_serialization()),
            Some("https://shop.test".to_owned())
        );
        assert_eq!(app.catalog_cache_ttl, Duration::ZERO);

        let text = load(&[
            ("RATE_LIMIT_STORE", "redis"),
            ("TRUSTED_PROXIES", "10.0.0.0/8,lb.internal"),
            ("APP_PUBLIC_URL", "https://shop.test/app"),
            ("ORDER_LIST_CACHE_SECONDS", "-1"),
        ])
        .unwrap_err()
        .to_string();
        for needle in [
            "REDIS_URL",
            "TRUSTED_PROXIES: expected a CIDR range or an IP address, got \"lb.internal\"",
            "APP_PUBLIC_URL",
            "ORDER_LIST_CACHE_SECONDS",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
        let text = load(&[("RATE_LIMIT_STORE", "redis"), ("REDIS_URL", "http://x")])
            .unwrap_err()
            .to_string();
        assert!(text.contains("REDIS_URL: expected redis://"), "{text}");
    }

    #[test]
    fn hard_ttl_is_forced_above_the_soft_window() {
        let config = load(&[
            ("BILLING_SYNC_SOFT_STALE_SECONDS", "600"),
            ("BILLING_SYNC_HARD_TTL_SECONDS", "300"),
        ])
        .unwrap();
        assert!(config.billing_sync.hard_ttl_seconds > 600);
    }

    #[test]
    fn dev_auth_without_debug_refuses_to_start() {
        let config = load(&[
            ("DEV_AUTH_ENABLED", "true"),
            (
                "APP_SECRET_KEY",
                "q8Zr1fJ0mXwT5vK2pL9sB4nH7cY3dG6aE1uR8iO0tW5zQ2xV4bN7mM",
            ),
        ])
        .unwrap();
        let problems = config.startup_problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("DEV_AUTH_ENABLED"));
        assert!(problems[0].contains("APP_DEBUG"));
    }
}
