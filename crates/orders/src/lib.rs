//! Pure order rules: totals, status transitions, payment events and the fulfilment plan.
//!
//! Payment truth is server-side: totals are computed here from the server's prices, an
//! order moves only along the allowed status transitions, and the client-side confirm
//! endpoint goes through one guard whose checks run in a fixed order.

mod confirm;
mod event_type;
mod fulfilment;
mod items;
mod payment_event;
mod status;
mod totals;

pub use confirm::{
    ConfirmDecision, ConfirmPolicy, ForbiddenReason, PaymentProvider, SharedSecretCheck,
    confirm_guard,
};
pub use event_type::{
    ClerkEventType, PaymentChange, PaymentEventType, PaymentSource, SubscriptionEvent,
};
pub use fulfilment::{
    FulfilmentError, FulfilmentItem, FulfilmentPlan, GrantAsset, ItemPrice, MAX_DOWNLOADS,
    MAX_UNITS_PER_ITEM, PURCHASE_SOURCE_TYPE, PendingReason, PlaceholderAsset, PlannedEntitlement,
    PlannedGrant, PlannedSubscription, PlannedWorkOrder, ServiceTerms, plan_fulfilment,
};
pub use items::price_name_snapshot;
pub use payment_event::{
    CHECKOUT_ID_KEYS, EXTERNAL_ID_KEYS, ORDER_ID_KEYS, OrderLookup, PaymentEvent, PaymentOutcome,
    STATUS_KEYS, webhook_confirmation,
};
pub use status::{OrderStatus, TransitionError};
pub use totals::{OrderTotals, TotalsError, line_total};
