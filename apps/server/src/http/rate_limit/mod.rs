//! Rate limits: how many requests a client may make, enforced before any handler runs.
//!
//! Every `/api/` request draws from one main budget: per user when it carries a valid
//! session token (`RATE_LIMIT_USER`), else per client IP (`RATE_LIMIT_ANON`, the IP as
//! [`crate::http::client_ip`] decides it). Order creation, order confirmation and
//! download access also draw from their own, smaller budget ([`Budget`]). `health/`,
//! `ready/` and the signed webhook receiver are exempt: probes must always answer, and a
//! refused webhook would be retried by Clerk and could lose a payment.
//!
//! Budgets are GCRA (generic cell rate algorithm): `N/period` allows a burst of N and
//! then one request every `period / N`. The memory store ([`memory`], governor) keeps
//! them per instance; the Redis store ([`redis`], one Lua script with the same
//! semantics) lets every instance draw from one shared budget. The limiter is part of
//! the instance's state, so two apps in one process never share budgets.

pub mod memory;
mod middleware;
pub mod policy;
pub mod redis;

use std::time::Duration;

pub use middleware::enforce;

use crate::config::{AppConfig, RateLimit, RateLimitStore};

/// One kind of budget; each has its own limit and its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Budget {
    /// Anonymous requests, per client IP.
    Anon,
    /// Authenticated requests, per user.
    User,
    /// `POST account/orders/create/`, in addition to the main budget.
    CheckoutCreate,
    /// `POST account/orders/{public_id}/confirm/`, in addition to the main budget.
    OrderConfirm,
    /// `POST account/downloads/{token}/access/`, in addition to the main budget.
    DownloadAccess,
}

impl Budget {
    /// Every budget, in the order of [`Budget::index`].
    pub const ALL: [Budget; 5] = [
        Budget::Anon,
        Budget::User,
        Budget::CheckoutCreate,
        Budget::OrderConfirm,
        Budget::DownloadAccess,
    ];

    /// A stable position for per-budget arrays.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The name used in store keys and logs.
    pub const fn name(self) -> &'static str {
        match self {
            Budget::Anon => "anon",
            Budget::User => "user",
            Budget::CheckoutCreate => "checkout_create",
            Budget::OrderConfirm => "order_confirm",
            Budget::DownloadAccess => "download_access",
        }
    }
}

/// The limit of every budget, from the `RATE_LIMIT_*` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits([RateLimit; 5]);

impl Limits {
    /// The configured limits.
    pub fn from_config(app: &AppConfig) -> Self {
        Self([
            app.rate_limit_anon,
            app.rate_limit_user,
            app.rate_limit_checkout_create,
            app.rate_limit_order_confirm,
            app.rate_limit_download_access,
        ])
    }

    /// One limit for every budget (tests).
    pub fn uniform(limit: RateLimit) -> Self {
        Self([limit; 5])
    }

    /// The limit of `budget`.
    pub fn of(&self, budget: Budget) -> RateLimit {
        self.0[budget.index()]
    }
}

/// The time between two requests once a burst is spent: `period / count`, never zero.
pub fn emission_interval(limit: RateLimit) -> Duration {
    (limit.period / limit.count.max(1)).max(Duration::from_nanos(1))
}

/// What a budget said about one more request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Within the budget; the request was counted.
    Allowed,
    /// Over the budget; the next request fits after this long.
    Denied {
        /// How long until one request fits again.
        retry_after: Duration,
    },
}

/// Where the budgets live (the memory store is boxed: its five limiters are large).
enum Store {
    Memory(Box<memory::MemoryStore>),
    Redis(redis::RedisStore),
}

/// The instance's rate limiter: the configured store with the configured limits.
pub struct RateLimiter {
    store: Store,
}

impl RateLimiter {
    /// The limiter `RATE_LIMIT_STORE` asks for. The Redis store connects lazily, on the
    /// first request, and reconnects by itself.
    pub fn from_config(app: &AppConfig) -> Result<Self, String> {
        let limits = Limits::from_config(app);
        let store = match &app.rate_limit_store {
            RateLimitStore::Memory => Store::Memory(Box::new(memory::MemoryStore::new(limits))),
            RateLimitStore::Redis(url) => Store::Redis(
                redis::RedisStore::connect_lazily(url, limits, redis::DEFAULT_PREFIX)
                    .map_err(|err| format!("REDIS_URL: {err}"))?,
            ),
        };
        Ok(Self { store })
    }

    /// Counts one request of `key` against `budget`.
    ///
    /// When the Redis store cannot be reached the request is allowed (and the failure
    /// logged): rate limits protect the service from abuse, and an unreachable Redis
    /// must not take the whole API down with it.
    pub async fn check(&self, budget: Budget, key: &str) -> Decision {
        match &self.store {
            Store::Memory(store) => store.check(budget, key),
            Store::Redis(store) => match store.check(budget, key).await {
                Ok(decision) => decision,
                Err(err) => {
                    tracing::error!(error = %err, budget = budget.name(), "rate-limit store unreachable; request allowed");
                    Decision::Allowed
                }
            },
        }
    }
}
