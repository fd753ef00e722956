//! One email ready to send, whatever the transport.

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};

use super::transport::SendError;

/// A rendered email with its addresses and the key that makes sending it idempotent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// Sender, `Name <address>` or a bare address.
    pub from: String,
    /// The one recipient.
    pub to: String,
    /// Reply-to address, if any.
    pub reply_to: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body; empty for a text-only message.
    pub html: String,
    /// What the email is (`order_fulfilled`, …), for tags and logs.
    pub kind: String,
    /// The same for every try of one message, so a provider that supports it (Resend)
    /// delivers it once even when a retry follows a lost answer.
    pub idempotency_key: String,
}

fn mailbox(field: &str, value: &str) -> Result<Mailbox, SendError> {
    value
        .trim()
        .parse()
        .map_err(|err| SendError::Permanent(format!("{field} address {value:?} is invalid: {err}")))
}

impl Email {
    /// The MIME message (text, or text and HTML as alternatives), as SMTP and the
    /// `.eml` outbox write it. An unusable address is a permanent error: no retry can
    /// fix it.
    pub fn to_mime(&self) -> Result<lettre::Message, SendError> {
        let mut builder = lettre::Message::builder()
            .from(mailbox("from", &self.from)?)
            .to(mailbox("to", &self.to)?)
            .subject(self.subject.clone());
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(mailbox("reply-to", reply_to)?);
        }
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(self.text.clone());
        let message = if self.html.is_empty() {
            builder.singlepart(text)
        } else {
            builder.multipart(
                MultiPart::alternative().singlepart(text).singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(self.html.clone()),
                ),
            )
        };
        message.map_err(|err| SendError::Permanent(format!("cannot build the message: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email {
            from: "Shop <shop@example.com>".into(),
            to: "buyer@example.com".into(),
            reply_to: Some("help@example.com".into()),
            subject: "Your order".into(),
            text: "Thanks".into(),
            html: "<p>Thanks</p>".into(),
            kind: "order_fulfilled".into(),
            idempotency_key: "k".into(),
        }
    }

    #[test]
    fn the_mime_message_has_both_bodies_and_every_header() {
        let raw = String::from_utf8(email().to_mime().expect("mime").formatted()).expect("utf8");
        for needle in [
            "From: Shop <shop@example.com>",
            "To: buyer@example.com",
            "Reply-To: help@example.com",
            "Subject: Your order",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "<p>Thanks</p>",
        ] {
            assert!(raw.contains(needle), "{needle} missing from\n{raw}");
        }
    }

    #[test]
    fn a_bad_address_is_a_permanent_error() {
        let mut bad = email();
        bad.to = "not an address".into();
        assert!(matches!(bad.to_mime(), Err(SendError::Permanent(m)) if m.contains("to address")));
    }
}
