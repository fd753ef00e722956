//! `paidloop dev pay`: the local stand-in for a Clerk checkout.
//!
//! Builds a Clerk-shaped `paymentAttempt.updated` event for an order, signs it with
//! `CLERK_WEBHOOK_SIGNING_SECRET` exactly as Svix does, and posts it to the running
//! server's webhook endpoint, so the real verification and fulfilment path runs. With
//! `--subscription` it then sends the `subscription.created` and `subscription.active`
//! events Clerk sends for a recurring price, so billing sync runs locally too.

use chrono::{DateTime, Duration, Utc};
use paidloop_catalog::BillingPeriod;
use paidloop_clerk::sign_webhook;
use paidloop_clerk::svix::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::config::Config;
use crate::db;
use crate::entities::{customer_accounts, order_items, orders, prices, profiles};

/// What Clerk's subscription events need to know about a recurring order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringPurchase {
    /// The subscriber's Clerk user id.
    pub clerk_user_id: String,
    /// The price's `clerk_plan_id` (may be blank when the price id is set).
    pub plan_id: String,
    /// The price's `clerk_price_id` (may be blank when the plan id is set).
    pub price_id: String,
    /// Monthly or yearly.
    pub period: BillingPeriod,
}

/// The `subscription.created` (incomplete) and `subscription.active` events Clerk sends
/// when `purchase` starts, one millisecond apart, for subscription `id`.
pub fn subscription_events(
    id: &str,
    purchase: &RecurringPurchase,
    now: DateTime<Utc>,
) -> [Value; 2] {
    let days = if purchase.period == BillingPeriod::Yearly {
        365
    } else {
        30
    };
    let event = |kind: &str, status: &str, at: DateTime<Utc>| {
        json!({
            "object": "event",
            "type": kind,
            "timestamp": at.timestamp_millis(),
            "data": {
                "object": "commerce_subscription",
                "id": id,
                "status": status,
                "payer": {"user_id": purchase.clerk_user_id},
                "plan": {"id": purchase.plan_id, "price_id": purchase.price_id},
                "current_period_start": now.timestamp_millis(),
                "current_period_end": (now + Duration::days(days)).timestamp_millis(),
                "cancel_at_period_end": false,
                "updated_at": at.timestamp_millis(),
            },
        })
    };
    [
        event("subscription.created", "incomplete", now),
        event(
            "subscription.active",
            "active",
            now + Duration::milliseconds(1),
        ),
    ]
}

/// Reads the order's first recurring item: its price's Clerk ids and the buyer.
async fn recurring_purchase(config: &Config, order: Uuid) -> Result<RecurringPurchase, String> {
    let conn = db::connect(&config.app.database_url, 1)
        .await
        .map_err(|err| format!("cannot open DATABASE_URL: {err}"))?;
    let fail = |err: sea_orm::DbErr| err.to_string();
    let order_row = orders::Entity::find()
        .filter(orders::Column::PublicId.eq(order))
        .one(&conn)
        .await
        .map_err(fail)?
        .ok_or(format!("no order {order}"))?;
    let price_ids: Vec<i64> = order_items::Entity::find()
        .filter(order_items::Column::OrderId.eq(order_row.id))
        .all(&conn)
        .await
        .map_err(fail)?
        .into_iter()
        .filter_map(|item| item.price_id)
        .collect();
    let price = prices::Entity::find()
        .filter(prices::Column::Id.is_in(price_ids))
        .all(&conn)
        .await
        .map_err(fail)?
        .into_iter()
        .find(|p| p.billing_period != BillingPeriod::OneTime.as_str())
        .ok_or("--subscription needs an order for a monthly or yearly price")?;
    if price.clerk_plan_id.is_empty() && price.clerk_price_id.is_empty() {
        return Err(format!(
            "price {} has no clerk_plan_id or clerk_price_id, so Clerk's events could not be \
             matched to it; set one (PATCH /api/seller/prices/{}/)",
            price.id, price.id
        ));
    }
    let clerk_user_id = customer_accounts::Entity::find_by_id(order_row.customer_account_id)
        .find_also_related(profiles::Entity)
        .one(&conn)
        .await
        .map_err(fail)?
        .and_then(|(_, profile)| profile)
        .map(|profile| profile.clerk_user_id)
        .ok_or("the order's buyer has no profile")?;
    Ok(RecurringPurchase {
        clerk_user_id,
        plan_id: price.clerk_plan_id,
        price_id: price.clerk_price_id,
        period: BillingPeriod::parse(&price.billing_period).map_err(|err| err.to_string())?,
    })
}

