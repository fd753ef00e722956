//! Reading the `Authorization` header.

use super::AuthError;

/// Extracts the token from an `Authorization` header value.
///
/// `Bearer <token>` (scheme in any case, any run of spaces) gives `Some(token)`;
/// another scheme, or an empty value, gives `None`, so the caller can fall back to
/// the `__session` cookie or treat the request as anonymous; `Bearer` with no token,
/// or with a token containing spaces, is an error (a 401), as in the Django edition.
pub fn parse_bearer(header_value: &str) -> Result<Option<&str>, AuthError> {
    let mut parts = header_value.split_ascii_whitespace();
    let Some(scheme) = parts.next() else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Ok(None);
    }
    match (parts.next(), parts.next()) {
        (Some(token), None) => Ok(Some(token)),
        _ => Err(AuthError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_token_is_extracted() {
        assert_eq!(parse_bearer("Bearer abc.def.ghi"), Ok(Some("abc.def.ghi")));
        assert_eq!(parse_bearer("bearer abc"), Ok(Some("abc")));
        assert_eq!(parse_bearer("BEARER   abc  "), Ok(Some("abc")));
        assert_eq!(parse_bearer("  Bearer\tabc"), Ok(Some("abc")));
    }

    #[test]
    fn other_schemes_and_empty_values_are_not_ours() {
        assert_eq!(parse_bearer(""), Ok(None));
        assert_eq!(parse_bearer("   "), Ok(None));
        assert_eq!(parse_bearer("Basic dXNlcjpwYXNz"), Ok(None));
        assert_eq!(parse_bearer("Token abc"), Ok(None));
        assert_eq!(parse_bearer("Bearerabc"), Ok(None));
    }

    #[test]
    fn bearer_without_exactly_one_token_is_malformed() {
        assert_eq!(parse_bearer("Bearer"), Err(AuthError::Malformed));
        assert_eq!(parse_bearer("Bearer   "), Err(AuthError::Malformed));
        assert_eq!(parse_bearer("Bearer a b"), Err(AuthError::Malformed));
        assert_eq!(parse_bearer("bearer a b c"), Err(AuthError::Malformed));
    }
}
