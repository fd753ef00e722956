//! Pure usage rules: periods, plan limits, quota reservation and settlement.
