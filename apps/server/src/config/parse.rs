//! Reading typed values out of the environment, collecting every problem at once.
//!
//! The server refuses to start half-configured, and a founder fixing a `.env` file wants
//! to see all of its mistakes in one go, so [`Reader`] never stops at the first error: it
//! records each one (always naming the variable) and the caller turns the list into one
//! [`ConfigError`].

use std::net::IpAddr;
use std::time::Duration;

use ipnet::IpNet;
use url::Url;

/// Every problem found while reading the configuration, one line per variable.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  - {}", .problems.join("\n  - "))]
pub struct ConfigError {
    /// Human-readable problems, each starting with the variable name.
    pub problems: Vec<String>,
}

/// A request budget such as `120/min`: `count` requests per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// How many requests fit in one period.
    pub count: u32,
    /// The length of the window.
    pub period: Duration,
}

impl RateLimit {
    /// Parses `N/sec|min|hour|day` (also `s`, `m`, `h`, `d` and plurals).
    pub fn parse(raw: &str) -> Option<Self> {
        let (count, unit) = raw.trim().split_once('/')?;
        let count: u32 = count.trim().parse().ok().filter(|n| *n > 0)?;
        let seconds = match unit.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" | "seconds" => 1,
            "m" | "min" | "minute" | "minutes" => 60,
            "h" | "hour" | "hours" => 3_600,
            "d" | "day" | "days" => 86_400,
            _ => return None,
        };
        Some(Self {
            count,
            period: Duration::from_secs(seconds),
        })
    }
}

/// Reads variables through a lookup function and remembers what was wrong.
pub struct Reader<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<String>,
}

impl<'a> Reader<'a> {
    /// Wraps a lookup (the process environment in production, a map in tests).
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            lookup,
            problems: Vec::new(),
        }
    }

    /// The trimmed value, with an empty value treated as unset.
    pub fn opt(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The value, or `default` when unset.
    pub fn string(&self, name: &str, default: &str) -> String {
        self.opt(name).unwrap_or_else(|| default.to_owned())
    }

    /// Records a problem about `name`.
    pub fn problem(&mut self, name: &str, message: impl std::fmt::Display) {
        self.problems.push(format!("{name}: {message}"));
    }

    /// A boolean: `true/false`, `1/0`, `yes/no`, `on/off`, any case.
    pub fn bool(&mut self, name: &str, default: bool) -> bool {
        match self.opt(name) {
            None => default,
            Some(raw) => match parse_bool(&raw) {
                Some(b) => b,
                None => {
                    self.problem(name, format!("expected true/false, got {raw:?}"));
                    default
                }
            },
        }
    }

    /// An unsigned integer within `min..=max`.
    pub fn number(&mut self, name: &str, default: u64, min: u64, max: u64) -> u64 {
        match self.opt(name) {
            None => default,
            Some(raw) => match raw.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => n,
                _ => {
                    self.problem(
                        name,
                        format!("expected a whole number from {min} to {max}, got {raw:?}"),
                    );
                    default
                }
            },
        }
    }

    /// A whole number of seconds from 0 to `max` (0 meaning "off" where the caller says so).
    pub fn seconds(&mut self, name: &str, default: u64, max: u64) -> Duration {
        Duration::from_secs(self.number(name, default, 0, max))
    }

    /// A comma-separated list of CIDR ranges (`10.0.0.0/8`, `fd00::/8`) or single
    /// addresses (taken as `/32` or `/128`).
    pub fn networks(&mut self, name: &str) -> Vec<IpNet> {
        let mut out = Vec::new();
        for entry in self.list(name, "") {
            match parse_network(&entry) {
                Some(net) => out.push(net),
                None => self.problem(
                    name,
                    format!("expected a CIDR range or an IP address, got {entry:?}"),
                ),
            }
        }
        out
    }

    /// An http(s) origin (`https://app.example.com`, a port allowed; no path, query or
    /// fragment), if set.
    pub fn origin(&mut self, name: &str) -> Option<Url> {
        let url = self.url(name)?;
        let bare = url.path() == "/"
            && url.query().is_none()
            && url.fragment().is_none()
            && url.username().is_empty()
            && url.password().is_none();
        if bare {
            Some(url)
        } else {
            self.problem(
                name,
                format!("expected an origin such as https://app.example.com, got {url}"),
            );
            None
        }
    }

    /// A comma-separated list, entries trimmed, empties dropped.
    pub fn list(&self, name: &str, default: &str) -> Vec<String> {
        split_list(&self.string(name, default))
    }

    /// An absolute http(s) URL, if set.
    pub fn url(&mut self, name: &str) -> Option<Url> {
        let raw = self.opt(name)?;
        match Url::parse(&raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
            _ => {
                self.problem(name, format!("expected an http(s) URL, got {raw:?}"));
                None
            }
        }
    }

    /// Like [`Reader::url`] with a default.
    pub fn url_or(&mut self, name: &str, default: &str) -> Url {
        match self.url(name) {
            Some(url) => url,
            None => Url::parse(default).expect("default URLs are valid"),
        }
    }

    /// A `N/period` rate limit.
    pub fn rate(&mut self, name: &str, default: &str) -> RateLimit {
        let raw = self.string(name, default);
        RateLimit::parse(&raw).unwrap_or_else(|| {
            self.problem(name, format!("expected N/sec|min|hour|day, got {raw:?}"));
            RateLimit::parse(default).expect("default rates are valid")
        })
    }

    /// One of a fixed set of lower-case words.
    pub fn choice(&mut self, name: &str, default: &str, allowed: &[&str]) -> String {
        let value = self.string(name, default).to_ascii_lowercase();
        if allowed.contains(&value.as_str()) {
            value
        } else {
            self.problem(
                name,
                format!("expected one of {}, got {value:?}", allowed.join("/")),
            );
            default.to_owned()
        }
    }

    /// Ends reading: `Ok(())` if nothing was wrong.
    pub fn finish(self) -> Result<(), ConfigError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError {
                problems: self.problems,
            })
        }
    }
}

