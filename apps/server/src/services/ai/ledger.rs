//! The usage ledger (`ai_usage_events`): which cycle an account is in, how much it has
//! used, and the reserve → settle (or release) steps around a provider call.
//!
//! A reservation appends a *hold* row (direction `total`, `metadata.hold = true`) for
//! the estimate and commits before the provider is called. Settlement replaces the hold
//! with the real rows in one transaction; a failed call deletes it. A hold whose request
//! died in between (a crash, a killed process) stops counting after
//! [`paidloop_usage::HOLD_LIFETIME_IN_TIMEOUTS`] provider timeouts and is deleted by the
//! next reservation of that account.
//!
//! The quota check does not sum the ledger: `ai_usage_totals` keeps, per account,
//! metric and cycle, the amount settled so far, changed in the same transaction as the
//! ledger rows it adds up, so the check reads one row plus the cycle's live holds
//! (a partial index keeps those few rows apart from the rest).
//!
//! Every request of an account writes the ledger twice (reserve, settle), and each write
//! used to be a transaction queued on the account's lock. The writes are therefore made
//! in groups (see [`crate::group_commit`]): one transaction per group of waiting
//! reservations, settlements and releases ([`LedgerGroups`]). It first deletes the holds
//! of the settlements and releases (one statement), then adds the settlements to their
//! buckets' totals and locks every bucket with a reservation in the group (one upsert;
//! see [`add_to_totals`]), sums the live holds of those buckets, decides the
//! reservations in arrival order against a running total
//! ([`paidloop_usage::RunningTotals`]), so two requests never both fit into the same
//! remainder, and inserts the settled rows and the accepted holds in one statement. A
//! refused reservation is that caller's answer (429), not a failure of the group; a
//! group that fails is written again one item at a time, so one bad item fails alone.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, SubsecRound, Utc};
use paidloop_usage::{
    LedgerEntry, Metric, QuotaExceeded, RunningTotals, SubscriptionPeriod, Usage, UsagePeriod,
    resolve_usage_period,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::{ai_usage_events, ai_usage_totals, customer_accounts, subscriptions};
use crate::error::ApiError;
use crate::group_commit::{GroupCommit, GroupWrite, write_or_retry_alone};
use crate::state::AppState;

/// Subscription statuses whose current period frames usage.
const PERIOD_STATUSES: [&str; 3] = ["active", "trialing", "past_due"];

/// The most writes one transaction takes: its widest statement, the insert, binds 12
/// columns for at most two rows per write, far below both databases' limits on bound
/// parameters.
const MAX_GROUP: usize = 128;

/// Groups written at once on Postgres; on SQLite, one (it has one writer). Groups that
/// reserve in the same bucket wait for each other on its totals row, so extra turns
/// mostly make groups smaller. Measured on a local Postgres (2 cores, 32 connections,
/// simulator chats): one account 3.4k chats/s with one turn, 3.1k with two, 2.2k with
/// four; sixteen accounts 2.8k with one or two, 2.2k with four. Two keeps one group's
/// round trips overlapping another's, which a database across a network needs more.
const POSTGRES_TURNS: usize = 2;

/// The usage cycle of `account` at `now`: the current period of its newest live
/// subscription, else the monthly cycle anchored on the account's creation. One query.
pub async fn current_period<C: ConnectionTrait>(
    db: &C,
    account: &customer_accounts::Model,
    now: DateTime<Utc>,
) -> Result<UsagePeriod, DbErr> {
    let rows = subscriptions::Entity::find()
        .filter(subscriptions::Column::CustomerAccountId.eq(account.id))
        .filter(subscriptions::Column::Status.is_in(PERIOD_STATUSES))
        .filter(subscriptions::Column::CurrentPeriodStart.lte(now))
        .filter(subscriptions::Column::CurrentPeriodEnd.gt(now))
        .order_by_desc(subscriptions::Column::CurrentPeriodEnd)
        .order_by_desc(subscriptions::Column::UpdatedAt)
        .all(db)
        .await?;
    let candidates: Vec<SubscriptionPeriod> = rows
        .iter()
        .map(|s| SubscriptionPeriod {
            subscription_id: s.id,
            start: s.current_period_start,
            end: s.current_period_end,
        })
        .collect();
    let mut period = resolve_usage_period(&candidates, account.created_at, now);
    // Ledger rows are matched on their period; store and compare at the precision
    // every database keeps (microseconds).
    period.start = period.start.trunc_subsecs(6);
    period.end = period.end.trunc_subsecs(6);
    Ok(period)
}

/// A quota bucket: an account's metric in one cycle (start, end).
type Bucket = (i64, Metric, DateTime<Utc>, DateTime<Utc>);

fn bucket(ctx: &RowContext, metric: Metric) -> Bucket {
    (ctx.account_id, metric, ctx.period.start, ctx.period.end)
}

fn as_u64(n: Option<i64>) -> u64 {
    u64::try_from(n.unwrap_or(0)).unwrap_or(0)
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Rows of `buckets`, in either table (both name the bucket's columns alike).
fn in_buckets<'a>(buckets: impl IntoIterator<Item = &'a Bucket>) -> Condition {
    let mut any = Condition::any();
    for (account, metric, start, end) in buckets {
        any = any.add(
            Condition::all()
                .add(Expr::col("customer_account_id").eq(*account))
                .add(Expr::col("metric").eq(metric.as_str()))
                .add(Expr::col("period_start").eq(*start))
                .add(Expr::col("period_end").eq(*end)),
        );
    }
    any
}

/// Holds only, written so that both databases use the holds' partial index
/// (`aiuse_holds`): its condition must appear as written, not as a bound parameter.
fn holds_only() -> Expr {
    Expr::cust("direction = 'total'")
}

/// One row of the holds' grouped sum: the bucket, the amount its live holds reserve and
/// the number of abandoned holds.
type HoldSumRow = (
    i64,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<i64>,
    Option<i64>,
);

/// Per bucket: what its live holds reserve, and how many of its holds are abandoned
/// (created before `cutoff`). One grouped statement on the holds' partial index, which
/// holds one row per request in flight; a bucket with no holds is absent.
async fn hold_sums<C: ConnectionTrait>(
    db: &C,
    buckets: &BTreeSet<Bucket>,
    cutoff: DateTime<Utc>,
) -> Result<HashMap<Bucket, (u64, u64)>, ApiError> {
    // sea-query numbers a custom expression's own values `$1…` on Postgres, `?` elsewhere.
    let placeholder = match db.get_database_backend() {
        DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    // Postgres sums BIGINTs into NUMERIC: cast back.
    let sum = |if_abandoned: &str, otherwise: &str| {
        Expr::cust_with_values(
            format!(
                "CAST(SUM(CASE WHEN created_at < {placeholder} \
                 THEN {if_abandoned} ELSE {otherwise} END) AS BIGINT)"
            ),
            [cutoff],
        )
    };
    let rows: Vec<HoldSumRow> = ai_usage_events::Entity::find()
        .select_only()
        .column(ai_usage_events::Column::CustomerAccountId)
        .column(ai_usage_events::Column::Metric)
        .column(ai_usage_events::Column::PeriodStart)
        .column(ai_usage_events::Column::PeriodEnd)
        .expr_as(sum("0", "amount"), "live")
        .expr_as(sum("1", "0"), "abandoned")
        .filter(holds_only())
        .filter(in_buckets(buckets))
        .group_by(ai_usage_events::Column::CustomerAccountId)
        .group_by(ai_usage_events::Column::Metric)
        .group_by(ai_usage_events::Column::PeriodStart)
        .group_by(ai_usage_events::Column::PeriodEnd)
        .into_tuple()
        .all(db)
        .await?;
    let mut found = HashMap::with_capacity(rows.len());
    for (account, metric, start, end, live, abandoned) in rows {
        let key = (account, parse_metric(&metric)?, start, end);
        // A sum that matches no bucket asked for would leave that bucket counted as
        // empty: refuse the group rather than let it overspend.
        if !buckets.contains(&key) {
            return Err(ApiError::Internal(format!(
                "a hold sum came back for a cycle not asked for: {key:?}"
            )));
        }
        found.insert(key, (as_u64(live), as_u64(abandoned)));
    }
    Ok(found)
}

fn parse_metric(metric: &str) -> Result<Metric, ApiError> {
    Metric::parse(metric).map_err(|err| ApiError::Internal(format!("ledger metric: {err}")))
}

/// Adds `settled` to each bucket's running total (creating the rows a new cycle needs)
/// and answers every bucket's new total. One statement, which also locks the buckets'
/// rows until the transaction ends: on Postgres a concurrent group waits for this one
/// to commit before it reads or adds to the same buckets; on SQLite it is a write, so
/// it takes the database's one write lock now. Buckets are written in their sort order,
/// so concurrent groups never wait for each other in a cycle.
async fn add_to_totals<C: ConnectionTrait>(
    txn: &C,
    settled: &BTreeMap<Bucket, u64>,
) -> Result<HashMap<Bucket, u64>, ApiError> {
    let rows = settled
        .iter()
        .map(
            |((account, metric, start, end), amount)| ai_usage_totals::ActiveModel {
                customer_account_id: Set(*account),
                metric: Set(metric.as_str().to_owned()),
                period_start: Set(*start),
                period_end: Set(*end),
                used: Set(as_i64(*amount)),
                ..Default::default()
            },
        );
    let totals = ai_usage_totals::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                ai_usage_totals::Column::CustomerAccountId,
                ai_usage_totals::Column::Metric,
                ai_usage_totals::Column::PeriodStart,
                ai_usage_totals::Column::PeriodEnd,
            ])
            .value(
                ai_usage_totals::Column::Used,
                Expr::cust("ai_usage_totals.used + excluded.used"),
            )
            .to_owned(),
        )
        .exec_with_returning(txn)
        .await?;
    totals
        .into_iter()
        .map(|row| {
            let key = (
                row.customer_account_id,
                parse_metric(&row.metric)?,
                row.period_start,
                row.period_end,
            );
            Ok((key, as_u64(Some(row.used))))
        })
        .collect()
}

