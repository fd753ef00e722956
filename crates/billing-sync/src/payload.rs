//! Reading Clerk subscription payloads: webhook `data` objects and Backend API answers.
//!
//! Clerk's billing objects have changed shape over time (top-level `plan`/`plan_id`,
//! `subscription_items`, `payer`, …) and arrive through webhooks and the API. Everything
//! here is lenient in what it reads and strict in what it returns: a typed
//! [`SubscriptionPayload`] the server applies without looking at JSON again.

use chrono::{DateTime, TimeZone, Utc};
use paidloop_entitlements::SubscriptionStatus;
use serde_json::{Map, Value};

/// A subscription as Clerk describes it, read from a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionPayload {
    /// Clerk's subscription id (`id` or `subscription_id`), when present.
    pub clerk_subscription_id: Option<String>,
    /// The subscriber's Clerk user id (see [`subscriber_id`]).
    pub user_id: Option<String>,
    /// The mapped status; unknown statuses are `incomplete`.
    pub status: SubscriptionStatus,
    /// Start of the current period.
    pub current_period_start: Option<DateTime<Utc>>,
    /// End of the current period.
    pub current_period_end: Option<DateTime<Utc>>,
    /// Whether it ends with the period.
    pub cancel_at_period_end: bool,
    /// When it was canceled.
    pub canceled_at: Option<DateTime<Utc>>,
    /// Clerk plan id, matched against a price's `clerk_plan_id`.
    pub plan_id: Option<String>,
    /// Clerk price id, matched against a price's `clerk_price_id`.
    pub price_id: Option<String>,
    /// When Clerk last changed the subscription (`updated_at`), if it says.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Reads an instant written as an RFC 3339 string, or as Unix seconds or milliseconds
/// (a number, or digits in a string): numbers above 10^12 are milliseconds.
pub fn parse_instant(value: &Value) -> Option<DateTime<Utc>> {
    let from_number = |n: f64| {
        let millis = if n.abs() > 1e12 { n } else { n * 1000.0 };
        // Out-of-range instants (far past or future) read as absent, never a panic.
        if !millis.is_finite() || millis.abs() > 8.0e15 {
            return None;
        }
        Utc.timestamp_millis_opt(millis as i64).single()
    };
    match value {
        Value::Number(n) => n.as_f64().and_then(from_number),
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                None
            } else if let Ok(n) = s.parse::<f64>() {
                from_number(n)
            } else {
                DateTime::parse_from_rfc3339(s)
                    .map(|d| d.with_timezone(&Utc))
                    .ok()
                    .or_else(|| {
                        // Naive ISO timestamps are taken as UTC.
                        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                            .ok()
                            .map(|n| n.and_utc())
                    })
            }
        }
        _ => None,
    }
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn first_instant(map: &Map<String, Value>, keys: &[&str]) -> Option<DateTime<Utc>> {
    keys.iter()
        .find_map(|k| map.get(*k).and_then(parse_instant))
}

/// The subscriber's Clerk user id: every place Clerk has put it (`user_id`,
/// `subscriber_id`, `customer_id`, `payer_id`, `clerk_user_id`, the `subscriber`,
/// `user` and `payer` objects, `payer.user`), preferring a `user_…` id over any other
/// (a payer or organisation id), else the first one found.
pub fn subscriber_id(data: &Value) -> Option<String> {
    let map = data.as_object()?;
    let mut candidates: Vec<String> = Vec::new();
    let mut take = |m: &Map<String, Value>, keys: &[&str]| {
        candidates.extend(keys.iter().filter_map(|k| text(m, k)));
    };
    take(
        map,
        &[
            "user_id",
            "subscriber_id",
            "customer_id",
            "payer_id",
            "clerk_user_id",
        ],
    );
    if let Some(m) = map.get("subscriber").and_then(Value::as_object) {
        take(m, &["id", "user_id", "clerk_user_id"]);
    }
    if let Some(m) = map.get("user").and_then(Value::as_object) {
        take(m, &["id", "user_id"]);
    }
    if let Some(payer) = map.get("payer").and_then(Value::as_object) {
        take(
            payer,
            &[
                "user_id",
                "clerk_user_id",
                "subscriber_id",
                "customer_id",
                "id",
            ],
        );
        if let Some(m) = payer.get("user").and_then(Value::as_object) {
            take(m, &["id", "user_id"]);
        }
    }
    candidates
        .iter()
        .find(|id| id.starts_with("user_"))
        .or_else(|| candidates.first())
        .cloned()
}

