//! Svix webhook signatures, as Clerk delivers its webhooks.
//!
//! Svix signs `{svix-id}.{svix-timestamp}.{raw body}` with HMAC-SHA256 under the
//! endpoint's signing secret (`whsec_<base64 key>`) and sends the standard base64 of
//! the tag as `v1,<signature>` in `svix-signature`; during a secret rotation the header
//! carries several space-separated entries. [`verify_webhook`] accepts a request when
//! its timestamp is within [`TOLERANCE_SECONDS`] of `now` (both directions) and any
//! `v1` entry matches, compared in constant time. [`sign_webhook`] produces the header
//! value exactly as Svix does, for local events (`paidloop dev pay`) and tests.
//!
//! Everything here is pure: the caller passes the secret, the headers, the raw body
//! and the current Unix time.

use std::fmt;

use base64::Engine;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

#[cfg(test)]
mod tests;

/// The prefix of a Svix signing secret as the Clerk dashboard shows it.
pub const SECRET_PREFIX: &str = "whsec_";

/// The header with the message id (also the redelivery deduplication key).
pub const ID_HEADER: &str = "svix-id";
/// The header with the send time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "svix-timestamp";
/// The header with the space-separated `v1,<base64>` signatures.
pub const SIGNATURE_HEADER: &str = "svix-signature";

/// How far, in seconds, the timestamp may be from now, in either direction.
pub const TOLERANCE_SECONDS: i64 = 5 * 60;

/// The only signature scheme Svix uses for HMAC secrets; other versions are ignored.
const SIGNATURE_VERSION: &str = "v1";

/// Standard alphabet, padding optional: secrets and signatures are compared by their
/// bytes, so an unpadded copy of a secret still works.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a webhook was refused. The `Display` text is short and safe to return to the
/// caller (`400 {"error": ...}`); it never includes the secret or a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The signing secret is empty or its key part is not base64.
    #[error("Webhook signing secret is not usable.")]
    BadSecret,
    /// A required header is absent or blank; the value is the header's name.
    #[error("Missing required webhook header: {0}.")]
    MissingHeader(&'static str),
    /// `svix-timestamp` is not an integer number of seconds.
    #[error("Invalid webhook timestamp.")]
    BadTimestamp,
    /// The timestamp is more than [`TOLERANCE_SECONDS`] before now.
    #[error("Webhook timestamp is too old.")]
    TooOld,
    /// The timestamp is more than [`TOLERANCE_SECONDS`] after now.
    #[error("Webhook timestamp is too new.")]
    TooNew,
    /// No `v1` entry of `svix-signature` matches the body.
    #[error("No matching webhook signature found.")]
    NoMatchingSignature,
}

/// The three Svix headers of a request, as received (`None` when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SvixHeaders {
    /// `svix-id`, the message id.
    pub id: Option<String>,
    /// `svix-timestamp`, Unix seconds as text.
    pub timestamp: Option<String>,
    /// `svix-signature`, one or more space-separated `v1,<base64>` entries.
    pub signature: Option<String>,
}

impl SvixHeaders {
    /// Reads the three headers through `get`, called with [`ID_HEADER`],
    /// [`TIMESTAMP_HEADER`] and [`SIGNATURE_HEADER`]; e.g. with actix:
    /// `SvixHeaders::from_fn(|name| req.headers().get(name)?.to_str().ok().map(str::to_owned))`.
    pub fn from_fn(mut get: impl FnMut(&'static str) -> Option<String>) -> SvixHeaders {
        SvixHeaders {
            id: get(ID_HEADER),
            timestamp: get(TIMESTAMP_HEADER),
            signature: get(SIGNATURE_HEADER),
        }
    }
}

/// A parsed signing secret: the HMAC key. Build it once from
/// `CLERK_WEBHOOK_SIGNING_SECRET`; its `Debug` output never shows the key.
#[derive(Clone)]
pub struct SvixSecret {
    key: Vec<u8>,
}

impl fmt::Debug for SvixSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SvixSecret(<redacted>)")
    }
}

