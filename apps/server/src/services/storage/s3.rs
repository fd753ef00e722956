//! S3-compatible asset storage: presigned `GET` URLs (AWS Signature Version 4, query
//! string authentication), made locally with no request to the bucket.
//!
//! [`presign_get`] is the protocol as a pure function of the object URL, the keys and
//! the time; it is tested against the presigned-URL example of AWS's S3 documentation.
//! [`S3Storage`] picks the object URL: path-style under `ASSET_STORAGE_S3_ENDPOINT_URL`
//! (MinIO, R2, Supabase's S3 endpoint, …), else AWS's virtual-hosted style.

use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use url::Url;

use super::local::AssetPath;
use super::{AssetStorage, StorageError};

/// The longest validity SigV4 allows for a presigned URL: 7 days.
pub const MAX_EXPIRES_SECONDS: u64 = 7 * 24 * 3600;

/// An access key pair.
#[derive(Clone)]
pub struct S3Credentials {
    /// `ASSET_STORAGE_S3_ACCESS_KEY_ID`.
    pub access_key_id: String,
    /// `ASSET_STORAGE_S3_SECRET_ACCESS_KEY`.
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Credentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` is
/// `%XX` (upper-case hex); `/` too unless `keep_slash`.
fn uri_encode(input: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            b'/' if keep_slash => out.push('/'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A presigned `GET` of `object_url` (scheme, host and the object's path, unencoded
/// segments as the `url` crate keeps them), valid `expires_seconds` from `now`.
///
/// Signs only the `host` header, with an unsigned payload, as S3 expects of query
/// string authentication. `expires_seconds` is capped at [`MAX_EXPIRES_SECONDS`].
pub fn presign_get(
    object_url: &Url,
    region: &str,
    credentials: &S3Credentials,
    now: DateTime<Utc>,
    expires_seconds: u64,
) -> Url {
    let amz_date = now.format("%Y%m%dT%H%M%SZ").to_string();
    let date = now.format("%Y%m%d").to_string();
    let scope = format!("{date}/{region}/s3/aws4_request");
    let host = match object_url.port() {
        Some(port) => format!("{}:{port}", object_url.host_str().unwrap_or_default()),
        None => object_url.host_str().unwrap_or_default().to_owned(),
    };
    // The path as `url` holds it is already percent-encoded; decode each segment and
    // encode it again the SigV4 way, so both agree byte for byte.
    let canonical_uri = object_url
        .path()
        .split('/')
        .map(|segment| {
            let raw = percent_decode(segment);
            uri_encode(&raw, false)
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut query = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".to_owned()),
        (
            "X-Amz-Credential",
            format!("{}/{scope}", credentials.access_key_id),
        ),
        ("X-Amz-Date", amz_date.clone()),
        (
            "X-Amz-Expires",
            expires_seconds.min(MAX_EXPIRES_SECONDS).to_string(),
        ),
        ("X-Amz-SignedHeaders", "host".to_owned()),
    ]
    .iter()
    .map(|(name, value)| format!("{}={}", uri_encode(name, false), uri_encode(value, false)))
    .collect::<Vec<_>>();
    query.sort();
    let canonical_query = query.join("&");
    let canonical_request =
        format!("GET\n{canonical_uri}\n{canonical_query}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let key = [region, "s3", "aws4_request"].iter().fold(
        hmac(
            format!("AWS4{}", credentials.secret_access_key).as_bytes(),
            &date,
        ),
        |key, part| hmac(&key, part),
    );
    let signature = hex(&hmac(&key, &string_to_sign));
    let mut signed = object_url.clone();
    signed.set_query(Some(&format!(
        "{canonical_query}&X-Amz-Signature={signature}"
    )));
    signed
}

/// `%XX` sequences back to bytes (lossy for invalid UTF-8, which a parsed asset path
/// never contains).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(value) = segment
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An S3-compatible bucket that hands out presigned `GET` URLs.
#[derive(Debug, Clone)]
pub struct S3Storage {
    /// `ASSET_STORAGE_S3_ENDPOINT_URL`; `None` = AWS S3 itself.
    pub endpoint: Option<Url>,
    /// `ASSET_STORAGE_S3_REGION`.
    pub region: String,
    /// `ASSET_STORAGE_BUCKET`.
    pub bucket: String,
    /// The key pair.
    pub credentials: S3Credentials,
}

impl S3Storage {
    /// The unsigned URL of `path`: `{endpoint}/{bucket}/{path}` (path-style), or
    /// `https://{bucket}.s3.{region}.amazonaws.com/{path}` without an endpoint.
    pub fn object_url(&self, path: &AssetPath) -> Result<Url, StorageError> {
        let mut url = match &self.endpoint {
            Some(endpoint) => {
                let mut url = endpoint.clone();
                if let Ok(mut segments) = url.path_segments_mut() {
                    segments.pop_if_empty().push(&self.bucket);
                }
                url
            }
            None => Url::parse(&format!(
                "https://{}.s3.{}.amazonaws.com/",
                self.bucket, self.region
            ))
            .map_err(|_| {
                StorageError::NotConfigured(
                    "ASSET_STORAGE_BUCKET or ASSET_STORAGE_S3_REGION is not a valid host name \
                     part; set ASSET_STORAGE_S3_ENDPOINT_URL for path-style URLs."
                        .into(),
                )
            })?,
        };
        url.set_query(None);
        url.set_fragment(None);
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(path.as_str().split('/'));
        }
        Ok(url)
    }
}

