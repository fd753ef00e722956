//! Resend adapter: sends one transactional email through Resend's HTTP API
//! (`POST {RESEND_API_URL}/emails`).
//!
//! The request is a pure function of the message ([`request_body`], [`emails_url`]), so
//! its shape is tested without a network; [`ResendClient`] adds the bearer key, the
//! `Idempotency-Key` header and retries. A 5xx answer, a 429 or a network failure is
//! retried with the *same* idempotency key, so Resend delivers the message once even
//! when an earlier try reached it; any other 4xx means the message itself was refused
//! and is never retried. The adapter knows nothing of the outbox, the database or
//! actix: the server calls it through its own email transport trait, and deleting this
//! crate (`scripts/remove-adapter resend`) leaves SMTP and the `.eml` outbox.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use url::Url;

/// How the adapter reaches Resend: everything comes from configuration, so tests point
/// it at a local fake.
#[derive(Debug, Clone)]
pub struct ResendSettings {
    /// `RESEND_API_URL`, e.g. `https://api.resend.com` (a path prefix is kept).
    pub api_url: Url,
    /// `RESEND_API_KEY`, sent as a bearer token.
    pub api_key: String,
    /// How long one request may take (`RESEND_TIMEOUT_SECONDS`).
    pub timeout: Duration,
    /// How many requests one [`ResendClient::send`] may make (at least 1).
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles before each next one.
    pub retry_delay: Duration,
}

impl ResendSettings {
    /// Settings with the adapter's defaults for retries (3 attempts, 500 ms, 1 s).
    pub fn new(api_url: Url, api_key: impl Into<String>, timeout: Duration) -> Self {
        Self {
            api_url,
            api_key: api_key.into(),
            timeout,
            max_attempts: 3,
            retry_delay: Duration::from_millis(500),
        }
    }
}

/// One email as Resend's `POST /emails` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResendEmail {
    /// Sender, `Name <address>` or a bare address.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// HTML body (omitted when empty).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub html: String,
    /// Plain-text body (omitted when empty).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Reply-to addresses (omitted when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reply_to: Vec<String>,
    /// Resend tags, for filtering in its dashboard (omitted when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<ResendTag>,
}

/// A name/value tag on a message; Resend allows ASCII letters, digits, `_` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResendTag {
    /// Tag name.
    pub name: String,
    /// Tag value.
    pub value: String,
}

impl ResendTag {
    /// A tag whose name and value keep only the characters Resend accepts (others
    /// become `_`), so a tag can never be the reason a message is refused.
    pub fn new(name: &str, value: &str) -> Self {
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .take(256)
                .collect()
        };
        Self {
            name: clean(name),
            value: clean(value),
        }
    }
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResendError {
    /// Resend refused the message itself (a 4xx other than 429): sending it again will
    /// not help, so it is not retried.
    #[error("Resend refused the message ({status}): {message}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// Resend's `message`, or the start of the body.
        message: String,
    },
    /// Resend could not be reached or failed on its side (5xx, 429, timeout): worth
    /// trying again later with the same idempotency key.
    #[error("Resend is unavailable: {0}")]
    Unavailable(String),
}

impl ResendError {
    /// Whether a later retry cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Rejected { .. })
    }
}

/// The endpoint that sends one email: `{api_url}/emails`, keeping any path prefix of
/// the base URL (so a proxy under `/resend` works).
pub fn emails_url(api_url: &Url) -> Url {
    let mut url = api_url.clone();
    url.set_query(None);
    url.set_fragment(None);
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push("emails");
    }
    url
}

/// The JSON body of `POST /emails` for `email`.
pub fn request_body(email: &ResendEmail) -> Value {
    serde_json::to_value(email).unwrap_or_else(|_| unreachable!("strings always serialise"))
}

/// What an answer's status means: `Ok` for 2xx, else the error to report.
pub fn classify(status: u16, body: &str) -> Result<(), ResendError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| body.chars().take(300).collect());
    if status == 429 || status >= 500 {
        Err(ResendError::Unavailable(format!(
            "HTTP {status}: {message}"
        )))
    } else {
        Err(ResendError::Rejected { status, message })
    }
}

