//! Schema tests: the migrations go up, down and up again, and the constraints that the
//! business rules rely on are enforced by the database itself.
//!
//! Every test runs on SQLite (a temporary file) and, when `TEST_DATABASE_URL` is set
//! (e.g. `postgres://postgres@127.0.0.1:5432/test`), also on Postgres, each in a fresh
//! database that is dropped at the end.

use std::collections::BTreeSet;
use std::future::Future;

use migration::{Migrator, TABLES};
use sea_orm_migration::MigratorTrait;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, SqlErr, Statement,
};

const NOW: &str = "2026-01-01T00:00:00+00:00";
const LATER: &str = "2026-02-01T00:00:00+00:00";

/// A fresh, empty database (not migrated yet).
struct TestDb {
    conn: DatabaseConnection,
    /// For Postgres: the server URL to drop the database from, and its name.
    drop_from: Option<(String, String)>,
    /// For SQLite: the folder holding the file, deleted on drop.
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.sqlite3");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let conn = Database::connect(&url).await.expect("connect to SQLite");
    TestDb {
        conn,
        drop_from: None,
        _dir: Some(dir),
    }
}

/// `url` with its database name (the path) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (authority, tail) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash + 1..]),
        None => (rest, ""),
    };
    let query = tail.find('?').map(|q| &tail[q..]).unwrap_or("");
    format!("{scheme}://{authority}/{name}{query}")
}

async fn postgres_db(server_url: &str) -> TestDb {
    let name = format!("paidloop_mig_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(server_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let conn = Database::connect(&with_database(server_url, &name))
        .await
        .expect("connect to the test database");
    TestDb {
        conn,
        drop_from: Some((server_url.to_owned(), name)),
        _dir: None,
    }
}

impl TestDb {
    async fn cleanup(self) {
        let Self {
            conn, drop_from, ..
        } = self;
        conn.close().await.ok();
        if let Some((server_url, name)) = drop_from
            && let Ok(admin) = Database::connect(&server_url).await
        {
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await
                .ok();
            admin.close().await.ok();
        }
    }
}

/// Runs `body` on a fresh SQLite database, then on a fresh Postgres database when
/// `TEST_DATABASE_URL` is set; each database is removed even when `body` panics.
async fn on_each_database<F, Fut>(body: F)
where
    F: Fn(DatabaseConnection) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut dbs = vec![sqlite_db().await];
    if let Ok(url) = std::env::var("TEST_DATABASE_URL")
        && !url.trim().is_empty()
    {
        dbs.push(postgres_db(url.trim()).await);
    }
    for db in dbs {
        let backend = db.conn.get_database_backend();
        let outcome = tokio::spawn(body(db.conn.clone())).await;
        db.cleanup().await;
        if let Err(err) = outcome {
            eprintln!("failed on {backend:?}");
            std::panic::resume_unwind(err.into_panic());
        }
    }
}

async fn migrated(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("migrations up");
}

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<(), DbErr> {
    db.execute_unprepared(sql).await.map(|_| ())
}

/// Runs an `INSERT ... RETURNING id` and answers the id.
async fn insert(db: &DatabaseConnection, sql: &str) -> i64 {
    let sql = format!("{sql} RETURNING id");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.clone(),
        ))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
        .expect("a returned row");
    row.try_get::<i64>("", "id").expect("an id")
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("a text column"))
        .collect()
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a count")
}

async fn tables(db: &DatabaseConnection) -> BTreeSet<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
    };
    strings(db, sql).await.into_iter().collect()
}

/// A description of the whole schema, to compare two migrated states.
async fn schema_dump(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        }
        _ => {
            "SELECT x FROM ( \
               SELECT table_name || '.' || column_name || ' ' || data_type || ' ' \
                 || is_nullable || ' ' || coalesce(column_default, '') AS x \
               FROM information_schema.columns WHERE table_schema = current_schema() \
               UNION ALL \
               SELECT conrelid::regclass::text || ' ' || conname || ' ' \
                 || pg_get_constraintdef(oid) FROM pg_constraint \
               WHERE connamespace = current_schema()::regnamespace \
               UNION ALL \
               SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             ) d ORDER BY x"
        }
    };
    strings(db, sql).await
}

fn expected_tables() -> BTreeSet<String> {
    TABLES
        .iter()
        .map(|t| (*t).to_owned())
        .chain(["seaql_migrations".to_owned()])
        .collect()
}

