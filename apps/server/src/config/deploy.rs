//! The rules of `paidloop check --deploy`: what must never reach production.

use super::Config;

/// How bad a finding is: errors fail the check, warnings are printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The deploy must not go ahead.
    Error,
    /// Worth a look, but allowed.
    Warning,
}

/// One problem found in a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, naming the variable.
    pub message: String,
}

/// Words that mark a secret copied from an example rather than generated.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "replace",
    "change-me",
    "changeme",
    "placeholder",
    "example",
    "your-",
    "insecure",
    "secret-key-here",
];

/// The webhook secret `scripts/dev-env` sets for local payments; public, so never valid
/// in production.
pub const LOCAL_WEBHOOK_SECRET: &str = "whsec_cGFpZGxvb3AtbG9jYWwtZGV2ZWxvcG1lbnQtd2ViaG9vay1rZXk=";

/// Why `APP_SECRET_KEY` is unfit for production, if it is.
pub fn secret_key_problem(key: Option<&str>) -> Option<String> {
    let Some(key) = key else {
        return Some(
            "APP_SECRET_KEY is not set: generate one with `openssl rand -hex 32`".to_owned(),
        );
    };
    let lower = key.to_ascii_lowercase();
    let distinct = {
        let mut chars: Vec<char> = key.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    if key.len() < 50 {
        Some(format!(
            "APP_SECRET_KEY is {} characters; use at least 50 random characters",
            key.len()
        ))
    } else if distinct < 8 || PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) {
        Some("APP_SECRET_KEY looks like a placeholder; generate a random one".to_owned())
    } else {
        None
    }
}

