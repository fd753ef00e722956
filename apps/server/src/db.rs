//! Opening the database pool and applying migrations.

use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Each SQLite connection's page cache (`PRAGMA cache_size`; negative = KiB): 128 KiB
/// instead of SQLite's 2 MiB. Every connection of the pool keeps its own cache on its
/// own thread's heap, so the default cost 20 MiB of a 10-connection pool; the
/// operating system's file cache still holds the whole database, so a page that is not
/// cached costs one read of memory. Measured over whole SQLite bench runs: the
/// fulfilment row peaked at 56 MB with 128 KiB against 67 MB with 1 MiB, with the same
/// requests/s on every row.
const SQLITE_PAGE_CACHE: &str = "-128";

/// Prepared statements each SQLite connection keeps (sqlx's default is 100). Grouped
/// writes are multi-row statements whose text changes with the group's size, each a
/// large prepared program, and every pooled connection keeps its own. Measured over a
/// whole bench run on SQLite: 32 per connection peaked 12 MB higher than 8, with the
/// same requests/s (the hot reads are a handful of statements per connection).
const SQLITE_STATEMENT_CACHE: usize = 8;

/// The WAL length (pages) at which a pool connection checkpoints by itself, when its
/// commit takes the WAL past it (`PRAGMA wal_autocheckpoint`; SQLite's default is
/// 1,000). `serve` checkpoints in the background instead ([`crate::checkpoint`]), far
/// below this; it remains a bound for processes that do not, about 40 MiB of WAL.
pub const SQLITE_WAL_BACKSTOP_PAGES: u32 = 10_000;

/// A pooled connection idle for this long is pinged before it is handed out; busier
/// ones are not. sqlx pings on every acquire by default: on Postgres that is a round
/// trip before every statement outside a transaction and before every `BEGIN`, so a
/// one-query request such as `me/` made two. Connections that sat idle
/// long enough for a proxy, a pooler or the server to have dropped them are still
/// checked.
pub const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

/// How long a request waits for a pooled connection before it fails.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a pool on `url` (`sqlite://…` or `postgres://…`).
///
/// SQLite runs in WAL mode with a busy timeout, so concurrent writers wait for each
/// other instead of failing with "database is locked"; its parent folder is created
/// first so that a fresh clone needs no setup.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    if let Some(parent) = sqlite_path(url).and_then(|path| std::path::Path::new(path).parent())
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|err| DbErr::Custom(format!("cannot create {parent:?}: {err}")))?;
    }
    let mut options = pool_options(url, max_connections);
    options.min_connections(1);
    Database::connect(options).await
}

/// A Postgres pool for one HTTP worker thread, opened lazily: its connections are
/// made, and their sockets registered, on the runtime of the thread that first uses
/// them (`serve` has each worker open them at once, with [`open_ahead`]). See
/// [`PoolPlan`] for why. Settings are those of [`connect`].
pub fn worker_pool(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = pool_options(url, max_connections);
    options.min_connections(0).connect_lazy(true);
    // A lazy Postgres pool is built without any I/O, so its future is ready at once.
    Database::connect(options)
        .now_or_never()
        .unwrap_or_else(|| Err(DbErr::Custom("opening a lazy pool had to wait".into())))
}

/// Opens a worker pool's `connections` in the background, on the calling thread's
/// runtime, so that requests under load do not wait for them.
///
/// Why: each new connection is a new Postgres server process, and its first statements
/// run with cold caches. Opened lazily, the pool grew during the bench's catalog rows,
/// at each cache expiry, and with the 2 cores saturated the first statement on a new
/// connection took 0.5 to 2 s (Postgres logged its parse or bind at that length), which
/// held the requests waiting behind it. With the connections opened at start, 10-second
/// runs of the cached catalog rows with a stall (p99 over 0.3 s) went from 13 of 39 to
/// 1 of 18, and Postgres logged no slow statement (Postgres, 2 cores). A no-op on
/// SQLite, which has no worker pools.
pub fn open_ahead(db: &DatabaseConnection, connections: u32) {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    tokio::spawn(async move {
        let opened = futures_util::future::join_all((0..connections).map(|_| pool.acquire())).await;
        if let Some(Err(err)) = opened.iter().find(|conn| conn.is_err()) {
            tracing::warn!(error = %err, "a worker could not open its connections ahead");
        }
    });
}

