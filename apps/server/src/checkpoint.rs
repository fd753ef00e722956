//! SQLite's WAL checkpoints, moved off the write path.
//!
//! Why: in WAL mode every commit appends the pages it changed to the WAL, and by
//! default the connection whose commit takes the WAL past 1,000 pages copies them back
//! into the database file and syncs it, before its commit returns. That connection is
//! the one writer of the moment, so every writer behind it waits. Measured on the
//! bench's paid webhooks (groups of about 20 fulfilments, each touching some 225 pages
//! of tables and indexes): one commit in five took 15–22 ms instead of under 1 ms, a
//! quarter of the time the single writer was busy.
//!
//! How: `serve` runs a [`Checkpointer`] beside the writers. Every
//! [`CheckpointPolicy::every`] it runs a `PASSIVE` checkpoint on a connection of the
//! pool: it copies what the WAL holds while the writers go on, and never waits for
//! them. The pool's connections still checkpoint by themselves, but only past
//! [`crate::db::SQLITE_WAL_BACKSTOP_PAGES`], as a backstop for processes without a
//! checkpointer (`paidloop worker`, the CLI, tests).
//!
//! SQLite starts the WAL over from its beginning only when a writer finds it wholly
//! copied. Under steady writes a passive checkpoint is overtaken by the next commit
//! before that happens, and the WAL would keep growing. So once it is longer than
//! [`CheckpointPolicy::finish_after_pages`], the checkpointer copies the rest inside the
//! write gate, where no writer of this process can overtake it: only the pages of the
//! last moments are left to copy, and the next writer starts the WAL over.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use tokio::sync::watch;

use crate::db::WriteGate;

/// How the checkpointer paces itself.
#[derive(Debug, Clone)]
pub struct CheckpointPolicy {
    /// The wait between checkpoints.
    pub every: Duration,
    /// The WAL length (pages since it last started over) past which a checkpoint is
    /// finished inside the write gate.
    pub finish_after_pages: i64,
}

impl Default for CheckpointPolicy {
    /// Every 100 ms (a busy writer adds about a thousand pages in that time), finishing
    /// under the gate past 4,000 pages (16 MiB of WAL).
    fn default() -> Self {
        Self {
            every: Duration::from_millis(100),
            finish_after_pages: 4_000,
        }
    }
}

/// What one checkpoint found, as SQLite reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalState {
    /// Pages in the WAL since it last started over (-1: not in WAL mode).
    pub pages: i64,
    /// Of those, pages now copied into the database file.
    pub copied: i64,
}

/// Checkpoints a SQLite database in the background (see the module documentation).
pub struct Checkpointer {
    db: DatabaseConnection,
    writes: WriteGate,
    policy: CheckpointPolicy,
}

impl Checkpointer {
    /// A checkpointer for `db` when it is SQLite; `None` otherwise (Postgres has its
    /// own background checkpointer).
    pub fn for_sqlite(
        db: &DatabaseConnection,
        writes: &WriteGate,
        policy: CheckpointPolicy,
    ) -> Option<Self> {
        (db.get_database_backend() == DbBackend::Sqlite).then(|| Self {
            db: db.clone(),
            writes: writes.clone(),
            policy,
        })
    }

    /// One round: a passive checkpoint beside the writers, then, when the WAL has grown
    /// past the policy's length, another inside the write gate, which copies what was
    /// committed meanwhile. Answers the WAL's state after the last checkpoint it ran.
    pub async fn checkpoint(&self) -> Result<WalState, DbErr> {
        let state = self.passive().await?;
        if state.pages <= self.policy.finish_after_pages {
            return Ok(state);
        }
        let _turn = self.writes.enter().await;
        self.passive().await
    }

