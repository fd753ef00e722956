//! AI usage, metered server-side: the provider list, token estimates, chats and images
//! charged against the plan's quota, and the usage summary.
//!
//! A usage-generating request runs: choose the provider (400s) → billing-sync gate
//! (hard-stale → 503) → count → reserve under the account lock (over quota → 429,
//! and the provider is never called) → call the provider → settle to the reported
//! usage, or release the hold on failure (502, nothing recorded). The call and its
//! settlement run in a task of their own, so a client that hangs up mid-call does not
//! leave a hold behind.

pub mod input;
pub mod ledger;
pub mod provider;
pub mod simulator;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use paidloop_billing_sync::{SyncState, SyncStatus};
use paidloop_entitlements::PlanTier;
use paidloop_usage::{
    Encoding, LimitsByTier, MessageText, Metric, PlanLimits, QuotaExceeded, TokenCounter, Usage,
    UsageBucket, UsagePeriod, chat_reservation,
};
use serde_json::json;
use uuid::Uuid;

use self::input::{Chat, Estimate, Images};
use self::ledger::{Hold, ReserveError, RowContext};
use self::provider::{
    AiProvider, ChatCall, ChatMessage, Image, ImageCall, ProviderKey, RemoteProviders,
};
use crate::auth::CurrentUser;
use crate::config::AiConfig;
use crate::error::ApiError;
use crate::services::billing::sync;
use crate::state::AppState;

/// Why a metered request was refused, beyond the plain [`ApiError`]s.
#[derive(Debug)]
pub enum AiError {
    /// A 4xx/5xx with the usual shapes.
    Api(ApiError),
    /// The billing sync is hard-stale (503 with the status).
    BillingSyncBlocked(SyncStatus),
    /// Over the cycle's quota (429); the provider was not called.
    Quota {
        /// The metric that ran out.
        metric: Metric,
        /// The numbers.
        exceeded: QuotaExceeded,
    },
}

impl From<ApiError> for AiError {
    fn from(err: ApiError) -> Self {
        AiError::Api(err)
    }
}

impl From<sea_orm::DbErr> for AiError {
    fn from(err: sea_orm::DbErr) -> Self {
        AiError::Api(err.into())
    }
}

/// The configured per-cycle limits.
pub fn limits(config: &AiConfig) -> LimitsByTier {
    LimitsByTier {
        free: PlanLimits {
            tokens: Some(config.limit_free_tokens),
            images: Some(config.limit_free_images),
            videos: Some(config.limit_free_videos),
        },
        pro: PlanLimits {
            tokens: Some(config.limit_pro_tokens),
            images: Some(config.limit_pro_images),
            videos: Some(config.limit_pro_videos),
        },
    }
}

/// The caller's tier; a value this build does not know reads as free (the strictest).
fn tier_of(user: &CurrentUser) -> PlanTier {
    PlanTier::parse(&user.profile.plan_tier).unwrap_or(PlanTier::Free)
}

/// One entry of the provider list.
#[derive(Debug, Clone)]
pub struct ProviderInfo {
    /// Which provider.
    pub key: ProviderKey,
    /// Its name for people.
    pub label: &'static str,
    /// `simulator` or `remote`.
    pub kind: &'static str,
    /// Whether a request may use it now.
    pub enabled: bool,
    /// Where it is called; `None` for the simulator.
    pub base_url: Option<String>,
    /// The chat model it uses by default.
    pub model_hint: String,
    /// Where its API is documented.
    pub docs_url: &'static str,
    /// The settings that configure it.
    pub env_vars: &'static [&'static str],
}

/// Every provider of the spec, with whether it is usable on this server.
pub fn providers(config: &AiConfig, remote: &RemoteProviders) -> Vec<ProviderInfo> {
    ProviderKey::ALL
        .into_iter()
        .map(|key| {
            let (label, docs_url, env_vars, base_url): (_, _, &'static [&'static str], _) =
                match key {
                    ProviderKey::Simulator => (
                        "Simulator (local, deterministic)",
                        "https://github.com/paidloop/paidloop#ai-usage",
                        &["AI_SIMULATOR_ENABLED"],
                        None,
                    ),
                    ProviderKey::Openai => (
                        "OpenAI",
                        "https://platform.openai.com/docs/api-reference",
                        &[
                            "OPENAI_API_KEY",
                            "OPENAI_BASE_URL",
                            "OPENAI_DEFAULT_MODEL",
                            "OPENAI_IMAGE_MODEL",
                        ],
                        Some(config.openai_base_url.to_string()),
                    ),
                    ProviderKey::Openrouter => (
                        "OpenRouter",
                        "https://openrouter.ai/docs",
                        &[
                            "OPENROUTER_API_KEY",
                            "OPENROUTER_BASE_URL",
                            "OPENROUTER_DEFAULT_MODEL",
                            "OPENROUTER_IMAGE_MODEL",
                        ],
                        Some(config.openrouter_base_url.to_string()),
                    ),
                    ProviderKey::Ollama => (
                        "Ollama",
                        "https://github.com/ollama/ollama/blob/main/docs/api.md",
                        &["OLLAMA_BASE_URL", "OLLAMA_MODEL", "OLLAMA_IMAGE_MODEL"],
                        Some(config.ollama_base_url.to_string()),
                    ),
                };
            ProviderInfo {
                key,
                label,
                kind: if key.is_remote() {
                    "remote"
                } else {
                    "simulator"
                },
                enabled: provider::usable(key, config, remote),
                base_url,
                model_hint: provider::default_chat_model(key, config),
                docs_url,
                env_vars,
            }
        })
        .collect()
}

