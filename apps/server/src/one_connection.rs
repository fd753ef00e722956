//! One pooled connection for a request's several reads.
//!
//! sqlx tests every connection it takes back into its pool with a round trip, whatever
//! the pool's settings: a `Sync` on Postgres, a message to the connection's thread and
//! back on SQLite. A request that reads through the pool statement by statement pays
//! that round trip after each statement: the order list paid three on Postgres (the
//! caller's rows, the orders, their items) and two on SQLite, and the round trips took
//! 14% of the server's CPU time on Postgres and 7% on SQLite.
//!
//! A [`OneConnection`] takes a connection from the pool at its first statement and
//! gives it back when dropped, so such a request pays once. The account lists read the
//! caller's rows and their list on one (with [`crate::auth::Session`]), and a product
//! detail its four statements.
//!
//! Use it for reads outside a transaction, and only where the request takes no other
//! connection while it holds this one: a request holding one connection while waiting
//! for a second could wait on a pool that every other request holds the same way.
//!
//! On Postgres a worker with a [`ReadPool`] takes the connection from it, and the
//! hand-back costs nothing either (see [`crate::read_pool`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use sea_orm::metric::Info;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::postgres::PgConnection;
use sea_orm::sqlx::query::Query;
use sea_orm::sqlx::{self, AssertSqlSafe, Executor, IntoArguments, Postgres, Sqlite};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult,
    RuntimeErr, Statement, Values,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::{Mutex, MutexGuard, OnceCell};

use crate::read_pool::{ReadConnection, ReadPool};

/// Sees every statement a [`OneConnection`] runs, as sea-orm's metric callback sees
/// those run through the pool (the tests count statements with both).
pub type StatementObserver = Arc<dyn Fn(&Info<'_>) + Send + Sync>;

/// A connection of `db`'s pool, taken at the first statement and kept until dropped.
pub struct OneConnection<'a> {
    db: &'a DatabaseConnection,
    reads: Option<&'a ReadPool>,
    observer: Option<&'a StatementObserver>,
    held: OnceCell<Mutex<Held>>,
    /// A statement started and has not succeeded (it runs, was cut short or failed):
    /// a read connection is then closed rather than handed back.
    unsettled: AtomicBool,
}

/// The connection, once taken.
enum Held {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PgHeld),
}

/// A Postgres connection of the worker's read pool, or else of `db`'s pool.
enum PgHeld {
    Read(ReadConnection),
    Pooled(PoolConnection<Postgres>),
}

impl std::ops::Deref for PgHeld {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        match self {
            PgHeld::Read(conn) => conn,
            PgHeld::Pooled(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for PgHeld {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            PgHeld::Read(conn) => conn,
            PgHeld::Pooled(conn) => conn,
        }
    }
}

impl Drop for OneConnection<'_> {
    fn drop(&mut self) {
        // sqlx's pool tests what it is given back (and so recovers a connection cut
        // short); the read pool does not.
        if *self.unsettled.get_mut()
            && let Some(Held::Postgres(PgHeld::Read(conn))) =
                self.held.take().map(Mutex::into_inner)
        {
            conn.discard();
        }
    }
}

impl<'a> OneConnection<'a> {
    /// A connection of `reads`, if given, else of `db`'s pool, not taken yet;
    /// `observer` sees each statement.
    pub fn new(
        db: &'a DatabaseConnection,
        reads: Option<&'a ReadPool>,
        observer: Option<&'a StatementObserver>,
    ) -> Self {
        Self {
            db,
            reads,
            observer,
            held: OnceCell::new(),
            unsettled: AtomicBool::new(false),
        }
    }

    /// The held connection, taken from the pool by the first caller, for a statement
    /// that starts now (see [`OneConnection::observed`]).
    async fn held(&self) -> Result<MutexGuard<'_, Held>, DbErr> {
        let held = self
            .held
            .get_or_try_init(|| async { Ok::<_, DbErr>(Mutex::new(self.take().await?)) })
            .await?;
        let guard = held.lock().await;
        self.unsettled.store(true, Ordering::Relaxed);
        Ok(guard)
    }

    /// Takes a connection from the pool, naming a full or closed pool as sea-orm does.
    async fn take(&self) -> Result<Held, DbErr> {
        let acquire_err = |err| match err {
            sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            err => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(err))),
        };
        if let Some(reads) = self.reads {
            return Ok(Held::Postgres(PgHeld::Read(reads.get().await?)));
        }
        Ok(match self.db.get_database_backend() {
            DbBackend::Postgres => Held::Postgres(PgHeld::Pooled(
                self.db
                    .get_postgres_connection_pool()
                    .acquire()
                    .await
                    .map_err(acquire_err)?,
            )),
            _ => Held::Sqlite(
                self.db
                    .get_sqlite_connection_pool()
                    .acquire()
                    .await
                    .map_err(acquire_err)?,
            ),
        })
    }

    /// Tells the observer about `stmt`, run since `started`, marks the connection
    /// settled if it succeeded, and passes its result on.
    fn observed<T>(
        &self,
        stmt: &Statement,
        started: Instant,
        result: Result<T, sqlx::Error>,
        to_db_err: fn(RuntimeErr) -> DbErr,
    ) -> Result<T, DbErr> {
        if result.is_ok() {
            self.unsettled.store(false, Ordering::Relaxed);
        }
        if let Some(observe) = self.observer {
            observe(&Info {
                elapsed: started.elapsed(),
                statement: stmt,
                failed: result.is_err(),
            });
        }
        result.map_err(|err| to_db_err(RuntimeErr::SqlxError(Arc::new(err))))
    }
}