impl AssetStorage for S3Storage {
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
            let url = self.object_url(&path)?;
            Ok(presign_get(
                &url,
                &self.region,
                &self.credentials,
                Utc::now(),
                ttl.as_secs(),
            )
            .into())
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// The example of "Authenticating Requests: Using Query Parameters (AWS Signature
    /// Version 4)" in the Amazon S3 API reference: the documented keys, time, object
    /// and the signature the documentation prints.
    #[test]
    fn the_aws_documentation_example_signs_to_the_published_signature() {
        let credentials = S3Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        };
        let now = Utc.with_ymd_and_hms(2013, 5, 24, 0, 0, 0).unwrap();
        let object = Url::parse("https://examplebucket.s3.amazonaws.com/test.txt").unwrap();
        let signed = presign_get(&object, "us-east-1", &credentials, now, 86_400);
        assert_eq!(
            signed.as_str(),
            "https://examplebucket.s3.amazonaws.com/test.txt\
             ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }

    #[test]
    fn the_encoding_is_sigv4s() {
        assert_eq!(uri_encode("a b+c/d~e", true), "a%20b%2Bc/d~e");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
        assert_eq!(uri_encode("ü", false), "%C3%BC");
        assert_eq!(percent_decode("my%20file%2B1"), "my file+1");
        assert_eq!(percent_decode("100%"), "100%");
    }

    fn storage(endpoint: Option<&str>) -> S3Storage {
        S3Storage {
            endpoint: endpoint.map(|e| Url::parse(e).unwrap()),
            region: "eu-west-1".into(),
            bucket: "digital-assets".into(),
            credentials: S3Credentials {
                access_key_id: "AKID".into(),
                secret_access_key: "secret".into(),
            },
        }
    }

    #[test]
    fn object_urls_are_path_style_under_an_endpoint_and_virtual_hosted_on_aws() {
        let path = AssetPath::parse("books/my guide.pdf").unwrap();
        assert_eq!(
            storage(Some("http://127.0.0.1:9000"))
                .object_url(&path)
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9000/digital-assets/books/my%20guide.pdf"
        );
        assert_eq!(
            storage(None).object_url(&path).unwrap().as_str(),
            "https://digital-assets.s3.eu-west-1.amazonaws.com/books/my%20guide.pdf"
        );
    }

    #[test]
    fn a_port_is_part_of_the_signed_host_and_the_path_is_encoded_once() {
        let s = storage(Some("http://127.0.0.1:9000"));
        let path = AssetPath::parse("books/my guide.pdf").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let url = presign_get(
            &s.object_url(&path).unwrap(),
            "eu-west-1",
            &s.credentials,
            now,
            600,
        );
        assert_eq!(url.path(), "/digital-assets/books/my%20guide.pdf");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs[1].1, "AKID/20260102/eu-west-1/s3/aws4_request");
        assert_eq!(pairs[3], ("X-Amz-Expires".into(), "600".into()));
        // A different host (port) gives a different signature.
        let other =
            Url::parse("http://127.0.0.1:9001/digital-assets/books/my%20guide.pdf").unwrap();
        let other = presign_get(&other, "eu-west-1", &s.credentials, now, 600);
        assert_ne!(
            url.query_pairs().last().unwrap().1,
            other.query_pairs().last().unwrap().1
        );
        // Never longer than SigV4 allows.
        let long = presign_get(&url, "eu-west-1", &s.credentials, now, 30 * 86_400);
        assert!(long.as_str().contains("X-Amz-Expires=604800"));
    }
}