/// Token counts of an estimate.
#[derive(Debug, Clone)]
pub struct TokenEstimate {
    /// The model counted for.
    pub model: String,
    /// The encoding used.
    pub encoding: Encoding,
    /// Tokens of the messages (0 when none were sent).
    pub messages: u64,
    /// Tokens of the text (0 when none was sent).
    pub text: u64,
}

fn message_texts(messages: &[ChatMessage]) -> Vec<MessageText<'_>> {
    messages
        .iter()
        .map(|m| MessageText {
            role: &m.role,
            content: &m.content,
            name: m.name.as_deref(),
        })
        .collect()
}

/// Counts tokens; no quota, no ledger, no provider.
pub fn estimate(config: &AiConfig, request: &Estimate) -> TokenEstimate {
    let model = request
        .model
        .clone()
        .unwrap_or_else(|| config.default_chat_model.clone());
    let counter = TokenCounter::for_model(&model);
    TokenEstimate {
        encoding: counter.encoding(),
        messages: request
            .messages
            .as_deref()
            .map_or(0, |m| counter.messages(&message_texts(m))),
        text: request.text.as_deref().map_or(0, |t| counter.text(t)),
        model,
    }
}

/// What the quota looked like around a request.
#[derive(Debug, Clone, Copy)]
pub struct QuotaView {
    /// The metric.
    pub metric: Metric,
    /// The cycle's limit (`None` = unlimited).
    pub limit: Option<u64>,
    /// Used in the cycle after this request.
    pub used: u64,
}

/// A settled chat.
#[derive(Debug, Clone)]
pub struct ChatOutcome {
    /// The ledger's request id.
    pub request_id: Uuid,
    /// Who answered.
    pub provider: ProviderKey,
    /// The model that answered.
    pub model: String,
    /// The answer.
    pub content: String,
    /// Why generation stopped, when said.
    pub finish_reason: Option<String>,
    /// Tokens read.
    pub input_tokens: u64,
    /// Tokens generated.
    pub output_tokens: u64,
    /// Whether the numbers are the provider's (`true`) or counted here.
    pub reported_by_provider: bool,
    /// The quota after it.
    pub quota: QuotaView,
    /// The billing sync status it ran under.
    pub billing_sync: SyncStatus,
    /// Things worth telling the caller.
    pub notes: Vec<String>,
}

/// A settled image generation.
#[derive(Debug, Clone)]
pub struct ImagesOutcome {
    /// The ledger's request id.
    pub request_id: Uuid,
    /// Who drew them.
    pub provider: ProviderKey,
    /// The image model.
    pub model: String,
    /// `WIDTHxHEIGHT`.
    pub size: String,
    /// The images.
    pub images: Vec<Image>,
    /// The quota after it.
    pub quota: QuotaView,
    /// The billing sync status it ran under.
    pub billing_sync: SyncStatus,
    /// Things worth telling the caller.
    pub notes: Vec<String>,
}

/// The client for `key`.
fn client(state: &AppState, key: ProviderKey) -> Result<Arc<dyn AiProvider>, ApiError> {
    match key {
        ProviderKey::Simulator => Ok(Arc::new(simulator::Simulator)),
        _ => state
            .integrations
            .ai
            .get(key)
            .cloned()
            .ok_or_else(|| ApiError::Internal(format!("provider {} vanished", key.as_str()))),
    }
}

/// The billing-sync gate of usage-generating requests: syncs when not fresh; a blocking
/// (hard-stale) status refuses the request, a soft-stale one adds a note.
async fn gate(
    state: &AppState,
    user: &CurrentUser,
    notes: &mut Vec<String>,
) -> Result<SyncStatus, AiError> {
    let status = sync::ensure(state, user.account.id, &user.profile.clerk_user_id, false).await?;
    if status.blocking {
        return Err(AiError::BillingSyncBlocked(status));
    }
    if status.state == SyncState::SoftStale {
        notes.push(status.detail.clone());
    }
    Ok(status)
}