/// The subscription item that says which plan is billed: the first active (or
/// trialing) item of `subscription_items`/`items`, else the first item.
fn billed_item(map: &Map<String, Value>) -> Option<&Map<String, Value>> {
    let items: Vec<&Map<String, Value>> = ["subscription_items", "items"]
        .iter()
        .filter_map(|k| map.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    items
        .iter()
        .find(|item| {
            text(item, "status")
                .is_some_and(|s| SubscriptionStatus::from_provider(&s).grants_access())
        })
        .or_else(|| items.first())
        .copied()
}

/// `plan.id`/`plan.plan_id`, `plan_id`, `price_plan_id`; and `plan.price_id`, `price_id`.
fn plan_and_price(map: &Map<String, Value>) -> (Option<String>, Option<String>) {
    let plan = map.get("plan").and_then(Value::as_object);
    let plan_id = plan
        .and_then(|p| text(p, "id").or_else(|| text(p, "plan_id")))
        .or_else(|| text(map, "plan_id"))
        .or_else(|| text(map, "price_plan_id"));
    let price_id = plan
        .and_then(|p| text(p, "price_id"))
        .or_else(|| text(map, "price_id"));
    (plan_id, price_id)
}

/// Reads a subscription object (a webhook's `data`, or one found in an API answer).
/// Plan and period come from the object itself, else from its billed item.
pub fn read_subscription(data: &Value) -> SubscriptionPayload {
    let empty = Map::new();
    let map = data.as_object().unwrap_or(&empty);
    let item = billed_item(map);
    let (mut plan_id, mut price_id) = plan_and_price(map);
    if let Some(item) = item {
        let (item_plan, item_price) = plan_and_price(item);
        plan_id = plan_id.or(item_plan);
        price_id = price_id.or(item_price);
    }
    let period = |keys: &[&str]| {
        first_instant(map, keys).or_else(|| item.and_then(|i| first_instant(i, keys)))
    };
    SubscriptionPayload {
        clerk_subscription_id: text(map, "id").or_else(|| text(map, "subscription_id")),
        user_id: subscriber_id(data),
        status: text(map, "status")
            .map(|s| SubscriptionStatus::from_provider(&s))
            .unwrap_or_default(),
        current_period_start: period(&["current_period_start", "period_start", "starts_at"]),
        current_period_end: period(&["current_period_end", "period_end", "ends_at"]),
        cancel_at_period_end: map
            .get("cancel_at_period_end")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        canceled_at: first_instant(map, &["canceled_at", "cancelled_at"]),
        plan_id,
        price_id,
        updated_at: first_instant(map, &["updated_at"]),
    }
}

/// Whether an object looks like a subscription: a `sub_…`/`csub_…` id, or a status
/// together with a subscription-only key.
pub fn looks_like_subscription(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    let id = text(map, "id")
        .or_else(|| text(map, "subscription_id"))
        .unwrap_or_default();
    if id.starts_with("sub_") || id.starts_with("csub_") {
        return true;
    }
    const KEYS: [&str; 14] = [
        "current_period_start",
        "current_period_end",
        "period_start",
        "period_end",
        "starts_at",
        "ends_at",
        "cancel_at_period_end",
        "canceled_at",
        "cancelled_at",
        "plan",
        "plan_id",
        "price_id",
        "items",
        "subscription_items",
    ];
    text(map, "status").is_some() && KEYS.iter().any(|k| map.contains_key(*k))
}

/// What Clerk's "billing subscription of a user" answer says.
#[derive(Debug, Clone, PartialEq)]
pub enum ClerkSubscriptions {
    /// These subscription objects (deduplicated by id).
    Found(Vec<Value>),
    /// Explicitly none: `subscription: null`, or a subscriptions list with none in it.
    ExplicitlyNone,
    /// Nothing that reads either way.
    Unknown,
}

/// Reads an answer of `GET /users/{id}/billing/subscription` in any of the shapes Clerk
/// has used: a subscription object, `{data: …}` (an object or a list), a plain list,
/// `{subscription: …}`, `{subscriptions: [...]}`, `{billing: {subscription | subscriptions}}`.
pub fn read_clerk_subscriptions(answer: &Value) -> ClerkSubscriptions {
    let mut roots: Vec<&Value> = Vec::new();
    match answer {
        Value::Object(map) => {
            roots.push(answer);
            match map.get("data") {
                Some(data @ Value::Object(_)) => roots.push(data),
                Some(Value::Array(items)) => roots.extend(items.iter().filter(|v| v.is_object())),
                _ => {}
            }
        }
        Value::Array(items) => roots.extend(items.iter().filter(|v| v.is_object())),
        _ => return ClerkSubscriptions::Unknown,
    }
    let mut found: Vec<Value> = Vec::new();
    let mut explicitly_none = false;
    let push = |candidate: &Value, found: &mut Vec<Value>| {
        if looks_like_subscription(candidate) {
            let key = |v: &Value| {
                v.get("id")
                    .or_else(|| v.get("subscription_id"))
                    .cloned()
                    .unwrap_or_else(|| v.clone())
            };
            if !found.iter().any(|f| key(f) == key(candidate)) {
                found.push(candidate.clone());
            }
        }
    };
    for root in roots {
        push(root, &mut found);
        if looks_like_subscription(root) {
            continue;
        }
        let Some(map) = root.as_object() else {
            continue;
        };
        let containers = [Some(map), map.get("billing").and_then(Value::as_object)];
        for container in containers.into_iter().flatten() {
            match container.get("subscription") {
                Some(Value::Null) => explicitly_none = true,
                Some(sub) => push(sub, &mut found),
                None => {}
            }
            if let Some(list) = container.get("subscriptions").and_then(Value::as_array) {
                if !list.iter().any(looks_like_subscription) {
                    explicitly_none = true;
                }
                for sub in list {
                    push(sub, &mut found);
                }
            }
        }
    }
    if !found.is_empty() {
        ClerkSubscriptions::Found(found)
    } else if explicitly_none {
        ClerkSubscriptions::ExplicitlyNone
    } else {
        ClerkSubscriptions::Unknown
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn instants_read_from_iso_seconds_and_milliseconds() {
        let expected = at("2026-11-30T10:00:00Z");
        assert_eq!(
            parse_instant(&json!("2026-11-30T10:00:00Z")),
            Some(expected)
        );
        assert_eq!(
            parse_instant(&json!("2026-11-30T11:00:00+01:00")),
            Some(expected)
        );
        assert_eq!(parse_instant(&json!("2026-11-30T10:00:00")), Some(expected));
        assert_eq!(parse_instant(&json!(1_796_032_800)), Some(expected));
        assert_eq!(parse_instant(&json!(1_796_032_800_000_i64)), Some(expected));
        assert_eq!(parse_instant(&json!("1796032800000")), Some(expected));
        assert_eq!(parse_instant(&json!("")), None);
        assert_eq!(parse_instant(&json!("soon")), None);
        assert_eq!(parse_instant(&json!(1e300)), None);
        assert_eq!(parse_instant(&json!(null)), None);
    }

    #[test]
    fn the_subscriber_prefers_a_user_id_wherever_it_is() {
        assert_eq!(
            subscriber_id(&json!({"payer_id": "payer_1", "payer": {"user_id": "user_9"}})),
            Some("user_9".into())
        );
        assert_eq!(
            subscriber_id(&json!({"payer": {"id": "user_8"}})),
            Some("user_8".into())
        );
        assert_eq!(
            subscriber_id(&json!({"subscriber": {"id": "user_7"}, "customer_id": "cus_1"})),
            Some("user_7".into())
        );
        assert_eq!(
            subscriber_id(&json!({"payer": {"user": {"id": "user_6"}}})),
            Some("user_6".into())
        );
        assert_eq!(
            subscriber_id(&json!({"customer_id": "cus_1"})),
            Some("cus_1".into())
        );
        assert_eq!(subscriber_id(&json!({"status": "active"})), None);
    }

    #[test]
    fn a_webhook_subscription_reads_whole() {
        let data = json!({
            "id": "sub_1", "status": "pastDue", "user_id": "user_1",
            "plan": {"id": "cplan_pro", "price_id": "cprice_m"},
            "current_period_start": 1_796_032_800_000_i64,
            "current_period_end": "2026-12-30T10:00:00Z",
            "cancel_at_period_end": true,
            "updated_at": 1_796_032_900_000_i64,
        });
        let sub = read_subscription(&data);
        assert_eq!(sub.clerk_subscription_id.as_deref(), Some("sub_1"));
        assert_eq!(sub.status, SubscriptionStatus::PastDue);
        assert_eq!(sub.plan_id.as_deref(), Some("cplan_pro"));
        assert_eq!(sub.price_id.as_deref(), Some("cprice_m"));
        assert_eq!(sub.current_period_start, Some(at("2026-11-30T10:00:00Z")));
        assert_eq!(sub.current_period_end, Some(at("2026-12-30T10:00:00Z")));
        assert!(sub.cancel_at_period_end);
        assert_eq!(sub.updated_at, Some(at("2026-11-30T10:01:40Z")));
    }

    #[test]
    fn plan_and_period_fall_back_to_the_billed_item() {
        let data = json!({
            "id": "csub_1", "status": "active", "payer_id": "user_2",
            "subscription_items": [
                {"status": "ended", "plan_id": "cplan_old", "period_start": 1},
                {"status": "active", "plan": {"id": "cplan_new"}, "period_start": "2026-11-01T00:00:00Z", "period_end": "2026-12-01T00:00:00Z"}
            ]
        });
        let sub = read_subscription(&data);
        assert_eq!(sub.plan_id.as_deref(), Some("cplan_new"));
        assert_eq!(sub.current_period_start, Some(at("2026-11-01T00:00:00Z")));
        assert_eq!(sub.current_period_end, Some(at("2026-12-01T00:00:00Z")));
        assert_eq!(sub.user_id.as_deref(), Some("user_2"));
    }

    #[test]
    fn unknown_statuses_are_incomplete_and_missing_fields_are_absent() {
        let sub = read_subscription(&json!({"status": "upcoming"}));
        assert_eq!(sub.status, SubscriptionStatus::Incomplete);
        assert_eq!(sub.clerk_subscription_id, None);
        assert_eq!(
            read_subscription(&json!([1, 2])).status,
            SubscriptionStatus::Incomplete
        );
    }

    #[test]
    fn every_answer_shape_is_read() {
        let sub = json!({"id": "sub_1", "status": "active", "plan_id": "p"});
        let found = ClerkSubscriptions::Found(vec![sub.clone()]);
        assert_eq!(read_clerk_subscriptions(&sub), found);
        assert_eq!(read_clerk_subscriptions(&json!({"data": sub})), found);
        assert_eq!(read_clerk_subscriptions(&json!({"data": [sub]})), found);
        assert_eq!(read_clerk_subscriptions(&json!([sub])), found);
        assert_eq!(
            read_clerk_subscriptions(&json!({"billing": {"subscriptions": [sub, sub]}})),
            found
        );
        assert_eq!(
            read_clerk_subscriptions(&json!({"subscription": sub})),
            found
        );
    }

    #[test]
    fn explicit_absence_is_told_from_silence() {
        assert_eq!(
            read_clerk_subscriptions(&json!({"subscription": null})),
            ClerkSubscriptions::ExplicitlyNone
        );
        assert_eq!(
            read_clerk_subscriptions(&json!({"billing": {"subscriptions": []}})),
            ClerkSubscriptions::ExplicitlyNone
        );
        assert_eq!(
            read_clerk_subscriptions(&json!({"object": "user"})),
            ClerkSubscriptions::Unknown
        );
        assert_eq!(
            read_clerk_subscriptions(&json!("x")),
            ClerkSubscriptions::Unknown
        );
    }
}
