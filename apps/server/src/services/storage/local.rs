//! The embedded default storage: files under `ASSET_STORAGE_LOCAL_DIR`, served by this
//! server at [`LOCAL_DOWNLOAD_PATH`] behind links signed with HMAC-SHA256 under
//! `APP_SECRET_KEY`. The link itself is the credential (a browser follows it without a
//! session), so it names one file and one expiry, and changing either breaks the
//! signature.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use url::Url;

use futures_util::future::BoxFuture;

use super::{AssetStorage, StorageError};

/// Where the embedded local storage serves its files: the signed path follows it.
pub const LOCAL_DOWNLOAD_PATH: &str = "/api/downloads/local/";

/// What the HMAC covers before the path and expiry, so that a signature made for
/// anything else under the same key can never pass as a download link.
const SIGNING_CONTEXT: &[u8] = b"paidloop/local-asset-link/v1";

/// A relative storage path that cannot leave the storage folder: `/`-separated, every
/// segment non-empty, not `.` or `..`, with no backslash, NUL or other control
/// character.
///
/// Parsing it once is what keeps both signing and serving from ever touching a file
/// outside `ASSET_STORAGE_LOCAL_DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetPath(String);

/// A storage path that [`AssetPath::parse`] refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid relative storage path")]
pub struct InvalidAssetPath;

impl AssetPath {
    /// Accepts exactly a relative path of safe segments (see the type).
    pub fn parse(raw: &str) -> Result<Self, InvalidAssetPath> {
        let safe_segment = |segment: &str| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && !segment.chars().any(|c| c == '\\' || c.is_control())
        };
        if raw.split('/').all(safe_segment) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidAssetPath)
        }
    }

    /// Reads a digital asset's `file_path` as sellers type it: surrounding spaces and
    /// leading slashes do not count (as in the Django edition), the rest must parse.
    pub fn from_file_path(file_path: &str) -> Result<Self, InvalidAssetPath> {
        Self::parse(file_path.trim().trim_start_matches('/'))
    }

    /// The path, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file it names under `root`.
    pub fn under(&self, root: &Path) -> PathBuf {
        self.0.split('/').fold(root.to_path_buf(), |p, s| p.join(s))
    }
}

/// Why a local download link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The signature does not match the path and expiry (or is not a signature at all).
    #[error("This download link is not valid.")]
    BadSignature,
    /// The link was genuine but its time is up.
    #[error("This download link has expired.")]
    Expired,
}

/// Signs and checks local download links: HMAC-SHA256 over the path and the expiry.
#[derive(Clone)]
pub struct LinkSigner {
    mac: Hmac<Sha256>,
}

impl LinkSigner {
    /// A signer keyed with the app's secret (`APP_SECRET_KEY`).
    pub fn new(secret_key: &str) -> Self {
        let mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        Self { mac }
    }

    fn mac_for(&self, path: &AssetPath, expires: i64) -> Hmac<Sha256> {
        let mut mac = self.mac.clone();
        mac.update(SIGNING_CONTEXT);
        mac.update(b"\n");
        mac.update(path.as_str().as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// The signature of a link to `path` valid until `expires` (Unix seconds), in
    /// unpadded base64url.
    pub fn sign(&self, path: &AssetPath, expires: i64) -> String {
        URL_SAFE_NO_PAD.encode(self.mac_for(path, expires).finalize().into_bytes())
    }

    /// Checks a link at time `now` (Unix seconds): the signature first, in constant
    /// time, then the expiry (a link is good up to, not including, its `expires`).
    pub fn verify(
        &self,
        path: &AssetPath,
        expires: i64,
        signature: &str,
        now: i64,
    ) -> Result<(), LinkError> {
        let given = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| LinkError::BadSignature)?;
        self.mac_for(path, expires)
            .verify_slice(&given)
            .map_err(|_| LinkError::BadSignature)?;
        if now >= expires {
            return Err(LinkError::Expired);
        }
        Ok(())
    }
}

/// The embedded default storage: files under a local folder, served by this server at
/// signed, expiring URLs on the caller's own scheme and host.
#[derive(Clone)]
pub struct LocalStorage {
    root: PathBuf,
    signer: LinkSigner,
    base_url: Url,
}

impl LocalStorage {
    /// Storage over `root`, signing with `secret_key`, making links under `base_url`
    /// (`scheme://host` of the request being answered).
    pub fn new(root: impl Into<PathBuf>, secret_key: &str, base_url: Url) -> Self {
        Self {
            root: root.into(),
            signer: LinkSigner::new(secret_key),
            base_url,
        }
    }

    /// The link to `path` valid until `expires` (Unix seconds). Pure: no clock, no disk.
    pub fn url_for(&self, path: &AssetPath, expires: i64) -> String {
        let mut url = self.base_url.clone();
        url.set_query(None);
        url.set_fragment(None);
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.clear();
            segments.extend(LOCAL_DOWNLOAD_PATH.split('/').filter(|s| !s.is_empty()));
            segments.extend(path.as_str().split('/'));
        }
        url.query_pairs_mut()
            .append_pair("expires", &expires.to_string())
            .append_pair("signature", &self.signer.sign(path, expires));
        url.into()
    }
}

