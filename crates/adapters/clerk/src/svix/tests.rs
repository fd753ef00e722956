//! Svix signature tests: the published example vector, every refusal, and
//! sign-then-verify properties.

use proptest::prelude::*;

use super::*;

// Svix's published example (the `sign` test of its libraries).
const VECTOR_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const VECTOR_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const VECTOR_TIMESTAMP: i64 = 1_614_265_330;
const VECTOR_BODY: &[u8] = br#"{"test": 2432232314}"#;
const VECTOR_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

const NOW: i64 = 1_700_000_000;
const SECRET: &str = "whsec_c2VjcmV0LWtleS1mb3ItcGFpZGxvb3AtdGVzdHM=";
const OTHER_SECRET: &str = "whsec_YW5vdGhlci1rZXktZm9yLXBhaWRsb29wLXRlc3Rz";
const BODY: &[u8] = br#"{"type":"paymentAttempt.updated","data":{"status":"paid"}}"#;

fn headers(id: &str, timestamp: &str, signature: &str) -> SvixHeaders {
    SvixHeaders {
        id: Some(id.to_owned()),
        timestamp: Some(timestamp.to_owned()),
        signature: Some(signature.to_owned()),
    }
}

/// Headers for `BODY` signed with `SECRET` at `timestamp`.
fn signed_at(timestamp: i64) -> SvixHeaders {
    let signature = sign_webhook(SECRET, "msg_1", timestamp, BODY).unwrap();
    headers("msg_1", &timestamp.to_string(), &signature)
}

#[test]
fn reproduces_the_published_vector() {
    assert_eq!(
        sign_webhook(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY).unwrap(),
        VECTOR_SIGNATURE
    );
    let headers = headers(VECTOR_ID, "1614265330", VECTOR_SIGNATURE);
    assert_eq!(
        verify_webhook(VECTOR_SECRET, &headers, VECTOR_BODY, VECTOR_TIMESTAMP),
        Ok(())
    );
}

#[test]
fn the_whsec_prefix_is_optional() {
    let headers = headers(VECTOR_ID, "1614265330", VECTOR_SIGNATURE);
    let bare = VECTOR_SECRET.strip_prefix(SECRET_PREFIX).unwrap();
    assert_eq!(
        verify_webhook(bare, &headers, VECTOR_BODY, VECTOR_TIMESTAMP),
        Ok(())
    );
    assert_eq!(
        verify_webhook(
            &format!("  {VECTOR_SECRET}\n"),
            &headers,
            VECTOR_BODY,
            VECTOR_TIMESTAMP
        ),
        Ok(())
    );
}

#[test]
fn a_fresh_signature_verifies() {
    assert_eq!(verify_webhook(SECRET, &signed_at(NOW), BODY, NOW), Ok(()));
}

