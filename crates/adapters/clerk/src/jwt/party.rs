//! Matching the `azp` (authorized party) claim against the allowed origins.

use url::{Host, Url};

/// An origin-like URL reduced to what decides a match.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: Host<String>,
    port: Option<u16>,
    path: String,
}

impl Origin {
    /// Parses `scheme://host[:port][/path]`; `None` without a scheme or host.
    fn parse(value: &str) -> Option<Self> {
        let url = Url::parse(value.trim()).ok()?;
        let host = match url.host()? {
            Host::Domain(domain) => Host::Domain(domain.to_ascii_lowercase()),
            Host::Ipv4(ip) => Host::Ipv4(ip),
            Host::Ipv6(ip) => Host::Ipv6(ip),
        };
        Some(Self {
            scheme: url.scheme().to_ascii_lowercase(),
            host,
            port: url.port_or_known_default(),
            path: url.path().trim_end_matches('/').to_owned(),
        })
    }

    /// `localhost`, any `127.x.y.z`, or `::1`.
    fn is_loopback(&self) -> bool {
        match &self.host {
            Host::Domain(domain) => domain == "localhost",
            Host::Ipv4(ip) => ip.is_loopback(),
            Host::Ipv6(ip) => ip.is_loopback(),
        }
    }
}

/// Whether a token's `azp` is one of the allowed parties (`CLERK_AUTHORIZED_PARTIES`).
///
/// Operators write origins by hand, so the match is forgiving where it is safe: a
/// trailing slash and letter case are ignored; URLs are compared by scheme, host,
/// effective port (`:443` = https default) and path without trailing slash; and
/// because local development alternates `localhost`, `127.0.0.1` and `[::1]`, any
/// two loopback hosts are the same host when scheme, port and path match. An empty
/// `azp` matches nothing.
pub fn authorized_party_matches(azp: &str, allowed: &[String]) -> bool {
    let azp = azp.trim();
    if azp.is_empty() {
        return false;
    }
    let azp_plain = azp.trim_end_matches('/').to_lowercase();
    let azp_origin = Origin::parse(azp);

    allowed
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .any(|allowed| {
            if allowed.trim_end_matches('/').to_lowercase() == azp_plain {
                return true;
            }
            let (Some(token), Some(allowed)) = (&azp_origin, Origin::parse(allowed)) else {
                return false;
            };
            *token == allowed
                || (token.scheme == allowed.scheme
                    && token.port == allowed.port
                    && token.path == allowed.path
                    && token.is_loopback()
                    && allowed.is_loopback())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn exact_trailing_slash_and_case_are_ignored() {
        let list = allowed(&["https://App.Example.com/"]);
        assert!(authorized_party_matches("https://app.example.com", &list));
        assert!(authorized_party_matches("https://APP.example.com/", &list));
        assert!(authorized_party_matches(" https://app.example.com ", &list));
    }

    #[test]
    fn effective_port_and_path_are_compared() {
        let list = allowed(&["https://app.example.com:443", "http://x.test/app/"]);
        assert!(authorized_party_matches("https://app.example.com", &list));
        assert!(authorized_party_matches("http://x.test:80/app", &list));
        assert!(!authorized_party_matches(
            "https://app.example.com:8443",
            &list
        ));
        assert!(!authorized_party_matches("http://app.example.com", &list));
        assert!(!authorized_party_matches("http://x.test/other", &list));
    }

    #[test]
    fn loopback_aliases_match_with_same_scheme_port_and_path() {
        let list = allowed(&["http://localhost:5173/"]);
        assert!(authorized_party_matches("http://127.0.0.1:5173", &list));
        assert!(authorized_party_matches("http://127.8.9.10:5173", &list));
        assert!(authorized_party_matches("http://[::1]:5173", &list));
        assert!(authorized_party_matches("http://LOCALHOST:5173", &list));
        assert!(!authorized_party_matches("http://127.0.0.1:5174", &list));
        assert!(!authorized_party_matches("https://127.0.0.1:5173", &list));
        assert!(!authorized_party_matches(
            "http://127.0.0.1:5173/admin",
            &list
        ));
        assert!(!authorized_party_matches("http://example.com:5173", &list));
        assert!(!authorized_party_matches(
            "http://localhost.evil.com:5173",
            &list
        ));
    }

    #[test]
    fn lookalikes_and_empty_values_do_not_match() {
        let list = allowed(&["https://app.example.com", "", "  "]);
        assert!(!authorized_party_matches("", &list));
        assert!(!authorized_party_matches("   ", &list));
        assert!(!authorized_party_matches(
            "https://app.example.com.evil.com",
            &list
        ));
        assert!(!authorized_party_matches(
            "https://evil.com/app.example.com",
            &list
        ));
        assert!(!authorized_party_matches("app.example.com", &list));
        assert!(!authorized_party_matches("https://app.example.com", &[]));
        assert!(!authorized_party_matches(
            "https://app.example.com",
            &allowed(&[""])
        ));
    }

    #[test]
    fn non_url_entries_still_match_literally() {
        let list = allowed(&["my-mobile-app"]);
        assert!(authorized_party_matches("My-Mobile-App/", &list));
        assert!(!authorized_party_matches("other-app", &list));
    }
}