/// Used per metric in `period`: the settled totals plus live holds (the usage summary).
/// Two statements.
pub async fn used_by_metric<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    period: &UsagePeriod,
    cutoff: DateTime<Utc>,
) -> Result<HashMap<Metric, u64>, ApiError> {
    let totals: Vec<(String, i64)> = ai_usage_totals::Entity::find()
        .select_only()
        .column(ai_usage_totals::Column::Metric)
        .column(ai_usage_totals::Column::Used)
        .filter(ai_usage_totals::Column::CustomerAccountId.eq(account_id))
        .filter(ai_usage_totals::Column::PeriodStart.eq(period.start))
        .filter(ai_usage_totals::Column::PeriodEnd.eq(period.end))
        .into_tuple()
        .all(db)
        .await?;
    let mut used = HashMap::with_capacity(Metric::ALL.len());
    for (metric, amount) in totals {
        used.insert(parse_metric(&metric)?, as_u64(Some(amount)));
    }
    let buckets: BTreeSet<Bucket> = Metric::ALL
        .into_iter()
        .map(|metric| (account_id, metric, period.start, period.end))
        .collect();
    for ((_, metric, ..), (live, _)) in hold_sums(db, &buckets, cutoff).await? {
        *used.entry(metric).or_default() += live;
    }
    Ok(used)
}

