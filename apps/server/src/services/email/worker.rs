//! The outbox worker: delivers queued `email_outbox` rows.
//!
//! A worker *claims* a batch of due rows in one statement: it sets them `sending`,
//! counts the attempt, and moves `next_attempt_at` to the end of the claim. On
//! Postgres the rows are picked with `FOR UPDATE SKIP LOCKED`, so workers in other
//! processes take other rows and never the same one; on SQLite the single `UPDATE` is
//! atomic, and one process runs the worker. Then each message is sent outside any
//! transaction, and its row is marked `sent`, or `pending` again with an exponential
//! backoff, or `failed` with the error once retrying is pointless or exhausted.
//!
//! A worker that dies mid-claim loses nothing: when the claim ends, the row is due
//! again and the next worker takes it. Every mark is conditional on the claim still
//! being the one this worker made (same `attempts`, still `sending`), so a worker that
//! outlived its claim cannot overwrite a newer one. On shutdown the unsent rest of a
//! batch is handed back at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Statement, TransactionTrait,
};
use tokio::sync::watch;

use super::message::Email;
use super::transport::{EmailTransport, SendError};
use crate::db::WriteGate;
use crate::entities::email_outbox;

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct WorkerPolicy {
    /// Rows claimed at once.
    pub batch: u64,
    /// How long a claim lasts; longer than any send can take.
    pub claim_for: Duration,
    /// The wait between polls when nothing is due.
    pub idle_poll: Duration,
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
    /// The wait after the first failure; it doubles after each next one.
    pub backoff_base: Duration,
    /// The longest wait between attempts.
    pub backoff_cap: Duration,
}

impl Default for WorkerPolicy {
    /// 10 rows a claim of 5 minutes, a poll a second, 8 attempts spaced 30 s, 1 min,
    /// 2 min, … up to an hour (about 2 hours in all).
    fn default() -> Self {
        Self {
            batch: 10,
            claim_for: Duration::from_secs(300),
            idle_poll: Duration::from_secs(1),
            max_attempts: 8,
            backoff_base: Duration::from_secs(30),
            backoff_cap: Duration::from_secs(3600),
        }
    }
}

impl WorkerPolicy {
    /// The wait after failed attempt number `attempts` (1-based): base × 2^(n-1),
    /// capped.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let exponent = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.backoff_base
            .saturating_mul(1u32 << exponent)
            .min(self.backoff_cap)
    }
}

/// What happened to one claimed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered.
    Sent,
    /// Failed for now; due again later.
    Retry,
    /// Given up.
    Failed,
    /// The claim was lost to another worker; nothing was written.
    Lost,
}

/// Claims up to `policy.batch` due rows at `now`.
///
/// On Postgres the claim is planned afresh each time (`plan_cache_mode =
/// force_custom_plan`, for its transaction only). A prepared statement's cached plan is
/// made once, for the table as it was then, and the worker first claims while the
/// outbox is empty, so Postgres cached a plan for an empty table: a sequential scan and
/// a sort. It kept that plan once a sale had queued thousands of emails, until
/// autovacuum next analysed the table; in a bench run each claim took about 100 ms and
/// the worker delivered 300 emails/s instead of 2,000. Planning costs about a third of
/// a millisecond per batch.
pub async fn claim(
    db: &DatabaseConnection,
    policy: &WorkerPolicy,
    now: DateTime<Utc>,
) -> Result<Vec<email_outbox::Model>, DbErr> {
    let backend = db.get_database_backend();
    let claim = email_outbox::Entity::find().from_raw_sql(claim_statement(backend, policy, now));
    if backend != DatabaseBackend::Postgres {
        return claim.all(db).await;
    }
    let txn = db.begin().await?;
    txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
        .await?;
    let rows = claim.all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

/// The claim as one statement. Its due condition is written exactly as the predicate
/// of the partial index `email_outbox_due_idx` (`status IN ('pending', 'sending')`,
/// literals, not parameters), so both databases read the rows through that index in
/// claim order and stop after a batch, however long the backlog.
pub fn claim_statement(
    backend: DatabaseBackend,
    policy: &WorkerPolicy,
    now: DateTime<Utc>,
) -> Statement {
    let until = now + chrono::Duration::from_std(policy.claim_for).unwrap_or_default();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE email_outbox \
             SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1, updated_at = $2 \
             WHERE id IN (SELECT id FROM email_outbox \
                 WHERE status IN ('pending', 'sending') AND next_attempt_at <= $2 \
                 ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        }
        _ => {
            "UPDATE email_outbox \
             SET status = 'sending', attempts = attempts + 1, next_attempt_at = ?1, updated_at = ?2 \
             WHERE id IN (SELECT id FROM email_outbox \
                 WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?2 \
                 ORDER BY next_attempt_at, id LIMIT ?3) \
             RETURNING *"
        }
    };
    let limit = i64::try_from(policy.batch).unwrap_or(i64::MAX);
    Statement::from_sql_and_values(backend, sql, [until.into(), now.into(), limit.into()])
}

/// The message a row describes; the idempotency key is the row's, so every attempt
/// (and every worker) sends it under the same key.
pub fn email_of(row: &email_outbox::Model, default_from: &str) -> Email {
    Email {
        from: if row.from_email.is_empty() {
            default_from.to_owned()
        } else {
            row.from_email.clone()
        },
        to: row.to_email.clone(),
        reply_to: row
            .metadata
            .get("reply_to")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        subject: row.subject.clone(),
        text: row.text_body.clone(),
        html: row.html_body.clone(),
        kind: row.kind.clone(),
        idempotency_key: row
            .dedupe_key
            .clone()
            .unwrap_or_else(|| format!("email_outbox:{}", row.id)),
    }
}

