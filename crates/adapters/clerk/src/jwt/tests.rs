//! Unit tests of the verifier without network: PEM and trusted keys.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use super::*;
use crate::testing::{TestKey, TestKeys};

const ISSUER: &str = "https://clerk.test.paidloop.invalid";

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

fn pem_settings(key: &TestKey) -> JwtSettings {
    JwtSettings {
        pem_public_key: Some(key.public_pem().to_owned()),
        ..JwtSettings::default()
    }
}

fn pem_verifier(key: &TestKey) -> JwtVerifier {
    JwtVerifier::new(pem_settings(key), http()).expect("valid settings")
}

fn verifier_with(settings: JwtSettings) -> JwtVerifier {
    JwtVerifier::new(settings, http()).expect("valid settings")
}

fn claims() -> Value {
    TestKeys::claims("user_123")
}

fn rsa_a(claims: &Value) -> String {
    TestKeys::sign(claims, Some("kid-a"), &TestKeys::RSA_A)
}

#[tokio::test]
async fn valid_token_via_pem_key() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    let mut c = claims();
    c["email"] = json!("ada@example.com");
    let verified = verifier.verify(&rsa_a(&c)).await.expect("accepted");
    assert_eq!(verified.subject, "user_123");
    assert_eq!(verified.get_str("email"), Some("ada@example.com"));
    assert_eq!(verified.get_str("sid"), Some("sess_test"));

    // Without a kid the PEM key is used as well.
    let no_kid = TestKeys::sign(&c, None, &TestKeys::RSA_A);
    assert!(verifier.verify(&no_kid).await.is_ok());
}

#[tokio::test]
async fn pem_key_accepts_every_rsa_algorithm() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    for alg in [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
    ] {
        let token = TestKeys::RSA_A.sign_with(alg, &claims(), Some("kid-a"));
        assert!(verifier.verify(&token).await.is_ok(), "{alg:?}");
    }
}

#[tokio::test]
async fn valid_token_via_ec_pem_key() {
    let verifier = pem_verifier(&TestKeys::EC_P256);
    let token = TestKeys::sign(&claims(), Some("ins_ec"), &TestKeys::EC_P256);
    assert_eq!(verifier.verify(&token).await.unwrap().subject, "user_123");
    // An RSA token cannot be checked with an EC key.
    assert_eq!(
        verifier.verify(&rsa_a(&claims())).await,
        Err(AuthError::UnsupportedAlgorithm)
    );
}

#[tokio::test]
async fn ed25519_pem_key_works_too() {
    let verifier = pem_verifier(&TestKeys::ED25519);
    let token = TestKeys::sign(&claims(), None, &TestKeys::ED25519);
    assert!(verifier.verify(&token).await.is_ok());
}

#[tokio::test]
async fn pem_with_escaped_newlines_is_accepted() {
    let escaped = TestKeys::RSA_A.public_pem().trim().replace('\n', "\\n");
    let verifier = verifier_with(JwtSettings {
        pem_public_key: Some(escaped),
        ..JwtSettings::default()
    });
    assert!(verifier.verify(&rsa_a(&claims())).await.is_ok());
}

#[test]
fn bad_pem_is_a_config_error_naming_clerk_jwt_key() {
    for pem in [
        "not a key",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        TestKeys::RSA_A.private_pem(),
    ] {
        let err = JwtVerifier::new(
            JwtSettings {
                pem_public_key: Some(pem.to_owned()),
                ..JwtSettings::default()
            },
            http(),
        )
        .expect_err("rejected");
        assert!(matches!(err, JwtConfigError::InvalidPemKey(_)), "{err:?}");
        assert!(err.to_string().contains("CLERK_JWT_KEY"), "{err}");
    }
    // A blank value means "not configured", not an error.
    assert!(
        JwtVerifier::new(
            JwtSettings {
                pem_public_key: Some("  ".into()),
                ..JwtSettings::default()
            },
            http()
        )
        .is_ok()
    );
}

