//! AI shapes of `spec/API.md`: the provider list, token estimates, chat and image
//! answers, the usage summary, and the 503 of a blocking billing sync.

use chrono::{DateTime, Utc};
use paidloop_usage::UsageBucket;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::billing::BillingSyncView;
use crate::services::ai::provider::Image;
use crate::services::ai::{
    ChatOutcome, ImagesOutcome, ProviderInfo, QuotaView, Summary, TokenEstimate,
};

/// One AI provider (`ai/providers/`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AiProvider)]
pub struct ProviderView {
    /// `simulator`, `openai`, `openrouter` or `ollama`.
    pub key: &'static str,
    /// Its name for people.
    pub label: &'static str,
    /// `simulator` (runs in the server) or `remote` (needs `AI_PROVIDER_CALLS_ENABLED`).
    pub kind: &'static str,
    /// Whether requests may use it now on this server.
    pub enabled: bool,
    /// Where it is called; null for the simulator.
    pub base_url: Option<String>,
    /// The chat model it uses when a request names none.
    pub model_hint: String,
    /// Where its API is documented.
    pub docs_url: &'static str,
    /// The settings that configure it.
    #[schema(value_type = Vec<String>)]
    pub env_vars: &'static [&'static str],
}

impl From<ProviderInfo> for ProviderView {
    fn from(p: ProviderInfo) -> Self {
        Self {
            key: p.key.as_str(),
            label: p.label,
            kind: p.kind,
            enabled: p.enabled,
            base_url: p.base_url,
            model_hint: p.model_hint,
            docs_url: p.docs_url,
            env_vars: p.env_vars,
        }
    }
}

/// Token counts by part.
#[derive(Debug, Serialize, ToSchema)]
pub struct EstimatedTokens {
    /// Tokens of `messages`, counted as a chat (0 when none were sent).
    pub messages: u64,
    /// Tokens of `text` (0 when none was sent).
    pub text: u64,
    /// Both together.
    pub total: u64,
}

/// `ai/tokens/estimate/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenEstimateView {
    /// The model counted for.
    pub model: String,
    /// The counts.
    pub estimated_tokens: EstimatedTokens,
    /// How they were counted.
    pub notes: Vec<String>,
}

impl From<TokenEstimate> for TokenEstimateView {
    fn from(e: TokenEstimate) -> Self {
        Self {
            notes: vec![format!(
                "Counted with OpenAI's {} encoding; chat messages as 4 per message + role + \
                 content (+ name - 1) + 2.",
                e.encoding.as_str()
            )],
            estimated_tokens: EstimatedTokens {
                messages: e.messages,
                text: e.text,
                total: e.messages.saturating_add(e.text),
            },
            model: e.model,
        }
    }
}

/// The quota a request was charged to, after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaAfter {
    /// `tokens` or `images`.
    pub metric: &'static str,
    /// Used this cycle, this request included.
    pub used: u64,
    /// The cycle's limit; null when unlimited.
    pub limit: Option<u64>,
    /// What is left; null when unlimited.
    pub remaining: Option<u64>,
}

impl From<QuotaView> for QuotaAfter {
    fn from(q: QuotaView) -> Self {
        Self {
            metric: q.metric.as_str(),
            used: q.used,
            limit: q.limit,
            remaining: paidloop_usage::remaining(q.used, q.limit),
        }
    }
}

/// The assistant's message.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssistantMessage {
    /// Always `assistant`.
    pub role: &'static str,
    /// The answer.
    pub content: String,
}

/// Tokens a chat was charged.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChatUsage {
    /// Tokens read.
    pub input_tokens: u64,
    /// Tokens generated.
    pub output_tokens: u64,
    /// Both (what the ledger recorded for this request).
    pub total_tokens: u64,
    /// `provider` (the provider's own numbers) or `estimate` (counted here).
    pub source: &'static str,
}

/// `ai/chat/complete/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChatCompletionView {
    /// The ledger's request id.
    pub request_id: Uuid,
    /// Who answered.
    pub provider: &'static str,
    /// The model that answered.
    pub model: String,
    /// The answer.
    pub message: AssistantMessage,
    /// Why generation stopped (`stop`, `length`, …), when the provider said.
    pub finish_reason: Option<String>,
    /// What was charged.
    pub usage: ChatUsage,
    /// The tokens quota after this request.
    pub quota: QuotaAfter,
    /// The billing sync status it ran under.
    pub billing_sync: BillingSyncView,
    /// Things worth knowing (a soft-stale sync, enforcement off).
    pub notes: Vec<String>,
}

