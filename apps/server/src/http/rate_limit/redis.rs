//! The shared store: budgets in Redis, so every instance draws from the same ones.
//!
//! Each check is one `EVALSHA` of [`gcra.lua`](./gcra.lua): read the key's theoretical
//! arrival time, decide, and write it back in one atomic step on Redis's clock, so two
//! instances checking the same key at once can never both spend its last request. The
//! semantics are governor's (the memory store), as the tests here show against a real
//! Redis.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, RedisError, Script};
use url::Url;

use super::{Budget, Decision, Limits, emission_interval};

/// The prefix of every key this store writes.
pub const DEFAULT_PREFIX: &str = "paidloop:ratelimit";

/// How long one check may take before Redis counts as unreachable.
const TIMEOUT: Duration = Duration::from_millis(500);

/// Budgets kept in Redis under `prefix`.
pub struct RedisStore {
    connection: ConnectionManager,
    script: Script,
    limits: Limits,
    prefix: String,
}

impl RedisStore {
    /// A store that connects to `url` on its first check (and reconnects after a failure).
    pub fn connect_lazily(url: &Url, limits: Limits, prefix: &str) -> Result<Self, RedisError> {
        let client = Client::open(url.as_str())?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT))
            .set_number_of_retries(1);
        Ok(Self {
            connection: ConnectionManager::new_lazy_with_config(client, config)?,
            script: Script::new(include_str!("gcra.lua")),
            limits,
            prefix: prefix.to_owned(),
        })
    }

    /// Counts one request of `key` against `budget`.
    pub async fn check(&self, budget: Budget, key: &str) -> Result<Decision, RedisError> {
        let limit = self.limits.of(budget);
        let interval = u64::try_from(emission_interval(limit).as_micros())
            .unwrap_or(u64::MAX)
            .max(1);
        let mut connection = self.connection.clone();
        let wait_micros: u64 = self
            .script
            .key(format!("{}:{}:{key}", self.prefix, budget.name()))
            .arg(interval)
            .arg(limit.count)
            .invoke_async(&mut connection)
            .await?;
        Ok(if wait_micros == 0 {
            Decision::Allowed
        } else {
            Decision::Denied {
                retry_after: Duration::from_micros(wait_micros),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    //! Against the real Redis at `REDIS_URL` (default `redis://127.0.0.1:6379/0`), which
    //! `scripts/test` starts when it is down. Each test writes under its own prefix.

    use crate::config::RateLimit;

    use super::*;

    fn store(limit: &str) -> RedisStore {
        let url = std::env::var("REDIS_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "redis://127.0.0.1:6379/0".to_owned());
        let prefix = format!("paidloop-test:{}", uuid::Uuid::new_v4().simple());
        let limits = Limits::uniform(RateLimit::parse(limit).unwrap());
        RedisStore::connect_lazily(&Url::parse(&url).unwrap(), limits, &prefix).unwrap()
    }

    fn denied_for(decision: Decision) -> Duration {
        match decision {
            Decision::Denied { retry_after } => retry_after,
            Decision::Allowed => panic!("expected a denial"),
        }
    }

    #[tokio::test]
    async fn a_burst_of_n_then_a_wait_of_one_interval() {
        let store = store("3/min");
        for _ in 0..3 {
            assert_eq!(
                store.check(Budget::User, "u1").await.unwrap(),
                Decision::Allowed
            );
        }
        let wait = denied_for(store.check(Budget::User, "u1").await.unwrap());
        // One interval (20 s) less the few milliseconds the three checks took.
        assert!(
            wait > Duration::from_secs(19) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert_eq!(
            store.check(Budget::User, "u2").await.unwrap(),
            Decision::Allowed,
            "another key"
        );
        assert_eq!(
            store.check(Budget::OrderConfirm, "u1").await.unwrap(),
            Decision::Allowed,
            "another budget"
        );
    }

    #[tokio::test]
    async fn the_budget_refills_on_redis_time() {
        let store = store("2/sec");
        assert_eq!(
            store.check(Budget::Anon, "ip").await.unwrap(),
            Decision::Allowed
        );
        assert_eq!(
            store.check(Budget::Anon, "ip").await.unwrap(),
            Decision::Allowed
        );
        let wait = denied_for(store.check(Budget::Anon, "ip").await.unwrap());
        assert!(wait <= Duration::from_millis(500), "{wait:?}");
        tokio::time::sleep(wait + Duration::from_millis(20)).await;
        assert_eq!(
            store.check(Budget::Anon, "ip").await.unwrap(),
            Decision::Allowed
        );
    }

    #[tokio::test]
    async fn concurrent_checks_never_overspend() {
        let store = std::sync::Arc::new(store("10/hour"));
        let checks = (0..50).map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.check(Budget::CheckoutCreate, "u").await.unwrap() })
        });
        let mut allowed = 0;
        for check in checks {
            if check.await.unwrap() == Decision::Allowed {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 10);
    }

    #[tokio::test]
    async fn an_unreachable_redis_is_an_error_not_a_hang() {
        let url = Url::parse("redis://127.0.0.1:1/0").unwrap();
        let limits = Limits::uniform(RateLimit::parse("1/min").unwrap());
        let store = RedisStore::connect_lazily(&url, limits, "paidloop-test:down").unwrap();
        let started = std::time::Instant::now();
        assert!(store.check(Budget::User, "u").await.is_err());
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
