//! The command line: `serve` (default), `worker`, `migrate`, `check --deploy`, `openapi`,
//! `dev pay`.

use std::process::ExitCode;

use actix_web::HttpServer;
use clap::{Parser, Subcommand, ValueEnum};
use migration::{Migrator, MigratorTrait};

use crate::app::{JWKS_REFETCH_INTERVAL, build_app, build_state};
use crate::checkpoint::{CheckpointPolicy, Checkpointer};
use crate::config::deploy::{Severity, findings};
use crate::config::{Config, DEV_SECRET_KEY};
use crate::db::PoolPlan;
use crate::services::email::EmailSettings;
use crate::services::email::transport::Mailer;
use crate::services::email::worker::{OutboxWorker, WorkerPolicy};
use crate::state::AppState;
use crate::{db, dev_pay, telemetry};

/// `paidloop` command line.
#[derive(Debug, Parser)]
#[command(name = "paidloop", version, about = "The Paidloop SaaS server")]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (and deliver queued emails, unless EMAIL_WORKER_ENABLED=false).
    Serve,
    /// Deliver queued emails only, until SIGTERM or Ctrl-C: for deployments that run
    /// the email worker apart from the web processes.
    Worker,
    /// Apply, roll back or inspect the schema migrations.
    Migrate {
        /// up (default), down, status or fresh (drop everything and re-apply).
        #[arg(value_enum, default_value_t = MigrateAction::Up)]
        action: MigrateAction,
        /// How many migrations to apply or roll back (default: all for up, one for down).
        #[arg(long)]
        steps: Option<u32>,
    },
    /// Local development helpers.
    Dev {
        /// Which helper.
        #[command(subcommand)]
        command: DevCommand,
    },
    /// Print the OpenAPI 3.1 document of every route this build can serve (local
    /// sign-in included), for generating clients without a running server.
    Openapi,
    /// Check the configuration; with --deploy, against the production rules.
    Check {
        /// Apply the production rules (`spec/CONFIG.md`).
        #[arg(long)]
        deploy: bool,
    },
}

/// `paidloop dev …`.
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Pay for an order as Clerk would: a signed `paymentAttempt.updated` webhook.
    Pay {
        /// The order's `public_id`.
        order_public_id: uuid::Uuid,
        /// The payment attempt's outcome.
        #[arg(long, value_enum, default_value_t = PayStatus::Paid)]
        status: PayStatus,
        /// The server to post to (default: http://HOST:PORT from the configuration).
        #[arg(long)]
        url: Option<String>,
        /// Also send the `subscription.created` and `subscription.active` events Clerk
        /// sends for the order's monthly or yearly price (read from DATABASE_URL).
        #[arg(long)]
        subscription: bool,
    },
}

/// Outcomes `paidloop dev pay` can send.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PayStatus {
    /// The payment went through.
    Paid,
    /// The payment was declined.
    Failed,
}

