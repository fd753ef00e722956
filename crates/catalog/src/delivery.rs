//! How a service offer's work reaches the buyer, read from the offer's metadata.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the result of a service work order is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMode {
    /// A file the buyer downloads (`downloadable`); the work order gets a locked
    /// download grant that opens when the seller uploads the deliverable.
    #[default]
    Downloadable,
    /// Something shipped by carrier (`physical_shipped`); no download grant.
    PhysicalShipped,
}

impl DeliveryMode {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMode::Downloadable => "downloadable",
            DeliveryMode::PhysicalShipped => "physical_shipped",
        }
    }

    /// Reads a service offer's metadata: `delivery_mode` (or, when that is missing or
    /// empty, the older `fulfillment_delivery_mode`) set to `physical`, `shipped` or
    /// `physical_shipped`, ignoring case and surrounding spaces, means shipped; anything
    /// else, including metadata that is not an object, means downloadable.
    pub fn from_metadata(metadata: &Value) -> DeliveryMode {
        let chosen = ["delivery_mode", "fulfillment_delivery_mode"]
            .into_iter()
            .filter_map(|key| metadata.get(key))
            .find(|value| !crate::feature_keys::json_text(value).is_empty());
        let mode = chosen
            .and_then(Value::as_str)
            .map(|raw| raw.trim().to_lowercase());
        match mode.as_deref() {
            Some("physical" | "shipped" | "physical_shipped") => DeliveryMode::PhysicalShipped,
            _ => DeliveryMode::Downloadable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn physical_aliases_mean_shipped() {
        for raw in [
            "physical",
            "shipped",
            "physical_shipped",
            "  Physical ",
            "SHIPPED",
        ] {
            assert_eq!(
                DeliveryMode::from_metadata(&json!({ "delivery_mode": raw })),
                DeliveryMode::PhysicalShipped,
                "{raw}"
            );
        }
    }

    #[test]
    fn anything_else_is_downloadable() {
        for metadata in [
            json!({}),
            json!({"delivery_mode": "digital"}),
            json!({"delivery_mode": 3}),
            json!(null),
            json!(["physical"]),
            json!("physical"),
        ] {
            assert_eq!(
                DeliveryMode::from_metadata(&metadata),
                DeliveryMode::Downloadable,
                "{metadata}"
            );
        }
    }

    #[test]
    fn the_legacy_key_is_read_when_the_main_one_is_empty() {
        let metadata = json!({"delivery_mode": "", "fulfillment_delivery_mode": "shipped"});
        assert_eq!(
            DeliveryMode::from_metadata(&metadata),
            DeliveryMode::PhysicalShipped
        );
        let metadata =
            json!({"delivery_mode": "downloadable", "fulfillment_delivery_mode": "shipped"});
        assert_eq!(
            DeliveryMode::from_metadata(&metadata),
            DeliveryMode::Downloadable
        );
    }

    #[test]
    fn wire_names_match_serde() {
        for mode in [DeliveryMode::Downloadable, DeliveryMode::PhysicalShipped] {
            assert_eq!(serde_json::to_value(mode).unwrap(), json!(mode.as_str()));
        }
    }
}