impl From<ChatOutcome> for ChatCompletionView {
    fn from(c: ChatOutcome) -> Self {
        Self {
            request_id: c.request_id,
            provider: c.provider.as_str(),
            model: c.model,
            message: AssistantMessage {
                role: "assistant",
                content: c.content,
            },
            finish_reason: c.finish_reason,
            usage: ChatUsage {
                input_tokens: c.input_tokens,
                output_tokens: c.output_tokens,
                total_tokens: c.input_tokens.saturating_add(c.output_tokens),
                source: if c.reported_by_provider {
                    "provider"
                } else {
                    "estimate"
                },
            },
            quota: c.quota.into(),
            billing_sync: c.billing_sync.into(),
            notes: c.notes,
        }
    }
}

/// One generated image.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageView {
    /// A link (providers' links expire; the simulator's are `data:` URLs).
    pub url: Option<String>,
    /// The PNG in base64, when the provider sent it inline.
    pub b64_json: Option<String>,
    /// The prompt the provider really used, when it rewrote it.
    pub revised_prompt: Option<String>,
}

impl From<Image> for ImageView {
    fn from(i: Image) -> Self {
        Self {
            url: i.url,
            b64_json: i.b64_json,
            revised_prompt: i.revised_prompt,
        }
    }
}

/// Images a request was charged.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageUsage {
    /// One unit per image generated.
    pub images: u64,
}

/// `ai/images/generate/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImagesView {
    /// The ledger's request id.
    pub request_id: Uuid,
    /// Who drew them.
    pub provider: &'static str,
    /// The image model.
    pub model: String,
    /// `WIDTHxHEIGHT`.
    pub size: String,
    /// The images.
    pub images: Vec<ImageView>,
    /// What was charged.
    pub usage: ImageUsage,
    /// The images quota after this request.
    pub quota: QuotaAfter,
    /// The billing sync status it ran under.
    pub billing_sync: BillingSyncView,
    /// Things worth knowing.
    pub notes: Vec<String>,
}

impl From<ImagesOutcome> for ImagesView {
    fn from(o: ImagesOutcome) -> Self {
        Self {
            request_id: o.request_id,
            provider: o.provider.as_str(),
            model: o.model,
            size: o.size,
            usage: ImageUsage {
                images: o.images.len() as u64,
            },
            images: o.images.into_iter().map(ImageView::from).collect(),
            quota: o.quota.into(),
            billing_sync: o.billing_sync.into(),
            notes: o.notes,
        }
    }
}

/// One metric's use in the cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageBucketView {
    /// `tokens`, `images` or `videos`.
    pub key: &'static str,
    /// Its name for people.
    pub label: &'static str,
    /// Used this cycle (reservations of requests in flight included).
    pub used: u64,
    /// The cycle's limit; null = unlimited.
    pub limit: Option<u64>,
    /// What `used` and `limit` count.
    pub unit: &'static str,
    /// When it resets: `billing_cycle`.
    pub reset_window: &'static str,
    /// Share of the limit used, in percent (two decimals; may pass 100); null when
    /// unlimited.
    pub percent_used: Option<f64>,
    /// At least 80% used.
    pub near_limit: bool,
}

impl From<UsageBucket> for UsageBucketView {
    fn from(b: UsageBucket) -> Self {
        Self {
            key: b.key.as_str(),
            label: b.label,
            used: b.used,
            limit: b.limit,
            unit: b.unit,
            reset_window: b.reset_window,
            percent_used: b.percent_used,
            near_limit: b.near_limit,
        }
    }
}

/// `ai/usage/summary/`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageSummaryView {
    /// Always `current_billing_cycle`.
    pub period: &'static str,
    /// First instant of the cycle.
    pub period_start: DateTime<Utc>,
    /// When the cycle ends and usage resets.
    pub period_end: DateTime<Utc>,
    /// `subscription_cycle` or `anchored_monthly_cycle`.
    pub period_source: &'static str,
    /// free / pro / enterprise.
    #[schema(schema_with = crate::openapi::enums::plan_tier)]
    pub plan_tier: &'static str,
    /// One bucket per metric.
    pub buckets: Vec<UsageBucketView>,
    /// The billing sync status (read only; this request never syncs).
    pub billing_sync: BillingSyncView,
    /// Things worth knowing.
    pub notes: Vec<String>,
}

impl From<Summary> for UsageSummaryView {
    fn from(s: Summary) -> Self {
        Self {
            period: "current_billing_cycle",
            period_start: s.period.start,
            period_end: s.period.end,
            period_source: s.period.source.as_str(),
            plan_tier: s.plan_tier.as_str(),
            buckets: s.buckets.into_iter().map(UsageBucketView::from).collect(),
            billing_sync: s.billing_sync.into(),
            notes: s.notes,
        }
    }
}

/// The 503 of a usage-generating request while the billing sync is hard-stale.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillingSyncBlocked {
    /// What to do, for a person.
    pub detail: String,
    /// Always `billing_sync_hard_stale`.
    pub error_code: &'static str,
    /// The status that blocked it.
    pub billing_sync: BillingSyncView,
}
