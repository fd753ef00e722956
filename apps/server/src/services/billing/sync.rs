//! Billing sync: how fresh an account's projection of Clerk billing is, and bringing it
//! up to date (replay the stored subscription events, then ask Clerk).

use chrono::{DateTime, Duration, Utc};
use paidloop_billing_sync::{
    AttemptReason, ClerkSubscriptions, SubscriptionPayload, SyncMessages, SyncPolicy, SyncRecord,
    SyncStatus, evaluate, read_clerk_subscriptions, read_subscription,
};
use paidloop_orders::ClerkEventType;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde_json::Value;

use super::subscriptions::{Applied, apply};
use super::version_of;
use crate::config::Config;
use crate::entities::{billing_sync_states, subscriptions, webhook_events};
use crate::error::ApiError;
use crate::state::AppState;

/// How many of the most recent stored subscription events a sync replays.
const REPLAY_LIMIT: u64 = 1000;

fn policy(config: &Config) -> (SyncPolicy, SyncMessages) {
    let sync = &config.billing_sync;
    (
        SyncPolicy::new(sync.soft_stale_seconds, sync.hard_ttl_seconds),
        SyncMessages {
            soft_warning: sync.soft_warning_message.clone(),
            hard_block: sync.hard_block_message.clone(),
        },
    )
}

async fn record_of<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<SyncRecord, ApiError> {
    Ok(billing_sync_states::Entity::find()
        .filter(billing_sync_states::Column::CustomerAccountId.eq(account_id))
        .one(db)
        .await?
        .map(|row| SyncRecord {
            last_attempt_at: row.last_attempt_at,
            last_attempt_succeeded: row.last_attempt_succeeded,
            last_success_at: row.last_success_at,
            last_reason_code: row.last_reason_code,
            last_error_code: row.last_error_code,
            last_error_detail: row.last_error_detail,
        })
        .unwrap_or_default())
}

/// The account's sync status at `now`; reads one row, never calls Clerk.
pub async fn status<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<SyncStatus, ApiError> {
    let (policy, messages) = policy(config);
    Ok(evaluate(
        &record_of(db, account_id).await?,
        now,
        &policy,
        &messages,
    ))
}

/// Syncs when `force`d or when the status is not fresh (what usage-generating requests
/// call before they spend), and answers the status afterwards.
///
/// A sync replays this user's stored subscription events, then asks Clerk for the
/// user's billing subscription and applies the answer: its subscriptions are upserted;
/// an explicit "none" cancels the account's Clerk subscriptions. The attempt is
/// recorded either way; a missing secret key or a failing call is a failed attempt.
pub async fn ensure(
    state: &AppState,
    account_id: i64,
    clerk_user_id: &str,
    force: bool,
) -> Result<SyncStatus, ApiError> {
    let before = status(&state.db, &state.config, account_id, Utc::now()).await?;
    if !force && !before.needs_sync() {
        return Ok(before);
    }
    replay_events(state, clerk_user_id).await?;
    let (reason, detail) = match &state.clerk_backend {
        None => (
            AttemptReason::ClerkClientUnavailable,
            "CLERK_SECRET_KEY is not set.".to_owned(),
        ),
        Some(clerk) => match clerk.get_billing_subscription(clerk_user_id).await {
            Ok(answer) => apply_answer(state, account_id, clerk_user_id, &answer).await?,
            Err(err) => {
                tracing::warn!(error = %err, "Clerk billing subscription read failed");
                (AttemptReason::ClerkApiError, err.to_string())
            }
        },
    };
    record_attempt(&state.db, account_id, reason, &detail, Utc::now()).await?;
    state.order_lists.payments_changed();
    status(&state.db, &state.config, account_id, Utc::now()).await
}

/// Re-applies the stored subscription events about this user (the newest
/// [`REPLAY_LIMIT`] of all users'), oldest first; versions make replays harmless.
async fn replay_events(state: &AppState, clerk_user_id: &str) -> Result<(), ApiError> {
    let events = webhook_events::Entity::find()
        .filter(webhook_events::Column::EventType.contains("subscription."))
        .order_by_desc(webhook_events::Column::ReceivedAt)
        .limit(REPLAY_LIMIT)
        .all(&state.db)
        .await?;
    // Oldest first; only this user's, so a sync with nothing to replay writes nothing.
    let mine: Vec<_> = events
        .iter()
        .rev()
        .filter_map(|event| {
            let ClerkEventType::Subscription(kind) = ClerkEventType::parse(&event.event_type)
            else {
                return None;
            };
            let payload = read_subscription(event.payload.get("data").unwrap_or(&Value::Null));
            (payload.user_id.as_deref() == Some(clerk_user_id)).then(|| {
                let version = version_of(&payload, &event.payload, event.received_at);
                (payload, kind.is_cancellation(), version)
            })
        })
        .collect();
    if mine.is_empty() {
        return Ok(());
    }
    let turn = state.writes.enter().await;
    let txn = state.db.begin().await?;
    for (payload, cancel, version) in &mine {
        apply(&txn, payload, *cancel, *version).await?;
    }
    txn.commit().await?;
    drop(turn);
    Ok(())
}