#[test]
fn non_http_jwks_url_is_a_config_error() {
    let err = JwtVerifier::new(
        JwtSettings {
            jwks_url: Some("ftp://clerk.example/jwks".parse().unwrap()),
            ..JwtSettings::default()
        },
        http(),
    )
    .expect_err("rejected");
    assert!(matches!(err, JwtConfigError::InvalidJwksUrl(_)));
    assert!(err.to_string().contains("CLERK_JWKS_URL"));
}

#[tokio::test]
async fn missing_or_garbage_tokens_are_malformed() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    let long = "a".repeat(MAX_TOKEN_LEN + 1);
    for token in [
        "",
        "garbage",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "....",
        "eyJhbGciOiJSUzI1NiJ9",
        long.as_str(),
    ] {
        assert_eq!(
            verifier.verify(token).await,
            Err(AuthError::Malformed),
            "{token:.20}"
        );
    }
    // Correctly signed, but the payload is not a JSON object.
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#);
    for payload in ["not json", "[1,2]", "\"user_123\""] {
        let message = format!("{header}.{}", URL_SAFE_NO_PAD.encode(payload));
        let key = TestKeys::RSA_A.encoding_key();
        let sig = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::RS256).unwrap();
        let token = format!("{message}.{sig}");
        assert_eq!(
            verifier.verify(&token).await,
            Err(AuthError::Malformed),
            "{payload}"
        );
    }
    // Not signed: the signature is checked before the payload is read.
    let bad = format!("{header}.bm90IGpzb24.c2ln");
    assert_eq!(verifier.verify(&bad).await, Err(AuthError::BadSignature));
}

#[tokio::test]
async fn expired_and_not_yet_valid_tokens_are_refused_with_leeway() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    let now = TestKeys::now();

    let mut c = claims();
    c["exp"] = json!(now - 120);
    assert_eq!(verifier.verify(&rsa_a(&c)).await, Err(AuthError::Expired));
    c["exp"] = json!(now - 30); // within the 60 s leeway
    assert!(verifier.verify(&rsa_a(&c)).await.is_ok());

    let mut c = claims();
    c["nbf"] = json!(now + 300);
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::NotYetValid)
    );
    c["nbf"] = json!(now + 30); // within the leeway
    assert!(verifier.verify(&rsa_a(&c)).await.is_ok());
}

#[tokio::test]
async fn leeway_is_configurable() {
    let verifier = verifier_with(JwtSettings {
        leeway: Duration::ZERO,
        ..pem_settings(&TestKeys::RSA_A)
    });
    let mut c = claims();
    c["exp"] = json!(TestKeys::now() - 5);
    assert_eq!(verifier.verify(&rsa_a(&c)).await, Err(AuthError::Expired));
}

#[tokio::test]
async fn exp_is_required_and_must_be_a_number() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    let mut c = claims();
    c.as_object_mut().unwrap().remove("exp");
    assert_eq!(verifier.verify(&rsa_a(&c)).await, Err(AuthError::Malformed));
    c["exp"] = json!("tomorrow");
    assert_eq!(verifier.verify(&rsa_a(&c)).await, Err(AuthError::Malformed));
}

#[tokio::test]
async fn alg_none_is_refused() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    for alg in ["none", "None", "NONE"] {
        let token = TestKeys::unsigned_token(&json!({"alg": alg, "typ": "JWT"}), &claims());
        let err = verifier.verify(&token).await.unwrap_err();
        assert!(
            matches!(err, AuthError::UnsupportedAlgorithm | AuthError::Malformed),
            "{alg}: {err:?}"
        );
    }
    // Even with a "signature" copied from a genuine token.
    let genuine = rsa_a(&claims());
    let sig = genuine.rsplit('.').next().unwrap();
    let none = TestKeys::unsigned_token(&json!({"alg": "none"}), &claims());
    let forged = format!("{none}{sig}");
    assert_eq!(
        verifier.verify(&forged).await,
        Err(AuthError::UnsupportedAlgorithm)
    );
}