/// What a ledger row is about, beyond its amount.
#[derive(Debug, Clone)]
pub struct RowContext {
    /// Groups the rows of one request; its hold is found by it.
    pub request_id: Uuid,
    /// The account charged.
    pub account_id: i64,
    /// The cycle counted in.
    pub period: UsagePeriod,
    /// Provider key.
    pub provider: &'static str,
    /// Model name (at most 128 characters, checked at the edge).
    pub model: String,
}

impl RowContext {
    fn row(
        &self,
        entry: LedgerEntry,
        metadata: Value,
        now: DateTime<Utc>,
    ) -> ai_usage_events::ActiveModel {
        ai_usage_events::ActiveModel {
            request_id: Set(self.request_id),
            customer_account_id: Set(self.account_id),
            subscription_id: Set(self.period.subscription_id),
            metric: Set(entry.metric.as_str().to_owned()),
            direction: Set(entry.direction.as_str().to_owned()),
            amount: Set(i64::try_from(entry.amount).unwrap_or(i64::MAX)),
            provider: Set(self.provider.to_owned()),
            model_name: Set(self.model.clone()),
            period_start: Set(self.period.start),
            period_end: Set(self.period.end),
            metadata: Set(metadata),
            created_at: Set(now),
            ..Default::default()
        }
    }
}

/// A reservation that holds part of the quota until it is settled or released.
#[derive(Debug, Clone)]
pub struct Hold {
    /// How much it reserved (a zero reservation has no hold row).
    pub amount: u64,
    /// Used in the cycle before it (for the answer's quota numbers).
    pub used_before: u64,
    /// The cycle's limit (`None` = unlimited).
    pub limit: Option<u64>,
}

/// Why a reservation was refused.
#[derive(Debug)]
pub enum ReserveError {
    /// It does not fit in what is left (429).
    Quota(QuotaExceeded),
    /// The database failed.
    Db(ApiError),
}

