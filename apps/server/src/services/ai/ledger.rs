//! The usage ledger (`ai_usage_events`): which cycle an account is in, how much it has
//! used, and the reserve → settle (or release) steps around a provider call.
//!
//! A reservation runs under a lock on the account (`SELECT … FOR UPDATE` on Postgres;
//! on SQLite this process's write gate plus a write as the transaction's first
//! statement, which takes SQLite's one write lock), so two requests never both fit into
//! the same remainder. It appends a *hold* row (direction `total`, `metadata.hold =
//! true`) for the estimate and commits before the provider is called. Settlement
//! replaces the hold with the real rows in one transaction; a failed call deletes it.
//! A hold whose request died in between (a crash, a killed process) stops counting
//! after [`paidloop_usage::HOLD_LIFETIME_IN_TIMEOUTS`] provider timeouts and is deleted
//! by the next reservation of that account.

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use paidloop_usage::{
    LedgerEntry, Metric, QuotaExceeded, SubscriptionPeriod, Usage, UsagePeriod, check_reservation,
    resolve_usage_period,
};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::{ai_usage_events, customer_accounts, subscriptions};
use crate::error::ApiError;
use crate::state::AppState;

/// Subscription statuses whose current period frames usage.
const PERIOD_STATUSES: [&str; 3] = ["active", "trialing", "past_due"];

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

/// `SUM(CASE WHEN <abandoned hold> THEN if_abandoned ELSE otherwise END)`, as a
/// BIGINT on both databases (Postgres sums BIGINTs into NUMERIC). A hold (direction
/// `total`) is abandoned when created before `cutoff`. It reads only columns of the
/// `aiuse_cust_metric_period_cover` index, so the sum never touches the table.
fn sum_over(
    backend: DatabaseBackend,
    cutoff: DateTime<Utc>,
    if_abandoned: &str,
    otherwise: &str,
) -> Expr {
    // sea-query numbers a custom expression's own values `$1…` on Postgres, `?` elsewhere.
    let placeholder = match backend {
        DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    Expr::cust_with_values(
        format!(
            "CAST(SUM(CASE WHEN direction = 'total' AND created_at < {placeholder} \
             THEN {if_abandoned} ELSE {otherwise} END) AS BIGINT)"
        ),
        [cutoff],
    )
}

/// Per metric: the amount used in `period` (live holds included, abandoned ones not),
/// and how many abandoned holds there are. One grouped query on the ledger's
/// `(account, metric, period)` index.
async fn sums<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    period: &UsagePeriod,
    metric: Option<Metric>,
    cutoff: DateTime<Utc>,
) -> Result<HashMap<Metric, (u64, u64)>, DbErr> {
    let backend = db.get_database_backend();
    let mut query = ai_usage_events::Entity::find()
        .select_only()
        .column(ai_usage_events::Column::Metric)
        // What counts: everything but abandoned holds; and how many of those there are.
        .expr_as(sum_over(backend, cutoff, "0", "amount"), "used")
        .expr_as(sum_over(backend, cutoff, "1", "0"), "abandoned")
        .filter(ai_usage_events::Column::CustomerAccountId.eq(account_id))
        .filter(ai_usage_events::Column::PeriodStart.eq(period.start))
        .filter(ai_usage_events::Column::PeriodEnd.eq(period.end));
    if let Some(metric) = metric {
        query = query.filter(ai_usage_events::Column::Metric.eq(metric.as_str()));
    }
    let rows: Vec<(String, Option<i64>, Option<i64>)> = query
        .group_by(ai_usage_events::Column::Metric)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(metric, used, abandoned)| {
            let metric = Metric::parse(&metric).ok()?;
            let as_u64 = |n: Option<i64>| u64::try_from(n.unwrap_or(0)).unwrap_or(0);
            Some((metric, (as_u64(used), as_u64(abandoned))))
        })
        .collect())
}

/// Used per metric in `period`, abandoned holds left out (the usage summary).
pub async fn used_by_metric<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    period: &UsagePeriod,
    cutoff: DateTime<Utc>,
) -> Result<HashMap<Metric, u64>, DbErr> {
    Ok(sums(db, account_id, period, None, cutoff)
        .await?
        .into_iter()
        .map(|(metric, (used, _))| (metric, used))
        .collect())
}

