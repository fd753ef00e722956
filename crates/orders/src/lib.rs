//! Pure order rules: totals, status transitions, payment events and the fulfilment plan.
//!
//! Payment truth is server-side: totals are computed here from the server's prices, an
//! order moves only along the allowed status transitions, and the client-side confirm
//! endpoint goes through one guard whose checks run in a fixed order.

mod confirm;
mod items;
mod status;
mod totals;

pub use confirm::{
    ConfirmDecision, ConfirmPolicy, ForbiddenReason, PaymentProvider, SharedSecretCheck,
    confirm_guard,
};
pub use items::price_name_snapshot;
pub use status::{OrderStatus, TransitionError};
pub use totals::{OrderTotals, TotalsError, line_total};
