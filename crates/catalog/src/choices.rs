//! The fixed choices of the catalog (billing period, product type, visibility), each
//! with its wire name; the serde names and `as_str` are the same strings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A text that is none of a choice's wire names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind}; expected one of: {expected}")]
pub struct UnknownChoice {
    /// What was being chosen, e.g. "billing period".
    pub kind: &'static str,
    /// The text that was given.
    pub value: String,
    /// The accepted names, comma-separated, for the error message.
    pub expected: String,
}

impl UnknownChoice {
    /// Builds the error for `value`, listing the accepted names so a client can fix its
    /// request from the message alone.
    pub fn new(kind: &'static str, value: &str, expected: &[&str]) -> UnknownChoice {
        UnknownChoice {
            kind,
            value: value.to_owned(),
            expected: expected.join(", "),
        }
    }
}

/// Finds the choice whose wire name is exactly `raw` (choices are case-sensitive, as
/// in the Django edition).
fn parse_choice<T: Copy>(
    kind: &'static str,
    raw: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, UnknownChoice> {
    all.iter()
        .copied()
        .find(|choice| name(*choice) == raw)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|choice| name(*choice)).collect();
            UnknownChoice::new(kind, raw, &names)
        })
}

/// How often a price is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingPeriod {
    /// Paid once (`one_time`).
    #[default]
    OneTime,
    /// Renewed every month (`monthly`).
    Monthly,
    /// Renewed every year (`yearly`).
    Yearly,
}

impl BillingPeriod {
    /// Every period, in display order.
    pub const ALL: [BillingPeriod; 3] = [
        BillingPeriod::OneTime,
        BillingPeriod::Monthly,
        BillingPeriod::Yearly,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingPeriod::OneTime => "one_time",
            BillingPeriod::Monthly => "monthly",
            BillingPeriod::Yearly => "yearly",
        }
    }

    /// Reads a wire name.
    pub fn parse(raw: &str) -> Result<BillingPeriod, UnknownChoice> {
        parse_choice("billing period", raw, &Self::ALL, Self::as_str)
    }

    /// The human name, used as a price's name when the seller gave none.
    pub fn label(self) -> &'static str {
        match self {
            BillingPeriod::OneTime => "One-time",
            BillingPeriod::Monthly => "Monthly",
            BillingPeriod::Yearly => "Yearly",
        }
    }

    /// Whether buying it starts a subscription.
    pub fn is_recurring(self) -> bool {
        self != BillingPeriod::OneTime
    }

    /// Length in days of the subscription period a local confirmation creates
    /// (30 for monthly, 365 for yearly); `None` for a one-time price.
    pub fn period_days(self) -> Option<u32> {
        match self {
            BillingPeriod::OneTime => None,
            BillingPeriod::Monthly => Some(30),
            BillingPeriod::Yearly => Some(365),
        }
    }
}

/// What kind of thing a product delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductType {
    /// Files to download (`digital`).
    #[default]
    Digital,
    /// Work done for the buyer (`service`), tracked as work orders.
    Service,
}

impl ProductType {
    /// Every product type.
    pub const ALL: [ProductType; 2] = [ProductType::Digital, ProductType::Service];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductType::Digital => "digital",
            ProductType::Service => "service",
        }
    }

    /// Reads a wire name.
    pub fn parse(raw: &str) -> Result<ProductType, UnknownChoice> {
        parse_choice("product type", raw, &Self::ALL, Self::as_str)
    }
}

/// Who can see a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Only its seller (`draft`), the state of a new product.
    #[default]
    Draft,
    /// Everyone, and it can be bought (`published`).
    Published,
    /// No longer listed or sold (`archived`).
    Archived,
}

impl Visibility {
    /// Every visibility.
    pub const ALL: [Visibility; 3] = [
        Visibility::Draft,
        Visibility::Published,
        Visibility::Archived,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Draft => "draft",
            Visibility::Published => "published",
            Visibility::Archived => "archived",
        }
    }

    /// Reads a wire name.
    pub fn parse(raw: &str) -> Result<Visibility, UnknownChoice> {
        parse_choice("visibility", raw, &Self::ALL, Self::as_str)
    }

    /// Whether the public catalog lists it and buyers can order it.
    pub fn is_public(self) -> bool {
        self == Visibility::Published
    }
}

macro_rules! display_and_from_str {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownChoice;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw)
            }
        }
    )*};
}

display_and_from_str!(BillingPeriod, ProductType, Visibility);

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_name<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn wire_names_round_trip_and_match_serde() {
        for period in BillingPeriod::ALL {
            assert_eq!(BillingPeriod::parse(period.as_str()), Ok(period));
            assert_eq!(serde_name(period), period.as_str());
        }
        for kind in ProductType::ALL {
            assert_eq!(kind.as_str().parse::<ProductType>(), Ok(kind));
            assert_eq!(serde_name(kind), kind.as_str());
        }
        for visibility in Visibility::ALL {
            assert_eq!(Visibility::parse(&visibility.to_string()), Ok(visibility));
            assert_eq!(serde_name(visibility), visibility.as_str());
        }
    }

    #[test]
    fn parsing_is_exact() {
        let err = BillingPeriod::parse("Monthly").unwrap_err();
        assert_eq!(err.kind, "billing period");
        assert_eq!(
            err.to_string(),
            "`Monthly` is not a valid billing period; expected one of: one_time, monthly, yearly"
        );
        assert!(ProductType::parse(" digital").is_err());
        assert!(Visibility::parse("public").is_err());
    }

    #[test]
    fn defaults_match_a_new_row() {
        assert_eq!(BillingPeriod::default(), BillingPeriod::OneTime);
        assert_eq!(ProductType::default(), ProductType::Digital);
        assert_eq!(Visibility::default(), Visibility::Draft);
    }

    #[test]
    fn billing_period_facts() {
        assert_eq!(BillingPeriod::OneTime.label(), "One-time");
        assert_eq!(BillingPeriod::Yearly.label(), "Yearly");
        assert!(!BillingPeriod::OneTime.is_recurring());
        assert!(BillingPeriod::Monthly.is_recurring());
        assert_eq!(BillingPeriod::Monthly.period_days(), Some(30));
        assert_eq!(BillingPeriod::Yearly.period_days(), Some(365));
        assert_eq!(BillingPeriod::OneTime.period_days(), None);
    }

    #[test]
    fn only_published_is_public() {
        assert!(Visibility::Published.is_public());
        assert!(!Visibility::Draft.is_public());
        assert!(!Visibility::Archived.is_public());
    }
}