/// Every deploy problem of `config`, errors first.
pub fn findings(config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut error = |message: String| {
        out.push(Finding {
            severity: Severity::Error,
            message,
        });
    };
    if config.app.debug {
        error("APP_DEBUG is on: turn it off in production".to_owned());
    }
    if let Some(problem) = secret_key_problem(config.app.secret_key.as_deref()) {
        error(problem);
    }
    if config.app.dev_auth_enabled {
        error("DEV_AUTH_ENABLED is on: local sign-in must never run in production".to_owned());
    }
    if config.order_confirm.allow_manual {
        error(
            "ORDER_CONFIRM_ALLOW_MANUAL is on: orders could be marked paid without payment"
                .to_owned(),
        );
    }
    if config.order_confirm.allow_client_side_clerk_confirm {
        error(
            "ORDER_CONFIRM_ALLOW_CLIENT_SIDE_CLERK_CONFIRM is on: payment must be confirmed by verified webhooks"
                .to_owned(),
        );
    }
    match config.clerk.webhook_signing_secret.as_deref() {
        None => error(
            "CLERK_WEBHOOK_SIGNING_SECRET is not set: payment webhooks cannot be verified"
                .to_owned(),
        ),
        Some(secret) if !secret.starts_with("whsec_") => {
            error("CLERK_WEBHOOK_SIGNING_SECRET must start with `whsec_`".to_owned());
        }
        Some(LOCAL_WEBHOOK_SECRET) => error(
            "CLERK_WEBHOOK_SIGNING_SECRET is the public local-development secret of scripts/dev-env: use the one Clerk shows for your endpoint".to_owned(),
        ),
        Some(_) => {}
    }
    if config.clerk.jwks_url.is_none() && config.clerk.jwt_key.is_none() {
        error(
            "no JWT verification source: set CLERK_JWKS_URL, CLERK_JWT_KEY or CLERK_DOMAIN"
                .to_owned(),
        );
    }
    if config.app.allowed_hosts.iter().any(|h| h == "*") {
        error("APP_ALLOWED_HOSTS is `*`: list the real host names".to_owned());
    }
    if config.app.hsts_seconds == 0 {
        error("SECURE_HSTS_SECONDS is 0: HSTS is off".to_owned());
    }
    for net in config
        .app
        .trusted_proxies
        .iter()
        .filter(|n| n.prefix_len() == 0)
    {
        error(format!(
            "TRUSTED_PROXIES contains {net}, which trusts every address: any client could \
             forge its IP (and escape rate limits) with X-Forwarded-For; list your proxies' ranges"
        ));
    }
    let mut warn = |message: &str| {
        out.push(Finding {
            severity: Severity::Warning,
            message: message.to_owned(),
        });
    };
    if crate::db::is_sqlite(&config.app.database_url) {
        warn("DATABASE_URL is SQLite: use Postgres (Supabase) to run more than one instance");
    }
    if config.ai.simulator_enabled {
        warn("AI_SIMULATOR_ENABLED is on: AI requests are answered by the local simulator");
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(&move |name| map.get(name).cloned()).unwrap()
    }

    fn errors(config: &Config) -> Vec<String> {
        findings(config)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_debug_configuration_fails_with_every_problem_listed() {
        let config = config(&[
            ("APP_DEBUG", "true"),
            ("DEV_AUTH_ENABLED", "true"),
            ("ORDER_CONFIRM_ALLOW_MANUAL", "true"),
            ("ORDER_CONFIRM_ALLOW_CLIENT_SIDE_CLERK_CONFIRM", "true"),
            ("APP_ALLOWED_HOSTS", "*"),
        ]);
        let errors = errors(&config);
        for needle in [
            "APP_DEBUG",
            "APP_SECRET_KEY",
            "DEV_AUTH_ENABLED",
            "ORDER_CONFIRM_ALLOW_MANUAL",
            "ORDER_CONFIRM_ALLOW_CLIENT_SIDE_CLERK_CONFIRM",
            "CLERK_WEBHOOK_SIGNING_SECRET",
            "JWT verification",
            "APP_ALLOWED_HOSTS",
            "SECURE_HSTS_SECONDS",
        ] {
            assert!(
                errors.iter().any(|e| e.contains(needle)),
                "{needle} not in {errors:?}"
            );
        }
    }

    #[test]
    fn a_production_configuration_passes_with_only_warnings() {
        let config = config(&[
            (
                "APP_SECRET_KEY",
                "q8Zr1fJ0mXwT5vK2pL9sB4nH7cY3dG6aE1uR8iO0tW5zQ2xV4bN7mM",
            ),
            ("CLERK_DOMAIN", "clerk.shop.test"),
            (
                "CLERK_WEBHOOK_SIGNING_SECRET",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ),
            ("APP_ALLOWED_HOSTS", "shop.test"),
        ]);
        assert_eq!(errors(&config), Vec::<String>::new());
        assert!(
            findings(&config)
                .iter()
                .any(|f| f.severity == Severity::Warning && f.message.contains("SQLite"))
        );
    }

    #[test]
    fn the_local_webhook_secret_is_refused() {
        let config = config(&[
            (
                "APP_SECRET_KEY",
                "q8Zr1fJ0mXwT5vK2pL9sB4nH7cY3dG6aE1uR8iO0tW5zQ2xV4bN7mM",
            ),
            ("CLERK_DOMAIN", "clerk.shop.test"),
            ("CLERK_WEBHOOK_SIGNING_SECRET", LOCAL_WEBHOOK_SECRET),
            ("APP_ALLOWED_HOSTS", "shop.test"),
        ]);
        let errors = errors(&config);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("local-development"));
    }

    #[test]
    fn catch_all_proxy_ranges_are_refused() {
        for catch_all in ["0.0.0.0/0", "::/0", "10.0.0.0/8,0.0.0.0/0"] {
            let config = config(&[
                (
                    "APP_SECRET_KEY",
                    "q8Zr1fJ0mXwT5vK2pL9sB4nH7cY3dG6aE1uR8iO0tW5zQ2xV4bN7mM",
                ),
                ("CLERK_DOMAIN", "clerk.shop.test"),
                (
                    "CLERK_WEBHOOK_SIGNING_SECRET",
                    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                ),
                ("APP_ALLOWED_HOSTS", "shop.test"),
                ("TRUSTED_PROXIES", catch_all),
            ]);
            let errors = errors(&config);
            assert_eq!(errors.len(), 1, "{catch_all}: {errors:?}");
            assert!(
                errors[0].starts_with("TRUSTED_PROXIES contains"),
                "{errors:?}"
            );
        }
    }

    #[test]
    fn placeholder_and_short_secrets_are_refused() {
        assert!(secret_key_problem(Some("short")).is_some());
        assert!(
            secret_key_problem(Some(
                "replace-with-a-64-char-random-secret-key-value-example-1234567890"
            ))
            .is_some()
        );
        assert!(secret_key_problem(Some(&"a".repeat(64))).is_some());
        assert!(
            secret_key_problem(Some(
                "q8Zr1fJ0mXwT5vK2pL9sB4nH7cY3dG6aE1uR8iO0tW5zQ2xV4bN7mM"
            ))
            .is_none()
        );
    }
}
