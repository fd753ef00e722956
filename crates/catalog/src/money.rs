//! Money values: ISO-style currency codes and whole-cent amounts. Amounts are integers
//! of cents everywhere, so no float ever touches a price.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a currency code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("currency must be a 3-letter code")]
pub struct CurrencyError;

/// A three-letter upper-case currency code such as `USD`.
///
/// Whether a missing currency means USD is the caller's choice (the seller API
/// defaults it); this type only says what a given code must look like.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    /// Reads a code: surrounding whitespace is ignored, then exactly three ASCII letters
    /// must remain; they are upper-cased (`" eur "` → `EUR`).
    pub fn parse(raw: &str) -> Result<Currency, CurrencyError> {
        let code = raw.trim();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Currency(code.to_ascii_uppercase()))
        } else {
            Err(CurrencyError)
        }
    }

    /// US dollars, the default currency of a new price.
    pub fn usd() -> Currency {
        Currency("USD".to_owned())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Currency::parse(&raw)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Prices and totals are never negative.
    #[error("amount cannot be negative")]
    Negative,
}

/// A non-negative amount in cents (the smallest unit of the currency).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct AmountCents(i64);

impl AmountCents {
    /// Zero cents: a free price.
    pub const ZERO: AmountCents = AmountCents(0);

    /// Accepts any amount from zero up.
    pub fn new(cents: i64) -> Result<AmountCents, AmountError> {
        if cents < 0 {
            Err(AmountError::Negative)
        } else {
            Ok(AmountCents(cents))
        }
    }

    /// The number of cents.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for AmountCents {
    type Error = AmountError;

    fn try_from(cents: i64) -> Result<Self, Self::Error> {
        AmountCents::new(cents)
    }
}

impl From<AmountCents> for i64 {
    fn from(amount: AmountCents) -> i64 {
        amount.0
    }
}

/// Shown as a decimal with two places, like the `amount` field of a public price.
impl fmt::Display for AmountCents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_amount(self.0))
    }
}

/// Formats cents as a decimal string with exactly two places (`1250` → `"12.50"`), the
/// `amount` field of the public price shape. Exact for every `i64`, unlike dividing a
/// float; a negative value (a refund line, say) gets a leading `-`.
pub fn format_amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn currency_is_trimmed_and_uppercased() {
        assert_eq!(Currency::parse(" eur ").unwrap().as_str(), "EUR");
        assert_eq!(Currency::parse("Usd").unwrap(), Currency::usd());
    }

    #[test]
    fn currency_needs_exactly_three_ascii_letters() {
        for bad in ["", "US", "USDT", "U$D", "12A", "ÉUR", "U D"] {
            assert_eq!(Currency::parse(bad), Err(CurrencyError), "{bad:?}");
        }
    }

    #[test]
    fn currency_serde_goes_through_parse() {
        let currency: Currency = serde_json::from_str("\"gbp\"").unwrap();
        assert_eq!(currency.as_str(), "GBP");
        assert_eq!(serde_json::to_string(&currency).unwrap(), "\"GBP\"");
        assert!(serde_json::from_str::<Currency>("\"pounds\"").is_err());
    }

    #[test]
    fn amount_rejects_negative_cents() {
        assert_eq!(AmountCents::new(-1), Err(AmountError::Negative));
        assert_eq!(AmountCents::new(0).unwrap(), AmountCents::ZERO);
        assert_eq!(AmountCents::new(1250).unwrap().get(), 1250);
        assert!(serde_json::from_str::<AmountCents>("-5").is_err());
    }

    #[test]
    fn format_amount_gives_two_decimal_places() {
        assert_eq!(format_amount(1250), "12.50");
        assert_eq!(format_amount(0), "0.00");
        assert_eq!(format_amount(5), "0.05");
        assert_eq!(format_amount(100), "1.00");
        assert_eq!(format_amount(-75), "-0.75");
        assert_eq!(format_amount(i64::MIN), "-92233720368547758.08");
        assert_eq!(AmountCents::new(999).unwrap().to_string(), "9.99");
    }

    proptest! {
        #[test]
        fn format_amount_reads_back_to_the_same_cents(cents in any::<i64>()) {
            let text = format_amount(cents);
            let (whole, frac) = text.rsplit_once('.').unwrap();
            prop_assert_eq!(frac.len(), 2);
            let negative = whole.starts_with('-');
            let whole: i128 = whole.trim_start_matches('-').parse().unwrap();
            let frac: i128 = frac.parse().unwrap();
            let back = (whole * 100 + frac) * if negative { -1 } else { 1 };
            prop_assert_eq!(back, i128::from(cents));
        }

        #[test]
        fn any_three_letters_make_a_currency(code in "[a-zA-Z]{3}") {
            let currency = Currency::parse(&code).unwrap();
            prop_assert_eq!(currency.as_str(), code.to_ascii_uppercase());
        }
    }
}