/// Everything the reservation of one request needs.
struct Metered {
    ctx: RowContext,
    limit: Option<u64>,
    enforce: bool,
}

async fn metered(
    state: &AppState,
    user: &CurrentUser,
    metric: Metric,
    provider: ProviderKey,
    model: &str,
    now: DateTime<Utc>,
    notes: &mut Vec<String>,
) -> Result<Metered, AiError> {
    let period = ledger::current_period(&state.db, &user.account, now).await?;
    let limit = limits(&state.config.ai)
        .for_tier(tier_of(user))
        .limit(metric);
    let enforce = state.config.ai.usage_enforcement_enabled;
    if !enforce {
        notes.push(
            "Usage is recorded but not enforced (AI_USAGE_ENFORCEMENT_ENABLED=false).".into(),
        );
    }
    Ok(Metered {
        ctx: RowContext {
            request_id: Uuid::new_v4(),
            account_id: user.account.id,
            period,
            provider: provider.as_str(),
            model: model.to_owned(),
        },
        limit,
        enforce,
    })
}

async fn reserve(
    state: &AppState,
    metered: &Metered,
    metric: Metric,
    amount: u64,
    now: DateTime<Utc>,
) -> Result<Hold, AiError> {
    ledger::reserve(
        state,
        &metered.ctx,
        metric,
        amount,
        metered.limit,
        metered.enforce,
        now,
    )
    .await
    .map_err(|err| match err {
        ReserveError::Quota(exceeded) => AiError::Quota { metric, exceeded },
        ReserveError::Db(err) => AiError::Api(err),
    })
}

/// The chat model's answer, charged against the tokens quota.
#[tracing::instrument(skip_all, fields(user_id = %user.profile.clerk_user_id))]
pub async fn complete_chat(
    state: &AppState,
    user: &CurrentUser,
    request: Chat,
) -> Result<ChatOutcome, AiError> {
    let config = &state.config.ai;
    let key = provider::choose(request.provider.as_deref(), config, &state.integrations.ai)?;
    let provider = client(state, key)?;
    let model = request
        .model
        .clone()
        .unwrap_or_else(|| provider::default_chat_model(key, config));
    let mut notes = Vec::new();
    let billing_sync = gate(state, user, &mut notes).await?;
    let input_tokens = TokenCounter::for_model(&model).messages(&message_texts(&request.messages));
    let now = Utc::now();
    let metered = metered(state, user, Metric::Tokens, key, &model, now, &mut notes).await?;
    let reserved = chat_reservation(input_tokens, request.max_output_tokens);
    let hold = reserve(state, &metered, Metric::Tokens, reserved, now).await?;
    let call = ChatCall {
        model,
        messages: request.messages,
        max_output_tokens: request.max_output_tokens,
        counted_input_tokens: input_tokens,
    };
    // The call and its settlement finish even if the client hangs up.
    let task_state = state.clone();
    let task = tokio::spawn(async move {
        let state = task_state;
        match provider.chat(&call).await {
            Err(failure) => {
                tracing::warn!(provider = key.as_str(), error = %failure, "AI chat failed");
                ledger::release(&state, &metered.ctx, &hold).await?;
                Err(ApiError::BadGateway(format!(
                    "The AI provider ({}) failed to answer; nothing was charged.",
                    key.as_str()
                )))
            }
            Ok(reply) => {
                let (input, output, reported) = match reply.reported_tokens {
                    Some((input, output)) => (input, output, true),
                    None => {
                        let counter = TokenCounter::for_model(&call.model);
                        (
                            call.counted_input_tokens,
                            counter.text(&reply.content),
                            false,
                        )
                    }
                };
                let usage = Usage::Tokens { input, output };
                let metadata = json!({
                    "source": if reported { "provider" } else { "estimate" },
                    "reserved": hold.amount,
                    "max_output_tokens": call.max_output_tokens,
                });
                ledger::settle(&state, &metered.ctx, usage, metadata, Utc::now()).await?;
                Ok((reply, input, output, reported, hold, metered))
            }
        }
    });
    let (reply, input, output, reported, hold, metered) = task
        .await
        .map_err(|err| ApiError::Internal(format!("chat task: {err}")))??;
    Ok(ChatOutcome {
        request_id: metered.ctx.request_id,
        provider: key,
        model: reply.model,
        content: reply.content,
        finish_reason: reply.finish_reason,
        input_tokens: input,
        output_tokens: output,
        reported_by_provider: reported,
        quota: QuotaView {
            metric: Metric::Tokens,
            limit: hold.limit,
            used: hold
                .used_before
                .saturating_add(input)
                .saturating_add(output),
        },
        billing_sync,
        notes,
    })
}

