//! What is metered, and which side of a request an amount counts.

use std::fmt;
use std::str::FromStr;

use paidloop_catalog::UnknownChoice;
use serde::{Deserialize, Serialize};

/// A metered quantity, each with its own per-cycle limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// LLM tokens, input and output together (`tokens`).
    Tokens,
    /// Generated images, one per image (`images`).
    Images,
    /// Generated videos, one per video (`videos`).
    Videos,
}

impl Metric {
    /// Every metric, in the order the usage summary lists them.
    pub const ALL: [Metric; 3] = [Metric::Tokens, Metric::Images, Metric::Videos];

    /// The wire and ledger name (also the bucket's `key` and `unit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Tokens => "tokens",
            Metric::Images => "images",
            Metric::Videos => "videos",
        }
    }

    /// Reads a ledger name (exact).
    pub fn parse(raw: &str) -> Result<Metric, UnknownChoice> {
        Self::ALL
            .into_iter()
            .find(|metric| metric.as_str() == raw)
            .ok_or_else(|| {
                let names = Self::ALL.map(Metric::as_str);
                UnknownChoice::new("usage metric", raw, &names)
            })
    }

    /// The bucket's human label in the usage summary.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Tokens => "LLM tokens",
            Metric::Images => "Image generations",
            Metric::Videos => "Video generations",
        }
    }
}

/// Which side of a request a ledger amount counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Sent to the provider (`input`), e.g. prompt tokens.
    Input,
    /// Returned by the provider (`output`), e.g. completion tokens or generated images.
    Output,
    /// Not split by side (`total`): a reservation (hold) made before the provider is
    /// called, replaced by input and output rows once it answers. Only holds use it, so
    /// the quota check tells them apart by this column alone.
    #[default]
    Total,
}

impl Direction {
    /// Every direction.
    pub const ALL: [Direction; 3] = [Direction::Input, Direction::Output, Direction::Total];

    /// The wire and ledger name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
            Direction::Total => "total",
        }
    }

    /// Reads a ledger name (exact).
    pub fn parse(raw: &str) -> Result<Direction, UnknownChoice> {
        Self::ALL
            .into_iter()
            .find(|direction| direction.as_str() == raw)
            .ok_or_else(|| {
                let names = Self::ALL.map(Direction::as_str);
                UnknownChoice::new("usage direction", raw, &names)
            })
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

display_and_from_str!(Metric, Direction);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for metric in Metric::ALL {
            assert_eq!(metric.as_str().parse::<Metric>(), Ok(metric));
            assert_eq!(
                serde_json::to_value(metric).unwrap(),
                serde_json::json!(metric.as_str())
            );
        }
        for direction in Direction::ALL {
            assert_eq!(Direction::parse(&direction.to_string()), Ok(direction));
            assert_eq!(
                serde_json::to_value(direction).unwrap(),
                serde_json::json!(direction.as_str())
            );
        }
        assert!(Metric::parse("Tokens").is_err());
        assert!(Direction::parse("both").is_err());
    }

    #[test]
    fn labels_and_defaults() {
        assert_eq!(Metric::Tokens.label(), "LLM tokens");
        assert_eq!(Metric::Videos.label(), "Video generations");
        assert_eq!(Direction::default(), Direction::Total);
    }
}
