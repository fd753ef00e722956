//! Group commit: callers that write at the same time share one transaction.
//!
//! Why: on the hot write paths (order creation, webhook ingestion) a write is a couple
//! of rows, and the transaction's statements, not their work, set the pace. On SQLite
//! only one transaction writes at a time and every statement is a hand-off to the
//! driver's thread; on Postgres every statement is a round trip. Written one by one,
//! concurrent callers queue behind each other's `BEGIN`/`INSERT`/`COMMIT`. Written as a
//! group, the same few statements carry every row that is waiting, so the cost per row
//! falls as load rises, and a lone caller is written at once, as before.
//!
//! How: each caller queues its item and waits for the turn. Whoever gets the turn runs
//! the write on the oldest waiting items, at most `max_group` at a time, until its own
//! item has been written (an earlier turn may already have written it). The write runs
//! as a spawned task, so a caller that goes away (a client disconnecting) cannot cut
//! other callers' group short. The write function answers every item of its group.
//!
//! Turns: one by default, so groups are written one after the other (SQLite has one
//! writer anyway). A queue may allow several ([`GroupCommit::with_turns`]): on
//! Postgres each statement is a round trip, and one group at a time left the database
//! waiting on the network between them; several groups in flight keep it busy while
//! row locks keep them apart.

use std::future::Future;
use std::sync::{Mutex, PoisonError};

use tokio::sync::oneshot::{self, error::TryRecvError};

use crate::error::ApiError;

/// An item waiting to be written, and where its answer goes.
pub type Waiting<T, R> = (T, oneshot::Sender<R>);

/// A queue of items written in shared transactions (one per kind of write and process).
pub struct GroupCommit<T, R> {
    max_group: usize,
    queue: Mutex<Vec<Waiting<T, R>>>,
    turns: tokio::sync::Semaphore,
}

impl<T: Send + 'static, R: Send + 'static> GroupCommit<T, R> {
    /// A queue whose groups hold at most `max_group` items (at least 1), written one at
    /// a time.
    pub fn new(max_group: usize) -> Self {
        Self::with_turns(max_group, 1)
    }

    /// A queue for a server on `database_url`: one group at a time on SQLite (it has
    /// one writer), up to `postgres_turns` at once elsewhere.
    pub fn for_database(database_url: &str, max_group: usize, postgres_turns: usize) -> Self {
        let turns = if crate::db::is_sqlite(database_url) {
            1
        } else {
            postgres_turns
        };
        Self::with_turns(max_group, turns)
    }

    /// A queue that writes up to `turns` groups at once (at least 1).
    pub fn with_turns(max_group: usize, turns: usize) -> Self {
        Self {
            max_group: max_group.max(1),
            queue: Mutex::new(Vec::new()),
            turns: tokio::sync::Semaphore::new(turns.max(1)),
        }
    }

    /// Queues `item` and returns its answer, running `write` on groups while this
    /// caller holds a turn. `None` means the write stopped without answering (it
    /// panicked).
    pub async fn submit<W, F>(&self, item: T, write: W) -> Option<R>
    where
        W: Fn(Vec<Waiting<T, R>>) -> F,
        F: Future<Output = ()> + Send + 'static,
    {
        let (reply, mut answer) = oneshot::channel();
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((item, reply));
        // The semaphore is never closed, so acquiring cannot fail.
        let turn = self.turns.acquire().await;
        loop {
            match answer.try_recv() {
                Ok(result) => return Some(result),
                Err(TryRecvError::Closed) => return None,
                Err(TryRecvError::Empty) => {}
            }
            let group: Vec<_> = {
                let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                let n = queue.len().min(self.max_group);
                queue.drain(..n).collect()
            };
            if group.is_empty() {
                // This item is in a group whose caller went away; that write still
                // runs, and answers.
                break;
            }
            // Hold the turn until the group is written; a write that panicked has
            // dropped its replies, which `answer` reports.
            let _ = tokio::spawn(write(group)).await;
        }
        drop(turn);
        answer.await.ok()
    }
}