impl SvixSecret {
    /// Reads a secret: surrounding whitespace is ignored, the `whsec_` prefix is
    /// optional (as in Svix's own libraries, so a key pasted without it still works;
    /// `check --deploy` is where the `whsec_` form is insisted on), and the rest must be
    /// non-empty standard base64 (padding optional); the decoded bytes are the key.
    pub fn parse(raw: &str) -> Result<SvixSecret, WebhookError> {
        let trimmed = raw.trim();
        let encoded = trimmed.strip_prefix(SECRET_PREFIX).unwrap_or(trimmed);
        let key = LENIENT_BASE64
            .decode(encoded)
            .map_err(|_| WebhookError::BadSecret)?;
        if key.is_empty() {
            return Err(WebhookError::BadSecret);
        }
        Ok(SvixSecret { key })
    }

    /// The `svix-signature` value Svix would send for this message: `v1,<base64>`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.tag(id, timestamp, body);
        format!("{SIGNATURE_VERSION},{}", STANDARD.encode(tag))
    }

    /// Verifies a request, in Svix's order: every header present and non-blank, the
    /// timestamp an integer within [`TOLERANCE_SECONDS`] of `now_unix` (inclusive), then
    /// at least one `v1` signature equal, in constant time, to the body's. Entries of
    /// other versions and entries that are not base64 are skipped.
    pub fn verify(
        &self,
        headers: &SvixHeaders,
        body: &[u8],
        now_unix: i64,
    ) -> Result<(), WebhookError> {
        let id = required(headers.id.as_deref(), ID_HEADER)?;
        let timestamp = required(headers.timestamp.as_deref(), TIMESTAMP_HEADER)?;
        let signatures = required(headers.signature.as_deref(), SIGNATURE_HEADER)?;

        let timestamp = parse_timestamp(timestamp)?;
        if timestamp < now_unix.saturating_sub(TOLERANCE_SECONDS) {
            return Err(WebhookError::TooOld);
        }
        if timestamp > now_unix.saturating_add(TOLERANCE_SECONDS) {
            return Err(WebhookError::TooNew);
        }

        let expected = self.tag(id, timestamp, body);
        let mut matched = subtle::Choice::from(0u8);
        for candidate in signatures.split_whitespace().filter_map(v1_signature) {
            // Every entry is compared (no early exit), so timing says nothing about
            // which one matched.
            matched |= expected.as_slice().ct_eq(&candidate);
        }
        if bool::from(matched) {
            Ok(())
        } else {
            Err(WebhookError::NoMatchingSignature)
        }
    }

    /// HMAC-SHA256 of `{id}.{timestamp}.{body}`.
    fn tag(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC accepts keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().to_vec()
    }
}

/// Verifies a Svix-signed webhook with the raw secret (`whsec_…`, see
/// [`SvixSecret::parse`]); see [`SvixSecret::verify`] for the checks and their order.
/// A secret that cannot be parsed is [`WebhookError::BadSecret`], checked first.
pub fn verify_webhook(
    secret: &str,
    headers: &SvixHeaders,
    body: &[u8],
    now_unix: i64,
) -> Result<(), WebhookError> {
    SvixSecret::parse(secret)?.verify(headers, body, now_unix)
}

/// The `svix-signature` value (`v1,<base64>`) for a message, exactly as Svix computes
/// it, so a locally made event passes [`verify_webhook`]. Fails only on a bad secret.
pub fn sign_webhook(
    secret: &str,
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, WebhookError> {
    Ok(SvixSecret::parse(secret)?.sign(id, timestamp, body))
}

/// The header's value when present and not blank.
fn required<'a>(value: Option<&'a str>, name: &'static str) -> Result<&'a str, WebhookError> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or(WebhookError::MissingHeader(name))
}

/// An integer number of seconds, surrounding whitespace ignored; no sign other than
/// `-`, no fraction, no exponent.
fn parse_timestamp(raw: &str) -> Result<i64, WebhookError> {
    let raw = raw.trim();
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::BadTimestamp);
    }
    raw.parse().map_err(|_| WebhookError::BadTimestamp)
}

/// The decoded signature of a `v1,<base64>` entry; `None` for other versions or bad
/// base64.
fn v1_signature(entry: &str) -> Option<Vec<u8>> {
    let (version, signature) = entry.split_once(',')?;
    if version != SIGNATURE_VERSION {
        return None;
    }
    LENIENT_BASE64.decode(signature).ok()
}
