//! AI ledger writes made in groups: concurrent chats of several accounts reserve and
//! settle in shared transactions, yet each account gets exactly the chats its quota
//! fits and the ledger equals what the answers reported; one chat whose ledger row the
//! database refuses fails alone.

use paidloop_usage::{MessageText, TokenCounter};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::ai::{chat_body, ledger, post, spawn, total};

const MODEL: &str = "gpt-4.1-mini";
/// Small enough that every simulated answer is cut to exactly this many tokens, so each
/// chat uses exactly what it reserved and settling frees nothing.
const MAX_OUTPUT: u64 = 16;
const CONTENT: &str = "Describe the quota in one short line";

fn chat() -> Value {
    let mut body = chat_body(CONTENT, MAX_OUTPUT);
    body["model"] = json!(MODEL);
    body
}

/// What one [`chat`] reserves and, on the simulator, uses.
fn per_chat() -> u64 {
    let input = TokenCounter::for_model(MODEL).messages(&[MessageText {
        role: "user",
        content: CONTENT,
        name: None,
    }]);
    input + MAX_OUTPUT
}

/// `SUM(column)` of `table`'s rows of `user`'s account.
async fn account_sum(app: &crate::helpers::TestApp, user: &str, table: &str, column: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let placeholder = match backend {
        sea_orm::DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(e.{column}), 0) AS BIGINT) AS n FROM {table} e \
         JOIN customer_accounts a ON a.id = e.customer_account_id \
         JOIN profiles p ON p.id = a.profile_id WHERE p.clerk_user_id = {placeholder}"
    );
    app.db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [user.into()]))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

/// What `user`'s ledger records, after checking that the running totals the quota
/// check reads say the same.
async fn account_total(app: &crate::helpers::TestApp, user: &str) -> i64 {
    let recorded = account_sum(app, user, "ai_usage_events", "amount").await;
    let running = account_sum(app, user, "ai_usage_totals", "used").await;
    assert_eq!(
        running, recorded,
        "{user}: running totals against the ledger"
    );
    recorded
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_chats_of_two_accounts_get_exactly_what_their_quota_fits() {
    // After a warm-up chat, 25 more fit; one account sends 40 at once, the other 20,
    // all together.
    const FITS: u64 = 25;
    let cost = per_chat();
    let limit = (FITS + 1) * cost;
    let app = spawn(&[("AI_USAGE_LIMIT_FREE_TOKENS", &limit.to_string())]).await;
    let (busy, light) = ("user_busy", "user_light");
    for user in [busy, light] {
        // Sign in and sync billing once, so the race is over the quota alone.
        let (status, answer) = post(&app, user, "/api/ai/chat/complete/", &chat()).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["usage"]["total_tokens"], cost, "{answer}");
    }
    let senders: Vec<&str> = (0..60)
        .map(|i| if i % 3 == 2 { light } else { busy })
        .collect();
    let body = chat();
    let answers = futures_util::future::join_all(
        senders
            .iter()
            .map(|user| post(&app, user, "/api/ai/chat/complete/", &body)),
    )
    .await;
    for user in [busy, light] {
        let mine: Vec<&(u16, Value)> = senders
            .iter()
            .zip(&answers)
            .filter(|(sender, _)| **sender == user)
            .map(|(_, answer)| answer)
            .collect();
        let ok: Vec<_> = mine.iter().filter(|(s, _)| *s == 200).collect();
        let refused = mine.iter().filter(|(s, _)| *s == 429).count();
        let expected_ok = mine.len().min(FITS as usize);
        assert_eq!(ok.len(), expected_ok, "{user}: {mine:?}");
        assert_eq!(refused, mine.len() - expected_ok, "{user}: {mine:?}");
        let reported: i64 = ok
            .iter()
            .map(|(_, a)| a["usage"]["total_tokens"].as_i64().unwrap())
            .sum();
        let recorded = account_total(&app, user).await;
        assert_eq!(
            recorded,
            reported + cost as i64,
            "{user}: warm-up + answers"
        );
        assert!(recorded <= limit as i64, "{user}: {recorded} > {limit}");
    }
    assert!(
        ledger(&app)
            .await
            .iter()
            .all(|row| row.3.get("hold").is_none()),
        "every hold settled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_whose_ledger_row_is_refused_fails_alone() {
    let app = spawn(&[]).await;
    let user = "user_crowd";
    let (status, _) = post(&app, user, "/api/ai/chat/complete/", &chat()).await;
    assert_eq!(status, 200);
    // The database refuses any ledger row of one model (a trigger): that chat's
    // reservation fails, in whatever group it lands.
    let backend = app.db.get_database_backend();
    let triggers = match backend {
        sea_orm::DatabaseBackend::Postgres => vec![
            "CREATE FUNCTION refuse_usage() RETURNS trigger AS $$ BEGIN \
             IF NEW.model_name = 'refused-model' THEN RAISE EXCEPTION 'refused'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_usage BEFORE INSERT ON ai_usage_events \
             FOR EACH ROW EXECUTE FUNCTION refuse_usage()",
        ],
        _ => vec![
            "CREATE TRIGGER refuse_usage BEFORE INSERT ON ai_usage_events \
             WHEN NEW.model_name = 'refused-model' BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
    };
    for sql in triggers {
        app.db
            .execute_raw(Statement::from_string(backend, sql))
            .await
            .unwrap();
    }
    let bodies: Vec<Value> = (0..16)
        .map(|i| {
            let mut body = chat();
            if i == 7 {
                body["model"] = json!("refused-model");
            }
            body
        })
        .collect();
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| post(&app, user, "/api/ai/chat/complete/", body)),
    )
    .await;
    for (i, (status, answer)) in answers.iter().enumerate() {
        let expected = if i == 7 { 500 } else { 200 };
        assert_eq!(*status, expected, "chat {i}: {answer}");
    }
    let rows = ledger(&app).await;
    let reported: i64 = answers
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, a)| a["usage"]["total_tokens"].as_i64().unwrap())
        .sum();
    assert_eq!(
        total(&rows, "tokens"),
        reported + per_chat() as i64,
        "warm-up + the answers, nothing for the refused chat"
    );
    assert!(
        rows.iter().all(|row| row.3.get("hold").is_none()),
        "{rows:?}"
    );
    assert_eq!(
        account_total(&app, user).await,
        total(&rows, "tokens"),
        "the refused chat left nothing in the running totals either"
    );
}