/// What a ledger row is about, beyond its amount.
#[derive(Debug, Clone)]
pub struct RowContext {
    /// Groups the rows of one request.
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
    /// The hold row's id; `None` for a zero reservation, which needs no row.
    pub id: Option<i64>,
    /// How much it reserved.
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

impl From<DbErr> for ReserveError {
    fn from(err: DbErr) -> Self {
        ReserveError::Db(err.into())
    }
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
    let cutoff = paidloop_usage::abandoned_before(now, state.config.ai.provider_timeout);
    let turn = state.writes.enter().await;
    let txn = state.db.begin().await?;
    lock_account(&txn, ctx.account_id).await?;
    let (used, abandoned) = sums(&txn, ctx.account_id, &ctx.period, Some(metric), cutoff)
        .await?
        .remove(&metric)
        .unwrap_or((0, 0));
    if abandoned > 0 {
        delete_abandoned(&txn, ctx.account_id, cutoff).await?;
    }
    if enforce && let Err(exceeded) = check_reservation(used, amount, limit) {
        // Dropping the transaction rolls it back (the abandoned holds stay for the next
        // try; they no longer count anyway).
        return Err(ReserveError::Quota(exceeded));
    }
    let id = match paidloop_usage::hold_entry(metric, amount) {
        Some(entry) => {
            let row = ctx.row(entry, json!({"hold": true}), now);
            let inserted = ai_usage_events::Entity::insert(row).exec(&txn).await?;
            Some(inserted.last_insert_id)
        }
        None => None,
    };
    txn.commit().await?;
    drop(turn);
    Ok(Hold {
        id,
        amount,
        used_before: used,
        limit,
    })
}

/// The account lock of a reservation.
async fn lock_account<C: ConnectionTrait>(txn: &C, account_id: i64) -> Result<(), DbErr> {
    match txn.get_database_backend() {
        DatabaseBackend::Postgres => {
            customer_accounts::Entity::find_by_id(account_id)
                .select_only()
                .column(customer_accounts::Column::Id)
                .lock(LockType::Update)
                .into_tuple::<i64>()
                .one(txn)
                .await?;
        }
        backend => {
            // A no-op write takes SQLite's write lock now, not at the hold's insert, so
            // another process cannot slip a reservation between the sum and the insert.
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE customer_accounts SET id = id WHERE id = ?",
                [account_id.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

/// Deletes the account's abandoned holds.
async fn delete_abandoned<C: ConnectionTrait>(
    txn: &C,
    account_id: i64,
    cutoff: DateTime<Utc>,
) -> Result<(), DbErr> {
    let deleted = ai_usage_events::Entity::delete_many()
        .filter(ai_usage_events::Column::CustomerAccountId.eq(account_id))
        .filter(ai_usage_events::Column::Direction.eq("total"))
        .filter(ai_usage_events::Column::CreatedAt.lt(cutoff))
        .exec(txn)
        .await?;
    tracing::warn!(
        account_id,
        holds = deleted.rows_affected,
        "deleted abandoned usage holds (their requests never settled)"
    );
    Ok(())
}

/// Replaces the hold with the rows of what was really used, in one transaction.
pub async fn settle(
    state: &AppState,
    ctx: &RowContext,
    hold: &Hold,
    usage: Usage,
    metadata: Value,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let rows: Vec<_> = usage
        .entries()
        .into_iter()
        .map(|entry| ctx.row(entry, metadata.clone(), now))
        .collect();
    let turn = state.writes.enter().await;
    let txn = state.db.begin().await?;
    if let Some(id) = hold.id {
        ai_usage_events::Entity::delete_by_id(id).exec(&txn).await?;
    }
    if !rows.is_empty() {
        ai_usage_events::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    drop(turn);
    Ok(())
}

/// Deletes the hold of a request whose provider call failed: nothing is recorded.
pub async fn release(state: &AppState, hold: &Hold) -> Result<(), ApiError> {
    if let Some(id) = hold.id {
        let turn = state.writes.enter().await;
        ai_usage_events::Entity::delete_by_id(id)
            .exec(&state.db)
            .await?;
        drop(turn);
    }
    Ok(())
}
