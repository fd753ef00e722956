//! The email templates: HTML and plain text for each kind, rendered by minijinja.
//!
//! HTML templates (`.html`) escape every value automatically, so a product name or an
//! address can never inject markup; the plain-text ones (`.txt`) are not escaped. The
//! HTML shares `layout.html`. Many mail programs drop `<style>` blocks, so every styled
//! element carries its own `style` attribute, written from [`STYLES`] (`style="{{
//! css.button }}"`): the same result a CSS inliner gives, without parsing each email's
//! HTML again while the payment that queues it holds the database (that cost a tenth
//! of a fulfilment's time). Links are built from `FRONTEND_APP_URL`.

use std::fmt::Write as _;
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
    /// HTML body, every style in a `style` attribute.
    pub html: String,
}

/// Why a template did not render (a bug in a template, never in the data).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// minijinja refused the template or the context.
    #[error("template {0}: {1}")]
    Template(&'static str, minijinja::Error),
}

/// The HTML emails' styles by name, the templates' `css` global. A rule that adds to
/// another is written after it in the attribute (`{{ css.p }} {{ css.muted }}`), so its
/// declarations win, as they would in a style sheet.
const STYLES: [(&str, &str); 8] = [
    (
        "body",
        "margin: 0; padding: 24px; background-color: #f1f5f9; color: #0f172a; \
         font-family: Arial, Helvetica, sans-serif;",
    ),
    (
        "card",
        "max-width: 560px; margin: 0 auto; padding: 24px; background-color: #ffffff; \
         border: 1px solid #cbd5e1; border-radius: 12px;",
    ),
    (
        "eyebrow",
        "margin: 0 0 12px; color: #0e7490; font-size: 12px; font-weight: 600;",
    ),
    ("h1", "margin: 0 0 16px; font-size: 20px;"),
    (
        "p",
        "margin: 0 0 12px; font-size: 14px; line-height: 20px; color: #334155;",
    ),
    (
        "ul",
        "margin: 0 0 16px 20px; padding: 0; font-size: 14px; line-height: 20px;",
    ),
    (
        "button",
        "display: inline-block; padding: 10px 14px; border-radius: 10px; \
         background-color: #020617; color: #f8fafc; text-decoration: none; font-weight: 600;",
    ),
    ("muted", "color: #64748b; font-size: 12px;"),
];

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_formatter(html_formatter);
    env.add_global(
        "css",
        minijinja::Value::from_iter(STYLES.iter().map(|(name, style)| (*name, *style))),
    );
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

/// HTML-escapes values as minijinja does, except `/`, which needs no escaping in text
/// or quoted attributes: links and text read as written (`https://…`, not
/// `https:&#x2f;&#x2f;…`), as they did when a CSS inliner re-serialised the HTML.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text) if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() => {
            for c in text.chars() {
                match c {
                    '&' => out.write_str("&amp;"),
                    '<' => out.write_str("&lt;"),
                    '>' => out.write_str("&gt;"),
                    '"' => out.write_str("&quot;"),
                    '\'' => out.write_str("&#x27;"),
                    c => out.write_char(c),
                }
                .map_err(minijinja::Error::from)?;
            }
            Ok(())
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

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
    Ok(Rendered {
        subject,
        text: draw(text_name, &context)?,
        html: draw(html_name, &with_subject)?,
    })
}

/// The first 8 characters of an order id, for subjects.
fn short(order_id: &str) -> &str {
    order_id.get(..8).unwrap_or(order_id)
}

/// Renders "order fulfilled".
pub fn order_fulfilled(ctx: &OrderFulfilled) -> Result<Rendered, RenderError> {
    let subject = format!("Your order {} is ready", short(&ctx.order_id));
    render("order_fulfilled.html", "order_fulfilled.txt", subject, ctx)
}

/// Renders "work order received".
pub fn work_order_received(ctx: &WorkOrderReceived) -> Result<Rendered, RenderError> {
    let subject = format!("We received your request ({})", short(&ctx.order_id));
    render(
        "work_order_received.html",
        "work_order_received.txt",
        subject,
        ctx,
    )
}

/// Renders "preflight test".
pub fn preflight_test(ctx: &PreflightTest) -> Result<Rendered, RenderError> {
    render(
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
    fn styles_are_inline_and_there_is_no_style_block() {
        let rendered = order_fulfilled(&fulfilled()).expect("renders");
        assert!(!rendered.html.contains("<style"), "{}", rendered.html);
        let button = format!(r#"<a style="{}""#, STYLES[6].1);
        assert!(rendered.html.contains(&button), "{}", rendered.html);
        assert!(
            rendered
                .html
                .contains("color: #334155; color: #64748b; font-size: 12px;"),
            "a muted paragraph's own colour comes last: {}",
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
