// remove-adapter-file: supabase
//! Wiring of the Supabase adapter (`paidloop-supabase`): the profile probe when
//! `SUPABASE_URL` is set, and Storage signed URLs with `ASSET_STORAGE_BACKEND=supabase`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use paidloop_supabase::{ProbeError, SignError, SupabaseClient, SupabaseSettings};

use super::Integrations;
use crate::config::Config;
use crate::services::profile_probe::{self, ProbeAnswer, ProfileProbe};
use crate::services::storage::{AssetPath, AssetStorage, StorageBackend, StorageError};

/// How long one call to Supabase may take.
const SUPABASE_TIMEOUT: Duration = Duration::from_secs(10);

/// The PostgREST probe.
struct SupabaseProbe {
    client: SupabaseClient,
    tables: Vec<String>,
}

impl ProfileProbe for SupabaseProbe {
    fn probe<'a>(&'a self, clerk_user_id: &'a str) -> BoxFuture<'a, ProbeAnswer> {
        Box::pin(async move {
            match self.client.probe_profile(&self.tables, clerk_user_id).await {
                Ok(hit) => ProbeAnswer {
                    ok: true,
                    detail: if hit.row.is_some() {
                        "Supabase profile probe succeeded.".to_owned()
                    } else {
                        "Supabase probe succeeded. No profile row found yet.".to_owned()
                    },
                    profile: hit.row,
                    source_table: Some(hit.table),
                    error: None,
                },
                Err(ProbeError::NoKey) => ProbeAnswer::not_configured(),
                Err(err) => {
                    tracing::warn!(error = %err, "Supabase profile probe failed");
                    let detail = match &err {
                        ProbeError::NoTable(_) => {
                            "Supabase probe failed: none of the profile tables exists. Create \
                             one or set SUPABASE_PROFILE_TABLE."
                        }
                        ProbeError::Unauthorized { .. } => {
                            "Supabase probe failed: the API key was refused. Check \
                             SUPABASE_ANON_KEY."
                        }
                        _ => {
                            "Supabase probe failed. Check SUPABASE_URL, the table and its \
                              row-level security."
                        }
                    };
                    ProbeAnswer {
                        ok: false,
                        detail: detail.to_owned(),
                        profile: None,
                        source_table: None,
                        error: Some(err.to_string()),
                    }
                }
            }
        })
    }
}

/// Supabase Storage.
struct SupabaseStorage {
    client: SupabaseClient,
    bucket: String,
}

impl AssetStorage for SupabaseStorage {
    fn signed_url<'a>(
        &'a self,
        file_path: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<String, StorageError>> {
        Box::pin(async move {
            let path = AssetPath::from_file_path(file_path).map_err(|_| {
                StorageError::Failed(format!(
                    "asset file path {file_path:?} is not a valid storage path"
                ))
            })?;
            self.client
                .signed_url(&self.bucket, path.as_str(), ttl.as_secs())
                .await
                .map(String::from)
                .map_err(|err| match err {
                    SignError::NoKey => StorageError::NotConfigured(
                        "ASSET_STORAGE_BACKEND=supabase needs SUPABASE_SERVICE_ROLE_KEY.".into(),
                    ),
                    SignError::Failed(cause) => StorageError::Failed(cause),
                })
        })
    }
}

/// Installs the probe when `SUPABASE_URL` is set, and Supabase Storage when it is the
/// asset backend.
pub fn install(
    integrations: &mut Integrations,
    config: &Config,
    http: &reqwest::Client,
) -> Result<(), String> {
    let storage = &config.storage;
    let wants_storage = storage.backend.as_deref() == Some("supabase");
    let Some(url) = storage.supabase_url.clone() else {
        if wants_storage {
            integrations.storage = StorageBackend::Unavailable(
                "ASSET_STORAGE_BACKEND=supabase needs SUPABASE_URL and \
                 SUPABASE_SERVICE_ROLE_KEY."
                    .to_owned(),
            );
        }
        return Ok(());
    };
    let client = SupabaseClient::new(
        SupabaseSettings {
            url,
            anon_key: storage.supabase_anon_key.clone(),
            service_role_key: storage.supabase_service_role_key.clone(),
            timeout: SUPABASE_TIMEOUT,
        },
        http.clone(),
    );
    integrations.profile_probe = Some(Arc::new(SupabaseProbe {
        client: client.clone(),
        tables: profile_probe::candidate_tables(storage.supabase_profile_table.as_deref()),
    }));
    if wants_storage {
        integrations.storage = StorageBackend::Remote(Arc::new(SupabaseStorage {
            client,
            bucket: storage.bucket.clone(),
        }));
    }
    Ok(())
}
