//! Pure usage rules: periods, plan limits, quota reservation and settlement.
//!
//! AI usage is metered server-side in an append-only ledger. These rules say which
//! cycle a request falls in, how much the caller's plan allows per cycle, whether a
//! request fits before the provider is called, and how a reservation is settled to
//! the provider-reported usage. Tokens are counted with OpenAI's own encodings
//! ([`TokenCounter`]).

mod ledger;
mod limits;
mod metric;
mod period;
mod quota;
mod tokens;

pub use ledger::{
    HOLD_LIFETIME_IN_TIMEOUTS, LedgerEntry, Usage, abandoned_before, chat_reservation, hold_entry,
};
pub use limits::{LimitsByTier, PlanLimits};
pub use metric::{Direction, Metric};
pub use period::{
    PeriodSource, SubscriptionPeriod, UsagePeriod, anchored_monthly_cycle, resolve_usage_period,
};
pub use quota::{
    NEAR_LIMIT_PERCENT, QuotaExceeded, RunningTotals, Settlement, UsageBucket, check_reservation,
    near_limit, percent_used, remaining, settle,
};
pub use tokens::{Encoding, MessageText, TokenCounter, bare_model, encoding_for, warm_up};