/// A profile, and a published digital product it sells; answers (profile, product).
async fn seed_product(db: &DatabaseConnection, user: &str) -> (i64, i64) {
    let profile = insert(
        db,
        &format!(
            "INSERT INTO profiles (clerk_user_id, created_at, updated_at) \
             VALUES ('{user}', '{NOW}', '{NOW}')"
        ),
    )
    .await;
    let product = insert(
        db,
        &format!(
            "INSERT INTO products (owner_id, name, slug, visibility, created_at, updated_at) \
             VALUES ({profile}, 'Guide', 'guide', 'published', '{NOW}', '{NOW}')"
        ),
    )
    .await;
    (profile, product)
}

async fn seed_customer(db: &DatabaseConnection, profile: i64) -> i64 {
    insert(
        db,
        &format!(
            "INSERT INTO customer_accounts (profile_id, created_at, updated_at) \
             VALUES ({profile}, '{NOW}', '{NOW}')"
        ),
    )
    .await
}

async fn insert_price(
    db: &DatabaseConnection,
    product: i64,
    is_default: bool,
) -> Result<(), DbErr> {
    exec(
        db,
        &format!(
            "INSERT INTO prices (product_id, amount_cents, is_default, created_at, updated_at) \
             VALUES ({product}, 1250, {is_default}, '{NOW}', '{NOW}')"
        ),
    )
    .await
}

fn assert_unique_violation(result: Result<(), DbErr>, what: &str) {
    let err = result.expect_err(what);
    assert!(
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "{what}: expected a unique violation, got {err}"
    );
}

/// A foreign key violation. sea-orm's `sql_err()` recognises SQLite's plain
/// `SQLITE_CONSTRAINT_FOREIGNKEY` (787) but not the code SQLite uses when an
/// `ON DELETE RESTRICT` action fires (`SQLITE_CONSTRAINT_TRIGGER`, 1811), whose
/// message is the same "FOREIGN KEY constraint failed".
fn assert_fk_violation(result: Result<(), DbErr>, what: &str) {
    let err = result.expect_err(what);
    assert!(
        matches!(
            err.sql_err(),
            Some(SqlErr::ForeignKeyConstraintViolation(_))
        ) || err.to_string().contains("FOREIGN KEY constraint failed"),
        "{what}: expected a foreign key violation, got {err}"
    );
}

/// Both SQLite and Postgres name the violated check constraint in their message.
fn assert_check_violation(result: Result<(), DbErr>, constraint: &str, what: &str) {
    let err = result.expect_err(what);
    let message = err.to_string();
    assert!(
        message.to_lowercase().contains("check constraint") && message.contains(constraint),
        "{what}: expected check {constraint} to fail, got {message}"
    );
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    on_each_database(|db| async move {
        migrated(&db).await;
        assert_eq!(tables(&db).await, expected_tables());
        let first = schema_dump(&db).await;

        Migrator::down(&db, None).await.expect("migrations down");
        assert_eq!(
            tables(&db).await,
            BTreeSet::from(["seaql_migrations".to_owned()])
        );
        let leftovers = match db.get_database_backend() {
            DbBackend::Sqlite => {
                "SELECT count(*) FROM sqlite_master \
                 WHERE tbl_name <> 'seaql_migrations' AND name NOT LIKE 'sqlite_%'"
            }
            _ => {
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = current_schema() AND c.relname NOT LIKE 'seaql_migrations%'"
            }
        };
        assert_eq!(count(&db, leftovers).await, 0, "objects left after down");

        migrated(&db).await;
        assert_eq!(tables(&db).await, expected_tables());
        assert_eq!(schema_dump(&db).await, first, "up after down differs");
    })
    .await;
}

#[tokio::test]
async fn ids_auto_increment_and_are_never_reused_on_sqlite() {
    on_each_database(|db| async move {
        migrated(&db).await;
        if db.get_database_backend() == DbBackend::Sqlite {
            let sql = strings(
                &db,
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'profiles'",
            )
            .await;
            assert!(
                sql[0].contains("\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT"),
                "{}",
                sql[0]
            );
            assert_eq!(
                count(&db, "PRAGMA foreign_keys").await,
                1,
                "sqlx must enable foreign keys"
            );
        }
        let (first, _) = seed_product(&db, "user_a").await;
        let (second, _) = seed_product(&db, "user_b").await;
        assert!(second > first);
        exec(&db, &format!("DELETE FROM profiles WHERE id = {second}"))
            .await
            .unwrap();
        let (third, _) = seed_product(&db, "user_c").await;
        assert!(third > second, "ids must not be reused");
    })
    .await;
}

