//! Pure order rules: totals, status transitions, payment events and the fulfilment plan.
