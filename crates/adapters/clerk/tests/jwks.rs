//! The verifier against a JWKS served by a local mock (wiremock): fetching, caching,
//! rotation, rate limiting, single-flight, failures.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use paidloop_clerk::testing::{TestKey, TestKeys};
use paidloop_clerk::{AuthError, JwtSettings, JwtVerifier};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const JWKS_PATH: &str = "/.well-known/jwks.json";

fn jwks_response(keys: &[(&str, &TestKey)]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(TestKeys::jwk_set_json(keys))
}

fn jwks_mock(keys: &[(&str, &TestKey)]) -> Mock {
    Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(jwks_response(keys))
}

fn settings(server: &MockServer) -> JwtSettings {
    JwtSettings {
        jwks_url: Some(format!("{}{JWKS_PATH}", server.uri()).parse().unwrap()),
        ..JwtSettings::default()
    }
}

fn verifier(settings: JwtSettings) -> JwtVerifier {
    JwtVerifier::new(settings, reqwest::Client::new()).expect("valid settings")
}

fn token(kid: Option<&str>, key: &TestKey) -> String {
    TestKeys::sign(&TestKeys::claims("user_123"), kid, key)
}

async fn jwks_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .filter(|r| r.url.path() == JWKS_PATH)
        .count()
}

#[tokio::test]
async fn valid_token_via_jwks() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A), ("kid-ec", &TestKeys::EC_P256)])
        .expect(1)
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));

    let verified = verifier
        .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
        .await;
    assert_eq!(verified.unwrap().subject, "user_123");
    let ec = verifier
        .verify(&token(Some("kid-ec"), &TestKeys::EC_P256))
        .await;
    assert!(ec.is_ok(), "{ec:?}");
}

#[tokio::test]
async fn jwks_is_fetched_once_for_many_requests_with_a_known_kid() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .expect(1)
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));
    let token = token(Some("kid-a"), &TestKeys::RSA_A);
    for _ in 0..25 {
        assert!(verifier.verify(&token).await.is_ok());
    }
}

#[tokio::test]
async fn unknown_kid_after_refetch_is_unknown_key() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .expect(2)
        .mount(&server)
        .await;
    let verifier = verifier(JwtSettings {
        jwks_min_refetch_interval: Duration::ZERO,
        ..settings(&server)
    });
    assert!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    // The cache is warm; the unknown kid triggers one refetch, then gives up.
    assert_eq!(
        verifier
            .verify(&token(Some("kid-x"), &TestKeys::RSA_A))
            .await,
        Err(AuthError::UnknownKey)
    );
}

#[tokio::test]
async fn unknown_kid_on_a_cold_cache_is_unknown_key_after_the_first_fetch() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .expect(1)
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));
    assert_eq!(
        verifier
            .verify(&token(Some("kid-x"), &TestKeys::RSA_A))
            .await,
        Err(AuthError::UnknownKey)
    );
}

#[tokio::test]
async fn known_kid_signed_by_another_key_is_a_bad_signature() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .expect(1)
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));
    assert_eq!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_B))
            .await,
        Err(AuthError::BadSignature)
    );
}

#[tokio::test]
async fn key_rotation_refetches_once_then_serves_from_cache() {
    let server = MockServer::start().await;
    // Before the rotation the JWKS has A only; afterwards A and B.
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A), ("kid-b", &TestKeys::RSA_B)])
        .expect(1)
        .mount(&server)
        .await;
    let interval = Duration::from_millis(300);
    let verifier = verifier(JwtSettings {
        jwks_min_refetch_interval: interval,
        ..settings(&server)
    });

    assert!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert_eq!(jwks_requests(&server).await, 1);

    // Long after the last fetch, a token with the new kid arrives.
    tokio::time::sleep(interval + Duration::from_millis(100)).await;
    let rotated = token(Some("kid-b"), &TestKeys::RSA_B);
    assert!(verifier.verify(&rotated).await.is_ok());
    assert_eq!(jwks_requests(&server).await, 2);

    // From now on both kids are served from the cache.
    for _ in 0..10 {
        assert!(verifier.verify(&rotated).await.is_ok());
        assert!(
            verifier
                .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
                .await
                .is_ok()
        );
    }
    assert_eq!(jwks_requests(&server).await, 2);
}

#[tokio::test]
async fn keys_removed_from_the_jwks_stop_verifying() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .up_to_n_times(1)
        .mount(&server)
        .await;
    jwks_mock(&[("kid-b", &TestKeys::RSA_B)])
        .mount(&server)
        .await;
    let verifier = verifier(JwtSettings {
        jwks_min_refetch_interval: Duration::ZERO,
        ..settings(&server)
    });
    assert!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert!(
        verifier
            .verify(&token(Some("kid-b"), &TestKeys::RSA_B))
            .await
            .is_ok()
    );
    assert_eq!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await,
        Err(AuthError::UnknownKey)
    );
}

