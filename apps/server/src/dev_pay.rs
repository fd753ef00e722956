//! `paidloop dev pay`: the local stand-in for a Clerk checkout.
//!
//! Builds a Clerk-shaped `paymentAttempt.updated` event for an order, signs it with
//! `CLERK_WEBHOOK_SIGNING_SECRET` exactly as Svix does, and posts it to the running
//! server's webhook endpoint, so the real verification and fulfilment path runs.

use chrono::{DateTime, Utc};
use paidloop_clerk::sign_webhook;
use paidloop_clerk::svix::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::config::Config;

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

/// Signs and posts the event; returns the server's status and body.
pub async fn pay(
    config: &Config,
    order: Uuid,
    status: &str,
    base_url: Option<String>,
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
    let now = Utc::now();
    let body = serde_json::to_vec(&payment_attempt_event(order, status, now))
        .map_err(|err| err.to_string())?;
    let message_id = format!("msg_local_{}", Uuid::new_v4().simple());
    let signature = sign_webhook(secret, &message_id, now.timestamp(), &body)
        .map_err(|err| format!("CLERK_WEBHOOK_SIGNING_SECRET: {err}"))?;
    let url = format!("{}/api/webhooks/clerk/", base.trim_end_matches('/'));
    let response = reqwest::Client::new()
        .post(&url)
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
}
