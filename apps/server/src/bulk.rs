//! Multi-row statements whose text is the same for one row or a hundred, on Postgres.
//!
//! Why: grouped writes (the payment groups of `services::webhooks::payments`) carry
//! one row, or one id, per delivery. sea-orm's multi-row forms spell each value out
//! as a placeholder (`IN ($1, …, $n)`, `VALUES (…), (…)`), so every group size is a
//! statement text of its own. sqlx keeps a bounded cache of prepared statements per
//! connection, and a group's ten such statements in thirty sizes crowded each other
//! out of it: executions were prepared again (a round trip more), and Postgres parsed
//! and planned each of them anew. Measured on the fulfilment bench row (2 cores): a
//! cache large enough to hold every size made the row 26% faster, at 10 MB more
//! memory. One text per statement does it without the memory, and lets Postgres reuse
//! a plan.
//!
//! On Postgres the values therefore travel as one array per column:
//! - [`any_of`]: `column = ANY($1)` instead of `column IN ($1, …, $n)`;
//! - [`insert`], [`insert_returning`] and [`upsert`]: `INSERT … SELECT … FROM
//!   UNNEST($1, …, $k)`;
//! - [`per_row`]: one value per row of an `UPDATE`, from two arrays.
//!
//! SQLite, which has no arrays, keeps sea-orm's forms; so does Postgres where a value
//! cannot travel in an array (sqlx's arrays cannot hold a NULL beside other values:
//! a column that is NULL in every row is written as a literal NULL instead).
//!
//! A reused plan is made for the tables as they were when it was made. A look-up by a
//! column whose table starts empty can keep a sequential scan as the table fills (the
//! payments look-up did, in a bench run, until it became an upsert): prefer statements
//! whose plan cannot go stale that way, such as writes arbitrated by a unique index.

use sea_orm::sea_query::{
    ArrayType, CaseStatement, Expr, ExprTrait, IntoIden, OnConflict, PgFunc, SimpleExpr,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityName, EntityTrait,
    IdenStatic, IntoActiveModel, Iterable, Statement, Value,
};

/// `column = ANY($1)` on Postgres (one text whatever the number of values), else
/// `column IN (…)`.
pub fn any_of<C, V>(
    backend: DbBackend,
    column: C,
    values: impl IntoIterator<Item = V>,
) -> SimpleExpr
where
    C: ColumnTrait,
    V: Into<Value>,
{
    let values: Vec<Value> = values.into_iter().map(Into::into).collect();
    match (backend, as_array(&values)) {
        (DbBackend::Postgres, Some(array_type)) => column.into_expr().eq(PgFunc::any(Expr::val(
            Value::Array(array_type, Some(Box::new(values))),
        ))),
        _ => column.is_in(values),
    }
}

/// The array type `values` can travel in: `None` when there are none, or when one is
/// NULL (sqlx cannot bind it) or of another type than the first.
fn as_array(values: &[Value]) -> Option<ArrayType> {
    let array_type = values.first()?.array_type();
    values
        .iter()
        .all(|v| v.is_some() && v.array_type() == array_type)
        .then_some(array_type)
}

/// On Postgres, makes the rest of the transaction run its statements on their generic
/// (reused) plans (`SET LOCAL plan_cache_mode = force_generic_plan`); elsewhere nothing.
///
/// Why: Postgres guesses that an array it cannot see holds ten values, so the plan
/// it would reuse for `column = ANY($1)` costs more on paper than one made for the
/// five ids of a typical group, and it plans every execution afresh. Measured on the
/// fulfilment bench row (2 cores): that planning took about a fifth of the payment
/// groups' time in Postgres. Call it only before statements whose generic plan is
/// sound: look-ups by primary or foreign key, writes arbitrated by a unique index.
pub async fn reuse_plans<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("SET LOCAL plan_cache_mode = force_generic_plan")
            .await?;
    }
    Ok(())
}

/// Inserts `rows` in one statement, skipping any whose `conflict` columns match a
/// stored row (`ON CONFLICT (…) DO NOTHING`; no clause when `conflict` is empty).
pub async fn insert<A, C>(
    db: &C,
    rows: Vec<A>,
    conflict: &[<A::Entity as EntityTrait>::Column],
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    let conflict = if conflict.is_empty() {
        Conflict::Fail
    } else {
        Conflict::Skip(conflict)
    };
    write(db, rows, conflict).await
}