#[tokio::test]
async fn one_default_price_per_product() {
    on_each_database(|db| async move {
        migrated(&db).await;
        let (_, product) = seed_product(&db, "user_a").await;
        let (_, other_product) = seed_product(&db, "user_b").await;

        insert_price(&db, product, true)
            .await
            .expect("first default");
        assert_unique_violation(
            insert_price(&db, product, true).await,
            "a second default price for the same product",
        );
        insert_price(&db, product, false)
            .await
            .expect("a non-default price next to the default one");
        insert_price(&db, product, false)
            .await
            .expect("several non-default prices");
        insert_price(&db, other_product, true)
            .await
            .expect("a default price on another product");

        // Moving the default: clear the old flag first, then set the new one.
        exec(
            &db,
            &format!("UPDATE prices SET is_default = FALSE WHERE product_id = {product}"),
        )
        .await
        .unwrap();
        exec(
            &db,
            &format!(
                "UPDATE prices SET is_default = TRUE WHERE id = \
                 (SELECT max(id) FROM prices WHERE product_id = {product})"
            ),
        )
        .await
        .expect("a new default once the old one is cleared");
        assert_eq!(
            count(&db, "SELECT count(*) FROM prices WHERE is_default").await,
            2
        );
    })
    .await;
}

#[tokio::test]
async fn order_total_must_be_subtotal_plus_tax() {
    on_each_database(|db| async move {
        migrated(&db).await;
        let (profile, _) = seed_product(&db, "user_a").await;
        let customer = seed_customer(&db, profile).await;
        let order = |public_id: &str, subtotal: i64, tax: i64, total: i64| {
            format!(
                "INSERT INTO orders (public_id, customer_account_id, subtotal_cents, tax_cents, \
                 total_cents, created_at, updated_at) VALUES ('{public_id}', {customer}, \
                 {subtotal}, {tax}, {total}, '{NOW}', '{NOW}')"
            )
        };
        exec(
            &db,
            &order("6f1b3a36-55a4-4f0e-9a43-2f7de44a1a01", 1000, 200, 1200),
        )
        .await
        .expect("a consistent total");
        assert_check_violation(
            exec(
                &db,
                &order("6f1b3a36-55a4-4f0e-9a43-2f7de44a1a02", 1000, 200, 1000),
            )
            .await,
            "order_total_matches",
            "total != subtotal + tax",
        );
        assert_check_violation(
            exec(
                &db,
                &order("6f1b3a36-55a4-4f0e-9a43-2f7de44a1a03", -100, 100, 0),
            )
            .await,
            "orders_subtotal_cents_min",
            "a negative subtotal",
        );
        assert_unique_violation(
            exec(&db, &order("6f1b3a36-55a4-4f0e-9a43-2f7de44a1a01", 0, 0, 0)).await,
            "a duplicate public id",
        );
    })
    .await;
}

#[tokio::test]
async fn ai_usage_needs_a_positive_amount_and_a_real_period() {
    on_each_database(|db| async move {
        migrated(&db).await;
        let (profile, _) = seed_product(&db, "user_a").await;
        let customer = seed_customer(&db, profile).await;
        let usage = |amount: i64, start: &str, end: &str| {
            format!(
                "INSERT INTO ai_usage_events (request_id, customer_account_id, metric, amount, \
                 period_start, period_end, created_at) VALUES \
                 ('0b7c2a52-9d2f-4a43-8a7e-5d2a3c1e0f10', {customer}, 'tokens', {amount}, \
                 '{start}', '{end}', '{NOW}')"
            )
        };
        exec(&db, &usage(42, NOW, LATER))
            .await
            .expect("a valid usage event");
        assert_check_violation(
            exec(&db, &usage(0, NOW, LATER)).await,
            "aiusage_amount_positive",
            "amount 0",
        );
        assert_check_violation(
            exec(&db, &usage(5, NOW, NOW)).await,
            "aiusage_period_valid",
            "an empty period",
        );
        assert_check_violation(
            exec(&db, &usage(5, LATER, NOW)).await,
            "aiusage_period_valid",
            "a period that ends before it starts",
        );
        assert_check_violation(
            exec(&db, &usage(5, NOW, LATER).replace("'tokens'", "'minutes'")).await,
            "ai_usage_events_metric_valid",
            "an unknown metric",
        );
    })
    .await;
}