fn pool_options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true)
                .create_if_missing(true)
                .pragma("cache_size", SQLITE_PAGE_CACHE)
                .pragma("wal_autocheckpoint", SQLITE_WAL_BACKSTOP_PAGES.to_string())
                .statement_cache_capacity(SQLITE_STATEMENT_CACHE)
        });
    options
}

/// The most SQLite connections `serve` opens per HTTP worker thread (see [`PoolPlan`]).
pub const SQLITE_CONNECTIONS_PER_WORKER: u32 = 2;

/// How `serve` shares `DATABASE_MAX_CONNECTIONS` out between its pools.
///
/// Why: actix runs each HTTP worker thread on its own single-threaded runtime, and a
/// Postgres connection's socket belongs to the runtime that opened it. With one pool
/// for the process, a request on one worker mostly waits on a connection opened by
/// another: its reply is noticed only when that other thread next polls for I/O, and
/// then handed across threads. Measured on 2 cores without caches: `me/` 15.5k →
/// 21.9k requests/s, the 50-product list 3.0k → 4.1k, the order list 3.8k → 4.4k, with
/// a pool per worker. SQLite connections each run on a thread of their own, so every
/// reply crosses threads either way, and SQLite keeps one pool.
///
/// The process still opens at most `DATABASE_MAX_CONNECTIONS`: each worker gets an
/// equal share, and the start-up pool (migrations, the email worker) keeps the rest,
/// at least one. When there are too few to give every worker one, there is one pool.
/// A worker splits its share between transactions and reads outside them
/// ([`crate::read_pool::reads_of`]).
///
/// On SQLite the one pool holds at most [`SQLITE_CONNECTIONS_PER_WORKER`] per worker
/// thread, however high the setting: SQLite writes one transaction at a time and reads
/// on the CPU, so connections beyond two per core only wait, and each costs a thread,
/// its page cache and its own malloc arena. Measured over whole SQLite bench runs on 2
/// cores: 10 connections peaked at 55 MB, 4 at 42 MB, with requests/s within the
/// run-to-run spread on every row (fulfilment 2.2k and 2.3k).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolPlan {
    /// The process-wide pool's size.
    pub shared: u32,
    /// Each worker's own pool's size; `None`: workers use the shared pool.
    pub per_worker: Option<u32>,
}

impl PoolPlan {
    /// The plan for `max_connections` on `url` with `workers` HTTP workers (0: a
    /// process without any, such as `paidloop worker`).
    pub fn new(url: &str, max_connections: u32, workers: usize) -> PoolPlan {
        let workers = u32::try_from(workers).unwrap_or(u32::MAX);
        let one_pool = |shared| PoolPlan {
            shared,
            per_worker: None,
        };
        if is_sqlite(url) {
            let useful = workers.saturating_mul(SQLITE_CONNECTIONS_PER_WORKER);
            return one_pool(if useful == 0 {
                max_connections
            } else {
                max_connections.min(useful)
            });
        }
        match max_connections.saturating_sub(1).checked_div(workers) {
            Some(per_worker) if per_worker > 0 => PoolPlan {
                shared: max_connections - per_worker * workers,
                per_worker: Some(per_worker),
            },
            _ => one_pool(max_connections),
        }
    }
}