#[tokio::test]
async fn unknown_kids_refetch_at_most_once_per_interval() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server)); // 60 s interval

    assert!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    for i in 0..20 {
        let kid = format!("forged-{i}");
        assert_eq!(
            verifier.verify(&token(Some(&kid), &TestKeys::RSA_B)).await,
            Err(AuthError::UnknownKey)
        );
    }
    // The first fetch, and no more than one refetch (here none: the first fetch
    // was less than 60 s ago).
    let fetches = jwks_requests(&server).await;
    assert!((1..=2).contains(&fetches), "{fetches} fetches");
    // Known kids still work, without fetching.
    assert!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert_eq!(jwks_requests(&server).await, fetches);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_verifications_on_a_cold_cache_share_one_fetch() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(
            jwks_response(&[("kid-a", &TestKeys::RSA_A)]).set_delay(Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let verifier = Arc::new(verifier(JwtSettings {
        // Even with no rate limit, waiters reuse the fetch in flight.
        jwks_min_refetch_interval: Duration::ZERO,
        ..settings(&server)
    }));
    let token = token(Some("kid-a"), &TestKeys::RSA_A);

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let verifier = Arc::clone(&verifier);
            let token = token.clone();
            tokio::spawn(async move { verifier.verify(&token).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_ok());
    }
    assert_eq!(jwks_requests(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_unknown_kids_share_one_fetch() {
    // With the default interval, and with none at all: callers that waited for a fetch
    // in flight use its result instead of fetching again.
    for interval in [Duration::from_secs(60), Duration::ZERO] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(JWKS_PATH))
            .respond_with(
                jwks_response(&[("kid-a", &TestKeys::RSA_A)]).set_delay(Duration::from_millis(200)),
            )
            .expect(1)
            .mount(&server)
            .await;
        let verifier = Arc::new(verifier(JwtSettings {
            jwks_min_refetch_interval: interval,
            ..settings(&server)
        }));
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let verifier = Arc::clone(&verifier);
                let token = token(Some(&format!("forged-{i}")), &TestKeys::RSA_A);
                tokio::spawn(async move { verifier.verify(&token).await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), Err(AuthError::UnknownKey));
        }
        assert_eq!(jwks_requests(&server).await, 1, "interval {interval:?}");
    }
}

#[tokio::test]
async fn jwks_failure_is_key_fetch_and_is_not_retried_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));
    let token = token(Some("kid-a"), &TestKeys::RSA_A);
    for _ in 0..5 {
        let err = verifier.verify(&token).await.unwrap_err();
        assert!(
            matches!(err, AuthError::KeyFetch(ref cause) if cause.contains("503")),
            "{err:?}"
        );
        assert!(err.is_server_side());
    }
}

#[tokio::test]
async fn garbage_jwks_body_is_key_fetch() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));
    let err = verifier
        .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
        .await;
    assert!(matches!(err, Err(AuthError::KeyFetch(_))), "{err:?}");
}

#[tokio::test]
async fn unreachable_jwks_is_key_fetch() {
    // A port nothing listens on (bound, then freed). A dropped MockServer would not do:
    // wiremock pools its servers, and another test may be serving a JWKS from it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let settings = JwtSettings {
        jwks_url: Some(
            format!("http://127.0.0.1:{port}{JWKS_PATH}")
                .parse()
                .unwrap(),
        ),
        ..JwtSettings::default()
    };
    let verifier = verifier(settings);
    let err = verifier
        .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
        .await;
    assert!(matches!(err, Err(AuthError::KeyFetch(_))), "{err:?}");
}

#[tokio::test]
async fn unusable_jwks_entries_are_skipped() {
    let server = MockServer::start().await;
    let mut jwks = TestKeys::jwk_set_json(&[("kid-a", &TestKeys::RSA_A)]);
    let mut enc = TestKeys::RSA_B.jwk("kid-enc");
    enc["use"] = json!("enc");
    let extra: Vec<Value> = vec![
        json!({"kty": "oct", "kid": "kid-hmac", "k": "c2VjcmV0", "alg": "HS256"}),
        json!({"kty": "WAT", "kid": "kid-wat"}),
        json!("not an object"),
        enc,
    ];
    jwks["keys"].as_array_mut().unwrap().extend(extra);
    Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(jwks))
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));

    assert!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    // The HMAC entry is not a key: an HS256 token naming it is refused.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("kid-hmac".into());
    let hs = jsonwebtoken::encode(
        &header,
        &TestKeys::claims("user_123"),
        &EncodingKey::from_secret(b"secret"),
    )
    .unwrap();
    assert_eq!(
        verifier.verify(&hs).await,
        Err(AuthError::UnsupportedAlgorithm)
    );
    // The encryption key is not used for signatures.
    let err = verifier
        .verify(&token(Some("kid-enc"), &TestKeys::RSA_B))
        .await;
    assert_eq!(err, Err(AuthError::UnknownKey));
}