/// Records how sending `row` went, if this worker's claim still holds.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    row: &email_outbox::Model,
    result: Result<(), SendError>,
    policy: &WorkerPolicy,
    now: DateTime<Utc>,
) -> Result<Outcome, DbErr> {
    let (outcome, update) = match result {
        Ok(()) => (
            Outcome::Sent,
            email_outbox::Entity::update_many()
                .col_expr(email_outbox::Column::Status, Expr::value("sent"))
                .col_expr(email_outbox::Column::SentAt, Expr::value(Some(now)))
                .col_expr(email_outbox::Column::LastError, Expr::value("")),
        ),
        Err(err) => {
            let error: String = err.to_string().chars().take(2000).collect();
            if err.is_permanent() || row.attempts >= policy.max_attempts {
                (
                    Outcome::Failed,
                    email_outbox::Entity::update_many()
                        .col_expr(email_outbox::Column::Status, Expr::value("failed"))
                        .col_expr(email_outbox::Column::LastError, Expr::value(error)),
                )
            } else {
                let next = now
                    + chrono::Duration::from_std(policy.backoff(row.attempts)).unwrap_or_default();
                (
                    Outcome::Retry,
                    email_outbox::Entity::update_many()
                        .col_expr(email_outbox::Column::Status, Expr::value("pending"))
                        .col_expr(email_outbox::Column::NextAttemptAt, Expr::value(next))
                        .col_expr(email_outbox::Column::LastError, Expr::value(error)),
                )
            }
        }
    };
    let done = update
        .col_expr(email_outbox::Column::UpdatedAt, Expr::value(now))
        .filter(email_outbox::Column::Id.eq(row.id))
        .filter(email_outbox::Column::Status.eq("sending"))
        .filter(email_outbox::Column::Attempts.eq(row.attempts))
        .exec(db)
        .await?;
    Ok(if done.rows_affected == 1 {
        outcome
    } else {
        Outcome::Lost
    })
}

/// Hands claimed rows back unsent (on shutdown): due at once, the attempt uncounted.
async fn release<C: ConnectionTrait>(
    db: &C,
    rows: &[email_outbox::Model],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for row in rows {
        email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::Status, Expr::value("pending"))
            .col_expr(
                email_outbox::Column::Attempts,
                Expr::value(row.attempts - 1),
            )
            .col_expr(email_outbox::Column::NextAttemptAt, Expr::value(now))
            .col_expr(email_outbox::Column::UpdatedAt, Expr::value(now))
            .filter(email_outbox::Column::Id.eq(row.id))
            .filter(email_outbox::Column::Status.eq("sending"))
            .filter(email_outbox::Column::Attempts.eq(row.attempts))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// A worker: the database, the transport and its pace.
#[derive(Clone)]
pub struct OutboxWorker {
    /// The pool.
    pub db: DatabaseConnection,
    /// This process's SQLite write queue (open on Postgres).
    pub writes: WriteGate,
    /// Where messages go.
    pub transport: Arc<dyn EmailTransport>,
    /// The sender of rows that name none.
    pub default_from: String,
    /// Pace and retries.
    pub policy: WorkerPolicy,
}

impl OutboxWorker {
    /// Claims one batch and delivers it; returns how many rows it claimed. Stops early,
    /// handing the rest back, when `stop` turns true.
    pub async fn deliver_batch(&self, stop: &watch::Receiver<bool>) -> Result<usize, DbErr> {
        let claimed = {
            let _turn = self.writes.enter().await;
            claim(&self.db, &self.policy, Utc::now()).await?
        };
        for (index, row) in claimed.iter().enumerate() {
            if *stop.borrow() {
                let _turn = self.writes.enter().await;
                release(&self.db, &claimed[index..], Utc::now()).await?;
                break;
            }
            let result = self
                .transport
                .send(&email_of(row, &self.default_from))
                .await;
            if let Err(err) = &result {
                tracing::warn!(email = row.id, kind = %row.kind, attempt = row.attempts, error = %err, "email delivery failed");
            }
            let _turn = self.writes.enter().await;
            let outcome = record(&self.db, row, result, &self.policy, Utc::now()).await?;
            tracing::info!(email = row.id, kind = %row.kind, ?outcome, transport = self.transport.name(), "email delivery");
        }
        Ok(claimed.len())
    }

    /// Delivers until `stop` turns true (or its sender is dropped): a full batch is
    /// followed by the next one at once, an empty poll by a pause.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(
            transport = self.transport.name(),
            "email outbox worker started"
        );
        while !*stop.borrow() {
            let claimed = match self.deliver_batch(&stop).await {
                Ok(claimed) => claimed,
                Err(err) => {
                    tracing::error!(error = %err, "email outbox worker: database error");
                    0
                }
            };
            if claimed == 0 {
                tokio::select! {
                    changed = stop.changed() => if changed.is_err() { break },
                    () = tokio::time::sleep(self.policy.idle_poll) => {}
                }
            }
        }
        tracing::info!("email outbox worker stopped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_cap() {
        let policy = WorkerPolicy::default();
        let waits: Vec<u64> = (1..=9).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(policy.backoff(0).as_secs(), 30);
        assert_eq!(policy.backoff(i32::MAX), policy.backoff_cap);
    }
}