/// As [`insert`] with a `conflict` target, and answers the rows it stored (not those
/// skipped).
pub async fn insert_returning<A, C>(
    db: &C,
    rows: Vec<A>,
    conflict: &[<A::Entity as EntityTrait>::Column],
) -> Result<Vec<<A::Entity as EntityTrait>::Model>, DbErr>
where
    A: ActiveModelTrait,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    C: ConnectionTrait,
{
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    match unnest_statement(
        db.get_database_backend(),
        &rows,
        &do_nothing(conflict),
        true,
    ) {
        Some(statement) => A::Entity::find().from_raw_sql(statement).all(db).await,
        None => {
            let inserted = A::Entity::insert_many(rows)
                .on_conflict_do_nothing_on(conflict.iter().copied())
                .exec_with_returning_many(db)
                .await?;
            Ok(match inserted {
                sea_orm::TryInsertResult::Inserted(rows) => rows,
                sea_orm::TryInsertResult::Empty | sea_orm::TryInsertResult::Conflicted => {
                    Vec::new()
                }
            })
        }
    }
}

/// Inserts `rows` in one statement; a row whose `target` columns match a stored row
/// sets that row's `update` columns to its own values instead (`ON CONFLICT (…) DO
/// UPDATE`). The rows must differ in their `target` columns.
pub async fn upsert<A, C>(
    db: &C,
    rows: Vec<A>,
    target: &[<A::Entity as EntityTrait>::Column],
    update: &[<A::Entity as EntityTrait>::Column],
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    write(db, rows, Conflict::Update { target, update }).await
}

/// What an insert does with a row whose target columns match a stored row.
enum Conflict<'a, Col> {
    /// Nothing: the database refuses the statement.
    Fail,
    /// The row is skipped (`DO NOTHING`).
    Skip(&'a [Col]),
    /// The stored row takes the row's `update` columns (`DO UPDATE`).
    Update {
        target: &'a [Col],
        update: &'a [Col],
    },
}

impl<Col: ColumnTrait> Conflict<'_, Col> {
    /// The clause as [`unnest_statement`] appends it.
    fn clause(&self) -> String {
        match self {
            Conflict::Fail => String::new(),
            Conflict::Skip(target) => do_nothing(target),
            Conflict::Update { target, update } => {
                let set: Vec<String> = update
                    .iter()
                    .map(|c| format!("{name} = excluded.{name}", name = quoted(c.as_str())))
                    .collect();
                format!(
                    " ON CONFLICT ({}) DO UPDATE SET {}",
                    names(target),
                    set.join(", ")
                )
            }
        }
    }

    /// The clause in sea-orm's form.
    fn on_conflict(&self) -> Option<OnConflict> {
        match self {
            Conflict::Fail => None,
            Conflict::Skip(target) => Some(
                OnConflict::columns(target.iter().copied())
                    .do_nothing()
                    .to_owned(),
            ),
            Conflict::Update { target, update } => Some(
                OnConflict::columns(target.iter().copied())
                    .update_columns(update.iter().copied())
                    .to_owned(),
            ),
        }
    }
}

/// Inserts `rows` in one statement with `conflict`'s clause: the arrays' form where it
/// can carry them, else sea-orm's.
async fn write<A, C>(
    db: &C,
    rows: Vec<A>,
    conflict: Conflict<'_, <A::Entity as EntityTrait>::Column>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    if rows.is_empty() {
        return Ok(());
    }
    if let Some(statement) =
        unnest_statement(db.get_database_backend(), &rows, &conflict.clause(), false)
    {
        db.execute_raw(statement).await?;
        return Ok(());
    }
    let insert = A::Entity::insert_many(rows);
    match conflict.on_conflict() {
        Some(on_conflict) => {
            insert
                .on_conflict(on_conflict)
                .exec_without_returning(db)
                .await?
        }
        None => insert.exec_without_returning(db).await?,
    };
    Ok(())
}

/// ` ON CONFLICT (…) DO NOTHING`, or nothing without columns.
fn do_nothing<Col: IdenStatic>(conflict: &[Col]) -> String {
    if conflict.is_empty() {
        String::new()
    } else {
        format!(" ON CONFLICT ({}) DO NOTHING", names(conflict))
    }
}

/// The columns' names, quoted, comma-separated.
fn names<Col: IdenStatic>(columns: &[Col]) -> String {
    let names: Vec<String> = columns.iter().map(|c| quoted(c.as_str())).collect();
    names.join(", ")
}