/// One write of the ledger, queued with whatever else is waiting.
pub enum LedgerWrite {
    /// Reserve `amount` of `metric` for the request of `ctx`: a hold row, unless it is
    /// `enforce`d and does not fit under `limit`.
    Reserve {
        /// The request.
        ctx: RowContext,
        /// What it reserves.
        metric: Metric,
        /// How much.
        amount: u64,
        /// The cycle's limit (`None` = unlimited).
        limit: Option<u64>,
        /// Whether a reservation over the limit is refused.
        enforce: bool,
        /// When it was asked for (the hold's `created_at`).
        now: DateTime<Utc>,
    },
    /// Replace the hold of `ctx`'s request with the rows of what it really used.
    Settle {
        /// The request.
        ctx: RowContext,
        /// Its rows' amounts.
        entries: Vec<LedgerEntry>,
        /// Its rows' metadata.
        metadata: Value,
        /// When it finished (the rows' `created_at`).
        now: DateTime<Utc>,
    },
    /// Delete the hold of a request that records nothing.
    Release {
        /// The request.
        request_id: Uuid,
    },
}

/// A write's answer.
#[derive(Debug)]
pub enum Written {
    /// The reservation holds its amount.
    Held(Hold),
    /// The reservation did not fit; nothing was written for it.
    Refused(QuotaExceeded),
    /// The settlement or release is committed.
    Done,
}

/// Groups concurrent ledger writes into shared transactions (one queue per process).
pub struct LedgerGroups(GroupCommit<LedgerWrite, Result<Written, ApiError>>);

impl LedgerGroups {
    /// The groups of a server on `database_url`.
    pub fn for_url(database_url: &str) -> Self {
        Self(GroupCommit::for_database(
            database_url,
            MAX_GROUP,
            POSTGRES_TURNS,
        ))
    }

    /// Writes `write` (with whatever else is waiting) and answers it once committed.
    pub async fn write(&self, state: &AppState, write: LedgerWrite) -> Result<Written, ApiError> {
        self.0
            .submit(write, |group| {
                write_or_retry_alone(
                    LedgerWriter {
                        state: state.clone(),
                    },
                    group,
                )
            })
            .await
            .unwrap_or_else(|| Err(ApiError::Internal("the usage ledger writer stopped".into())))
    }
}

/// The state a group is written with.
struct LedgerWriter {
    state: AppState,
}

impl GroupWrite for LedgerWriter {
    type Item = LedgerWrite;
    type Output = Written;

    async fn insert(&self, writes: &[LedgerWrite]) -> Result<Vec<Written>, ApiError> {
        let state = &self.state;
        let started = std::time::Instant::now();
        let cutoff = paidloop_usage::abandoned_before(Utc::now(), state.config.ai.provider_timeout);
        let turn = state.writes.enter().await;
        let txn = state.db.begin().await?;
        let written = write_group(&txn, writes, cutoff).await?;
        txn.commit().await?;
        drop(turn);
        tracing::debug!(
            writes = writes.len(),
            micros = started.elapsed().as_micros(),
            "usage ledger group committed"
        );
        Ok(written)
    }
}

