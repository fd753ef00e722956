//! Billing features carried in a Clerk session token (or in a user's public metadata).

use paidloop_catalog::json_text;
use serde_json::{Map, Value};

/// The claim Clerk puts billing features in unless `CLERK_BILLING_CLAIM` names another;
/// also the fallback when the named claim is absent.
pub const DEFAULT_BILLING_CLAIM: &str = "entitlements";

/// Reads the billing features of a user from their claims.
///
/// The claim named `claim_name` is read, or [`DEFAULT_BILLING_CLAIM`] when that one is
/// absent or `null` (and when `claim_name` is blank). Its value may be:
/// - a list: each entry stringified (falsy entries give nothing);
/// - an object: the keys whose value is truthy (`true`, a non-zero number, a non-empty
///   string, list or object), so `{"pro": true, "beta": false}` gives `pro`; they come
///   in the map's key order (sorted, unless serde_json's `preserve_order` is on);
/// - a comma-separated string: `"pro, api"`;
/// - anything else: no features.
///
/// Each feature is trimmed and lower-cased; empties are dropped, and repeats keep their
/// first position.
pub fn features_from_claims(claims: &Map<String, Value>, claim_name: &str) -> Vec<String> {
    let claim_name = if claim_name.trim().is_empty() {
        DEFAULT_BILLING_CLAIM
    } else {
        claim_name
    };
    let present = |name: &str| claims.get(name).filter(|value| !value.is_null());
    let value = present(claim_name).or_else(|| present(DEFAULT_BILLING_CLAIM));

    let raw: Vec<String> = match value {
        Some(Value::Array(entries)) => entries.iter().map(json_text).collect(),
        Some(Value::Object(flags)) => flags
            .iter()
            .filter(|(_, enabled)| is_truthy(enabled))
            .map(|(name, _)| name.clone())
            .collect(),
        Some(Value::String(list)) => list.split(',').map(str::to_owned).collect(),
        _ => Vec::new(),
    };

    let mut features: Vec<String> = Vec::with_capacity(raw.len());
    for feature in raw {
        let feature = feature.trim().to_lowercase();
        if !feature.is_empty() && !features.contains(&feature) {
            features.push(feature);
        }
    }
    features
}

/// Whether a JSON value counts as "on" in a feature object, by the usual JSON-as-Python
/// truthiness: `null`, `false`, zero and empty strings, lists and objects are off.
fn is_truthy(value: &Value) -> bool {
    !json_text(value).is_empty()
}

/// Whether `name` is among `features`, ignoring case and surrounding spaces (the
/// `?feature=` check of the billing features endpoint). A blank name is never present.
pub fn has_feature(features: &[String], name: &str) -> bool {
    let wanted = name.trim().to_lowercase();
    !wanted.is_empty()
        && features
            .iter()
            .any(|feature| feature.trim().to_lowercase() == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("tests pass objects"),
        }
    }

    #[test]
    fn reads_a_list_claim() {
        let claims = claims(json!({"entitlements": [" Pro ", "API", "pro", "", null, false, 3]}));
        assert_eq!(
            features_from_claims(&claims, "entitlements"),
            ["pro", "api", "3"]
        );
    }

    #[test]
    fn reads_the_truthy_keys_of_an_object_claim() {
        let claims = claims(
            json!({"entitlements": {"Pro": true, "beta": false, "seats": 0, "team": 5, "note": "", "tags": ["x"], "empty": {}, "nothing": null}}),
        );
        // Key order follows the map (sorted unless serde_json keeps input order), so compare as a set.
        let mut features = features_from_claims(&claims, "entitlements");
        features.sort();
        assert_eq!(features, ["pro", "tags", "team"]);
    }

    #[test]
    fn reads_a_comma_separated_claim() {
        let claims = claims(json!({"entitlements": "pro, Growth,,  ,PRO"}));
        assert_eq!(
            features_from_claims(&claims, "entitlements"),
            ["pro", "growth"]
        );
    }

    #[test]
    fn uses_the_named_claim_when_present() {
        let claims = claims(json!({"billing": ["enterprise"], "entitlements": ["pro"]}));
        assert_eq!(features_from_claims(&claims, "billing"), ["enterprise"]);
    }

    #[test]
    fn falls_back_to_entitlements_when_the_named_claim_is_absent_or_null() {
        let absent = claims(json!({"entitlements": ["pro"]}));
        assert_eq!(features_from_claims(&absent, "billing"), ["pro"]);
        let null = claims(json!({"billing": null, "entitlements": "pro"}));
        assert_eq!(features_from_claims(&null, "billing"), ["pro"]);
        assert_eq!(features_from_claims(&absent, " "), ["pro"]);
    }

    #[test]
    fn an_empty_named_claim_does_not_fall_back() {
        let claims = claims(json!({"billing": [], "entitlements": ["pro"]}));
        assert!(features_from_claims(&claims, "billing").is_empty());
    }

    #[test]
    fn other_shapes_give_no_features() {
        for value in [json!(true), json!(42), json!(null)] {
            let claims = claims(json!({ "entitlements": value }));
            assert!(features_from_claims(&claims, "entitlements").is_empty());
        }
        assert!(features_from_claims(&Map::new(), "entitlements").is_empty());
    }

    #[test]
    fn has_feature_ignores_case_and_spaces() {
        let features = vec!["pro".to_owned(), "api_access".to_owned()];
        assert!(has_feature(&features, " PRO "));
        assert!(has_feature(&features, "Api_Access"));
        assert!(!has_feature(&features, "api access"));
        assert!(!has_feature(&features, ""));
        assert!(!has_feature(&[], "pro"));
    }

    proptest! {
        #[test]
        fn features_are_normalised_unique_and_complete(entries in proptest::collection::vec("[ a-zA-Z]{0,6}", 0..10)) {
            let claims = claims(json!({ "entitlements": entries.join(",") }));
            let features = features_from_claims(&claims, "entitlements");
            for (i, feature) in features.iter().enumerate() {
                prop_assert!(!feature.is_empty());
                prop_assert_eq!(feature.trim(), feature.as_str());
                prop_assert_eq!(feature.to_lowercase(), feature.clone());
                prop_assert!(!features[..i].contains(feature));
            }
            for entry in &entries {
                if !entry.trim().is_empty() {
                    prop_assert!(has_feature(&features, entry));
                }
            }
            // A list claim with the same entries gives the same features.
            let as_list = self::claims(json!({ "entitlements": entries }));
            prop_assert_eq!(features_from_claims(&as_list, "entitlements"), features);
        }
    }
}
