//! The `paidloop` binary: `check --deploy` and the refusal to start unsafely.

use std::process::{Command, Output};

const GOOD_SECRET: &str = "q8Zr1fJ0mXwT5vK2pL9sB4nH7cY3dG6aE1uR8iO0tW5zQ2xV4bN7mM";

/// Runs `paidloop` with exactly `env` (nothing inherited) in an empty folder.
fn paidloop(args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_paidloop"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .output()
        .expect("run paidloop")
}

fn production() -> Vec<(&'static str, &'static str)> {
    vec![
        ("APP_SECRET_KEY", GOOD_SECRET),
        ("APP_ALLOWED_HOSTS", "shop.test"),
        ("CLERK_DOMAIN", "clerk.shop.test"),
        (
            "CLERK_WEBHOOK_SIGNING_SECRET",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ),
        ("DATABASE_URL", "postgres://paidloop@db.shop.test/paidloop"),
    ]
}

#[test]
fn check_deploy_lists_every_problem_of_a_debug_config() {
    let out = paidloop(
        &["check", "--deploy"],
        &[
            ("APP_DEBUG", "true"),
            ("DEV_AUTH_ENABLED", "true"),
            ("ORDER_CONFIRM_ALLOW_MANUAL", "true"),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "APP_DEBUG",
        "APP_SECRET_KEY",
        "DEV_AUTH_ENABLED",
        "ORDER_CONFIRM_ALLOW_MANUAL",
        "CLERK_WEBHOOK_SIGNING_SECRET",
        "JWT verification",
        "SECURE_HSTS_SECONDS",
    ] {
        assert!(stderr.contains(needle), "{needle} missing from:\n{stderr}");
    }
}

#[test]
fn check_deploy_passes_a_production_config() {
    let out = paidloop(&["check", "--deploy"], &production());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("configuration OK"));
    assert!(!stderr.contains("ERROR"), "{stderr}");
}

#[test]
fn check_reports_unparsable_values_by_name() {
    let mut env = production();
    env.push(("PORT", "eighty"));
    let out = paidloop(&["check", "--deploy"], &env);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PORT"));
}

#[test]
fn dev_auth_without_debug_refuses_to_start() {
    let mut env = production();
    env.push(("DEV_AUTH_ENABLED", "true"));
    env.push(("PORT", "1"));
    let out = paidloop(&["serve"], &env);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to start"), "{stderr}");
    assert!(
        stderr.contains("DEV_AUTH_ENABLED=true needs APP_DEBUG=true"),
        "{stderr}"
    );
}

#[test]
fn production_without_a_secret_key_refuses_to_start() {
    let env: Vec<_> = production()
        .into_iter()
        .filter(|(k, _)| *k != "APP_SECRET_KEY")
        .collect();
    let out = paidloop(&["serve"], &env);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("APP_SECRET_KEY"));
}

#[test]
fn check_deploy_refuses_catch_all_proxy_ranges() {
    for range in ["0.0.0.0/0", "::/0"] {
        let mut env = production();
        env.push(("TRUSTED_PROXIES", range));
        let out = paidloop(&["check", "--deploy"], &env);
        assert!(!out.status.success(), "{range} passed");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("TRUSTED_PROXIES contains {range}")),
            "{stderr}"
        );
    }
    let mut env = production();
    env.push(("TRUSTED_PROXIES", "10.0.0.0/8"));
    let out = paidloop(&["check", "--deploy"], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `paidloop migrate`, queues one email straight into the database, then runs
/// `paidloop worker` until it has written the email to the outbox, and stops it with
/// SIGTERM: it exits cleanly and the row is marked sent.
#[test]
fn the_worker_delivers_alone_and_stops_cleanly_on_sigterm() {
    use std::time::{Duration, Instant};

    use paidloop_server::entities::email_outbox;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};

    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = format!("sqlite://{}/worker.sqlite3?mode=rwc", dir.path().display());
    let outbox = dir.path().join("outbox");
    let env = [
        ("APP_DEBUG", "true"),
        ("DATABASE_URL", database_url.as_str()),
        ("EMAIL_OUTBOX_DIR", outbox.to_str().expect("utf-8")),
        ("LOG_LEVEL", "warn"),
    ];
    let migrated = paidloop(&["migrate"], &env);
    assert!(migrated.status.success(), "{migrated:?}");

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let db = runtime
        .block_on(sea_orm::Database::connect(&database_url))
        .expect("connect");
    let now = chrono::Utc::now();
    let id = runtime
        .block_on(
            email_outbox::ActiveModel {
                kind: Set("order_fulfilled".into()),
                dedupe_key: Set(Some("cli-worker".into())),
                to_email: Set("buyer@example.com".into()),
                from_email: Set("Shop <shop@example.com>".into()),
                subject: Set("Delivered by the worker".into()),
                text_body: Set("Thanks".into()),
                html_body: Set(String::new()),
                status: Set("pending".into()),
                attempts: Set(0),
                last_error: Set(String::new()),
                next_attempt_at: Set(now),
                sent_at: Set(None),
                metadata: Set(serde_json::json!({})),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&db),
        )
        .expect("queued")
        .id;

    let mut worker = Command::new(env!("CARGO_BIN_EXE_paidloop"))
        .arg("worker")
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .spawn()
        .expect("start the worker");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_dir(&outbox).map_or(0, Iterator::count) == 0 {
        assert!(Instant::now() < deadline, "no .eml written");
        std::thread::sleep(Duration::from_millis(50));
    }
    let row = runtime
        .block_on(email_outbox::Entity::find_by_id(id).one(&db))
        .expect("query")
        .expect("row");
    assert_eq!(row.status, "sent");

    let killed = Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = worker.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the worker did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit {status:?}");
}