/// Applies Clerk's answer; the reason code says how it went.
async fn apply_answer(
    state: &AppState,
    account_id: i64,
    clerk_user_id: &str,
    answer: &Value,
) -> Result<(AttemptReason, String), ApiError> {
    let now = Utc::now();
    // (payload, cancel, version)
    let to_apply: Vec<(SubscriptionPayload, bool, DateTime<Utc>)> =
        match read_clerk_subscriptions(answer) {
            ClerkSubscriptions::Unknown => {
                return Ok((AttemptReason::NoSubscriptionPayload, String::new()));
            }
            ClerkSubscriptions::Found(list) => list
                .iter()
                .map(|value| {
                    let mut payload = read_subscription(value);
                    // Clerk answered about this user: a payer or org id is not a user.
                    if !payload
                        .user_id
                        .as_deref()
                        .is_some_and(|u| u.starts_with("user_"))
                    {
                        payload.user_id = Some(clerk_user_id.to_owned());
                    }
                    let version = payload.updated_at.unwrap_or(now);
                    (payload, false, version)
                })
                .collect(),
            ClerkSubscriptions::ExplicitlyNone => subscriptions::Entity::find()
                .filter(subscriptions::Column::CustomerAccountId.eq(account_id))
                .filter(subscriptions::Column::ClerkSubscriptionId.is_not_null())
                .filter(subscriptions::Column::Status.ne("canceled"))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|row| {
                    // Clerk's "none" is newer than anything stored, even a state whose
                    // timestamp is ahead of this clock.
                    let version = row
                        .clerk_updated_at
                        .map_or(now, |stored| stored.max(now) + Duration::milliseconds(1));
                    let payload = SubscriptionPayload {
                        clerk_subscription_id: row.clerk_subscription_id,
                        user_id: Some(clerk_user_id.to_owned()),
                        ..read_subscription(&Value::Null)
                    };
                    (payload, true, version)
                })
                .collect(),
        };
    let explicitly_none = to_apply.iter().all(|(_, cancel, _)| *cancel);
    let (mut applied, mut failed) = (0_usize, 0_usize);
    let mut last_error = String::new();
    for (payload, cancel, version) in &to_apply {
        let turn = state.writes.enter().await;
        let result = async {
            let txn = state.db.begin().await?;
            let outcome = apply(&txn, payload, *cancel, *version).await?;
            txn.commit().await?;
            Ok::<_, ApiError>(outcome)
        }
        .await;
        drop(turn);
        match result {
            Ok(Applied::Written { .. } | Applied::Stale) => applied += 1,
            Ok(Applied::Skipped(why)) => {
                failed += 1;
                last_error = why;
            }
            Err(err) => {
                tracing::error!(error = %err, "applying a Clerk subscription failed");
                failed += 1;
                last_error = "A subscription from Clerk could not be applied.".into();
            }
        }
    }
    Ok(match (explicitly_none, applied, failed) {
        (true, _, 0) => (AttemptReason::NoActiveSubscription, String::new()),
        (_, _, 0) => (AttemptReason::Synced, String::new()),
        (_, 0, _) => (AttemptReason::SubscriptionUpsertFailed, last_error),
        _ => (AttemptReason::SyncedWithPartialErrors, String::new()),
    })
}

/// Stores an attempt in the account's sync record.
pub async fn record_attempt<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    reason: AttemptReason,
    detail: &str,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let mut record = record_of(db, account_id).await?;
    record.record_attempt(at, reason, detail);
    let row = billing_sync_states::ActiveModel {
        customer_account_id: Set(account_id),
        last_attempt_at: Set(record.last_attempt_at),
        last_attempt_succeeded: Set(record.last_attempt_succeeded),
        last_success_at: Set(record.last_success_at),
        last_reason_code: Set(record.last_reason_code),
        last_error_code: Set(record.last_error_code),
        last_error_detail: Set(record.last_error_detail),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    billing_sync_states::Entity::insert(row)
        .on_conflict(
            OnConflict::column(billing_sync_states::Column::CustomerAccountId)
                .update_columns([
                    billing_sync_states::Column::LastAttemptAt,
                    billing_sync_states::Column::LastAttemptSucceeded,
                    billing_sync_states::Column::LastSuccessAt,
                    billing_sync_states::Column::LastReasonCode,
                    billing_sync_states::Column::LastErrorCode,
                    billing_sync_states::Column::LastErrorDetail,
                    billing_sync_states::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}