/// The classic key-confusion attack: HS256 "signed" with the public key's PEM bytes.
#[tokio::test]
async fn hs256_signed_with_the_public_key_pem_is_refused() {
    let public_pem = TestKeys::RSA_A.public_pem();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("kid-a".into());
    let token = jsonwebtoken::encode(
        &header,
        &claims(),
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();

    let by_pem = pem_verifier(&TestKeys::RSA_A);
    assert_eq!(
        by_pem.verify(&token).await,
        Err(AuthError::UnsupportedAlgorithm)
    );

    // Also when the kid names a trusted RSA key.
    let by_trusted = verifier_with(JwtSettings::default()).with_trusted_key(
        "kid-a",
        TestKeys::RSA_A.decoding_key(),
        Algorithm::RS256,
    );
    assert_eq!(
        by_trusted.verify(&token).await,
        Err(AuthError::UnsupportedAlgorithm)
    );

    // And HS384/HS512 with any secret.
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        let token = jsonwebtoken::encode(
            &Header::new(alg),
            &claims(),
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        assert_eq!(
            by_pem.verify(&token).await,
            Err(AuthError::UnsupportedAlgorithm)
        );
    }
}

#[tokio::test]
async fn algorithm_must_fit_the_key() {
    // A P-256 key verifies ES256 only, not ES384.
    let verifier = pem_verifier(&TestKeys::EC_P256);
    let header = json!({"alg": "ES384", "typ": "JWT"});
    let genuine = TestKeys::sign(&claims(), None, &TestKeys::EC_P256);
    let mut parts = genuine.split('.').skip(1);
    let (payload, sig) = (parts.next().unwrap(), parts.next().unwrap());
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    assert_eq!(
        verifier.verify(&format!("{h}.{payload}.{sig}")).await,
        Err(AuthError::UnsupportedAlgorithm)
    );
}

#[tokio::test]
async fn token_signed_by_another_key_is_a_bad_signature() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    let token = TestKeys::sign(&claims(), Some("kid-a"), &TestKeys::RSA_B);
    assert_eq!(verifier.verify(&token).await, Err(AuthError::BadSignature));

    // A genuine token whose payload was edited.
    let genuine = rsa_a(&claims());
    let parts: Vec<&str> = genuine.split('.').collect();
    let mut c = claims();
    c["sub"] = json!("user_admin");
    let edited = URL_SAFE_NO_PAD.encode(c.to_string());
    let tampered = format!("{}.{edited}.{}", parts[0], parts[2]);
    assert_eq!(
        verifier.verify(&tampered).await,
        Err(AuthError::BadSignature)
    );
}

#[tokio::test]
async fn issuer_is_checked_when_configured() {
    let verifier = verifier_with(JwtSettings {
        issuer: Some(ISSUER.into()),
        ..pem_settings(&TestKeys::RSA_A)
    });
    assert!(verifier.verify(&rsa_a(&claims())).await.is_ok());

    let mut c = claims();
    c["iss"] = json!("https://evil.example");
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::WrongIssuer)
    );
    c.as_object_mut().unwrap().remove("iss");
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::WrongIssuer)
    );

    // Not configured (or blank): any issuer passes.
    let lenient = verifier_with(JwtSettings {
        issuer: Some(String::new()),
        ..pem_settings(&TestKeys::RSA_A)
    });
    let mut c = claims();
    c["iss"] = json!("https://elsewhere.example");
    assert!(lenient.verify(&rsa_a(&c)).await.is_ok());
}

#[tokio::test]
async fn audience_is_checked_when_configured() {
    let verifier = verifier_with(JwtSettings {
        audience: Some("paidloop-api".into()),
        ..pem_settings(&TestKeys::RSA_A)
    });
    let mut c = claims();
    c["aud"] = json!("paidloop-api");
    assert!(verifier.verify(&rsa_a(&c)).await.is_ok());
    c["aud"] = json!(["other", "paidloop-api"]);
    assert!(verifier.verify(&rsa_a(&c)).await.is_ok());
    c["aud"] = json!("other-api");
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::WrongAudience)
    );
    c["aud"] = json!(["other", "another"]);
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::WrongAudience)
    );
    c.as_object_mut().unwrap().remove("aud");
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::WrongAudience)
    );
}