/// Generated images, one unit of the images quota each.
#[tracing::instrument(skip_all, fields(user_id = %user.profile.clerk_user_id))]
pub async fn generate_images(
    state: &AppState,
    user: &CurrentUser,
    request: Images,
) -> Result<ImagesOutcome, AiError> {
    let config = &state.config.ai;
    let key = provider::choose(request.provider.as_deref(), config, &state.integrations.ai)?;
    let provider = client(state, key)?;
    if !provider.generates_images() {
        return Err(ApiError::field(
            "provider",
            format!("{} does not generate images.", key.as_str()),
        )
        .into());
    }
    let model = request
        .model
        .clone()
        .unwrap_or_else(|| provider::default_image_model(key, config));
    let size = request
        .size
        .clone()
        .unwrap_or_else(|| config.default_image_size.clone());
    let mut notes = Vec::new();
    let billing_sync = gate(state, user, &mut notes).await?;
    let now = Utc::now();
    let metered = metered(state, user, Metric::Images, key, &model, now, &mut notes).await?;
    let hold = reserve(
        state,
        &metered,
        Metric::Images,
        u64::from(request.count),
        now,
    )
    .await?;
    let call = ImageCall {
        model,
        prompt: request.prompt,
        count: request.count,
        size,
    };
    let task_state = state.clone();
    let task = tokio::spawn(async move {
        let state = task_state;
        match provider.images(&call).await {
            Err(failure) => {
                tracing::warn!(provider = key.as_str(), error = %failure, "AI images failed");
                ledger::release(&state, &metered.ctx, &hold).await?;
                Err(ApiError::BadGateway(format!(
                    "The AI provider ({}) failed to generate images; nothing was charged.",
                    key.as_str()
                )))
            }
            Ok(images) => {
                let usage = Usage::Images(images.len() as u64);
                let metadata = json!({
                    "source": "provider",
                    "reserved": hold.amount,
                    "size": call.size,
                });
                ledger::settle(&state, &metered.ctx, usage, metadata, Utc::now()).await?;
                Ok((images, usage, hold, metered, call))
            }
        }
    });
    let (images, usage, hold, metered, call) = task
        .await
        .map_err(|err| ApiError::Internal(format!("image task: {err}")))??;
    Ok(ImagesOutcome {
        request_id: metered.ctx.request_id,
        provider: key,
        model: call.model,
        size: call.size,
        images,
        quota: QuotaView {
            metric: Metric::Images,
            limit: hold.limit,
            used: hold.used_before.saturating_add(usage.total()),
        },
        billing_sync,
        notes,
    })
}

/// The usage summary of the caller's current cycle.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The cycle.
    pub period: UsagePeriod,
    /// The caller's tier.
    pub plan_tier: PlanTier,
    /// One bucket per metric.
    pub buckets: Vec<UsageBucket>,
    /// The billing sync status (read, never synced here).
    pub billing_sync: SyncStatus,
    /// Things worth telling the caller.
    pub notes: Vec<String>,
}

/// The caller's usage in the current cycle: two reads (period, sums) plus the sync row.
pub async fn summary(state: &AppState, user: &CurrentUser) -> Result<Summary, ApiError> {
    let now = Utc::now();
    let config = &state.config.ai;
    let period = ledger::current_period(&state.db, &user.account, now).await?;
    let cutoff = paidloop_usage::abandoned_before(now, config.provider_timeout);
    let used = ledger::used_by_metric(&state.db, user.account.id, &period, cutoff).await?;
    let tier = tier_of(user);
    let plan = limits(config).for_tier(tier);
    let buckets = Metric::ALL
        .into_iter()
        .map(|metric| {
            UsageBucket::new(
                metric,
                used.get(&metric).copied().unwrap_or(0),
                plan.limit(metric),
            )
        })
        .collect();
    let billing_sync = sync::status(&state.db, &state.config, user.account.id, now).await?;
    let mut notes = Vec::new();
    if billing_sync.state != SyncState::Fresh {
        notes.push(billing_sync.detail.clone());
    }
    if !config.usage_enforcement_enabled {
        notes.push(
            "Usage is recorded but not enforced (AI_USAGE_ENFORCEMENT_ENABLED=false).".into(),
        );
    }
    if tier == PlanTier::Enterprise {
        notes.push("The enterprise plan has no usage limits.".into());
    }
    Ok(Summary {
        period,
        plan_tier: tier,
        buckets,
        billing_sync,
        notes,
    })
}