/// Parses the booleans the configuration accepts.
pub fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Parses `10.0.0.0/8` or a single address; host bits are cleared (`10.1.2.3/8` is
/// `10.0.0.0/8`).
pub fn parse_network(raw: &str) -> Option<IpNet> {
    if let Ok(net) = raw.parse::<IpNet>() {
        return Some(net.trunc());
    }
    raw.parse::<IpAddr>().ok().map(IpNet::from)
}

/// Splits a comma-separated setting.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_units_and_reject_nonsense() {
        assert_eq!(
            RateLimit::parse("120/min"),
            Some(RateLimit {
                count: 120,
                period: Duration::from_secs(60)
            })
        );
        assert_eq!(
            RateLimit::parse(" 5 / Hour ").map(|r| r.period.as_secs()),
            Some(3600)
        );
        assert_eq!(RateLimit::parse("0/min"), None);
        assert_eq!(RateLimit::parse("10/week"), None);
        assert_eq!(RateLimit::parse("ten/min"), None);
    }

    #[test]
    fn networks_accept_ranges_and_single_addresses() {
        assert_eq!(
            parse_network("10.1.2.3/8").map(|n| n.to_string()),
            Some("10.0.0.0/8".to_owned())
        );
        assert_eq!(
            parse_network("203.0.113.7").map(|n| n.to_string()),
            Some("203.0.113.7/32".to_owned())
        );
        assert_eq!(
            parse_network("fd00::/8").map(|n| n.to_string()),
            Some("fd00::/8".to_owned())
        );
        assert_eq!(parse_network("10.0.0.0/33"), None);
        assert_eq!(parse_network("proxy.internal"), None);
    }

    #[test]
    fn booleans_accept_the_documented_spellings() {
        for raw in ["true", "TRUE", "1", "yes", "On"] {
            assert_eq!(parse_bool(raw), Some(true), "{raw}");
        }
        for raw in ["false", "0", "NO", "off"] {
            assert_eq!(parse_bool(raw), Some(false), "{raw}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn reader_collects_every_problem_with_its_variable() {
        let lookup = |name: &str| match name {
            "A" => Some("nope".to_owned()),
            "B" => Some("70000".to_owned()),
            _ => None,
        };
        let mut reader = Reader::new(&lookup);
        reader.bool("A", false);
        reader.number("B", 1, 1, 65_535);
        let err = reader.finish().unwrap_err();
        assert_eq!(err.problems.len(), 2);
        assert!(err.problems[0].starts_with("A: "));
        assert!(err.problems[1].starts_with("B: "));
    }
}
