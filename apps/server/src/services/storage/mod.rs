//! Asset storage: where the files of digital assets live, and the short-lived links that
//! let a buyer fetch one.
//!
//! The app asks for links through [`AssetStorage`]. `ASSET_STORAGE_BACKEND` picks the
//! implementation once at start ([`StorageBackend`]): the embedded [`LocalStorage`]
//! (files under `ASSET_STORAGE_LOCAL_DIR`, links signed by this server), an
//! S3-compatible bucket ([`s3::S3Storage`], presigned locally), or Supabase Storage,
//! which the Supabase adapter installs (`crate::integrations`). A build without that
//! adapter serves `supabase` from the local folder, as the embedded default.

mod local;
pub mod s3;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
pub use local::{
    AssetPath, InvalidAssetPath, LOCAL_DOWNLOAD_PATH, LinkError, LinkSigner, LocalStorage,
};
use url::Url;

use crate::config::StorageConfig;

/// Why no link could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// No usable backend is configured (503): the message is for the operator, and says
    /// what to set.
    #[error("{0}")]
    NotConfigured(String),
    /// The backend is configured but failed, or the file is not there (502): the
    /// message is for the log only.
    #[error("{0}")]
    Failed(String),
}

/// A place that can hand out expiring download links to asset files.
///
/// Boxed futures keep it usable as a trait object, so an adapter crate's storage can be
/// installed at start without the app naming its type.
pub trait AssetStorage: Send + Sync {
    /// A URL from which `file_path` (a digital asset's storage path) can be downloaded
    /// for `ttl`, without other credentials.
    fn signed_url<'a>(
        &'a self,
        file_path: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<String, StorageError>>;
}

/// The storage chosen at start.
#[derive(Clone)]
pub enum StorageBackend {
    /// The local folder; links are made per request, on the caller's own host.
    Local(PathBuf),
    /// A storage that signs its own links (S3, Supabase).
    Remote(Arc<dyn AssetStorage>),
    /// Nothing usable: every link is refused with this message (503).
    Unavailable(String),
}

impl StorageBackend {
    /// The backend `config` selects among those built into the server: `local`, `s3`,
    /// and for `supabase` the local folder until the Supabase adapter replaces it.
    pub fn from_config(config: &StorageConfig) -> Self {
        match config.backend.as_deref() {
            Some("s3") => s3_backend(config),
            Some(_) => Self::Local(PathBuf::from(&config.local_dir)),
            None => Self::Unavailable(
                "Asset storage is not configured: set ASSET_STORAGE_BACKEND.".to_owned(),
            ),
        }
    }

    /// The storage for one request: local links point at `base_url` (how the caller
    /// reached this server) and are signed with `secret_key`.
    pub fn for_request(&self, secret_key: &str, base_url: Url) -> ConfiguredStorage {
        match self {
            Self::Local(root) => {
                ConfiguredStorage::Local(Box::new(LocalStorage::new(root, secret_key, base_url)))
            }
            Self::Remote(storage) => ConfiguredStorage::Remote(storage.clone()),
            Self::Unavailable(reason) => ConfiguredStorage::Unavailable(reason.clone()),
        }
    }
}

fn s3_backend(config: &StorageConfig) -> StorageBackend {
    match (&config.s3_access_key_id, &config.s3_secret_access_key) {
        (Some(access_key_id), Some(secret_access_key)) => {
            StorageBackend::Remote(Arc::new(s3::S3Storage {
                endpoint: config.s3_endpoint_url.clone(),
                region: config.s3_region.clone(),
                bucket: config.bucket.clone(),
                credentials: s3::S3Credentials {
                    access_key_id: access_key_id.clone(),
                    secret_access_key: secret_access_key.clone(),
                },
            }))
        }
        _ => StorageBackend::Unavailable(
            "ASSET_STORAGE_BACKEND=s3 needs ASSET_STORAGE_S3_ACCESS_KEY_ID and \
             ASSET_STORAGE_S3_SECRET_ACCESS_KEY."
                .to_owned(),
        ),
    }
}

/// The storage of one request.
#[derive(Clone)]
pub enum ConfiguredStorage {
    /// The local folder, linking back to this server.
    Local(Box<LocalStorage>),
    /// A storage that signs its own links.
    Remote(Arc<dyn AssetStorage>),
    /// Every link is refused with this message (503).
    Unavailable(String),
}

impl AssetStorage for ConfiguredStorage {
    fn signed_url<'a>(
        &'a self,
        file_path: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<String, StorageError>> {
        match self {
            Self::Local(local) => local.signed_url(file_path, ttl),
            Self::Remote(remote) => remote.signed_url(file_path, ttl),
            Self::Unavailable(reason) => {
                let reason = reason.clone();
                Box::pin(async move { Err(StorageError::NotConfigured(reason)) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> StorageConfig {
        let map: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
        crate::config::Config::from_lookup(&|name| map.get(name).map(|v| (*v).to_owned()))
            .expect("config")
            .storage
    }

    async fn link(backend: &StorageBackend) -> Result<String, StorageError> {
        let base = Url::parse("http://127.0.0.1:8000").expect("url");
        backend
            .for_request("unit-test-secret-key-that-is-long-enough-0123456789", base)
            .signed_url("books/guide.pdf", Duration::from_secs(600))
            .await
    }

    #[actix_web::test]
    async fn each_backend_answers_as_configured() {
        let none = StorageBackend::from_config(&config(&[]));
        assert!(
            matches!(link(&none).await, Err(StorageError::NotConfigured(m)) if m.contains("ASSET_STORAGE_BACKEND"))
        );

        let s3_without_keys =
            StorageBackend::from_config(&config(&[("ASSET_STORAGE_BACKEND", "s3")]));
        match link(&s3_without_keys).await {
            Err(StorageError::NotConfigured(msg)) => {
                assert!(msg.contains("ASSET_STORAGE_S3_ACCESS_KEY_ID"), "{msg}");
            }
            other => panic!("expected NotConfigured, got {other:?}"),
        }

        let s3 = StorageBackend::from_config(&config(&[
            ("ASSET_STORAGE_BACKEND", "s3"),
            ("ASSET_STORAGE_S3_ENDPOINT_URL", "http://minio.test:9000"),
            ("ASSET_STORAGE_S3_ACCESS_KEY_ID", "AKID"),
            ("ASSET_STORAGE_S3_SECRET_ACCESS_KEY", "secret"),
        ]));
        let url = link(&s3).await.expect("presigned");
        assert!(
            url.starts_with(
                "http://minio.test:9000/digital-assets/books/guide.pdf?X-Amz-Algorithm="
            ),
            "{url}"
        );

        // Without its adapter, `supabase` is served from the local folder.
        let supabase =
            StorageBackend::from_config(&config(&[("ASSET_STORAGE_BACKEND", "supabase")]));
        assert!(matches!(supabase, StorageBackend::Local(_)));
    }
}
