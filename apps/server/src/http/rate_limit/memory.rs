//! The per-instance store: one governor keyed limiter per budget.
//!
//! Keys that have not been seen for a while cost memory until they are swept, so every
//! [`SWEEP_EVERY`] checks the limiters drop keys whose budget is back to full.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use super::{Budget, Decision, Limits, emission_interval};
use crate::config::RateLimit;

/// How many checks pass between two sweeps of idle keys.
const SWEEP_EVERY: u64 = 1 << 16;

type Keyed<C> =
    RateLimiter<String, DefaultKeyedStateStore<String>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// Budgets kept in this process, on clock `C` (the real one, or a fake in tests).
pub struct MemoryStore<C: Clock = DefaultClock> {
    clock: C,
    limiters: [Keyed<C>; 5],
    checks: AtomicU64,
}

fn quota(limit: RateLimit) -> Quota {
    let burst = NonZeroU32::new(limit.count).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(emission_interval(limit))
        .expect("the emission interval is never zero")
        .allow_burst(burst)
}

impl MemoryStore {
    /// A store on the real clock.
    pub fn new(limits: Limits) -> Self {
        Self::with_clock(limits, DefaultClock::default())
    }
}

impl<C: Clock + Clone> MemoryStore<C> {
    /// A store reading time from `clock`.
    pub fn with_clock(limits: Limits, clock: C) -> Self {
        let limiters = Budget::ALL.map(|budget| {
            RateLimiter::new(
                quota(limits.of(budget)),
                DefaultKeyedStateStore::default(),
                clock.clone(),
            )
        });
        Self {
            clock,
            limiters,
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one request of `key` against `budget`.
    pub fn check(&self, budget: Budget, key: &str) -> Decision {
        let limiter = &self.limiters[budget.index()];
        let decision = match limiter.check_key(&key.to_owned()) {
            Ok(()) => Decision::Allowed,
            Err(not_until) => Decision::Denied {
                retry_after: not_until.wait_time_from(self.clock.now()),
            },
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            for limiter in &self.limiters {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
        decision
    }

    /// How many keys the limiters hold (for the sweep's test).
    #[cfg(test)]
    fn keys(&self) -> usize {
        self.limiters.iter().map(Keyed::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use governor::clock::FakeRelativeClock;

    use super::*;

    fn store(limit: &str) -> (MemoryStore<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        let limits = Limits::uniform(RateLimit::parse(limit).unwrap());
        (MemoryStore::with_clock(limits, clock.clone()), clock)
    }

    #[test]
    fn a_burst_of_n_then_one_per_interval() {
        let (store, clock) = store("3/min");
        for _ in 0..3 {
            assert_eq!(store.check(Budget::User, "u1"), Decision::Allowed);
        }
        assert_eq!(
            store.check(Budget::User, "u1"),
            Decision::Denied {
                retry_after: Duration::from_secs(20)
            }
        );
        clock.advance(Duration::from_secs(19));
        assert_eq!(
            store.check(Budget::User, "u1"),
            Decision::Denied {
                retry_after: Duration::from_secs(1)
            }
        );
        clock.advance(Duration::from_secs(1));
        assert_eq!(store.check(Budget::User, "u1"), Decision::Allowed);
        assert!(matches!(
            store.check(Budget::User, "u1"),
            Decision::Denied { .. }
        ));
        clock.advance(Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(store.check(Budget::User, "u1"), Decision::Allowed);
        }
        assert!(matches!(
            store.check(Budget::User, "u1"),
            Decision::Denied { .. }
        ));
    }

    #[test]
    fn keys_and_budgets_are_independent() {
        let (store, _clock) = store("1/hour");
        assert_eq!(store.check(Budget::User, "u1"), Decision::Allowed);
        assert!(matches!(
            store.check(Budget::User, "u1"),
            Decision::Denied { .. }
        ));
        assert_eq!(
            store.check(Budget::User, "u2"),
            Decision::Allowed,
            "another user"
        );
        assert_eq!(
            store.check(Budget::CheckoutCreate, "u1"),
            Decision::Allowed,
            "another budget"
        );
    }

    #[test]
    fn a_denied_request_does_not_use_up_budget() {
        let (store, clock) = store("2/sec");
        assert_eq!(store.check(Budget::Anon, "ip"), Decision::Allowed);
        assert_eq!(store.check(Budget::Anon, "ip"), Decision::Allowed);
        for _ in 0..10 {
            assert!(matches!(
                store.check(Budget::Anon, "ip"),
                Decision::Denied { .. }
            ));
        }
        clock.advance(Duration::from_millis(500));
        assert_eq!(store.check(Budget::Anon, "ip"), Decision::Allowed);
    }

    #[test]
    fn idle_keys_are_swept() {
        let (store, clock) = store("10/sec");
        for n in 0..1000 {
            store.check(Budget::Anon, &format!("ip{n}"));
        }
        assert_eq!(store.keys(), 1000);
        clock.advance(Duration::from_secs(10));
        for _ in 0..SWEEP_EVERY {
            store.check(Budget::User, "busy");
        }
        assert!(store.keys() <= 1, "{} keys left", store.keys());
    }
}