/// Sends emails through Resend.
#[derive(Debug, Clone)]
pub struct ResendClient {
    settings: ResendSettings,
    http: reqwest::Client,
}

impl ResendClient {
    /// A client over a shared `reqwest` client (its pool is reused).
    pub fn new(settings: ResendSettings, http: reqwest::Client) -> Self {
        Self { settings, http }
    }

    /// Sends `email` under `idempotency_key` and returns Resend's message id.
    ///
    /// Transient failures are retried up to `max_attempts` times in all, waiting
    /// `retry_delay`, then twice that, and so on; every try carries the same key.
    pub async fn send(
        &self,
        email: &ResendEmail,
        idempotency_key: &str,
    ) -> Result<String, ResendError> {
        let attempts = self.settings.max_attempts.max(1);
        let mut delay = self.settings.retry_delay;
        let mut attempt = 1;
        loop {
            match self.send_once(email, idempotency_key).await {
                Err(err @ ResendError::Unavailable(_)) if attempt < attempts => {
                    tracing::warn!(attempt, error = %err, "Resend send failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = delay.saturating_mul(2);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn send_once(
        &self,
        email: &ResendEmail,
        idempotency_key: &str,
    ) -> Result<String, ResendError> {
        let response = self
            .http
            .post(emails_url(&self.settings.api_url))
            .bearer_auth(&self.settings.api_key)
            .header("Idempotency-Key", idempotency_key)
            .timeout(self.settings.timeout)
            .json(&request_body(email))
            .send()
            .await
            // Without the URL: it is configuration, and the error text reaches logs.
            .map_err(|err| ResendError::Unavailable(err.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        classify(status, &body)?;
        Ok(serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn email() -> ResendEmail {
        ResendEmail {
            from: "Shop <shop@example.com>".into(),
            to: vec!["buyer@example.com".into()],
            subject: "Your order".into(),
            html: "<p>Hi</p>".into(),
            text: "Hi".into(),
            reply_to: Vec::new(),
            tags: vec![ResendTag::new("event", "order fulfilled!")],
        }
    }

    #[test]
    fn the_body_is_resends_shape_and_omits_empty_parts() {
        assert_eq!(
            request_body(&email()),
            json!({
                "from": "Shop <shop@example.com>",
                "to": ["buyer@example.com"],
                "subject": "Your order",
                "html": "<p>Hi</p>",
                "text": "Hi",
                "tags": [{"name": "event", "value": "order_fulfilled_"}],
            })
        );
        let mut bare = email();
        bare.html.clear();
        bare.tags.clear();
        bare.reply_to = vec!["help@example.com".into()];
        let body = request_body(&bare);
        assert!(body.get("html").is_none());
        assert!(body.get("tags").is_none());
        assert_eq!(body["reply_to"], json!(["help@example.com"]));
    }

    #[test]
    fn the_endpoint_keeps_a_path_prefix() {
        let at = |base: &str| emails_url(&Url::parse(base).expect("url")).to_string();
        assert_eq!(
            at("https://api.resend.com"),
            "https://api.resend.com/emails"
        );
        assert_eq!(
            at("https://api.resend.com/"),
            "https://api.resend.com/emails"
        );
        assert_eq!(
            at("http://proxy:8080/resend/"),
            "http://proxy:8080/resend/emails"
        );
    }

    #[test]
    fn statuses_split_into_sent_refused_and_retry_later() {
        assert_eq!(classify(200, "{}"), Ok(()));
        assert_eq!(
            classify(
                422,
                r#"{"statusCode":422,"message":"Invalid `to` field","name":"validation_error"}"#
            ),
            Err(ResendError::Rejected {
                status: 422,
                message: "Invalid `to` field".into()
            })
        );
        assert!(classify(403, "forbidden").unwrap_err().is_permanent());
        assert!(!classify(429, "{}").unwrap_err().is_permanent());
        assert!(!classify(503, "down").unwrap_err().is_permanent());
    }
}