/// `INSERT INTO t (a, b, c) SELECT u.a, u.b, NULL FROM UNNEST($1, $2) AS u(a, b) …`:
/// one array per column set in the rows, a literal NULL for a column NULL in all of
/// them, then `on_conflict`. `None` (use sea-orm's form) on SQLite, or when the rows
/// do not set the same columns, or a column mixes NULLs and values.
fn unnest_statement<A: ActiveModelTrait>(
    backend: DbBackend,
    rows: &[A],
    on_conflict: &str,
    returning: bool,
) -> Option<Statement> {
    if backend != DbBackend::Postgres {
        return None;
    }
    let mut inserted = Vec::new(); // every column the rows set
    let mut selected = Vec::new(); // what the SELECT gives each: `u.<column>` or NULL
    let mut unnested = Vec::new(); // the columns of the UNNEST
    let mut arrays = Vec::new();
    for column in <A::Entity as EntityTrait>::Column::iter() {
        let set: Vec<Option<Value>> = rows
            .iter()
            .map(|row| row.get(column).into_value())
            .collect();
        if set.iter().all(Option::is_none) {
            continue; // set in no row: the database's default
        }
        let values: Vec<Value> = set.into_iter().collect::<Option<_>>()?;
        let name = quoted(column.as_str());
        if values.iter().all(|v| !v.is_some()) {
            selected.push("NULL".to_owned());
        } else {
            arrays.push(Value::Array(as_array(&values)?, Some(Box::new(values))));
            selected.push(format!("u.{name}"));
            unnested.push(name.clone());
        }
        inserted.push(name);
    }
    if arrays.is_empty() {
        return None;
    }
    let params: Vec<String> = (1..=arrays.len()).map(|n| format!("${n}")).collect();
    let mut sql = format!(
        "INSERT INTO {table} ({inserted}) SELECT {selected} FROM UNNEST({params}) AS u({unnested})",
        table = quoted(A::Entity::default().table_name()),
        inserted = inserted.join(", "),
        selected = selected.join(", "),
        params = params.join(", "),
        unnested = unnested.join(", "),
    );
    sql.push_str(on_conflict);
    if returning {
        sql.push_str(" RETURNING *");
    }
    Some(Statement::from_sql_and_values(backend, sql, arrays))
}