impl AssetStorage for LocalStorage {
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
            let file = path.under(&self.root);
            let probe = file.clone();
            let is_file = actix_web::rt::task::spawn_blocking(move || probe.is_file())
                .await
                .unwrap_or(false);
            if !is_file {
                return Err(StorageError::Failed(format!(
                    "asset file {} is missing from local storage",
                    file.display()
                )));
            }
            let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
            let expires = chrono::Utc::now().timestamp().saturating_add(ttl);
            Ok(self.url_for(&path, expires))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "unit-test-secret-key-that-is-long-enough-0123456789";

    fn path(raw: &str) -> AssetPath {
        AssetPath::parse(raw).expect("valid path")
    }

    #[test]
    fn asset_paths_stay_inside_the_folder() {
        for good in [
            "guide.pdf",
            "books/v1/guide.pdf",
            "a b/ü.zip",
            "..hidden",
            "x..y",
        ] {
            assert!(AssetPath::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../secret",
            "a/../../b",
            "a/./b",
            "a//b",
            "a/",
            "a\\..\\b",
            "a\0b",
            "a\nb",
            "..",
        ] {
            assert_eq!(AssetPath::parse(bad), Err(InvalidAssetPath), "{bad:?}");
        }
    }

    #[test]
    fn stored_file_paths_lose_leading_slashes_and_spaces() {
        assert_eq!(
            AssetPath::from_file_path("  /books/guide.pdf ").map(|p| p.0),
            Ok("books/guide.pdf".to_owned())
        );
        assert!(AssetPath::from_file_path("/../x").is_err());
        assert_eq!(
            path("books/guide.pdf").under(Path::new("/srv/assets")),
            PathBuf::from("/srv/assets/books/guide.pdf")
        );
    }

    #[test]
    fn a_signed_link_verifies_until_it_expires() {
        let signer = LinkSigner::new(KEY);
        let p = path("books/guide.pdf");
        let sig = signer.sign(&p, 1_000);
        assert_eq!(signer.verify(&p, 1_000, &sig, 999), Ok(()));
        assert_eq!(
            signer.verify(&p, 1_000, &sig, 1_000),
            Err(LinkError::Expired)
        );
        assert_eq!(
            signer.verify(&p, 1_000, &sig, 5_000),
            Err(LinkError::Expired)
        );
    }

    #[test]
    fn tampering_breaks_the_signature() {
        let signer = LinkSigner::new(KEY);
        let p = path("books/guide.pdf");
        let sig = signer.sign(&p, 1_000);
        let bad = Err(LinkError::BadSignature);
        assert_eq!(signer.verify(&path("books/other.pdf"), 1_000, &sig, 0), bad);
        assert_eq!(signer.verify(&p, 1_001, &sig, 0), bad);
        assert_eq!(signer.verify(&p, 1_000, "not base64!", 0), bad);
        assert_eq!(signer.verify(&p, 1_000, "", 0), bad);
        let mut flipped = URL_SAFE_NO_PAD.decode(&sig).expect("base64");
        flipped[0] ^= 1;
        assert_eq!(
            signer.verify(&p, 1_000, &URL_SAFE_NO_PAD.encode(flipped), 0),
            bad
        );
        let other_key = LinkSigner::new("another-secret-key-entirely-0123456789abcdef");
        assert_eq!(other_key.verify(&p, 1_000, &sig, 0), bad);
        // An expired link with a forged signature is a forgery first.
        assert_eq!(signer.verify(&p, 1, "AAAA", 10), bad);
    }

    #[test]
    fn local_urls_encode_each_segment_and_carry_expiry_and_signature() {
        let base = Url::parse("https://api.example.com:8443").expect("url");
        let storage = LocalStorage::new("/srv/assets", KEY, base);
        let p = path("my books/guide #1?.pdf");
        let url = Url::parse(&storage.url_for(&p, 1_234)).expect("a URL");
        assert_eq!(url.host_str(), Some("api.example.com"));
        assert_eq!(url.port(), Some(8443));
        assert_eq!(
            url.path(),
            "/api/downloads/local/my%20books/guide%20%231%3F.pdf"
        );
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(query[0], ("expires".to_owned(), "1234".to_owned()));
        assert_eq!(query[1].0, "signature");
        assert_eq!(
            LinkSigner::new(KEY).verify(&p, 1_234, &query[1].1, 0),
            Ok(())
        );
    }

    #[actix_web::test]
    async fn local_links_need_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("books")).expect("mkdir");
        std::fs::write(dir.path().join("books/guide.pdf"), b"%PDF").expect("write");
        let base = Url::parse("http://127.0.0.1:8000").expect("url");
        let storage = LocalStorage::new(dir.path(), KEY, base);
        let ttl = Duration::from_secs(600);

        let url = storage
            .signed_url("/books/guide.pdf", ttl)
            .await
            .expect("a link");
        assert!(url.starts_with("http://127.0.0.1:8000/api/downloads/local/books/guide.pdf?"));
        assert!(matches!(
            storage.signed_url("books/missing.pdf", ttl).await,
            Err(StorageError::Failed(_))
        ));
        assert!(matches!(
            storage.signed_url("books", ttl).await,
            Err(StorageError::Failed(_))
        ));
        assert!(matches!(
            storage.signed_url("../etc/passwd", ttl).await,
            Err(StorageError::Failed(_))
        ));
    }
}
