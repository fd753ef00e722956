//! Order money: line totals and the order's subtotal, tax and total, all in cents and
//! all checked, so a huge quantity is a refused request rather than a wrapped number.

use serde::Serialize;

/// Why an amount could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotalsError {
    /// A unit price, subtotal or tax was below zero.
    #[error("amounts cannot be negative")]
    NegativeAmount,
    /// An order line must be for at least one unit.
    #[error("quantity must be at least 1")]
    QuantityBelowOne,
    /// The result does not fit in 64 bits of cents.
    #[error("amount is too large")]
    Overflow,
}

/// The total of one order line: unit price × quantity, in cents.
pub fn line_total(unit_cents: i64, quantity: i64) -> Result<i64, TotalsError> {
    if unit_cents < 0 {
        return Err(TotalsError::NegativeAmount);
    }
    if quantity < 1 {
        return Err(TotalsError::QuantityBelowOne);
    }
    unit_cents
        .checked_mul(quantity)
        .ok_or(TotalsError::Overflow)
}

/// An order's subtotal, tax and total, where the total is always subtotal + tax
/// (the fields are private so no other combination can be built).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OrderTotals {
    subtotal_cents: i64,
    tax_cents: i64,
    total_cents: i64,
}

impl OrderTotals {
    /// Totals from a subtotal and a tax, both non-negative.
    pub fn new(subtotal_cents: i64, tax_cents: i64) -> Result<OrderTotals, TotalsError> {
        if subtotal_cents < 0 || tax_cents < 0 {
            return Err(TotalsError::NegativeAmount);
        }
        let total_cents = subtotal_cents
            .checked_add(tax_cents)
            .ok_or(TotalsError::Overflow)?;
        Ok(OrderTotals {
            subtotal_cents,
            tax_cents,
            total_cents,
        })
    }

    /// Totals from the order's line totals (from [`line_total`]) plus tax.
    pub fn from_lines(
        line_totals: impl IntoIterator<Item = i64>,
        tax_cents: i64,
    ) -> Result<OrderTotals, TotalsError> {
        let mut subtotal: i64 = 0;
        for line in line_totals {
            if line < 0 {
                return Err(TotalsError::NegativeAmount);
            }
            subtotal = subtotal.checked_add(line).ok_or(TotalsError::Overflow)?;
        }
        OrderTotals::new(subtotal, tax_cents)
    }

    /// Sum of the lines, in cents.
    pub fn subtotal_cents(&self) -> i64 {
        self.subtotal_cents
    }

    /// Tax, in cents (zero until a tax rule exists).
    pub fn tax_cents(&self) -> i64 {
        self.tax_cents
    }

    /// What the buyer pays: subtotal + tax, in cents.
    pub fn total_cents(&self) -> i64 {
        self.total_cents
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn line_total_multiplies() {
        assert_eq!(line_total(1250, 3), Ok(3750));
        assert_eq!(line_total(0, 5), Ok(0));
    }

    #[test]
    fn line_total_checks_its_inputs() {
        assert_eq!(line_total(100, 0), Err(TotalsError::QuantityBelowOne));
        assert_eq!(line_total(100, -2), Err(TotalsError::QuantityBelowOne));
        assert_eq!(line_total(-1, 1), Err(TotalsError::NegativeAmount));
        assert_eq!(line_total(i64::MAX / 2 + 1, 2), Err(TotalsError::Overflow));
    }

    #[test]
    fn totals_add_tax() {
        let totals = OrderTotals::new(1000, 80).unwrap();
        assert_eq!(
            (
                totals.subtotal_cents(),
                totals.tax_cents(),
                totals.total_cents()
            ),
            (1000, 80, 1080)
        );
        assert_eq!(
            serde_json::to_value(totals).unwrap(),
            serde_json::json!({"subtotal_cents": 1000, "tax_cents": 80, "total_cents": 1080})
        );
    }

    #[test]
    fn totals_refuse_negatives_and_overflow() {
        assert_eq!(OrderTotals::new(-1, 0), Err(TotalsError::NegativeAmount));
        assert_eq!(OrderTotals::new(0, -1), Err(TotalsError::NegativeAmount));
        assert_eq!(OrderTotals::new(i64::MAX, 1), Err(TotalsError::Overflow));
        assert_eq!(
            OrderTotals::from_lines([i64::MAX, 1], 0),
            Err(TotalsError::Overflow)
        );
        assert_eq!(
            OrderTotals::from_lines([5, -1], 0),
            Err(TotalsError::NegativeAmount)
        );
    }

    #[test]
    fn totals_sum_their_lines() {
        let totals = OrderTotals::from_lines([line_total(500, 2).unwrap(), 250], 0).unwrap();
        assert_eq!(totals.subtotal_cents(), 1250);
        assert_eq!(totals.total_cents(), 1250);
        assert_eq!(OrderTotals::from_lines([], 0).unwrap().total_cents(), 0);
    }

    proptest! {
        #[test]
        fn line_total_is_exact_or_refused(unit in 0i64..=i64::MAX, quantity in 1i64..=i64::MAX) {
            let exact = i128::from(unit) * i128::from(quantity);
            match line_total(unit, quantity) {
                Ok(total) => prop_assert_eq!(i128::from(total), exact),
                Err(err) => {
                    prop_assert_eq!(err, TotalsError::Overflow);
                    prop_assert!(exact > i128::from(i64::MAX));
                }
            }
        }

        #[test]
        fn total_is_always_subtotal_plus_tax(subtotal in 0i64..=i64::MAX, tax in 0i64..=i64::MAX) {
            match OrderTotals::new(subtotal, tax) {
                Ok(totals) => prop_assert_eq!(totals.total_cents(), totals.subtotal_cents() + totals.tax_cents()),
                Err(err) => {
                    prop_assert_eq!(err, TotalsError::Overflow);
                    prop_assert!(i128::from(subtotal) + i128::from(tax) > i128::from(i64::MAX));
                }
            }
        }
    }
}
