//! The embedded default transport: each message written as an `.eml` file under
//! `EMAIL_OUTBOX_DIR`, to open in any mail program. Nothing leaves the machine.

use std::path::PathBuf;

use futures_util::future::BoxFuture;
use lettre::{AsyncFileTransport, AsyncTransport, Tokio1Executor};

use super::message::Email;
use super::transport::{EmailTransport, SendError};

/// A folder of `.eml` files (created on first use).
#[derive(Debug, Clone)]
pub struct EmlOutbox {
    dir: PathBuf,
}

impl EmlOutbox {
    /// The outbox in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }
}

impl EmailTransport for EmlOutbox {
    fn send<'a>(&'a self, email: &'a Email) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(async move {
            let message = email.to_mime()?;
            tokio::fs::create_dir_all(&self.dir).await.map_err(|err| {
                SendError::Transient(format!("cannot create {}: {err}", self.dir.display()))
            })?;
            let id = AsyncFileTransport::<Tokio1Executor>::new(&self.dir)
                .send(message)
                .await
                .map_err(|err| {
                    SendError::Transient(format!("cannot write to {}: {err}", self.dir.display()))
                })?;
            tracing::info!(file = %self.dir.join(format!("{id}.eml")).display(), kind = %email.kind, "email written to the outbox");
            Ok(())
        })
    }

    fn name(&self) -> &'static str {
        "outbox"
    }
}