#[tokio::test]
async fn token_without_kid_uses_the_only_jwks_key() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .expect(1)
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));
    assert!(
        verifier
            .verify(&token(None, &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert!(
        verifier
            .verify(&token(None, &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert_eq!(
        verifier.verify(&token(None, &TestKeys::RSA_B)).await,
        Err(AuthError::BadSignature)
    );
}

#[tokio::test]
async fn token_without_kid_is_unknown_when_the_jwks_has_several_keys() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A), ("kid-b", &TestKeys::RSA_B)])
        .expect(1)
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));
    for _ in 0..3 {
        assert_eq!(
            verifier.verify(&token(None, &TestKeys::RSA_A)).await,
            Err(AuthError::UnknownKey)
        );
    }
}

#[tokio::test]
async fn pem_key_alone_never_touches_the_network() {
    let server = MockServer::start().await;
    let verifier = verifier(JwtSettings {
        pem_public_key: Some(TestKeys::RSA_A.public_pem().to_owned()),
        ..JwtSettings::default()
    });
    // Clerk stamps a kid on its tokens; with only the PEM key it is ignored.
    assert!(
        verifier
            .verify(&token(Some("ins_2abc"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert!(
        verifier
            .verify(&token(None, &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert_eq!(jwks_requests(&server).await, 0);
}

#[tokio::test]
async fn pem_key_covers_for_an_unreachable_jwks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(JWKS_PATH))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let verifier = verifier(JwtSettings {
        pem_public_key: Some(TestKeys::RSA_A.public_pem().to_owned()),
        ..settings(&server)
    });
    assert!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_A))
            .await
            .is_ok()
    );
    assert_eq!(
        verifier
            .verify(&token(Some("kid-a"), &TestKeys::RSA_B))
            .await,
        Err(AuthError::BadSignature)
    );
}

#[tokio::test]
async fn refused_algorithms_never_cause_a_fetch() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .mount(&server)
        .await;
    let verifier = verifier(settings(&server));

    let none = TestKeys::unsigned_token(
        &json!({"alg": "none", "kid": "kid-a"}),
        &TestKeys::claims("user_123"),
    );
    let err = verifier.verify(&none).await.unwrap_err();
    assert!(matches!(
        err,
        AuthError::UnsupportedAlgorithm | AuthError::Malformed
    ));

    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("kid-a".into());
    let hs = jsonwebtoken::encode(
        &header,
        &TestKeys::claims("user_123"),
        &EncodingKey::from_secret(TestKeys::RSA_A.public_pem().as_bytes()),
    )
    .unwrap();
    assert_eq!(
        verifier.verify(&hs).await,
        Err(AuthError::UnsupportedAlgorithm)
    );
    assert_eq!(verifier.verify("garbage").await, Err(AuthError::Malformed));
    assert_eq!(jwks_requests(&server).await, 0);
}

/// A change to a token's claims.
type Edit<'a> = &'a dyn Fn(&mut Value);

#[tokio::test]
async fn claim_checks_apply_to_jwks_tokens() {
    let server = MockServer::start().await;
    jwks_mock(&[("kid-a", &TestKeys::RSA_A)])
        .mount(&server)
        .await;
    let verifier = verifier(JwtSettings {
        issuer: Some("https://clerk.test.paidloop.invalid".into()),
        audience: Some("paidloop".into()),
        authorized_parties: vec!["http://localhost:5173/".into()],
        ..settings(&server)
    });
    let sign = |edit: &dyn Fn(&mut Value)| {
        let mut claims = TestKeys::claims("user_123");
        claims["aud"] = json!(["paidloop", "other"]);
        claims["azp"] = json!("http://127.0.0.1:5173");
        edit(&mut claims);
        TestKeys::sign(&claims, Some("kid-a"), &TestKeys::RSA_A)
    };
    assert!(verifier.verify(&sign(&|_| {})).await.is_ok());
    let now = TestKeys::now();
    let cases: [(Edit<'_>, AuthError); 7] = [
        (&|c| c["exp"] = json!(now - 600), AuthError::Expired),
        (&|c| c["nbf"] = json!(now + 600), AuthError::NotYetValid),
        (
            &|c| c["iss"] = json!("https://evil.example"),
            AuthError::WrongIssuer,
        ),
        (&|c| c["aud"] = json!("other"), AuthError::WrongAudience),
        (
            &|c| c["azp"] = json!("http://127.0.0.1:3000"),
            AuthError::UnauthorizedParty,
        ),
        (
            &|c| c["azp"] = json!("https://evil.example"),
            AuthError::UnauthorizedParty,
        ),
        (&|c| c["sub"] = json!(""), AuthError::MissingSubject),
    ];
    for (edit, expected) in cases {
        assert_eq!(
            verifier.verify(&sign(edit)).await,
            Err(expected.clone()),
            "{expected:?}"
        );
    }
}
