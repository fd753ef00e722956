//! Supabase adapter: the PostgREST profile probe and Storage signed URLs.
//!
//! Both talk to one Supabase project (`SUPABASE_URL`) and nothing else. The URLs are
//! pure functions ([`urls`]), tested without a network; [`SupabaseClient`] adds the keys
//! and reads the answers. The crate knows nothing of actix, the database or the
//! environment: the server builds [`SupabaseSettings`] from its configuration, and
//! deleting this crate (`scripts/remove-adapter supabase`) leaves local and S3 storage
//! and a probe that answers "not configured".

pub mod urls;

use std::time::Duration;

use serde_json::{Value, json};
use url::Url;

/// The PostgREST error code for "no such table in the schema cache" (PostgREST 12+).
pub const TABLE_NOT_FOUND: &str = "PGRST205";
/// The Postgres error code for an undefined table, which older PostgREST passes on.
const UNDEFINED_TABLE: &str = "42P01";

/// Where the project is and the keys it takes.
#[derive(Debug, Clone)]
pub struct SupabaseSettings {
    /// `SUPABASE_URL`, e.g. `https://abc.supabase.co`.
    pub url: Url,
    /// `SUPABASE_ANON_KEY`: the public key, for the REST probe (row-level security
    /// applies).
    pub anon_key: Option<String>,
    /// `SUPABASE_SERVICE_ROLE_KEY`: the server-only key, for signing Storage URLs.
    pub service_role_key: Option<String>,
    /// How long one request may take.
    pub timeout: Duration,
}

/// What the probe found.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeHit {
    /// The table that answered.
    pub table: String,
    /// The caller's row, if the table has one.
    pub row: Option<Value>,
}

/// Why the probe found nothing usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// The anon key is not configured.
    #[error("SUPABASE_ANON_KEY is not set")]
    NoKey,
    /// None of the tables exists (each answered PGRST205).
    #[error("none of the tables {0:?} exists")]
    NoTable(Vec<String>),
    /// Supabase refused the key (401/403).
    #[error("Supabase refused the API key (HTTP {status}): {message}")]
    Unauthorized {
        /// The HTTP status.
        status: u16,
        /// PostgREST's message.
        message: String,
    },
    /// Anything else: network, timeout, another status, a body that is not JSON.
    #[error("{0}")]
    Failed(String),
}

/// Why no signed URL was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The service-role key is not configured.
    #[error("SUPABASE_SERVICE_ROLE_KEY is not set")]
    NoKey,
    /// Storage answered with an error, or with no usable URL.
    #[error("{0}")]
    Failed(String),
}

/// Talks to one Supabase project.
#[derive(Debug, Clone)]
pub struct SupabaseClient {
    settings: SupabaseSettings,
    http: reqwest::Client,
}

impl SupabaseClient {
    /// A client over a shared `reqwest` client.
    pub fn new(settings: SupabaseSettings, http: reqwest::Client) -> Self {
        Self { settings, http }
    }

    /// Looks up the row of `clerk_user_id` in the first of `tables` that exists, with
    /// the anon key (`GET /rest/v1/{table}?clerk_user_id=eq.{id}&limit=1`).
    ///
    /// A table that does not exist (PGRST205) moves on to the next one; any other
    /// failure stops the probe, since the next table would fail the same way.
    pub async fn probe_profile(
        &self,
        tables: &[String],
        clerk_user_id: &str,
    ) -> Result<ProbeHit, ProbeError> {
        let key = self.settings.anon_key.as_deref().ok_or(ProbeError::NoKey)?;
        for table in tables {
            let response = self
                .http
                .get(urls::profile_query(
                    &self.settings.url,
                    table,
                    clerk_user_id,
                ))
                .header("apikey", key)
                .bearer_auth(key)
                .header("accept", "application/json")
                .timeout(self.settings.timeout)
                .send()
                .await
                .map_err(|err| ProbeError::Failed(err.without_url().to_string()))?;
            let status = response.status().as_u16();
            let body: Value = response
                .json()
                .await
                .map_err(|err| ProbeError::Failed(format!("HTTP {status}: {err}")))?;
            if (200..300).contains(&status) {
                let row = match body {
                    Value::Array(rows) => rows.into_iter().next(),
                    other => Some(other).filter(|v| !v.is_null()),
                };
                return Ok(ProbeHit {
                    table: table.clone(),
                    row,
                });
            }
            let code = body.get("code").and_then(Value::as_str).unwrap_or_default();
            let message = body
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect::<String>();
            if code == TABLE_NOT_FOUND || code == UNDEFINED_TABLE {
                continue;
            }
            if status == 401 || status == 403 {
                return Err(ProbeError::Unauthorized { status, message });
            }
            return Err(ProbeError::Failed(format!(
                "HTTP {status} from table {table}: {code} {message}"
            )));
        }
        Err(ProbeError::NoTable(tables.to_vec()))
    }

    /// A Storage URL from which `path` in `bucket` can be downloaded for
    /// `ttl_seconds`, signed with the service-role key
    /// (`POST /storage/v1/object/sign/{bucket}/{path}` with `{"expiresIn": ttl}`).
    pub async fn signed_url(
        &self,
        bucket: &str,
        path: &str,
        ttl_seconds: u64,
    ) -> Result<Url, SignError> {
        let key = self
            .settings
            .service_role_key
            .as_deref()
            .ok_or(SignError::NoKey)?;
        let response = self
            .http
            .post(urls::sign_object(&self.settings.url, bucket, path))
            .header("apikey", key)
            .bearer_auth(key)
            .timeout(self.settings.timeout)
            .json(&json!({ "expiresIn": ttl_seconds }))
            .send()
            .await
            .map_err(|err| SignError::Failed(err.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let message = body
                .get("message")
                .or_else(|| body.get("error"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Err(SignError::Failed(format!(
                "Storage answered HTTP {status}: {message}"
            )));
        }
        let signed = ["signedURL", "signedUrl", "signed_url"]
            .iter()
            .find_map(|name| body.get(*name).and_then(Value::as_str))
            .ok_or_else(|| SignError::Failed("Storage returned no signed URL".into()))?;
        urls::resolve_signed(&self.settings.url, signed).ok_or_else(|| {
            SignError::Failed(format!("Storage returned an unusable URL {signed:?}"))
        })
    }
}