/// A Postgres identifier, quoted.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// For an `UPDATE` of many rows: the value `values` pairs with the row's `key`, and the
/// row's own `column` for a row not listed. On Postgres the values and keys travel as
/// two arrays: `COALESCE((SELECT v FROM UNNEST($1, $2) AS u(v, k) WHERE k = key),
/// column)` (no array subscript: sea-query reads `[` in a custom expression as a quote
/// and leaves the placeholders inside unbound). Elsewhere, or when a value is NULL,
/// `CASE WHEN key = … THEN … ELSE column END`.
pub fn per_row<K, C, V>(
    backend: DbBackend,
    key: K,
    column: C,
    values: impl IntoIterator<Item = (i64, V)>,
) -> SimpleExpr
where
    K: ColumnTrait,
    C: ColumnTrait,
    V: Into<Value>,
{
    let (keys, values): (Vec<Value>, Vec<Value>) = values
        .into_iter()
        .map(|(k, v)| (Value::from(k), v.into()))
        .unzip();
    match (backend, as_array(&keys), as_array(&values)) {
        (DbBackend::Postgres, Some(key_type), Some(value_type)) => Expr::cust_with_values(
            format!(
                "COALESCE((SELECT u.v FROM UNNEST($1, $2) AS u(v, k) WHERE u.k = {}), {})",
                quoted(key.as_str()),
                quoted(column.as_str())
            ),
            [
                Value::Array(value_type, Some(Box::new(values))),
                Value::Array(key_type, Some(Box::new(keys))),
            ],
        ),
        _ => keys
            .into_iter()
            .zip(values)
            .fold(CaseStatement::new(), |case, (k, v)| {
                case.case(Expr::col(key.into_iden()).eq(k), Expr::val(v))
            })
            .finally(Expr::col(column.into_iden()))
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sea_orm::{ActiveValue::Set, QueryFilter, QueryTrait};

    use super::*;
    use crate::entities::{entitlements, orders};

    fn entitlement(
        account: i64,
        ends_at: Option<chrono::DateTime<Utc>>,
    ) -> entitlements::ActiveModel {
        entitlements::ActiveModel {
            customer_account_id: Set(account),
            feature_key: Set("kit".into()),
            source_type: Set("order".into()),
            source_reference: Set(format!("order-{account}")),
            starts_at: Set(Utc::now()),
            ends_at: Set(ends_at),
            is_active: Set(true),
            metadata: Set(serde_json::json!({"n": account})),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
    }

    fn insert_sql(backend: DbBackend, rows: &[entitlements::ActiveModel]) -> Option<Statement> {
        let conflict = do_nothing(&[entitlements::Column::CustomerAccountId]);
        unnest_statement(backend, rows, &conflict, false)
    }

    #[test]
    fn an_insert_has_one_text_for_any_number_of_rows_on_postgres() {
        let one = insert_sql(DbBackend::Postgres, &[entitlement(1, None)]).unwrap();
        let rows: Vec<_> = (1..=30).map(|n| entitlement(n, None)).collect();
        let thirty = insert_sql(DbBackend::Postgres, &rows).unwrap();
        assert_eq!(one.sql, thirty.sql);
        // One array per column set to a value; `ends_at`, NULL in every row, is a literal.
        let values = thirty.values.unwrap().0;
        assert_eq!(values.len(), 9, "{}", thirty.sql);
        assert!(
            values
                .iter()
                .all(|v| matches!(v, Value::Array(_, Some(a)) if a.len() == 30))
        );
        assert!(
            thirty
                .sql
                .contains("FROM UNNEST($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            "{}",
            thirty.sql
        );
        assert!(thirty.sql.contains(", NULL, "), "{}", thirty.sql);
        assert!(
            thirty
                .sql
                .ends_with("ON CONFLICT (\"customer_account_id\") DO NOTHING")
        );
    }

    #[test]
    fn an_insert_keeps_sea_orms_form_where_arrays_cannot_carry_it() {
        let mixed = [entitlement(1, None), entitlement(2, Some(Utc::now()))];
        assert!(
            insert_sql(DbBackend::Postgres, &mixed).is_none(),
            "NULL beside a value"
        );
        assert!(insert_sql(DbBackend::Sqlite, &[entitlement(1, None)]).is_none());
    }

    fn select_sql(backend: DbBackend, ids: &[i64]) -> String {
        orders::Entity::find()
            .filter(any_of(backend, orders::Column::Id, ids.iter().copied()))
            .build(backend)
            .sql
    }

    #[test]
    fn a_list_of_values_is_one_array_on_postgres_and_an_in_list_on_sqlite() {
        assert_eq!(
            select_sql(DbBackend::Postgres, &[1]),
            select_sql(DbBackend::Postgres, &[1, 2, 3])
        );
        assert!(
            select_sql(DbBackend::Postgres, &[1]).ends_with("WHERE \"orders\".\"id\" = ANY($1)")
        );
        assert!(select_sql(DbBackend::Sqlite, &[1, 2]).ends_with("IN (?, ?)"));
    }

    fn update_sql(backend: DbBackend, refs: &[(i64, &str)]) -> Statement {
        orders::Entity::update_many()
            .col_expr(orders::Column::Status, Expr::value("fulfilled"))
            .col_expr(
                orders::Column::ExternalReference,
                per_row(
                    backend,
                    orders::Column::Id,
                    orders::Column::ExternalReference,
                    refs.iter().map(|(id, r)| (*id, r.to_string())),
                ),
            )
            .col_expr(orders::Column::Notes, Expr::value("after"))
            .build(backend)
    }

    #[test]
    fn per_row_values_are_two_arrays_on_postgres_and_a_case_on_sqlite() {
        let one = update_sql(DbBackend::Postgres, &[(1, "a")]);
        let three = update_sql(DbBackend::Postgres, &[(1, "a"), (2, "b"), (3, "c")]);
        assert_eq!(one.sql, three.sql);
        let expected = "\"external_reference\" = COALESCE((SELECT u.v FROM UNNEST($2, $3) AS \
                        u(v, k) WHERE u.k = \"id\"), \"external_reference\"), \"notes\" = $4";
        assert!(three.sql.contains(expected), "{}", three.sql);
        let values = three.values.unwrap().0;
        assert!(matches!(&values[1], Value::Array(ArrayType::String, Some(v)) if v.len() == 3));
        assert!(matches!(&values[2], Value::Array(ArrayType::BigInt, Some(v)) if v.len() == 3));
        let sqlite = update_sql(DbBackend::Sqlite, &[(1, "a"), (2, "b")]).sql;
        assert!(sqlite.contains("CASE WHEN"), "{sqlite}");
    }
}
