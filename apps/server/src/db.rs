//! Opening the database pool and applying migrations.

use std::sync::Arc;
use std::time::Duration;

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

/// A pooled connection idle for this long is pinged before it is handed out; busier
/// ones are not. sqlx pings on every acquire by default: on Postgres that is a round
/// trip before every statement outside a transaction and before every `BEGIN`, so a
/// one-query request such as `me/` made two. Connections that sat idle
/// long enough for a proxy, a pooler or the server to have dropped them are still
/// checked.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

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
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true)
                .create_if_missing(true)
                .pragma("cache_size", SQLITE_PAGE_CACHE)
                .statement_cache_capacity(SQLITE_STATEMENT_CACHE)
        });
    Database::connect(options).await
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
    use super::sqlite_path;

    #[test]
    fn sqlite_paths_drop_the_query() {
        assert_eq!(
            sqlite_path("sqlite://data/x.sqlite3?mode=rwc"),
            Some("data/x.sqlite3")
        );
        assert_eq!(sqlite_path("sqlite://:memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/db"), None);
    }
}
