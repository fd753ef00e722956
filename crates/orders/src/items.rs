//! What an order line remembers about what was bought.

use paidloop_catalog::BillingPeriod;

/// The price name stored on an order line, so the order still reads right after the
/// seller renames or deletes the price: the price's name, or when it has none the
/// billing period's label ("One-time", "Monthly", "Yearly").
pub fn price_name_snapshot(name: &str, billing_period: BillingPeriod) -> String {
    let name = name.trim();
    if name.is_empty() {
        billing_period.label().to_owned()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_price_name() {
        assert_eq!(
            price_name_snapshot("  Launch deal ", BillingPeriod::Monthly),
            "Launch deal"
        );
    }

    #[test]
    fn falls_back_to_the_period_label() {
        assert_eq!(price_name_snapshot("", BillingPeriod::OneTime), "One-time");
        assert_eq!(price_name_snapshot("  ", BillingPeriod::Monthly), "Monthly");
        assert_eq!(price_name_snapshot("", BillingPeriod::Yearly), "Yearly");
    }
}
