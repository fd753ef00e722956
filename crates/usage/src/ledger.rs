//! The ledger rows of one metered request, as a plan the server applies: a hold for the
//! estimate before the provider is called, then the rows that replace it once the
//! provider has answered.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::metric::{Direction, Metric};

/// A hold older than this many provider timeouts belongs to a request that died between
/// its reservation and its settlement (a crash, a killed process): it no longer counts.
pub const HOLD_LIFETIME_IN_TIMEOUTS: u32 = 2;

/// One row to append to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerEntry {
    /// What it counts.
    pub metric: Metric,
    /// Which side of the request.
    pub direction: Direction,
    /// How much (`> 0`, as the table requires).
    pub amount: u64,
}

/// What a request used, as the provider reported it (or as counted locally when it did
/// not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// A chat: tokens sent and tokens generated.
    Tokens {
        /// Prompt tokens.
        input: u64,
        /// Completion tokens.
        output: u64,
    },
    /// Generated images, one unit each.
    Images(u64),
}

impl Usage {
    /// Everything together, the amount compared with the reservation.
    pub fn total(self) -> u64 {
        match self {
            Usage::Tokens { input, output } => input.saturating_add(output),
            Usage::Images(count) => count,
        }
    }

    /// The rows that record it: input and output for tokens, one output row for images
    /// (`total` is reserved for holds); zero amounts are left out (the ledger holds
    /// only positive amounts).
    pub fn entries(self) -> Vec<LedgerEntry> {
        let rows = match self {
            Usage::Tokens { input, output } => vec![
                (Metric::Tokens, Direction::Input, input),
                (Metric::Tokens, Direction::Output, output),
            ],
            Usage::Images(count) => vec![(Metric::Images, Direction::Output, count)],
        };
        rows.into_iter()
            .filter(|(_, _, amount)| *amount > 0)
            .map(|(metric, direction, amount)| LedgerEntry {
                metric,
                direction,
                amount,
            })
            .collect()
    }
}

/// What a chat reserves: its counted input plus all the output it may generate.
pub fn chat_reservation(input_tokens: u64, max_output_tokens: u64) -> u64 {
    input_tokens.saturating_add(max_output_tokens)
}

/// The hold row of a reservation (direction `total`, which only holds use); `None` for
/// a zero reservation, which needs none.
pub fn hold_entry(metric: Metric, amount: u64) -> Option<LedgerEntry> {
    (amount > 0).then_some(LedgerEntry {
        metric,
        direction: Direction::Total,
        amount,
    })
}

/// Holds created before this instant are abandoned (see [`HOLD_LIFETIME_IN_TIMEOUTS`]):
/// a live request has either settled or timed out at its provider long before.
pub fn abandoned_before(now: DateTime<Utc>, provider_timeout: Duration) -> DateTime<Utc> {
    let lifetime = provider_timeout.saturating_mul(HOLD_LIFETIME_IN_TIMEOUTS);
    chrono::Duration::from_std(lifetime)
        .ok()
        .and_then(|lifetime| now.checked_sub_signed(lifetime))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn chats_settle_into_input_and_output_rows() {
        let usage = Usage::Tokens {
            input: 12,
            output: 30,
        };
        assert_eq!(usage.total(), 42);
        assert_eq!(
            usage.entries(),
            [
                LedgerEntry {
                    metric: Metric::Tokens,
                    direction: Direction::Input,
                    amount: 12
                },
                LedgerEntry {
                    metric: Metric::Tokens,
                    direction: Direction::Output,
                    amount: 30
                },
            ]
        );
    }

    #[test]
    fn zero_amounts_leave_no_row() {
        let entries = Usage::Tokens {
            input: 5,
            output: 0,
        }
        .entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].direction, Direction::Input);
        assert!(Usage::Images(0).entries().is_empty());
        assert_eq!(hold_entry(Metric::Tokens, 0), None);
    }

    #[test]
    fn images_are_one_output_row_and_only_holds_are_total() {
        assert_eq!(
            Usage::Images(3).entries(),
            [LedgerEntry {
                metric: Metric::Images,
                direction: Direction::Output,
                amount: 3
            }]
        );
        let settled = [
            Usage::Images(2).entries(),
            Usage::Tokens {
                input: 1,
                output: 1,
            }
            .entries(),
        ];
        assert!(
            settled
                .iter()
                .flatten()
                .all(|e| e.direction != Direction::Total)
        );
        assert_eq!(
            hold_entry(Metric::Images, 3),
            Some(LedgerEntry {
                metric: Metric::Images,
                direction: Direction::Total,
                amount: 3
            })
        );
    }

    #[test]
    fn a_chat_reserves_its_input_and_its_whole_output_budget() {
        assert_eq!(chat_reservation(100, 320), 420);
        assert_eq!(chat_reservation(u64::MAX, 1), u64::MAX);
    }

    #[test]
    fn holds_are_abandoned_after_two_timeouts() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        assert_eq!(
            abandoned_before(now, Duration::from_secs(45)),
            Utc.with_ymd_and_hms(2026, 3, 1, 11, 58, 30).unwrap()
        );
        assert_eq!(
            abandoned_before(now, Duration::from_secs(u64::MAX)),
            DateTime::<Utc>::MIN_UTC
        );
    }
}
