//! Who is on the other end: the client's IP address, and the scheme and host the client
//! used, believing `X-Forwarded-*` headers only when they come from a trusted proxy.
//!
//! Anyone can send `X-Forwarded-For: 1.2.3.4`. If the server believed it from everyone, a
//! client could pick a new address per request and never meet its rate limit, or make
//! download links point at a host of its choosing. So the connection's peer is the
//! client unless the peer is inside `TRUSTED_PROXIES`; then the `X-Forwarded-For` chain
//! is walked from the right (the hop the trusted proxy itself saw) past every trusted
//! hop, and the first address that is not a trusted proxy is the client.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderMap};
use ipnet::IpNet;
use url::Url;

use crate::config::Config;
use crate::error::ApiError;
use crate::http::middleware::host_allowed;

const X_FORWARDED_FOR: &str = "x-forwarded-for";
const X_FORWARDED_PROTO: &str = "x-forwarded-proto";
const X_FORWARDED_HOST: &str = "x-forwarded-host";

/// Whether `ip` is one of the trusted proxies (IPv4-mapped IPv6 peers count as IPv4).
pub fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    let ip = ip.to_canonical();
    trusted.iter().any(|net| net.contains(&ip))
}

/// The client address of a connection from `peer` carrying `headers`.
///
/// Without a trusted peer this is the peer. From a trusted peer, the `X-Forwarded-For`
/// entries (all headers, in order) are read right to left: trusted hops are skipped, the
/// first untrusted address is the client; an unreadable entry stops the walk at the
/// last trusted hop, which is then taken as the client (a proxy that forwards garbage
/// is answerable for it); if every hop is trusted, the leftmost one is the client.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all(X_FORWARDED_FOR)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = ip;
        if !is_trusted(ip, trusted) {
            return ip;
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, possibly bracketed or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    let bare = match hop.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None => hop.rsplit_once(':').map(|(ip, _)| ip)?,
    };
    bare.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

/// The client address of `req` (the peer when the peer is unknown, as in unit tests of
/// handlers: `0.0.0.0`).
pub fn of_request(req: &HttpRequest, trusted: &[IpNet]) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    client_ip(peer, req.headers(), trusted)
}

/// The origin (`scheme://host[:port]`) the client reached this server at, for links the
/// server makes (signed downloads).
///
/// `APP_PUBLIC_URL` wins when set. Otherwise the scheme and host come from
/// `X-Forwarded-Proto`/`X-Forwarded-Host` only when the peer is a trusted proxy (and the
/// forwarded host must pass `APP_ALLOWED_HOSTS` like any `Host`), else from the
/// connection and the `Host` header, which the Host check has already validated.
pub fn public_origin(req: &HttpRequest, config: &Config) -> Result<Url, ApiError> {
    if let Some(url) = &config.app.public_url {
        return Ok(url.clone());
    }
    let headers = req.headers();
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let via_proxy = req
        .peer_addr()
        .is_some_and(|peer| is_trusted(peer.ip(), &config.app.trusted_proxies));
    let secure_listener = req.app_config().secure();
    let scheme = match text(X_FORWARDED_PROTO).filter(|_| via_proxy) {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        Some(proto) if proto.eq_ignore_ascii_case("http") => "http",
        Some(_) => {
            return Err(ApiError::BadRequest(
                "Invalid X-Forwarded-Proto header.".into(),
            ));
        }
        None if secure_listener => "https",
        None => "http",
    };
    let host = match text(X_FORWARDED_HOST).filter(|_| via_proxy) {
        Some(host) if host_allowed(host, &config.app.allowed_hosts) => host,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "Invalid X-Forwarded-Host header.".into(),
            ));
        }
        None => headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_else(|| req.app_config().host()),
    };
    Url::parse(&format!("{scheme}://{host}"))
        .map_err(|_| ApiError::BadRequest("Invalid Host header.".into()))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use actix_web::http::header::{HeaderName, HeaderValue};
    use actix_web::test::TestRequest;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(&move |name| map.get(name).cloned()).unwrap()
    }

    fn request(peer: &str, forwarded_host: &str) -> HttpRequest {
        TestRequest::default()
            .peer_addr(peer.parse().unwrap())
            .insert_header(("host", "shop.test"))
            .insert_header((X_FORWARDED_HOST, forwarded_host))
            .insert_header((X_FORWARDED_PROTO, "https"))
            .to_http_request()
    }

    #[test]
    fn links_follow_the_host_unless_a_trusted_proxy_or_the_setting_says_otherwise() {
        let hosts = ("APP_ALLOWED_HOSTS", "shop.test,cdn.shop.test");
        let direct = config(&[hosts]);
        let forged = request("203.0.113.5:40000", "evil.test");
        assert_eq!(
            public_origin(&forged, &direct).unwrap().as_str(),
            "http://shop.test/",
            "forwarded headers from an untrusted peer are ignored"
        );

        let proxied = config(&[hosts, ("TRUSTED_PROXIES", "203.0.113.0/24")]);
        let via_proxy = request("203.0.113.5:40000", "cdn.shop.test");
        assert_eq!(
            public_origin(&via_proxy, &proxied).unwrap().as_str(),
            "https://cdn.shop.test/"
        );
        assert!(
            public_origin(&forged, &proxied).is_err(),
            "a forwarded host must pass APP_ALLOWED_HOSTS too"
        );

        let fixed = config(&[hosts, ("APP_PUBLIC_URL", "https://app.shop.test")]);
        assert_eq!(
            public_origin(&forged, &fixed).unwrap().as_str(),
            "https://app.shop.test/"
        );
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                HeaderName::from_static(X_FORWARDED_FOR),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let headers = forwarded(&["198.51.100.9"]);
        assert_eq!(
            client_ip(ip("203.0.113.5"), &headers, &[]),
            ip("203.0.113.5")
        );
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_ip(ip("203.0.113.5"), &headers, &trusted),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn a_trusted_peer_hands_over_to_the_first_untrusted_hop_from_the_right() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client forged the leftmost entry; the proxies appended the real one.
        let headers = forwarded(&["1.1.1.1, 198.51.100.9", "10.0.0.7"]);
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers, &trusted),
            ip("198.51.100.9")
        );
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.2"), &headers, &trusted),
            ip("198.51.100.9"),
            "an IPv4-mapped peer is the IPv4 address"
        );
    }

    #[test]
    fn odd_chains_never_yield_an_unchecked_address() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_ip(ip("10.0.0.2"), &forwarded(&[]), &trusted),
            ip("10.0.0.2"),
            "no header: the proxy itself"
        );
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                &forwarded(&["1.1.1.1, garbage, 10.0.0.9"]),
                &trusted
            ),
            ip("10.0.0.9"),
            "garbage stops the walk at the last trusted hop"
        );
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                &forwarded(&["10.0.0.3, 10.0.0.4"]),
                &trusted
            ),
            ip("10.0.0.3"),
            "all trusted: the leftmost"
        );
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                &forwarded(&["198.51.100.9:4711", "[2001:db8::1]:80"]),
                &trusted
            ),
            ip("2001:db8::1"),
            "ports and brackets are tolerated"
        );
    }
}