/// Writes a group in the caller's transaction (see the module documentation); holds
/// created before `cutoff` are abandoned.
async fn write_group<C: ConnectionTrait>(
    txn: &C,
    writes: &[LedgerWrite],
    cutoff: DateTime<Utc>,
) -> Result<Vec<Written>, ApiError> {
    let finished: Vec<Uuid> = writes
        .iter()
        .filter_map(|write| match write {
            LedgerWrite::Settle { ctx, .. } => Some(ctx.request_id),
            LedgerWrite::Release { request_id } => Some(*request_id),
            LedgerWrite::Reserve { .. } => None,
        })
        .collect();
    if !finished.is_empty() {
        ai_usage_events::Entity::delete_many()
            .filter(holds_only())
            .filter(ai_usage_events::Column::RequestId.is_in(finished))
            .exec(txn)
            .await?;
    }

    // What this group's settlements add to each bucket, and the buckets its
    // reservations are decided in (added to with zero, which locks them).
    let mut settled: BTreeMap<Bucket, u64> = BTreeMap::new();
    let mut reserving: BTreeSet<Bucket> = BTreeSet::new();
    for write in writes {
        match write {
            LedgerWrite::Settle { ctx, entries, .. } => {
                for entry in entries {
                    let total = settled.entry(bucket(ctx, entry.metric)).or_default();
                    *total = total.saturating_add(entry.amount);
                }
            }
            LedgerWrite::Reserve { ctx, metric, .. } => {
                settled.entry(bucket(ctx, *metric)).or_default();
                reserving.insert(bucket(ctx, *metric));
            }
            LedgerWrite::Release { .. } => {}
        }
    }
    let mut totals = RunningTotals::new(if settled.is_empty() {
        HashMap::new()
    } else {
        add_to_totals(txn, &settled).await?
    });
    if !reserving.is_empty() {
        // Read after the totals' rows are locked: every hold committed before this
        // group took them is seen (each statement reads what is committed when it
        // starts), and no other group adds one until this one commits.
        let holds = hold_sums(txn, &reserving, cutoff).await?;
        let abandoned: BTreeSet<i64> = holds
            .iter()
            .filter(|(_, (_, abandoned))| *abandoned > 0)
            .map(|((account, ..), _)| *account)
            .collect();
        if !abandoned.is_empty() {
            delete_abandoned(txn, abandoned, cutoff).await?;
        }
        for (key, (live, _)) in holds {
            totals.add(key, live);
        }
    }

    let mut rows = Vec::new();
    let mut written = Vec::with_capacity(writes.len());
    for write in writes {
        written.push(match write {
            LedgerWrite::Settle {
                ctx,
                entries,
                metadata,
                now,
            } => {
                rows.extend(
                    entries
                        .iter()
                        .map(|entry| ctx.row(*entry, metadata.clone(), *now)),
                );
                Written::Done
            }
            LedgerWrite::Release { .. } => Written::Done,
            LedgerWrite::Reserve {
                ctx,
                metric,
                amount,
                limit,
                enforce,
                now,
            } => match totals.reserve(bucket(ctx, *metric), *amount, *limit, *enforce) {
                Ok(used_before) => {
                    if let Some(entry) = paidloop_usage::hold_entry(*metric, *amount) {
                        rows.push(ctx.row(entry, json!({"hold": true}), *now));
                    }
                    Written::Held(Hold {
                        amount: *amount,
                        used_before,
                        limit: *limit,
                    })
                }
                Err(exceeded) => Written::Refused(exceeded),
            },
        });
    }
    if !rows.is_empty() {
        ai_usage_events::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(written)
}

/// Deletes the abandoned holds of `accounts`.
async fn delete_abandoned<C: ConnectionTrait>(
    txn: &C,
    accounts: BTreeSet<i64>,
    cutoff: DateTime<Utc>,
) -> Result<(), DbErr> {
    let deleted = ai_usage_events::Entity::delete_many()
        .filter(ai_usage_events::Column::CustomerAccountId.is_in(accounts.iter().copied()))
        .filter(holds_only())
        .filter(ai_usage_events::Column::CreatedAt.lt(cutoff))
        .exec(txn)
        .await?;
    tracing::warn!(
        accounts = ?accounts,
        holds = deleted.rows_affected,
        "deleted abandoned usage holds (their requests never settled)"
    );
    Ok(())
}

/// Reserves `amount` of `metric` for the request of `ctx`, refusing it when
/// `enforce` is on and it does not fit under `limit`. See the module documentation.
pub async fn reserve(
    state: &AppState,
    ctx: &RowContext,
    metric: Metric,
    amount: u64,
    limit: Option<u64>,
    enforce: bool,
    now: DateTime<Utc>,
) -> Result<Hold, ReserveError> {
    let write = LedgerWrite::Reserve {
        ctx: ctx.clone(),
        metric,
        amount,
        limit,
        enforce,
        now,
    };
    match state.ledger_groups.write(state, write).await {
        Ok(Written::Held(hold)) => Ok(hold),
        Ok(Written::Refused(exceeded)) => Err(ReserveError::Quota(exceeded)),
        Ok(Written::Done) => Err(ReserveError::Db(ApiError::Internal(
            "a reservation was answered as a settlement".into(),
        ))),
        Err(err) => Err(ReserveError::Db(err)),
    }
}

/// Replaces the hold with the rows of what was really used, in one transaction.
pub async fn settle(
    state: &AppState,
    ctx: &RowContext,
    usage: Usage,
    metadata: Value,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let write = LedgerWrite::Settle {
        ctx: ctx.clone(),
        entries: usage.entries(),
        metadata,
        now,
    };
    state.ledger_groups.write(state, write).await.map(drop)
}

/// Deletes the hold of a request whose provider call failed: nothing is recorded.
pub async fn release(state: &AppState, ctx: &RowContext, hold: &Hold) -> Result<(), ApiError> {
    if hold.amount == 0 {
        // A zero reservation has no row.
        return Ok(());
    }
    let write = LedgerWrite::Release {
        request_id: ctx.request_id,
    };
    state.ledger_groups.write(state, write).await.map(drop)
}
