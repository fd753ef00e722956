//! Clerk's Backend API: the two reads Paidloop needs (a user, and a user's billing
//! subscription), with the secret key as a bearer token.
//!
//! Answers are returned as JSON values: Clerk's billing objects change shape more often
//! than its user object, and the server reads them leniently (`paidloop-billing-sync`).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use url::Url;

/// How the client reaches Clerk.
#[derive(Debug, Clone)]
pub struct BackendSettings {
    /// `CLERK_API_URL`, e.g. `https://api.clerk.com/v1` (tests point it at a fake).
    pub api_url: Url,
    /// `CLERK_SECRET_KEY`.
    pub secret_key: String,
    /// How long one call may take.
    pub timeout: Duration,
}

/// Why a Backend API call failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The call did not complete (connection, timeout, TLS).
    #[error("Clerk could not be reached: {0}")]
    Transport(String),
    /// Clerk answered with an error status.
    #[error("Clerk answered {status}: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The start of the body, for the log.
        body: String,
    },
    /// Clerk answered 404 for the user.
    #[error("Clerk has no such user")]
    NotFound,
    /// The answer was not JSON.
    #[error("Clerk's answer was not JSON: {0}")]
    Decode(String),
}

/// A client for Clerk's Backend API; cheap to clone (the HTTP client is shared).
#[derive(Debug, Clone)]
pub struct ClerkBackend {
    settings: BackendSettings,
    http: reqwest::Client,
}

impl ClerkBackend {
    /// A client over `http` (its own timeout is applied per request).
    pub fn new(settings: BackendSettings, http: reqwest::Client) -> ClerkBackend {
        ClerkBackend { settings, http }
    }

    /// `GET /users/{id}`.
    pub async fn get_user(&self, user_id: &str) -> Result<Value, BackendError> {
        self.get(&["users", user_id]).await
    }

    /// `GET /users/{id}/billing/subscription`.
    pub async fn get_billing_subscription(&self, user_id: &str) -> Result<Value, BackendError> {
        self.get(&["users", user_id, "billing", "subscription"])
            .await
    }

    async fn get(&self, segments: &[&str]) -> Result<Value, BackendError> {
        let mut url = self.settings.api_url.clone();
        url.path_segments_mut()
            .map_err(|()| BackendError::Transport("CLERK_API_URL cannot take a path".into()))?
            .pop_if_empty()
            .extend(segments);
        let response = self
            .http
            .get(url)
            .bearer_auth(&self.settings.secret_key)
            .timeout(self.settings.timeout)
            .send()
            .await
            .map_err(|err| BackendError::Transport(err.without_url().to_string()))?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Err(BackendError::NotFound);
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|err| BackendError::Transport(err.without_url().to_string()))?;
        if !status.is_success() {
            let body = String::from_utf8_lossy(&bytes).chars().take(200).collect();
            return Err(BackendError::Status {
                status: status.as_u16(),
                body,
            });
        }
        serde_json::from_slice(&bytes).map_err(|err| BackendError::Decode(err.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    async fn client(server: &MockServer) -> ClerkBackend {
        let settings = BackendSettings {
            api_url: Url::parse(&format!("{}/v1", server.uri())).unwrap(),
            secret_key: "sk_test_123".into(),
            timeout: Duration::from_secs(2),
        };
        ClerkBackend::new(settings, reqwest::Client::new())
    }

    #[tokio::test]
    async fn it_sends_the_secret_key_and_reads_json() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/users/user_1/billing/subscription"))
            .and(header("authorization", "Bearer sk_test_123"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "sub_1"})))
            .expect(1)
            .mount(&server)
            .await;
        let answer = client(&server)
            .await
            .get_billing_subscription("user_1")
            .await
            .unwrap();
        assert_eq!(answer["id"], "sub_1");
    }

    #[tokio::test]
    async fn errors_are_typed() {
        let server = MockServer::start().await;
        Mock::given(path("/v1/users/user_gone"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        Mock::given(path("/v1/users/user_err"))
            .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
            .mount(&server)
            .await;
        Mock::given(path("/v1/users/user_html"))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>"))
            .mount(&server)
            .await;
        let clerk = client(&server).await;
        assert!(matches!(
            clerk.get_user("user_gone").await,
            Err(BackendError::NotFound)
        ));
        assert!(matches!(
            clerk.get_user("user_err").await,
            Err(BackendError::Status { status: 500, .. })
        ));
        assert!(matches!(
            clerk.get_user("user_html").await,
            Err(BackendError::Decode(_))
        ));
    }

    #[tokio::test]
    async fn a_slow_clerk_times_out() {
        let server = MockServer::start().await;
        Mock::given(path("/v1/users/user_slow"))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
            .mount(&server)
            .await;
        let mut clerk = client(&server).await;
        clerk.settings.timeout = Duration::from_millis(100);
        assert!(matches!(
            clerk.get_user("user_slow").await,
            Err(BackendError::Transport(_))
        ));
    }

    #[tokio::test]
    async fn user_ids_are_escaped_into_one_segment() {
        let server = MockServer::start().await;
        Mock::given(path("/v1/users/a%2Fb"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .expect(1)
            .mount(&server)
            .await;
        assert_eq!(
            client(&server).await.get_user("a/b").await.unwrap()["ok"],
            true
        );
    }
}