/// Queues this process's writers on SQLite.
///
/// SQLite has one writer at a time; a second connection that wants to write waits in
/// SQLite's busy handler, which sleeps in steps of 1, 2, 5, 10… ms. Under load that
/// sleeping, not the work, sets the pace. Webhook deliveries and order confirmations
/// therefore enter this gate first: writers queue on an async mutex and each finds the
/// database free (measured: webhook ingestion 1.7k → 3k requests/s). Order creation
/// enters it too, once per group of orders (see `services::orders::writer`); around
/// single orders it measured slower (0.9k vs 1.7k requests/s), as the gate then
/// serialised every order's four statements. On Postgres the gate is open (row locks
/// do the job) and costs nothing.
#[derive(Clone, Default)]
pub struct WriteGate(Option<Arc<tokio::sync::Mutex<()>>>);

impl WriteGate {
    /// A closed gate for SQLite URLs, an open one otherwise.
    pub fn for_url(url: &str) -> Self {
        Self(is_sqlite(url).then(|| Arc::new(tokio::sync::Mutex::new(()))))
    }

    /// Waits for this process's turn to write; hold the guard until the commit.
    pub async fn enter(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match &self.0 {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        }
    }
}

/// Whether `url` names a SQLite database, which has one writer at a time (the write
/// gate and the grouped writes take one turn there).
pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The file path of a `sqlite://` URL, without its query string.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Applies every pending migration.
pub async fn migrate_up(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    use super::{PoolPlan, connect, sqlite_path};

    /// `.cargo/config.toml` builds the bundled SQLite with these: without them every
    /// `LIMIT ?` statement is parsed again on each run, and allocations queue on one
    /// mutex. A checkout that loses the settings fails here, not only in the bench.
    #[tokio::test]
    async fn the_bundled_sqlite_plans_once_and_keeps_no_memory_counters() {
        let db = connect("sqlite::memory:", 1).await.expect("sqlite");
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA compile_options",
            ))
            .await
            .expect("compile options");
        let options: Vec<String> = rows
            .iter()
            .map(|row| row.try_get_by_index(0).expect("text"))
            .collect();
        for wanted in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
            assert!(
                options.iter().any(|option| option == wanted),
                "{wanted} missing from {options:?}"
            );
        }
    }

    #[test]
    fn sqlite_paths_drop_the_query() {
        assert_eq!(
            sqlite_path("sqlite://data/x.sqlite3?mode=rwc"),
            Some("data/x.sqlite3")
        );
        assert_eq!(sqlite_path("sqlite://:memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/db"), None);
    }

    #[test]
    fn postgres_workers_share_the_connections_and_the_process_stays_within_them() {
        let pg = "postgres://localhost/db";
        for (max, workers, shared, per_worker) in [
            (10, 2, 2, Some(4)),
            (10, 4, 2, Some(2)),
            (3, 2, 1, Some(1)),
            (100, 8, 4, Some(12)),
        ] {
            let plan = PoolPlan::new(pg, max, workers);
            assert_eq!(
                plan,
                PoolPlan { shared, per_worker },
                "{max} over {workers}"
            );
            assert!(plan.shared >= 1);
            assert!(plan.shared + per_worker.unwrap_or(0) * workers as u32 <= max);
        }
    }

    #[test]
    fn sqlite_and_too_few_connections_keep_one_pool_and_sqlite_at_most_two_per_worker() {
        let one_pool = |max| PoolPlan {
            shared: max,
            per_worker: None,
        };
        let sqlite = "sqlite://data/x.sqlite3";
        assert_eq!(PoolPlan::new(sqlite, 10, 2), one_pool(4));
        assert_eq!(PoolPlan::new(sqlite, 3, 2), one_pool(3));
        assert_eq!(PoolPlan::new(sqlite, 10, 0), one_pool(10));
        assert_eq!(PoolPlan::new("postgres://localhost/db", 2, 2), one_pool(2));
        assert_eq!(PoolPlan::new("postgres://localhost/db", 1, 1), one_pool(1));
        assert_eq!(
            PoolPlan::new("postgres://localhost/db", 10, 0),
            one_pool(10)
        );
    }
}