/// The Clerk event for a payment attempt on `order` that ended with `status`.
pub fn payment_attempt_event(order: Uuid, status: &str, now: DateTime<Utc>) -> Value {
    let attempt = Uuid::new_v4().simple().to_string();
    json!({
        "object": "event",
        "type": "paymentAttempt.updated",
        "timestamp": now.timestamp_millis(),
        "data": {
            "object": "commerce_payment_attempt",
            "id": format!("pa_local_{}", &attempt[..20]),
            "status": status,
            "payment_id": format!("pay_local_{}", &attempt[..20]),
            "updated_at": now.timestamp_millis(),
            "metadata": {"order_public_id": order.to_string()},
        },
    })
}

/// Pays for `order` (a payment attempt with `status`) and, with `subscription`, sends
/// the subscription events of its recurring price; returns the last answer's status and
/// body (the first failing one, if any fails).
pub async fn pay(
    config: &Config,
    order: Uuid,
    status: &str,
    base_url: Option<String>,
    subscription: bool,
) -> Result<(u16, String), String> {
    let secret = config.clerk.webhook_signing_secret.as_deref().ok_or(
        "CLERK_WEBHOOK_SIGNING_SECRET is not set (scripts/dev sets a local one); the server needs the same value",
    )?;
    let base = base_url.unwrap_or_else(|| {
        let host = match config.app.host.as_str() {
            "0.0.0.0" | "::" => "127.0.0.1",
            other => other,
        };
        format!("http://{host}:{}", config.app.port)
    });
    let url = format!("{}/api/webhooks/clerk/", base.trim_end_matches('/'));
    // A declined payment starts no subscription.
    let purchase = match subscription && status == "paid" {
        true => Some(recurring_purchase(config, order).await?),
        false => None,
    };
    let now = Utc::now();
    let mut events = vec![payment_attempt_event(order, status, now)];
    if let Some(purchase) = &purchase {
        let id = format!("sub_local_{}", &order.simple().to_string()[..20]);
        events.extend(subscription_events(&id, purchase, now));
    }
    let mut answer = (0, String::new());
    for event in events {
        answer = post_signed(secret, &url, &event).await?;
        if !(200..300).contains(&answer.0) {
            break;
        }
    }
    Ok(answer)
}

/// Signs `event` as Svix does and posts it to `url`.
async fn post_signed(secret: &str, url: &str, event: &Value) -> Result<(u16, String), String> {
    let now = Utc::now();
    let body = serde_json::to_vec(event).map_err(|err| err.to_string())?;
    let message_id = format!("msg_local_{}", Uuid::new_v4().simple());
    let signature = sign_webhook(secret, &message_id, now.timestamp(), &body)
        .map_err(|err| format!("CLERK_WEBHOOK_SIGNING_SECRET: {err}"))?;
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header(ID_HEADER, message_id)
        .header(TIMESTAMP_HEADER, now.timestamp().to_string())
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|err| format!("cannot reach {url}: {err} (is the server running?)"))?;
    let code = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    Ok((code, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_names_the_order_where_payment_events_are_read() {
        let order = Uuid::new_v4();
        let event = payment_attempt_event(order, "paid", Utc::now());
        let data = &event["data"];
        let read = paidloop_orders::PaymentEvent::read(
            paidloop_orders::PaymentSource::PaymentAttempt,
            data,
        );
        assert_eq!(read.order_public_id, Some(order));
        assert!(read.outcome.is_success());
        let failed = payment_attempt_event(order, "failed", Utc::now());
        let read = paidloop_orders::PaymentEvent::read(
            paidloop_orders::PaymentSource::PaymentAttempt,
            &failed["data"],
        );
        assert!(!read.outcome.is_success());
    }

    #[test]
    fn subscription_events_read_as_the_purchase_newest_last() {
        let purchase = RecurringPurchase {
            clerk_user_id: "user_buyer".into(),
            plan_id: "cplan_pro".into(),
            price_id: "cprice_m".into(),
            period: BillingPeriod::Yearly,
        };
        let now = Utc::now();
        let [created, active] = subscription_events("sub_1", &purchase, now);
        let created = paidloop_billing_sync::read_subscription(&created["data"]);
        let active = paidloop_billing_sync::read_subscription(&active["data"]);
        assert_eq!(active.user_id.as_deref(), Some("user_buyer"));
        assert_eq!(active.plan_id.as_deref(), Some("cplan_pro"));
        assert_eq!(active.price_id.as_deref(), Some("cprice_m"));
        assert_eq!(active.status.as_str(), "active");
        assert!(active.updated_at > created.updated_at);
        let days =
            (active.current_period_end.unwrap() - active.current_period_start.unwrap()).num_days();
        assert_eq!(days, 365);
    }
}