#[tokio::test]
async fn usage_totals_start_from_the_ledger_without_its_holds() {
    on_each_database(|db| async move {
        // Every migration before the totals, then a ledger with settled rows and a hold.
        let before_totals = Migrator::migrations()
            .iter()
            .position(|m| m.name() == "m20261130_000009_ai_usage_totals")
            .and_then(|i| u32::try_from(i).ok())
            .expect("the totals migration");
        Migrator::up(&db, Some(before_totals)).await.expect("up");
        let (profile, _) = seed_product(&db, "user_a").await;
        let customer = seed_customer(&db, profile).await;
        let row = |metric: &str, direction: &str, amount: i64, end: &str| {
            format!(
                "INSERT INTO ai_usage_events (request_id, customer_account_id, metric, \
                 direction, amount, period_start, period_end, created_at) VALUES \
                 ('0b7c2a52-9d2f-4a43-8a7e-5d2a3c1e0f10', {customer}, '{metric}', \
                 '{direction}', {amount}, '{NOW}', '{end}', '{NOW}')"
            )
        };
        for sql in [
            row("tokens", "input", 30, LATER),
            row("tokens", "output", 12, LATER),
            row("tokens", "total", 500, LATER),
            row("images", "output", 2, LATER),
            row("tokens", "input", 7, "2031-01-01T00:00:00+00:00"),
        ] {
            exec(&db, &sql).await.expect("a ledger row");
        }

        migrated(&db).await;
        let totals = strings(
            &db,
            "SELECT metric || ':' || CAST(used AS TEXT) FROM ai_usage_totals \
             ORDER BY period_end, metric",
        )
        .await;
        assert_eq!(
            totals,
            ["images:2", "tokens:42", "tokens:7"],
            "holds left out"
        );
        assert_unique_violation(
            exec(
                &db,
                &format!(
                    "INSERT INTO ai_usage_totals (customer_account_id, metric, period_start, \
                     period_end, used) VALUES ({customer}, 'images', '{NOW}', '{LATER}', 1)"
                ),
            )
            .await,
            "a second total for one bucket",
        );
    })
    .await;
}

#[tokio::test]
async fn webhook_events_are_unique_per_provider_and_event_id() {
    on_each_database(|db| async move {
        migrated(&db).await;
        let event = |provider: &str, id: &str| {
            format!(
                "INSERT INTO webhook_events (provider, event_id, event_type, received_at) \
                 VALUES ('{provider}', '{id}', 'user.created', '{NOW}')"
            )
        };
        exec(&db, &event("clerk", "msg_1")).await.expect("first");
        assert_unique_violation(
            exec(&db, &event("clerk", "msg_1")).await,
            "the same event twice",
        );
        exec(&db, &event("stripe", "msg_1"))
            .await
            .expect("the same id from another provider");
        exec(&db, &event("clerk", "msg_2"))
            .await
            .expect("another event");
        assert_check_violation(
            exec(&db, &event("paypal", "msg_3")).await,
            "webhook_events_provider_valid",
            "an unknown provider",
        );
    })
    .await;
}

#[tokio::test]
async fn one_payment_row_per_order_provider_and_payment_id() {
    on_each_database(|db| async move {
        migrated(&db).await;
        let (buyer, _) = seed_product(&db, "user_buyer").await;
        let customer = seed_customer(&db, buyer).await;
        let order = insert(
            &db,
            &format!(
                "INSERT INTO orders (public_id, customer_account_id, created_at, updated_at) \
                 VALUES ('0d6c8a52-1f43-4d7e-8e0b-5b1c2d3e4f50', {customer}, '{NOW}', '{NOW}')"
            ),
        )
        .await;
        let payment = |provider: &str, id: &str| {
            format!(
                "INSERT INTO payment_transactions (order_id, provider, external_id, created_at, \
                 updated_at) VALUES ({order}, '{provider}', '{id}', '{NOW}', '{NOW}')"
            )
        };
        exec(&db, &payment("clerk", "pay_1")).await.expect("first");
        assert_unique_violation(
            exec(&db, &payment("clerk", "pay_1")).await,
            "the same payment twice",
        );
        exec(&db, &payment("clerk", "pay_2"))
            .await
            .expect("another payment of the order");
        exec(&db, &payment("manual", "pay_1"))
            .await
            .expect("the same id from another provider");
    })
    .await;
}