#[tokio::test]
async fn tokens_with_an_aud_pass_when_no_audience_is_configured() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    let mut c = claims();
    c["aud"] = json!("whatever");
    assert!(verifier.verify(&rsa_a(&c)).await.is_ok());
    c["aud"] = json!(["a", "b"]);
    assert!(verifier.verify(&rsa_a(&c)).await.is_ok());
}

#[tokio::test]
async fn authorized_party_is_checked_when_configured() {
    let verifier = verifier_with(JwtSettings {
        authorized_parties: vec![
            "http://localhost:5173/".into(),
            "https://app.example.com".into(),
        ],
        ..pem_settings(&TestKeys::RSA_A)
    });
    let with_azp = |azp: Option<&str>| {
        let mut c = claims();
        if let Some(azp) = azp {
            c["azp"] = json!(azp);
        }
        rsa_a(&c)
    };
    assert!(
        verifier
            .verify(&with_azp(Some("https://app.example.com")))
            .await
            .is_ok()
    );
    assert!(
        verifier
            .verify(&with_azp(Some("https://APP.example.com/")))
            .await
            .is_ok()
    );
    // Loopback alias: 127.0.0.1 vs localhost with the same scheme, port and path.
    assert!(
        verifier
            .verify(&with_azp(Some("http://127.0.0.1:5173")))
            .await
            .is_ok()
    );
    for azp in [
        Some("http://127.0.0.1:5174"),
        Some("https://evil.example.com"),
        Some(""),
        None,
    ] {
        assert_eq!(
            verifier.verify(&with_azp(azp)).await,
            Err(AuthError::UnauthorizedParty),
            "{azp:?}"
        );
    }
    let mut c = claims();
    c["azp"] = json!(42);
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::UnauthorizedParty)
    );

    // No parties configured: azp is not looked at.
    let lenient = pem_verifier(&TestKeys::RSA_A);
    assert!(
        lenient
            .verify(&with_azp(Some("https://evil.example.com")))
            .await
            .is_ok()
    );
    assert!(lenient.verify(&with_azp(None)).await.is_ok());
}

#[tokio::test]
async fn sub_is_required_and_non_empty() {
    let verifier = pem_verifier(&TestKeys::RSA_A);
    let mut c = claims();
    c.as_object_mut().unwrap().remove("sub");
    assert_eq!(
        verifier.verify(&rsa_a(&c)).await,
        Err(AuthError::MissingSubject)
    );
    for sub in [json!(""), json!("   "), json!(42), json!(null)] {
        c["sub"] = sub.clone();
        assert_eq!(
            verifier.verify(&rsa_a(&c)).await,
            Err(AuthError::MissingSubject),
            "{sub}"
        );
    }
}

