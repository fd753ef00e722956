//! The outside services this build can talk to, chosen once at start.
//!
//! [`Integrations::from_config`] first builds what the server has built in (the
//! `.eml` outbox and SMTP, local and S3 storage, no profile probe, the AI simulator and
//! no remote AI provider), then lets each
//! adapter compiled into this build replace its part ([`INSTALLERS`]).
//! `scripts/remove-adapter NAME` deletes an adapter's crate, its installer file and
//! the lines tagged `remove-adapter: NAME`; what remains builds and falls back to the
//! embedded defaults.

mod ollama; // remove-adapter: ollama
mod openrouter; // remove-adapter: openrouter
mod resend; // remove-adapter: resend
mod supabase; // remove-adapter: supabase

use std::sync::Arc;

use crate::config::Config;
use crate::services::ai::provider::{ProviderKey, RemoteProviders};
use crate::services::email::transport::Mailer;
use crate::services::profile_probe::ProfileProbe;
use crate::services::storage::StorageBackend;

/// What the server uses to reach outside services.
#[derive(Clone)]
pub struct Integrations {
    /// The email transport, or why there is none.
    pub mailer: Mailer,
    /// Where asset files are and how links to them are signed.
    pub storage: StorageBackend,
    /// The profile probe of `supabase/profile/`, when one is configured.
    pub profile_probe: Option<Arc<dyn ProfileProbe>>,
    /// The remote AI providers configured (the simulator needs no installing).
    pub ai: RemoteProviders,
}

/// Lets one adapter replace parts of the built-in integrations; an error stops the
/// server from starting (the message names the variable to fix).
type Installer = fn(&mut Integrations, &Config, &reqwest::Client) -> Result<(), String>;

/// The adapters compiled into this build, one line each.
const INSTALLERS: &[Installer] = &[
    resend::install,     // remove-adapter: resend
    supabase::install,   // remove-adapter: supabase
    openrouter::install, // remove-adapter: openrouter
    ollama::install,     // remove-adapter: ollama
];

impl Integrations {
    /// The integrations `config` selects; `http` is the shared client adapters use.
    pub fn from_config(config: &Config, http: &reqwest::Client) -> Result<Self, String> {
        let mut integrations = Self {
            mailer: Mailer::builtin(&config.email)?,
            storage: StorageBackend::from_config(&config.storage),
            profile_probe: None,
            ai: RemoteProviders::default(),
        };
        for install in INSTALLERS {
            install(&mut integrations, config, http)?;
        }
        integrations.warn_about_fallbacks(config);
        Ok(integrations)
    }

    /// Says so when a backend was asked for that no adapter of this build provides,
    /// and the embedded default stands in for it.
    fn warn_about_fallbacks(&self, config: &Config) {
        if config.email.backend == "resend"
            && matches!(&self.mailer, Mailer::Ready(t) if t.name() != "resend")
        {
            tracing::warn!(
                "EMAIL_BACKEND=resend, but this build has no Resend adapter: writing .eml \
                 files to EMAIL_OUTBOX_DIR instead"
            );
        }
        if config.storage.backend.as_deref() == Some("supabase")
            && matches!(self.storage, StorageBackend::Local(_))
        {
            tracing::warn!(
                "ASSET_STORAGE_BACKEND=supabase, but this build has no Supabase adapter: \
                 serving assets from ASSET_STORAGE_LOCAL_DIR"
            );
        }
        let ai = &config.ai;
        let asked = [
            (ProviderKey::Openai, ai.openai_api_key.is_some()),
            (ProviderKey::Openrouter, ai.openrouter_api_key.is_some()),
            (ProviderKey::Ollama, ai.ollama_model.is_some()),
        ];
        for (key, configured) in asked {
            if configured && !self.ai.has(key) {
                tracing::warn!(
                    provider = key.as_str(),
                    "an AI provider is configured, but this build has no adapter for it: \
                     AI requests use the simulator (when AI_SIMULATOR_ENABLED) instead"
                );
            }
        }
    }
}