#[tokio::test]
async fn sold_products_are_protected_and_profiles_cascade() {
    on_each_database(|db| async move {
        migrated(&db).await;
        let (seller, product) = seed_product(&db, "user_seller").await;
        let (buyer, _) = seed_product(&db, "user_buyer").await;
        let customer = seed_customer(&db, buyer).await;
        let order = insert(
            &db,
            &format!(
                "INSERT INTO orders (public_id, customer_account_id, created_at, updated_at) \
                 VALUES ('6f1b3a36-55a4-4f0e-9a43-2f7de44a1b01', {customer}, '{NOW}', '{NOW}')"
            ),
        )
        .await;
        exec(
            &db,
            &format!(
                "INSERT INTO order_items (order_id, product_id, created_at, updated_at) \
                 VALUES ({order}, {product}, '{NOW}', '{NOW}')"
            ),
        )
        .await
        .expect("an order item");
        assert_check_violation(
            exec(
                &db,
                &format!(
                    "INSERT INTO order_items (order_id, product_id, quantity, created_at, \
                     updated_at) VALUES ({order}, {product}, 0, '{NOW}', '{NOW}')"
                ),
            )
            .await,
            "order_items_quantity_min",
            "quantity 0",
        );
        assert_fk_violation(
            exec(&db, &format!("DELETE FROM products WHERE id = {product}")).await,
            "deleting a sold product",
        );
        assert_fk_violation(
            exec(&db, &format!("DELETE FROM profiles WHERE id = {seller}")).await,
            "deleting the seller of a sold product (cascades to it)",
        );
        assert_fk_violation(
            exec(
                &db,
                &format!(
                    "INSERT INTO projects (owner_id, name, slug, created_at, updated_at) \
                     VALUES (999999, 'Ghost', 'ghost', '{NOW}', '{NOW}')"
                ),
            )
            .await,
            "a project of a missing profile",
        );

        // A price is set as the product's active price; deleting it sets it to NULL.
        let price = insert(
            &db,
            &format!(
                "INSERT INTO prices (product_id, created_at, updated_at) \
                 VALUES ({product}, '{NOW}', '{NOW}')"
            ),
        )
        .await;
        exec(
            &db,
            &format!("UPDATE products SET active_price_id = {price} WHERE id = {product}"),
        )
        .await
        .unwrap();
        exec(&db, &format!("DELETE FROM prices WHERE id = {price}"))
            .await
            .unwrap();
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT count(*) FROM products \
                     WHERE id = {product} AND active_price_id IS NULL"
                )
            )
            .await,
            1,
            "active_price_id set to NULL"
        );

        // Deleting a profile takes its projects (and customer account, orders...) with it.
        for slug in ["one", "two"] {
            exec(
                &db,
                &format!(
                    "INSERT INTO projects (owner_id, name, slug, created_at, updated_at) \
                     VALUES ({buyer}, 'Project', '{slug}', '{NOW}', '{NOW}')"
                ),
            )
            .await
            .unwrap();
        }
        assert_unique_violation(
            exec(
                &db,
                &format!(
                    "INSERT INTO projects (owner_id, name, slug, created_at, updated_at) \
                     VALUES ({buyer}, 'Project', 'one', '{NOW}', '{NOW}')"
                ),
            )
            .await,
            "a duplicate project slug for one owner",
        );
        exec(&db, &format!("DELETE FROM profiles WHERE id = {buyer}"))
            .await
            .expect("deleting the buyer");
        for table in ["projects", "customer_accounts", "orders", "order_items"] {
            assert_eq!(
                count(&db, &format!("SELECT count(*) FROM {table}")).await,
                0,
                "{table} cascaded"
            );
        }
        exec(&db, &format!("DELETE FROM products WHERE id = {product}"))
            .await
            .expect("a product no longer sold can be deleted");
    })
    .await;
}

#[tokio::test]
async fn text_lengths_and_choices_are_enforced_on_both_databases() {
    on_each_database(|db| async move {
        migrated(&db).await;
        let long_id = "u".repeat(65);
        let result = exec(
            &db,
            &format!(
                "INSERT INTO profiles (clerk_user_id, created_at, updated_at) \
                 VALUES ('{long_id}', '{NOW}', '{NOW}')"
            ),
        )
        .await;
        assert!(result.is_err(), "a 65-character clerk_user_id");
        exec(
            &db,
            &format!(
                "INSERT INTO profiles (clerk_user_id, created_at, updated_at) \
                 VALUES ('{}', '{NOW}', '{NOW}')",
                "é".repeat(64)
            ),
        )
        .await
        .expect("64 characters (not bytes) fit");
        assert_check_violation(
            exec(
                &db,
                &format!(
                    "INSERT INTO profiles (clerk_user_id, plan_tier, created_at, updated_at) \
                     VALUES ('user_x', 'gold', '{NOW}', '{NOW}')"
                ),
            )
            .await,
            "profiles_plan_tier_valid",
            "an unknown plan tier",
        );
        let defaults = strings(
            &db,
            "SELECT plan_tier || ' ' || email || ' ' || CAST(billing_features AS TEXT) \
             FROM profiles",
        )
        .await;
        assert_eq!(defaults, vec!["free  []".to_owned()]);
    })
    .await;
}