/// The migration actions.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MigrateAction {
    /// Apply pending migrations.
    Up,
    /// Roll back the last migration(s).
    Down,
    /// List migrations and whether each is applied.
    Status,
    /// Drop every table and apply all migrations again.
    Fresh,
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await.map(|()| ExitCode::SUCCESS),
        Command::Worker => worker().await.map(|()| ExitCode::SUCCESS),
        Command::Migrate { action, steps } => {
            migrate(action, steps).await.map(|()| ExitCode::SUCCESS)
        }
        Command::Check { deploy } => Ok(check(deploy)),
        Command::Openapi => {
            let json = crate::openapi::document(true)
                .to_pretty_json()
                .map_err(|err| format!("cannot serialise the document: {err}"))?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Dev {
            command:
                DevCommand::Pay {
                    order_public_id,
                    status,
                    url,
                    subscription,
                },
        } => {
            let status = match status {
                PayStatus::Paid => "paid",
                PayStatus::Failed => "failed",
            };
            let (code, body) =
                dev_pay::pay(&load()?, order_public_id, status, url, subscription).await?;
            println!("{code} {body}");
            Ok(if (200..300).contains(&code) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

fn load() -> Result<Config, String> {
    Config::from_env().map_err(|err| err.to_string())
}

/// Loads and checks the configuration, starts logging, opens the pool (migrating when
/// `AUTO_MIGRATE`), and builds the state: what `serve` and `worker` share. The pool is
/// the shared one of the [`PoolPlan`] for `http_workers` (0: no HTTP workers, one pool).
async fn prepare(http_workers: usize) -> Result<(AppState, PoolPlan), String> {
    let config = load()?;
    let problems = config.startup_problems();
    if !problems.is_empty() {
        return Err(format!(
            "refusing to start:\n  - {}",
            problems.join("\n  - ")
        ));
    }
    telemetry::init(&config);
    if config.app.secret_key.is_none() {
        tracing::warn!(
            "APP_SECRET_KEY is unset: using the fixed development key {DEV_SECRET_KEY:.16}…; never do this in production"
        );
    }
    let plan = PoolPlan::new(
        &config.app.database_url,
        config.app.database_max_connections,
        http_workers,
    );
    let conn = db::connect(&config.app.database_url, plan.shared)
        .await
        .map_err(|err| format!("cannot open DATABASE_URL: {err}"))?;
    if config.app.auto_migrate {
        db::migrate_up(&conn)
            .await
            .map_err(|err| format!("migrations failed: {err}"))?;
    }
    Ok((build_state(config, conn, JWKS_REFETCH_INTERVAL)?, plan))
}

/// The outbox worker over the state's pool and transport, or `None` (with a warning)
/// when email is disabled: queued emails then wait.
fn outbox_worker(state: &AppState) -> Option<OutboxWorker> {
    match &state.integrations.mailer {
        Mailer::Ready(transport) => Some(OutboxWorker {
            db: state.db.clone(),
            writes: state.writes.clone(),
            transport: transport.clone(),
            default_from: EmailSettings::from_config(&state.config).from,
            policy: WorkerPolicy::default(),
        }),
        Mailer::Off(why) => {
            tracing::warn!("email outbox worker not started: {why}");
            None
        }
    }
}

async fn serve() -> Result<(), String> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (state, plan) = prepare(workers).await?;
    let addr = (state.config.app.host.clone(), state.config.app.port);
    if state.config.dev_auth_active() {
        tracing::warn!("development sign-in is ON (POST /api/dev/session/)");
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = state
        .config
        .email
        .worker_enabled
        .then(|| outbox_worker(&state))
        .flatten()
        .map(|worker| tokio::spawn(worker.run(stopped.clone())));
    let checkpointer =
        Checkpointer::for_sqlite(&state.db, &state.writes, CheckpointPolicy::default())
            .map(|checkpointer| tokio::spawn(checkpointer.run(stopped)));
    tracing::info!(host = %addr.0, port = addr.1, "paidloop listening");
    // actix stops on SIGTERM/SIGINT, finishing requests in flight; then the worker
    // hands back what it has not sent.
    let served = match HttpServer::new(move || match plan.per_worker {
        Some(connections) => build_app(state.for_worker(connections)),
        None => build_app(state.clone()),
    })
    .workers(workers)
    .bind(addr.clone())
    {
        Ok(server) => server
            .shutdown_timeout(30)
            .run()
            .await
            .map_err(|err| format!("server error: {err}")),
        Err(err) => Err(format!("cannot listen on {}:{}: {err}", addr.0, addr.1)),
    };
    let _ = stop.send(true);
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    if let Some(checkpointer) = checkpointer {
        let _ = checkpointer.await;
    }
    served?;
    tracing::info!("paidloop stopped");
    Ok(())
}

async fn worker() -> Result<(), String> {
    let (state, _) = prepare(0).await?;
    let worker = outbox_worker(&state).ok_or("email is disabled (EMAIL_BACKEND=disabled)")?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker.run(stopped));
    shutdown_signal().await?;
    tracing::info!("stopping the email outbox worker");
    let _ = stop.send(true);
    running
        .await
        .map_err(|err| format!("the worker panicked: {err}"))
}

/// Waits for SIGTERM (how process managers stop a service) or Ctrl-C.
async fn shutdown_signal() -> Result<(), String> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|err| format!("cannot listen for SIGTERM: {err}"))?;
        tokio::select! {
            _ = term.recv() => Ok(()),
            result = tokio::signal::ctrl_c() => result.map_err(|err| err.to_string()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(|err| err.to_string())
    }
}

async fn migrate(action: MigrateAction, steps: Option<u32>) -> Result<(), String> {
    let config = load()?;
    let conn = db::connect(&config.app.database_url, 1)
        .await
        .map_err(|err| format!("cannot open DATABASE_URL: {err}"))?;
    let result = match action {
        MigrateAction::Up => Migrator::up(&conn, steps).await,
        MigrateAction::Down => Migrator::down(&conn, Some(steps.unwrap_or(1))).await,
        MigrateAction::Fresh => Migrator::fresh(&conn).await,
        MigrateAction::Status => {
            let migrations = Migrator::get_migration_with_status(&conn)
                .await
                .map_err(|err| err.to_string())?;
            for m in migrations {
                println!("{:<10} {}", format!("{:?}", m.status()), m.name());
            }
            Ok(())
        }
    };
    result.map_err(|err| format!("migrate {action:?} failed: {err}"))
}

fn check(deploy: bool) -> ExitCode {
    let config = match load() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("ERROR   {message}");
            return ExitCode::FAILURE;
        }
    };
    // The deploy rules include every start-up rule, so each problem prints once.
    let problems: Vec<(Severity, String)> = if deploy {
        findings(&config)
            .into_iter()
            .map(|f| (f.severity, f.message))
            .collect()
    } else {
        config
            .startup_problems()
            .into_iter()
            .map(|p| (Severity::Error, p))
            .collect()
    };
    let mut failed = false;
    for (severity, message) in problems {
        let label = match severity {
            Severity::Error => {
                failed = true;
                "ERROR  "
            }
            Severity::Warning => "WARNING",
        };
        eprintln!("{label} {message}");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        println!(
            "configuration OK{}",
            if deploy { " for deploy" } else { "" }
        );
        ExitCode::SUCCESS
    }
}
