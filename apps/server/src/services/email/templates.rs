//! The email templates: HTML and plain text for each kind, rendered by minijinja.
//!
//! HTML templates (`.html`) escape every value automatically, so a product name or an
//! address can never inject markup; the plain-text ones (`.txt`) are not escaped. The
//! HTML shares `layout.html`, whose `<style>` block is then inlined into `style`
//! attributes (css-inline), since many mail programs drop `<style>`. Links are built
//! from `FRONTEND_APP_URL`.

use std::sync::LazyLock;

use minijinja::Environment;
use serde::Serialize;

/// A rendered email: subject and both bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body, styles inlined.
    pub html: String,
}

/// Why a template did not render (a bug in a template, never in the data).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// minijinja refused the template or the context.
    #[error("template {0}: {1}")]
    Template(&'static str, minijinja::Error),
    /// The HTML could not be inlined.
    #[error("inlining the styles of {0}: {1}")]
    Inline(&'static str, css_inline::InlineError),
}

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in [
        ("layout.html", include_str!("templates/layout.html")),
        (
            "order_fulfilled.html",
            include_str!("templates/order_fulfilled.html"),
        ),
        (
            "order_fulfilled.txt",
            include_str!("templates/order_fulfilled.txt"),
        ),
        (
            "work_order_received.html",
            include_str!("templates/work_order_received.html"),
        ),
        (
            "work_order_received.txt",
            include_str!("templates/work_order_received.txt"),
        ),
        (
            "preflight_test.html",
            include_str!("templates/preflight_test.html"),
        ),
        (
            "preflight_test.txt",
            include_str!("templates/preflight_test.txt"),
        ),
    ] {
        if let Err(err) = env.add_template(name, source) {
            // Templates are compiled in; a syntax error shows up in the tests below.
            tracing::error!(template = name, error = %err, "email template does not parse");
        }
    }
    env
});

/// One line of an order.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLine {
    /// The product's name when bought.
    pub name: String,
    /// How many.
    pub quantity: i32,
    /// The line's total, formatted (`USD 19.00`).
    pub total: String,
}

/// "Order fulfilled".
#[derive(Debug, Clone, Serialize)]
pub struct OrderFulfilled {
    /// The order's public id.
    pub order_id: String,
    /// Its lines.
    pub items: Vec<ItemLine>,
    /// Its total, formatted.
    pub total: String,
    /// `{FRONTEND_APP_URL}/account/purchases`.
    pub purchases_url: String,
    /// `{FRONTEND_APP_URL}/account/downloads`.
    pub downloads_url: String,
}

/// "Work order received".
#[derive(Debug, Clone, Serialize)]
pub struct WorkOrderReceived {
    /// The order's public id.
    pub order_id: String,
    /// How many work orders it opened.
    pub work_orders: usize,
    /// The services' names.
    pub services: Vec<String>,
    /// `{FRONTEND_APP_URL}/account/bookings`.
    pub bookings_url: String,
}

/// "Preflight test".
#[derive(Debug, Clone, Serialize)]
pub struct PreflightTest {
    /// Who it goes to.
    pub recipient: String,
    /// When, RFC 3339.
    pub sent_at: String,
    /// The transport's name.
    pub transport: String,
    /// `{FRONTEND_APP_URL}/app`.
    pub dashboard_url: String,
}

/// `USD 19.00` from cents and a currency code.
pub fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!(
        "{} {sign}{}.{:02}",
        currency.to_uppercase(),
        abs / 100,
        abs % 100
    )
}

fn render(
    kind: &'static str,
    html_name: &'static str,
    text_name: &'static str,
    subject: String,
    context: impl Serialize,
) -> Result<Rendered, RenderError> {
    let context = minijinja::Value::from_serialize(&context);
    let with_subject = minijinja::context! { subject => subject.clone(), ..context.clone() };
    let draw = |name: &'static str, ctx: &minijinja::Value| {
        TEMPLATES
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|err| RenderError::Template(name, err))
    };
    let html = draw(html_name, &with_subject)?;
    let html = css_inline::inline(&html).map_err(|err| RenderError::Inline(kind, err))?;
    Ok(Rendered {
        subject,
        text: draw(text_name, &context)?,
        html,
    })
}