/// One kind of grouped write: the rows of a group's items, inserted together.
pub trait GroupWrite: Send + Sync + 'static {
    /// What a caller queues.
    type Item: Send + 'static;
    /// What a caller gets back once its item is written.
    type Output: Send + 'static;

    /// Inserts `items` in one transaction and returns one output per item, in order.
    fn insert(
        &self,
        items: &[Self::Item],
    ) -> impl Future<Output = Result<Vec<Self::Output>, ApiError>> + Send;
}

/// A group of a [`GroupWrite`]'s items, each with where its answer goes.
pub type Group<W> =
    Vec<Waiting<<W as GroupWrite>::Item, Result<<W as GroupWrite>::Output, ApiError>>>;

/// Writes a group with `write` and answers each caller. If the group fails, each item
/// is written again on its own, so one bad item fails only its own caller.
pub async fn write_or_retry_alone<W: GroupWrite>(write: W, group: Group<W>) {
    let (items, replies): (Vec<W::Item>, Vec<_>) = group.into_iter().unzip();
    match write.insert(&items).await {
        Ok(outputs) => {
            for (reply, output) in replies.into_iter().zip(outputs) {
                let _ = reply.send(Ok(output));
            }
        }
        Err(err) if items.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(err));
            }
        }
        Err(err) => {
            tracing::warn!(items = items.len(), error = %err, "a group write failed; writing its items one by one");
            for (item, reply) in items.iter().zip(replies) {
                let result = write
                    .insert(std::slice::from_ref(item))
                    .await
                    .and_then(|outputs| {
                        outputs.into_iter().next().ok_or_else(|| {
                            ApiError::Internal("a write returned nothing for its item".into())
                        })
                    });
                let _ = reply.send(result);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use futures_util::future::join_all;

    use super::*;

    #[tokio::test]
    async fn every_caller_gets_its_own_answer_in_groups_of_at_most_the_cap() {
        let queue = Arc::new(GroupCommit::<u32, u32>::new(4));
        let groups = Arc::new(Mutex::new(Vec::new()));
        let calls = (0..10).map(|n| {
            let (queue, groups) = (queue.clone(), groups.clone());
            async move {
                queue
                    .submit(n, move |group: Vec<Waiting<u32, u32>>| {
                        let groups = groups.clone();
                        async move {
                            groups.lock().unwrap().push(group.len());
                            for (item, reply) in group {
                                let _ = reply.send(item * 10);
                            }
                        }
                    })
                    .await
            }
        });
        let answers = join_all(calls).await;
        assert_eq!(answers, (0..10).map(|n| Some(n * 10)).collect::<Vec<_>>());
        let groups = groups.lock().unwrap().clone();
        assert_eq!(groups.iter().sum::<usize>(), 10);
        assert!(groups.iter().all(|&n| n <= 4), "{groups:?}");
        assert!(groups.len() < 10, "callers shared groups: {groups:?}");
    }

    #[tokio::test]
    async fn with_two_turns_two_groups_are_written_at_once() {
        // Groups of one item; each write waits until both are in flight, which only
        // happens when the queue lets two run together.
        let queue = Arc::new(GroupCommit::<u32, u32>::with_turns(1, 2));
        let both = Arc::new(tokio::sync::Barrier::new(2));
        let calls = (0..2).map(|n| {
            let (queue, both) = (queue.clone(), both.clone());
            async move {
                queue
                    .submit(n, move |group: Vec<Waiting<u32, u32>>| {
                        let both = both.clone();
                        async move {
                            both.wait().await;
                            for (item, reply) in group {
                                let _ = reply.send(item);
                            }
                        }
                    })
                    .await
            }
        });
        let answers = tokio::time::timeout(std::time::Duration::from_secs(5), join_all(calls))
            .await
            .expect("two groups were in flight at once");
        assert_eq!(answers, vec![Some(0), Some(1)]);
    }

    #[tokio::test]
    async fn a_write_that_never_answers_reports_none() {
        let queue = GroupCommit::<u32, u32>::new(8);
        let answer = queue
            .submit(
                1,
                |group: Vec<Waiting<u32, u32>>| async move { drop(group) },
            )
            .await;
        assert_eq!(answer, None);
    }
}
