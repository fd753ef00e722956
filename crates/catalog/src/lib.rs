//! Pure catalog rules: slugs, feature keys, currencies, prices and the public price choice.
//!
//! Everything here takes plain values and returns values or typed errors, so the server
//! parses a request once at the edge and hands the rest of the code types that cannot
//! hold an invalid value (`Slug`, `FeatureKey`, `Currency`, `AmountCents`).

mod choices;
mod delivery;
mod feature_keys;
mod money;
mod prices;
mod slug;

pub use choices::{BillingPeriod, ProductType, UnknownChoice, Visibility};
pub use delivery::DeliveryMode;
pub use feature_keys::{
    FeatureKey, FeatureKeyError, FeatureKeysError, json_text, normalize_feature_keys,
};
pub use money::{AmountCents, AmountError, Currency, CurrencyError, format_amount};
pub use prices::{
    ActivePriceUpdate, DefaultPriceChange, PriceError, PriceFacts, PriceWrite, choose_public_price,
    plan_default_price_change,
};
pub use slug::{Slug, SlugError, slugify};