/// The first 8 characters of an order id, for subjects.
fn short(order_id: &str) -> &str {
    order_id.get(..8).unwrap_or(order_id)
}

/// Renders "order fulfilled".
pub fn order_fulfilled(ctx: &OrderFulfilled) -> Result<Rendered, RenderError> {
    let subject = format!("Your order {} is ready", short(&ctx.order_id));
    render(
        "order_fulfilled",
        "order_fulfilled.html",
        "order_fulfilled.txt",
        subject,
        ctx,
    )
}

/// Renders "work order received".
pub fn work_order_received(ctx: &WorkOrderReceived) -> Result<Rendered, RenderError> {
    let subject = format!("We received your request ({})", short(&ctx.order_id));
    render(
        "work_order_received",
        "work_order_received.html",
        "work_order_received.txt",
        subject,
        ctx,
    )
}

/// Renders "preflight test".
pub fn preflight_test(ctx: &PreflightTest) -> Result<Rendered, RenderError> {
    render(
        "preflight_test",
        "preflight_test.html",
        "preflight_test.txt",
        "Paidloop preflight: email delivery works".to_owned(),
        ctx,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fulfilled() -> OrderFulfilled {
        OrderFulfilled {
            order_id: "0f8e2c1a-1111-2222-3333-444455556666".into(),
            items: vec![ItemLine {
                name: "<script>alert(1)</script> Guide & Co".into(),
                quantity: 2,
                total: money(3800, "usd"),
            }],
            total: money(3800, "usd"),
            purchases_url: "http://localhost:5173/account/purchases".into(),
            downloads_url: "http://localhost:5173/account/downloads".into(),
        }
    }

    #[test]
    fn html_escapes_every_value_and_text_keeps_it_verbatim() {
        let rendered = order_fulfilled(&fulfilled()).expect("renders");
        assert_eq!(rendered.subject, "Your order 0f8e2c1a is ready");
        assert!(!rendered.html.contains("<script>"), "{}", rendered.html);
        assert!(
            rendered
                .html
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; Guide &amp; Co")
        );
        assert!(
            rendered
                .text
                .contains("- <script>alert(1)</script> Guide & Co x2 (USD 38.00)")
        );
        assert!(
            rendered
                .text
                .contains("Your purchases: http://localhost:5173/account/purchases")
        );
        assert!(
            rendered
                .html
                .contains(r#"href="http://localhost:5173/account/purchases""#)
        );
    }

    #[test]
    fn styles_are_inlined_and_the_style_block_is_gone() {
        let rendered = order_fulfilled(&fulfilled()).expect("renders");
        assert!(!rendered.html.contains("<style"), "{}", rendered.html);
        assert!(
            rendered.html.contains(r#"class="button""#)
                && rendered.html.contains("background-color: #020617"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn every_kind_renders_its_links() {
        let work = work_order_received(&WorkOrderReceived {
            order_id: "abcdef12-0000".into(),
            work_orders: 1,
            services: vec!["Logo design".into()],
            bookings_url: "https://app.test/account/bookings".into(),
        })
        .expect("renders");
        assert!(
            work.text.contains("opened 1 work order for:"),
            "{}",
            work.text
        );
        assert!(work.html.contains("https://app.test/account/bookings"));
        let preflight = preflight_test(&PreflightTest {
            recipient: "owner@example.com".into(),
            sent_at: "2026-01-01T00:00:00Z".into(),
            transport: "smtp".into(),
            dashboard_url: "https://app.test/app".into(),
        })
        .expect("renders");
        assert!(preflight.text.contains("Recipient: owner@example.com"));
        assert!(preflight.html.contains("https://app.test/app"));
    }

    #[test]
    fn money_is_formatted_with_two_decimals() {
        assert_eq!(money(1900, "usd"), "USD 19.00");
        assert_eq!(money(5, "EUR"), "EUR 0.05");
        assert_eq!(money(-250, "gbp"), "GBP -2.50");
    }
}