#[tokio::test]
async fn trusted_key_is_verified_by_the_same_path() {
    let verifier = verifier_with(JwtSettings {
        issuer: Some(ISSUER.into()),
        ..JwtSettings::default()
    })
    .with_trusted_key("dev", TestKeys::ED25519.decoding_key(), Algorithm::EdDSA);

    let token = TestKeys::sign(&claims(), Some("dev"), &TestKeys::ED25519);
    assert_eq!(verifier.verify(&token).await.unwrap().subject, "user_123");

    // Same claim checks as any token.
    let mut c = claims();
    c["iss"] = json!("https://evil.example");
    let token = TestKeys::sign(&c, Some("dev"), &TestKeys::ED25519);
    assert_eq!(verifier.verify(&token).await, Err(AuthError::WrongIssuer));

    // A different key under the trusted kid: wrong family → algorithm refused;
    // same family, wrong key → bad signature.
    let rsa = TestKeys::sign(&claims(), Some("dev"), &TestKeys::RSA_A);
    assert_eq!(
        verifier.verify(&rsa).await,
        Err(AuthError::UnsupportedAlgorithm)
    );
    let rsa_trusted = verifier_with(JwtSettings::default()).with_trusted_key(
        "dev",
        TestKeys::RSA_A.decoding_key(),
        Algorithm::RS256,
    );
    let by_b = TestKeys::sign(&claims(), Some("dev"), &TestKeys::RSA_B);
    assert_eq!(
        rsa_trusted.verify(&by_b).await,
        Err(AuthError::BadSignature)
    );
    // A trusted key is pinned to its algorithm.
    let rs384 = TestKeys::RSA_A.sign_with(Algorithm::RS384, &claims(), Some("dev"));
    assert_eq!(
        rsa_trusted.verify(&rs384).await,
        Err(AuthError::UnsupportedAlgorithm)
    );

    // Other kids, or no kid, are unknown to a trusted-keys-only verifier.
    let other = TestKeys::sign(&claims(), Some("other"), &TestKeys::ED25519);
    assert_eq!(verifier.verify(&other).await, Err(AuthError::UnknownKey));
    let none = TestKeys::sign(&claims(), None, &TestKeys::ED25519);
    assert_eq!(verifier.verify(&none).await, Err(AuthError::UnknownKey));
}

#[tokio::test]
async fn trusted_key_comes_before_the_pem_key() {
    let verifier = pem_verifier(&TestKeys::RSA_A).with_trusted_key(
        "dev",
        TestKeys::RSA_B.decoding_key(),
        Algorithm::RS256,
    );
    let by_b = TestKeys::sign(&claims(), Some("dev"), &TestKeys::RSA_B);
    assert!(verifier.verify(&by_b).await.is_ok());
    let by_a = TestKeys::sign(&claims(), Some("ins_1"), &TestKeys::RSA_A);
    assert!(verifier.verify(&by_a).await.is_ok());
}

#[tokio::test]
async fn no_key_source_is_reported() {
    let verifier = verifier_with(JwtSettings::default());
    let err = verifier.verify(&rsa_a(&claims())).await.unwrap_err();
    assert_eq!(err, AuthError::NoKeySource);
    assert!(err.is_server_side());
}

#[test]
fn error_messages_are_short_and_safe() {
    let fetch = AuthError::KeyFetch("connect to 10.0.0.5:443 refused".into());
    assert!(!fetch.to_string().contains("10.0.0.5"));
    assert!(fetch.is_server_side());
    assert!(!AuthError::Expired.is_server_side());
    assert_eq!(
        AuthError::MissingSubject.to_string(),
        "Token is missing sub claim."
    );
}

#[test]
fn verifier_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<JwtVerifier>();
    assert_send_sync::<AuthError>();
}

#[test]
fn jwks_entries_that_cannot_verify_are_skipped() {
    use jsonwebtoken::jwk::Jwk;
    let parse = |v: Value| keys::key_from_jwk(&serde_json::from_value::<Jwk>(v).unwrap());

    let good = TestKeys::RSA_A.jwk("a");
    assert!(parse(good.clone()).is_ok());
    assert!(parse(TestKeys::EC_P256.jwk("ec")).is_ok());
    assert!(parse(TestKeys::ED25519.jwk("ed")).is_ok());

    assert!(parse(json!({"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"})).is_err());
    assert!(parse(json!({"kty": "oct", "k": "c2VjcmV0", "alg": "HS256"})).is_err());
    let mut enc = good.clone();
    enc["use"] = json!("enc");
    assert!(parse(enc).is_err());
    let mut hs = good.clone();
    hs["alg"] = json!("HS256");
    assert!(parse(hs).is_err());
    let mut oaep = good.clone();
    oaep["alg"] = json!("RSA-OAEP");
    assert!(parse(oaep).is_err());
    let mut es = good;
    es["alg"] = json!("ES256");
    assert!(parse(es).is_err());
}
