//! The buyer's order list in one statement.
//!
//! Orders, their items and each item's product (for its current slug and type) come
//! back as one joined row per item, newest order first, and are folded into
//! [`OrderView`]s here. The entity-relation loader needed two statements for the same
//! data and formatted column aliases for every value of every row; this list is read
//! often (buyers poll it while a payment lands), so it is one plain statement.
//!
//! `LEFT JOIN`s keep an order that has no items (none are made that way today, but the
//! schema allows it); a missing product shows as an empty slug and type, as in
//! [`OrderView::new`].

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement};

use crate::error::ApiError;
use crate::views::orders::{OrderItemView, OrderView};

/// The selected columns; [`order`] and [`item`] read them by position.
const COLUMNS: &str = "o.id, o.public_id, o.status, o.currency, o.subtotal_cents, o.tax_cents, \
o.total_cents, o.notes, o.clerk_checkout_id, o.external_reference, o.paid_at, o.fulfilled_at, \
o.created_at, o.updated_at, i.id, i.product_id, p.slug, p.product_type, i.price_id, i.quantity, \
i.unit_amount_cents, i.total_amount_cents, i.product_name_snapshot, i.price_name_snapshot, \
i.metadata, i.created_at, i.updated_at";

/// The order part of a row (columns 0–13), without its items.
fn order(row: &QueryResult) -> Result<OrderView, sea_orm::DbErr> {
    Ok(OrderView {
        id: row.try_get_by_index(0)?,
        public_id: row.try_get_by_index(1)?,
        status: row.try_get_by_index(2)?,
        currency: row.try_get_by_index(3)?,
        subtotal_cents: row.try_get_by_index(4)?,
        tax_cents: row.try_get_by_index(5)?,
        total_cents: row.try_get_by_index(6)?,
        notes: row.try_get_by_index(7)?,
        clerk_checkout_id: row.try_get_by_index(8)?,
        external_reference: row.try_get_by_index(9)?,
        paid_at: row.try_get_by_index(10)?,
        fulfilled_at: row.try_get_by_index(11)?,
        created_at: row.try_get_by_index(12)?,
        updated_at: row.try_get_by_index(13)?,
        items: Vec::new(),
    })
}

/// The item part of a row (columns 14–26), if the order has an item.
fn item(row: &QueryResult) -> Result<Option<OrderItemView>, sea_orm::DbErr> {
    let Some(id) = row.try_get_by_index::<Option<i64>>(14)? else {
        return Ok(None);
    };
    Ok(Some(OrderItemView {
        id,
        product: row.try_get_by_index(15)?,
        product_slug: row
            .try_get_by_index::<Option<String>>(16)?
            .unwrap_or_default(),
        product_type: row
            .try_get_by_index::<Option<String>>(17)?
            .unwrap_or_default(),
        price: row.try_get_by_index(18)?,
        quantity: row.try_get_by_index(19)?,
        unit_amount_cents: row.try_get_by_index(20)?,
        total_amount_cents: row.try_get_by_index(21)?,
        product_name_snapshot: row.try_get_by_index(22)?,
        price_name_snapshot: row.try_get_by_index(23)?,
        metadata: row.try_get_by_index(24)?,
        created_at: row.try_get_by_index(25)?,
        updated_at: row.try_get_by_index(26)?,
    }))
}

/// The caller's orders, newest first, each with its items in id order: one statement.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    customer_account_id: i64,
) -> Result<Vec<OrderView>, ApiError> {
    let backend = db.get_database_backend();
    let placeholder = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM orders o LEFT JOIN order_items i ON i.order_id = o.id \
         LEFT JOIN products p ON p.id = i.product_id WHERE o.customer_account_id = {placeholder} \
         ORDER BY o.created_at DESC, o.id DESC, i.id"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [customer_account_id.into()],
        ))
        .await?;
    let mut orders: Vec<OrderView> = Vec::new();
    for row in &rows {
        let id: i64 = row.try_get_by_index(0)?;
        if orders.last().is_none_or(|last| last.id != id) {
            orders.push(order(row)?);
        }
        if let (Some(item), Some(last)) = (item(row)?, orders.last_mut()) {
            last.items.push(item);
        }
    }
    Ok(orders)
}