    async fn passive(&self) -> Result<WalState, DbErr> {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA wal_checkpoint(PASSIVE)",
            ))
            .await?
            .ok_or_else(|| DbErr::Custom("wal_checkpoint returned no row".into()))?;
        Ok(WalState {
            pages: row.try_get_by_index(1)?,
            copied: row.try_get_by_index(2)?,
        })
    }

    /// Checkpoints every [`CheckpointPolicy::every`] until `stop` turns true (or its
    /// sender is dropped).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        while !*stop.borrow() {
            tokio::select! {
                changed = stop.changed() => if changed.is_err() { break },
                () = tokio::time::sleep(self.policy.every) => {
                    if let Err(err) = self.checkpoint().await {
                        tracing::warn!(error = %err, "WAL checkpoint failed");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

    use super::{CheckpointPolicy, Checkpointer};
    use crate::db::{WriteGate, connect, worker_pool};

    /// A fresh SQLite file with a table of 4 KiB rows; answers the pool, its path and
    /// the folder that holds it.
    async fn database(
        connections: u32,
    ) -> (DatabaseConnection, std::path::PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("wal.sqlite3");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = connect(&url, connections).await.expect("sqlite");
        db.execute_unprepared("CREATE TABLE pages (body BLOB NOT NULL)")
            .await
            .expect("table");
        (db, path, dir)
    }

    /// Writes `rows` rows of 4 KiB (a WAL page or more each) in one transaction.
    async fn write_pages(db: &DatabaseConnection, rows: u32) {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) \
             INSERT INTO pages (body) SELECT randomblob(4096) FROM n",
            [rows.into()],
        ))
        .await
        .expect("insert");
    }

    fn file_size(path: &std::path::Path) -> u64 {
        std::fs::metadata(path).expect("database file").len()
    }

    #[tokio::test]
    async fn commits_leave_the_copying_to_the_checkpointer() {
        let (db, path, _dir) = database(1).await;
        // Past SQLite's default of 1,000 pages, which would have copied them at commit.
        write_pages(&db, 1_500).await;
        assert!(
            file_size(&path) < 1 << 20,
            "the commit copied the WAL itself: {} bytes",
            file_size(&path)
        );
        let checkpointer =
            Checkpointer::for_sqlite(&db, &WriteGate::default(), CheckpointPolicy::default())
                .expect("a SQLite checkpointer");
        let state = checkpointer.checkpoint().await.expect("checkpoint");
        assert!(
            state.copied >= state.pages && state.pages >= 1_500,
            "{state:?}"
        );
        assert!(
            file_size(&path) >= 1_500 * 4096,
            "{} bytes",
            file_size(&path)
        );
    }

    #[tokio::test]
    async fn a_long_wal_that_readers_hold_back_is_finished_inside_the_write_gate() {
        let (db, _path, _dir) = database(2).await;
        write_pages(&db, 10).await;
        // A reader's snapshot keeps the passive checkpoint from copying what follows.
        let reader = db.begin().await.expect("read transaction");
        reader
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT count(*) FROM pages",
            ))
            .await
            .expect("read");
        write_pages(&db, 50).await;
        let gate = WriteGate::for_url("sqlite://");
        let policy = CheckpointPolicy {
            every: Duration::from_millis(10),
            finish_after_pages: 20,
        };
        let checkpointer = Checkpointer::for_sqlite(&db, &gate, policy).expect("checkpointer");
        let held = gate.enter().await;
        let waiting =
            tokio::time::timeout(Duration::from_millis(200), checkpointer.checkpoint()).await;
        assert!(
            waiting.is_err(),
            "the checkpoint did not wait for the gate: {waiting:?}"
        );
        drop(held);
        reader.commit().await.expect("end of the read");
        let state = checkpointer.checkpoint().await.expect("checkpoint");
        assert!(state.copied >= state.pages, "{state:?}");
    }

    #[tokio::test]
    async fn only_sqlite_gets_one_and_its_loop_stops_when_told() {
        let postgres = worker_pool("postgres://127.0.0.1:1/none", 1).expect("lazy pool");
        assert!(
            Checkpointer::for_sqlite(
                &postgres,
                &WriteGate::default(),
                CheckpointPolicy::default()
            )
            .is_none()
        );
        let db = connect("sqlite::memory:", 1).await.expect("sqlite");
        let checkpointer = Checkpointer::for_sqlite(
            &db,
            &WriteGate::default(),
            CheckpointPolicy {
                every: Duration::from_millis(5),
                finish_after_pages: 1,
            },
        )
        .expect("checkpointer");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let running = tokio::spawn(checkpointer.run(stopped));
        tokio::time::sleep(Duration::from_millis(30)).await;
        stop.send(true).expect("stop");
        tokio::time::timeout(Duration::from_secs(5), running)
            .await
            .expect("the loop stopped")
            .expect("no panic");
    }
}
