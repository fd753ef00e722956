//! Record-only events (`session.created`, `subscription.*` until billing sync, unknown
//! types) need no work besides their own row, so concurrent deliveries are stored in
//! groups (see [`crate::group_commit`]): one multi-row `INSERT … ON CONFLICT DO
//! NOTHING … RETURNING` for every event that arrived while the previous group was being
//! written. Clerk sends these in bursts (a `session.created` per sign-in).
//!
//! Deduplication is unchanged: a row whose `(provider, event_id)` is already stored is
//! skipped by the database, and within one group only the first delivery of an event
//! can be stored. If a group fails, its rows are retried one by one, so one bad row
//! fails only its own delivery.

use std::collections::HashSet;

use sea_orm::{DatabaseConnection, EntityTrait, TryInsertResult};

use crate::db::WriteGate;
use crate::entities::webhook_events;
use crate::error::ApiError;
use crate::group_commit::{GroupCommit, GroupWrite, write_or_retry_alone};

/// The most rows one statement takes (9 bound columns each, far below the databases'
/// limits on bound parameters).
const MAX_GROUP: usize = 256;

/// Stores record-only events in shared statements (one per process).
pub struct EventRecorder(GroupCommit<webhook_events::ActiveModel, Result<bool, ApiError>>);

impl Default for EventRecorder {
    fn default() -> Self {
        Self(GroupCommit::new(MAX_GROUP))
    }
}

impl EventRecorder {
    /// Stores `row` unless its event is already stored; `true` when this call stored it.
    pub async fn record(
        &self,
        db: &DatabaseConnection,
        gate: &WriteGate,
        row: webhook_events::ActiveModel,
    ) -> Result<bool, ApiError> {
        self.0
            .submit(row, |group| {
                let rows = EventRows {
                    db: db.clone(),
                    gate: gate.clone(),
                };
                write_or_retry_alone(rows, group)
            })
            .await
            .unwrap_or_else(|| Err(ApiError::Internal("the event recorder stopped".into())))
    }
}

/// The recorder's database and SQLite gate.
struct EventRows {
    db: DatabaseConnection,
    gate: WriteGate,
}

impl GroupWrite for EventRows {
    type Item = webhook_events::ActiveModel;
    type Output = bool;

    async fn insert(&self, rows: &[webhook_events::ActiveModel]) -> Result<Vec<bool>, ApiError> {
        insert(&self.db, &self.gate, rows).await
    }
}

fn event_id(row: &webhook_events::ActiveModel) -> &str {
    row.event_id.as_ref().as_str()
}

/// Inserts the rows whose events are new, in one statement; answers, per row, whether
/// it was stored.
async fn insert(
    db: &DatabaseConnection,
    gate: &WriteGate,
    rows: &[webhook_events::ActiveModel],
) -> Result<Vec<bool>, ApiError> {
    let mut seen = HashSet::new();
    let first: Vec<bool> = rows.iter().map(|row| seen.insert(event_id(row))).collect();
    let candidates = rows
        .iter()
        .zip(&first)
        .filter(|(_, first)| **first)
        .map(|(row, _)| row.clone());
    let _turn = gate.enter().await;
    let stored: HashSet<String> = match webhook_events::Entity::insert_many(candidates)
        .on_conflict_do_nothing_on([
            webhook_events::Column::Provider,
            webhook_events::Column::EventId,
        ])
        .exec_with_returning_many(db)
        .await?
    {
        TryInsertResult::Inserted(stored) => stored.into_iter().map(|e| e.event_id).collect(),
        TryInsertResult::Empty | TryInsertResult::Conflicted => HashSet::new(),
    };
    Ok(rows
        .iter()
        .zip(first)
        .map(|(row, first)| first && stored.contains(event_id(row)))
        .collect())
}
