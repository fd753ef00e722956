//! What every handler can reach: configuration, the pool, the token verifier.

use std::sync::Arc;

use paidloop_clerk::{ClerkBackend, JwtVerifier};
use sea_orm::DatabaseConnection;

use crate::auth::dev::DevSigner;
use crate::auth::identity_cache::IdentityCache;
use crate::config::Config;
use crate::db::WriteGate;
use crate::http::rate_limit::RateLimiter;
use crate::integrations::Integrations;
use crate::one_connection::{OneConnection, StatementObserver};
use crate::read_pool::{ReadPool, reads_of};
use crate::services::ai::ledger::LedgerGroups;
use crate::services::catalog::cache::CatalogGeneration;
use crate::services::orders::list_cache::OrderListCache;
use crate::services::orders::writer::OrderWriter;
use crate::services::webhooks::payments::PaymentGroups;
use crate::services::webhooks::recorder::EventRecorder;

/// Shared, read-only application state (cheap to clone: everything is behind `Arc`s or
/// is a pool handle).
#[derive(Clone)]
pub struct AppState {
    /// The parsed configuration.
    pub config: Arc<Config>,
    /// The database pool.
    pub db: DatabaseConnection,
    /// This worker's connections for reads outside transactions (Postgres workers;
    /// see [`crate::read_pool`]); `None`: those read through `db`.
    pub reads: Option<ReadPool>,
    /// Queues hot write paths on SQLite (see [`WriteGate`]).
    pub writes: WriteGate,
    /// Recently served order lists, per account (see `services::orders::list_cache`).
    pub order_lists: Arc<OrderListCache>,
    /// Bumped after every catalog write of this instance; cached catalog bodies and
    /// order lists read under an older one are stale.
    pub catalog_generation: Arc<CatalogGeneration>,
    /// This instance's rate-limit budgets (or its handle on the shared Redis ones).
    pub rate_limiter: Arc<RateLimiter>,
    /// Stores record-only webhook events in shared statements.
    pub event_recorder: Arc<EventRecorder>,
    /// Groups concurrent payment deliveries into shared transactions.
    pub payment_groups: Arc<PaymentGroups>,
    /// Groups concurrent AI usage ledger writes (reservations, settlements) into shared
    /// transactions.
    pub ledger_groups: Arc<LedgerGroups>,
    /// Groups concurrent order creations into shared transactions.
    pub order_writer: Arc<OrderWriter>,
    /// Verifies Clerk (and, in development, local) session tokens.
    pub verifier: Arc<JwtVerifier>,
    /// Recently read profile and account rows, per instance.
    pub identities: Arc<IdentityCache>,
    /// Email transport, asset storage and profile probe, as configured.
    pub integrations: Integrations,
    /// The shared HTTP client for outside services.
    pub http: reqwest::Client,
    /// Mints local session tokens; `Some` only with `APP_DEBUG` and `DEV_AUTH_ENABLED`.
    pub dev_signer: Option<Arc<DevSigner>>,
    /// Clerk's Backend API; `Some` only when `CLERK_SECRET_KEY` is set.
    pub clerk_backend: Option<ClerkBackend>,
    /// Sees each statement run on a [`OneConnection`] (`db`'s own statements go to its
    /// metric callback); `None` unless set, as the tests do to count statements.
    pub statement_observer: Option<StatementObserver>,
}

impl AppState {
    /// One connection for a request's several reads (see [`crate::one_connection`]),
    /// taken at its first statement: from this worker's read pool if it has one, else
    /// from [`AppState::db`]'s.
    pub fn one_connection(&self) -> OneConnection<'_> {
        OneConnection::new(
            &self.db,
            self.reads.as_ref(),
            self.statement_observer.as_ref(),
        )
    }

    /// This state for one HTTP worker thread, with Postgres pools of its own sharing
    /// `connections` (see [`crate::db::PoolPlan`] for why): one for transactions and,
    /// from a share of two or more, one for reads ([`crate::read_pool`]), both opened
    /// in the background on this thread's runtime ([`crate::db::open_ahead`]);
    /// everything else is shared. Should the pools fail to open, the worker keeps the
    /// shared one and says so.
    pub fn for_worker(&self, connections: u32) -> AppState {
        let reads = reads_of(connections);
        let writes = connections - reads;
        match crate::db::worker_pool(&self.config.app.database_url, writes) {
            Ok(db) => {
                crate::db::open_ahead(&db, writes);
                let reads = ReadPool::new(&db, reads);
                if let Some(reads) = &reads {
                    reads.open_ahead();
                }
                AppState {
                    db,
                    reads,
                    ..self.clone()
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "an HTTP worker keeps the shared database pool");
                self.clone()
            }
        }
    }
}
