//! A worker's read connections, handed back without a round trip (Postgres).
//!
//! sqlx tests every connection given back to its pool with a round trip (a `Sync` on
//! Postgres), whatever the pool's settings. A request that reads a few rows pays it
//! once per connection it took: on the order list without caches, one round trip in
//! four, and on `me/` one in two. On two cores each round trip costs both the server
//! and Postgres a send through the network stack and a wake-up, the largest single
//! cost of these rows; with a database across a network it also keeps the connection
//! busy for one more network round trip after every request.
//!
//! Reads outside a transaction ([`crate::one_connection::OneConnection`]) therefore
//! take their connection from a small pool of the worker's own, [`ReadPool`] (built
//! on `deadpool`, which hands connections out in the order they were asked for). It
//! tests a connection when it hands it out, and then only one that sat unused for
//! [`PING_WHEN_IDLE_FOR`] (long enough for a proxy or the server to have dropped it),
//! and retires connections at sqlx's default lifetime. A connection whose statement
//! failed or was cut short (its request went away mid-statement) is closed instead of
//! being handed back, as nothing then says what state it is in.
//!
//! Its connections come out of the worker's share of `DATABASE_MAX_CONNECTIONS`
//! ([`reads_of`]): transactions keep sqlx's pool. SQLite has none: its test is a
//! message to the connection's own thread, and its one pool serves every worker.

use std::sync::Arc;
use std::time::Duration;

use deadpool::Runtime;
use deadpool::managed::{Manager, Metrics, Object, Pool, PoolError, RecycleError, RecycleResult};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
use sea_orm::sqlx::{self, ConnectOptions, Connection};
use sea_orm::{ConnAcquireErr, DatabaseConnection, DbBackend, DbErr, RuntimeErr};

use crate::db::{ACQUIRE_TIMEOUT, PING_WHEN_IDLE_FOR};

/// A connection older than this is closed rather than handed out again (sqlx's own
/// default lifetime, which the write pool keeps).
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// How many of a worker's `share` of connections read outside transactions: half,
/// rounded down (none when the share is one: the worker's pool then serves both).
pub fn reads_of(share: u32) -> u32 {
    share / 2
}

/// Opens and checks the read connections of one pool.
struct Connector {
    options: Arc<PgConnectOptions>,
}

impl Manager for Connector {
    type Type = PgConnection;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<PgConnection, sqlx::Error> {
        self.options.connect().await
    }

    async fn recycle(
        &self,
        conn: &mut PgConnection,
        metrics: &Metrics,
    ) -> RecycleResult<sqlx::Error> {
        if metrics.age() >= MAX_LIFETIME {
            return Err(RecycleError::message("past its lifetime"));
        }
        if metrics.last_used() >= PING_WHEN_IDLE_FOR {
            conn.ping().await.map_err(RecycleError::Backend)?;
        }
        Ok(())
    }
}

/// One worker's read connections (cheap to clone: a handle).
#[derive(Clone)]
pub struct ReadPool(Pool<Connector>);

impl ReadPool {
    /// A pool of `size` connections with the settings of `db`'s (the worker's write
    /// pool); `None` on SQLite, for a size of 0, or should it fail to build.
    pub fn new(db: &DatabaseConnection, size: u32) -> Option<ReadPool> {
        if db.get_database_backend() != DbBackend::Postgres || size == 0 {
            return None;
        }
        let options = db.get_postgres_connection_pool().connect_options();
        Pool::builder(Connector { options })
            .max_size(usize::try_from(size).unwrap_or(usize::MAX))
            .wait_timeout(Some(ACQUIRE_TIMEOUT))
            .create_timeout(Some(ACQUIRE_TIMEOUT))
            .runtime(Runtime::Tokio1)
            .build()
            .inspect_err(|err| tracing::warn!(error = %err, "a worker's read pool did not build"))
            .ok()
            .map(ReadPool)
    }

    /// A connection, waiting in line for one when all are taken; errors are named as
    /// sea-orm names a full or closed pool.
    pub async fn get(&self) -> Result<ReadConnection, DbErr> {
        self.0
            .get()
            .await
            .map(ReadConnection)
            .map_err(|err| match err {
                PoolError::Timeout(_) => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
                PoolError::Closed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
                PoolError::Backend(err) => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(err))),
                other => DbErr::Conn(RuntimeErr::Internal(other.to_string())),
            })
    }

    /// Opens every connection in the background, on the calling thread's runtime,
    /// for the reason [`crate::db::open_ahead`] gives.
    pub fn open_ahead(&self) {
        let pool = self.0.clone();
        tokio::spawn(async move {
            let opened =
                futures_util::future::join_all((0..pool.status().max_size).map(|_| pool.get()))
                    .await;
            if let Some(Err(err)) = opened.iter().find(|conn| conn.is_err()) {
                tracing::warn!(error = %err, "a worker could not open its read connections ahead");
            }
        });
    }

    /// Connections open now (in use or idle).
    pub fn size(&self) -> usize {
        self.0.status().size
    }
}

/// A connection of a [`ReadPool`]; handed back when dropped, unless [`discard`]ed.
///
/// [`discard`]: ReadConnection::discard
pub struct ReadConnection(Object<Connector>);

impl ReadConnection {
    /// Closes the connection instead of handing it back (its state is unknown).
    pub fn discard(self) {
        drop(Object::take(self.0));
    }
}

impl std::ops::Deref for ReadConnection {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.0
    }
}

impl std::ops::DerefMut for ReadConnection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::reads_of;

    #[test]
    fn a_worker_reads_on_half_its_share_and_keeps_one_pool_for_a_share_of_one() {
        assert_eq!(
            [1, 2, 3, 4, 5].map(reads_of),
            [0, 1, 1, 2, 2],
            "reads per share of 1..=5"
        );
    }
}