/// `stmt` with its values bound, for either database.
fn query<DB: sqlx::Database>(stmt: &Statement) -> Query<'_, DB, SqlxValues>
where
    SqlxValues: IntoArguments<DB>,
{
    let values = SqlxValues(stmt.values.clone().unwrap_or(Values(Vec::new())));
    sqlx::query_with(AssertSqlSafe(stmt.sql.as_str()), values)
}

/// Rows of either database as sea-orm's rows.
fn rows<R: Into<QueryResult>>(rows: Vec<R>) -> Vec<QueryResult> {
    rows.into_iter().map(Into::into).collect()
}

#[async_trait::async_trait]
impl ConnectionTrait for OneConnection<'_> {
    fn get_database_backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        let started = Instant::now();
        let result = match &mut *self.held().await? {
            Held::Sqlite(conn) => query(&stmt).execute(&mut **conn).await.map(Into::into),
            Held::Postgres(conn) => query(&stmt).execute(&mut **conn).await.map(Into::into),
        };
        self.observed(&stmt, started, result, DbErr::Exec)
    }

    /// Runs `sql` unprepared (it may hold several statements), as sea-orm does.
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        let started = Instant::now();
        let result = match &mut *self.held().await? {
            Held::Sqlite(conn) => conn.execute(AssertSqlSafe(sql)).await.map(Into::into),
            Held::Postgres(conn) => conn.execute(AssertSqlSafe(sql)).await.map(Into::into),
        };
        let stmt = Statement::from_string(self.get_database_backend(), sql);
        self.observed(&stmt, started, result, DbErr::Exec)
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        let started = Instant::now();
        let result = match &mut *self.held().await? {
            Held::Sqlite(conn) => query(&stmt)
                .fetch_optional(&mut **conn)
                .await
                .map(|row| row.map(Into::into)),
            Held::Postgres(conn) => query(&stmt)
                .fetch_optional(&mut **conn)
                .await
                .map(|row| row.map(Into::into)),
        };
        self.observed(&stmt, started, result, DbErr::Query)
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let started = Instant::now();
        let result = match &mut *self.held().await? {
            Held::Sqlite(conn) => query(&stmt).fetch_all(&mut **conn).await.map(rows),
            Held::Postgres(conn) => query(&stmt).fetch_all(&mut **conn).await.map(rows),
        };
        self.observed(&stmt, started, result, DbErr::Query)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

    use super::*;
    use crate::db::connect;

    #[tokio::test]
    async fn runs_every_statement_on_the_connection_it_took_first() {
        // Each connection of an in-memory SQLite pool has a database of its own.
        let db = connect("sqlite::memory:", 3).await.expect("sqlite");
        let pool = db.get_sqlite_connection_pool().clone();
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let observer: StatementObserver = Arc::new(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });

        let one = OneConnection::new(&db, None, Some(&observer));
        all_idle(&pool).await;
        one.execute_unprepared("CREATE TABLE seen (x INTEGER)")
            .await
            .expect("create");
        one.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT INTO seen (x) VALUES (?), (?)",
            [7_i64.into(), 8_i64.into()],
        ))
        .await
        .expect("insert");
        // Another connection of the pool has no such table.
        let other = pool.acquire().await.expect("a second connection");
        let row = one
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT sum(x) FROM seen",
            ))
            .await
            .expect("select")
            .expect("one row");
        assert_eq!(row.try_get_by_index::<i64>(0).expect("sum"), 15);
        assert_eq!(
            pool.size() as usize - pool.num_idle(),
            2,
            "one held, one taken"
        );
        drop(other);

        let failed = one
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT * FROM nowhere",
            ))
            .await;
        assert!(matches!(failed, Err(DbErr::Query(_))), "{failed:?}");
        assert_eq!(
            seen.load(Ordering::SeqCst),
            4,
            "the observer saw every statement"
        );

        drop(one);
        all_idle(&pool).await;
    }

    /// Waits until every connection of `pool` is back in it (a dropped connection is
    /// given back by a task of its own).
    async fn all_idle(pool: &sqlx::SqlitePool) {
        for _ in 0..200 {
            if pool.num_idle() == pool.size() as usize {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("{} of {} connections idle", pool.num_idle(), pool.size());
    }
}