#[test]
fn a_wrong_signature_is_refused() {
    let bad = headers(
        "msg_1",
        &NOW.to_string(),
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
    );
    assert_eq!(
        verify_webhook(SECRET, &bad, BODY, NOW),
        Err(WebhookError::NoMatchingSignature)
    );
    let garbage = headers("msg_1", &NOW.to_string(), "v1,not base64!!");
    assert_eq!(
        verify_webhook(SECRET, &garbage, BODY, NOW),
        Err(WebhookError::NoMatchingSignature)
    );
    let no_version = headers("msg_1", &NOW.to_string(), "Ceo5qEr07ixe2NLpvHk3FH9bwy");
    assert_eq!(
        verify_webhook(SECRET, &no_version, BODY, NOW),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn the_signature_covers_id_timestamp_and_body() {
    let good = signed_at(NOW);
    let mut other_id = good.clone();
    other_id.id = Some("msg_2".to_owned());
    assert_eq!(
        verify_webhook(SECRET, &other_id, BODY, NOW),
        Err(WebhookError::NoMatchingSignature)
    );
    let mut other_time = good.clone();
    other_time.timestamp = Some((NOW + 1).to_string());
    assert_eq!(
        verify_webhook(SECRET, &other_time, BODY, NOW),
        Err(WebhookError::NoMatchingSignature)
    );
    assert_eq!(
        verify_webhook(SECRET, &good, b"{}", NOW),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn each_missing_or_blank_header_is_named() {
    let good = signed_at(NOW);
    for (name, blank) in [
        (ID_HEADER, None),
        (ID_HEADER, Some("  ")),
        (TIMESTAMP_HEADER, None),
        (TIMESTAMP_HEADER, Some("")),
        (SIGNATURE_HEADER, None),
        (SIGNATURE_HEADER, Some(" \t")),
    ] {
        let mut headers = good.clone();
        let slot = match name {
            ID_HEADER => &mut headers.id,
            TIMESTAMP_HEADER => &mut headers.timestamp,
            _ => &mut headers.signature,
        };
        *slot = blank.map(str::to_owned);
        let err = verify_webhook(SECRET, &headers, BODY, NOW).unwrap_err();
        assert_eq!(err, WebhookError::MissingHeader(name), "{name} {blank:?}");
        assert!(err.to_string().contains(name));
    }
    assert_eq!(
        verify_webhook(SECRET, &SvixHeaders::default(), BODY, NOW),
        Err(WebhookError::MissingHeader(ID_HEADER))
    );
}

#[test]
fn the_timestamp_must_be_an_integer() {
    let signature = sign_webhook(SECRET, "msg_1", NOW, BODY).unwrap();
    for raw in [
        "abc",
        "1700000000.0",
        "1e9",
        "+1700000000",
        "0x10",
        "-",
        "99999999999999999999",
    ] {
        assert_eq!(
            verify_webhook(SECRET, &headers("msg_1", raw, &signature), BODY, NOW),
            Err(WebhookError::BadTimestamp),
            "{raw}"
        );
    }
}

#[test]
fn six_minutes_either_way_is_refused() {
    assert_eq!(
        verify_webhook(SECRET, &signed_at(NOW - 6 * 60), BODY, NOW),
        Err(WebhookError::TooOld)
    );
    assert_eq!(
        verify_webhook(SECRET, &signed_at(NOW + 6 * 60), BODY, NOW),
        Err(WebhookError::TooNew)
    );
}

#[test]
fn exactly_five_minutes_either_way_passes() {
    for timestamp in [NOW - TOLERANCE_SECONDS, NOW + TOLERANCE_SECONDS] {
        assert_eq!(
            verify_webhook(SECRET, &signed_at(timestamp), BODY, NOW),
            Ok(())
        );
    }
    assert_eq!(
        verify_webhook(SECRET, &signed_at(NOW - TOLERANCE_SECONDS - 1), BODY, NOW),
        Err(WebhookError::TooOld)
    );
    assert_eq!(
        verify_webhook(SECRET, &signed_at(NOW + TOLERANCE_SECONDS + 1), BODY, NOW),
        Err(WebhookError::TooNew)
    );
}

#[test]
fn the_time_window_is_checked_before_the_signature() {
    let stale = headers("msg_1", &(NOW - 3600).to_string(), "v1,AAAA");
    assert_eq!(
        verify_webhook(SECRET, &stale, BODY, NOW),
        Err(WebhookError::TooOld)
    );
}

#[test]
fn extreme_times_do_not_overflow() {
    let signature = sign_webhook(SECRET, "msg_1", i64::MIN, BODY).unwrap();
    let h = headers("msg_1", &i64::MIN.to_string(), &signature);
    assert_eq!(verify_webhook(SECRET, &h, BODY, i64::MIN), Ok(()));
    assert_eq!(
        verify_webhook(SECRET, &h, BODY, i64::MAX),
        Err(WebhookError::TooOld)
    );
    let signature = sign_webhook(SECRET, "msg_1", i64::MAX, BODY).unwrap();
    let h = headers("msg_1", &i64::MAX.to_string(), &signature);
    assert_eq!(verify_webhook(SECRET, &h, BODY, i64::MAX), Ok(()));
    assert_eq!(
        verify_webhook(SECRET, &h, BODY, NOW),
        Err(WebhookError::TooNew)
    );
}

#[test]
fn any_of_several_signatures_may_match() {
    let valid = sign_webhook(SECRET, "msg_1", NOW, BODY).unwrap();
    let header = format!(
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {valid} v1,bm9wZQ=="
    );
    assert_eq!(
        verify_webhook(
            SECRET,
            &headers("msg_1", &NOW.to_string(), &header),
            BODY,
            NOW
        ),
        Ok(())
    );
}

#[test]
fn only_v1_entries_count() {
    let valid = sign_webhook(SECRET, "msg_1", NOW, BODY).unwrap();
    let as_v2 = valid.replacen("v1,", "v2,", 1);
    assert_eq!(
        verify_webhook(
            SECRET,
            &headers("msg_1", &NOW.to_string(), &as_v2),
            BODY,
            NOW
        ),
        Err(WebhookError::NoMatchingSignature)
    );
    let as_v1a = valid.replacen("v1,", "v1a,", 1);
    assert_eq!(
        verify_webhook(
            SECRET,
            &headers("msg_1", &NOW.to_string(), &as_v1a),
            BODY,
            NOW
        ),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn a_signature_made_with_another_secret_is_refused() {
    let signature = sign_webhook(OTHER_SECRET, "msg_1", NOW, BODY).unwrap();
    assert_eq!(
        verify_webhook(
            SECRET,
            &headers("msg_1", &NOW.to_string(), &signature),
            BODY,
            NOW
        ),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn a_secret_without_a_valid_base64_key_is_refused() {
    for secret in [
        "",
        "   ",
        "whsec_",
        "whsec_not*base64",
        "whsec_abc$",
        "whsec_a",
    ] {
        assert_eq!(
            verify_webhook(secret, &signed_at(NOW), BODY, NOW),
            Err(WebhookError::BadSecret),
            "{secret:?}"
        );
        assert_eq!(
            sign_webhook(secret, "msg_1", NOW, BODY),
            Err(WebhookError::BadSecret)
        );
    }
}

#[test]
fn an_unpadded_secret_is_the_same_key() {
    let padded = SvixSecret::parse(SECRET).unwrap();
    let unpadded = SvixSecret::parse(SECRET.trim_end_matches('=')).unwrap();
    assert_eq!(padded.sign("m", NOW, BODY), unpadded.sign("m", NOW, BODY));
}

#[test]
fn headers_are_read_by_their_names() {
    let headers = SvixHeaders::from_fn(|name| match name {
        "svix-id" => Some("msg_1".to_owned()),
        "svix-timestamp" => Some("123".to_owned()),
        _ => None,
    });
    assert_eq!(headers.id.as_deref(), Some("msg_1"));
    assert_eq!(headers.timestamp.as_deref(), Some("123"));
    assert_eq!(headers.signature, None);
}

#[test]
fn errors_and_debug_output_never_show_secrets() {
    let secret = SvixSecret::parse(SECRET).unwrap();
    let debug = format!("{secret:?}");
    assert!(!debug.contains("c2VjcmV0"), "{debug}");
    for err in [
        WebhookError::BadSecret,
        WebhookError::MissingHeader(ID_HEADER),
        WebhookError::BadTimestamp,
        WebhookError::TooOld,
        WebhookError::TooNew,
        WebhookError::NoMatchingSignature,
    ] {
        let text = err.to_string();
        assert!(!text.is_empty() && text.len() < 60, "{text}");
    }
}

proptest! {
    #[test]
    fn sign_then_verify_round_trips(
        key in proptest::collection::vec(any::<u8>(), 1..64),
        id in "[a-zA-Z0-9_]{1,40}",
        timestamp in -10_000_000_000i64..10_000_000_000,
        skew in -TOLERANCE_SECONDS..=TOLERANCE_SECONDS,
        body in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let secret = format!("{SECRET_PREFIX}{}", STANDARD.encode(&key));
        let signature = sign_webhook(&secret, &id, timestamp, &body).unwrap();
        let headers = headers(&id, &timestamp.to_string(), &signature);
        prop_assert_eq!(verify_webhook(&secret, &headers, &body, timestamp + skew), Ok(()));
    }

    #[test]
    fn any_flipped_body_byte_fails(
        body in proptest::collection::vec(any::<u8>(), 1..256),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let headers = {
            let signature = sign_webhook(SECRET, "msg_1", NOW, &body).unwrap();
            headers("msg_1", &NOW.to_string(), &signature)
        };
        let mut tampered = body.clone();
        let at = index.index(tampered.len());
        tampered[at] ^= flip;
        prop_assert_eq!(
            verify_webhook(SECRET, &headers, &tampered, NOW),
            Err(WebhookError::NoMatchingSignature)
        );
    }
}
