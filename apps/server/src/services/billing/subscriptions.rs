//! Applying one Clerk subscription state to the local projection: the subscription row
//! and its plan entitlements, in the caller's transaction.
//!
//! The row is keyed by Clerk's subscription id and versioned by Clerk's timestamp
//! (`clerk_updated_at`): a state older than the one stored is skipped, so deliveries
//! that arrive late, twice, or shuffled end in the newest state. The plan entitlements
//! always follow the row as stored after the write.

use chrono::{DateTime, Utc};
use paidloop_billing_sync::SubscriptionPayload;
use paidloop_entitlements::{ExistingPlanEntitlement, SubscriptionStatus, diff_plan_entitlements};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TryIntoModel,
};
use serde_json::{Value, json};

use crate::entities::{customer_accounts, entitlements, prices, products, profiles, subscriptions};
use crate::error::ApiError;
use crate::services::identity::{ClaimedProfile, sync_from_claims};

/// The `source_type` of entitlements a subscription grants.
const PLAN: &str = "plan";

/// What applying a state did.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// The row now shows this state (for this account).
    Written {
        /// The subscriber's account.
        account_id: i64,
    },
    /// The row already shows a newer state; nothing changed.
    Stale,
    /// Nothing to apply to (why): no subscription id, or no known subscriber.
    Skipped(String),
}

/// Finds the subscriber's account by Clerk user id (the profile's id or the account's
/// external customer id). An unknown `user_…` id gets a profile and an account, since
/// Clerk may bill a user before they first sign in here; any other id is not ours.
pub async fn subscriber_account<C: ConnectionTrait>(
    db: &C,
    clerk_user_id: &str,
) -> Result<Option<customer_accounts::Model>, ApiError> {
    let by_profile = customer_accounts::Entity::find()
        .inner_join(profiles::Entity)
        .filter(profiles::Column::ClerkUserId.eq(clerk_user_id))
        .one(db)
        .await?;
    if by_profile.is_some() {
        return Ok(by_profile);
    }
    let by_external = customer_accounts::Entity::find()
        .filter(customer_accounts::Column::ExternalCustomerId.eq(clerk_user_id))
        .one(db)
        .await?;
    if by_external.is_some() || !clerk_user_id.starts_with("user_") {
        return Ok(by_external);
    }
    let claimed = ClaimedProfile {
        clerk_user_id: clerk_user_id.to_owned(),
        ..ClaimedProfile::default()
    };
    let (_, account) = sync_from_claims(db, &claimed).await?;
    Ok(Some(account))
}

/// The local price a Clerk price or plan id maps to (a price id match first).
async fn local_price<C: ConnectionTrait>(
    db: &C,
    payload: &SubscriptionPayload,
) -> Result<Option<prices::Model>, ApiError> {
    if let Some(price_id) = &payload.price_id {
        let found = prices::Entity::find()
            .filter(prices::Column::ClerkPriceId.eq(price_id.as_str()))
            .one(db)
            .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    match &payload.plan_id {
        Some(plan_id) => Ok(prices::Entity::find()
            .filter(prices::Column::ClerkPlanId.eq(plan_id.as_str()))
            .one(db)
            .await?),
        None => Ok(None),
    }
}

/// Applies `payload` (a cancellation when `cancel`) as Clerk's state at `version`.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    payload: &SubscriptionPayload,
    cancel: bool,
    version: DateTime<Utc>,
) -> Result<Applied, ApiError> {
    let Some(clerk_id) = payload.clerk_subscription_id.as_deref() else {
        return Ok(Applied::Skipped("subscription without an id".into()));
    };
    // Who and what, read before any lock (creating the subscriber is conflict-safe).
    let known = subscriptions::Entity::find()
        .filter(subscriptions::Column::ClerkSubscriptionId.eq(clerk_id))
        .one(db)
        .await?;
    let account = match (&payload.user_id, &known) {
        (Some(user_id), _) => subscriber_account(db, user_id).await?,
        (None, Some(row)) => {
            customer_accounts::Entity::find_by_id(row.customer_account_id)
                .one(db)
                .await?
        }
        (None, None) => None,
    };
    let Some(account) = account else {
        return Ok(Applied::Skipped(format!(
            "no local account for subscriber {:?}",
            payload.user_id.as_deref().unwrap_or("")
        )));
    };
    let price = local_price(db, payload).await?;
    if known.is_none() {
        claim_row(db, clerk_id, account.id, price.as_ref()).await?;
    }
    let row = locked_row(db, clerk_id).await?;
    if row.clerk_updated_at.is_some_and(|stored| stored > version) {
        return Ok(Applied::Stale);
    }
    let now = Utc::now();
    let status = if cancel {
        SubscriptionStatus::Canceled
    } else {
        payload.status
    };
    let mut row = row.into_active_model();
    row.customer_account_id = Set(account.id);
    if let Some(price) = &price {
        row.product_id = Set(Some(price.product_id));
        row.price_id = Set(Some(price.id));
    } else if payload.plan_id.is_some() || payload.price_id.is_some() {
        // A plan this catalog does not sell: keep the subscription, grant nothing.
        row.product_id = Set(None);
        row.price_id = Set(None);
    }
    row.status = Set(status.as_str().to_owned());
    if payload.current_period_start.is_some() {
        row.current_period_start = Set(payload.current_period_start);
    }
    if payload.current_period_end.is_some() {
        row.current_period_end = Set(payload.current_period_end);
    }
    row.cancel_at_period_end = Set(payload.cancel_at_period_end);
    row.canceled_at = Set(match status {
        SubscriptionStatus::Canceled => payload.canceled_at.or(Some(version)),
        _ => None,
    });
    let mut metadata = match row.metadata.take() {
        Some(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    for (key, value) in [
        ("clerk_plan_id", &payload.plan_id),
        ("clerk_price_id", &payload.price_id),
    ] {
        if let Some(value) = value {
            metadata.insert(key.to_owned(), json!(value));
        }
    }
    row.metadata = Set(Value::Object(metadata));
    row.clerk_updated_at = Set(Some(version));
    row.updated_at = Set(now);
    let row = row.save(db).await?.try_into_model()?;
    sync_plan_entitlements(db, account.id, clerk_id, row.product_id, status, now).await?;
    Ok(Applied::Written {
        account_id: account.id,
    })
}

/// Makes sure a row for `clerk_id` exists, without ever failing on a concurrent first
/// delivery: the subscription a local checkout of this price made for this account
/// takes the Clerk id (one purchase never shows as two subscriptions), else an empty
/// `incomplete` row is inserted with `ON CONFLICT DO NOTHING`. Either waits for a
/// concurrent transaction doing the same, then finds its row.
async fn claim_row<C: ConnectionTrait>(
    db: &C,
    clerk_id: &str,
    account_id: i64,
    price: Option<&prices::Model>,
) -> Result<(), ApiError> {
    if let Some(price) = price
        && let Some(local) = adoptable(db, account_id, price.id).await?
    {
        subscriptions::Entity::update_many()
            .col_expr(
                subscriptions::Column::ClerkSubscriptionId,
                Expr::value(clerk_id),
            )
            .filter(subscriptions::Column::Id.eq(local.id))
            .filter(subscriptions::Column::ClerkSubscriptionId.is_null())
            .exec(db)
            .await?;
    }
    let now = Utc::now();
    let row = subscriptions::ActiveModel {
        customer_account_id: Set(account_id),
        clerk_subscription_id: Set(Some(clerk_id.to_owned())),
        status: Set(SubscriptionStatus::Incomplete.as_str().to_owned()),
        cancel_at_period_end: Set(false),
        metadata: Set(json!({})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    subscriptions::Entity::insert(row)
        .on_conflict_do_nothing_on([subscriptions::Column::ClerkSubscriptionId])
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The row for `clerk_id` (it exists: see [`claim_row`]), locked for this transaction
/// by a no-op UPDATE first: a row lock on Postgres, the write lock on SQLite.
async fn locked_row<C: ConnectionTrait>(
    db: &C,
    clerk_id: &str,
) -> Result<subscriptions::Model, ApiError> {
    subscriptions::Entity::update_many()
        .col_expr(
            subscriptions::Column::Status,
            Expr::col(subscriptions::Column::Status),
        )
        .filter(subscriptions::Column::ClerkSubscriptionId.eq(clerk_id))
        .exec(db)
        .await?;
    subscriptions::Entity::find()
        .filter(subscriptions::Column::ClerkSubscriptionId.eq(clerk_id))
        .one(db)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(format!("subscription {clerk_id} vanished after its claim"))
        })
}

/// The subscription a local checkout of this price created for this account (no Clerk
/// id yet, not canceled), which a Clerk subscription for the same price takes over.
async fn adoptable<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    price_id: i64,
) -> Result<Option<subscriptions::Model>, ApiError> {
    Ok(subscriptions::Entity::find()
        .filter(subscriptions::Column::CustomerAccountId.eq(account_id))
        .filter(subscriptions::Column::PriceId.eq(price_id))
        .filter(subscriptions::Column::ClerkSubscriptionId.is_null())
        .filter(subscriptions::Column::Status.ne(SubscriptionStatus::Canceled.as_str()))
        .one(db)
        .await?)
}

/// Brings the subscription's `plan` entitlements in line with its product's feature
/// keys and its status (see `paidloop_entitlements::diff_plan_entitlements`).
async fn sync_plan_entitlements<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    clerk_id: &str,
    product_id: Option<i64>,
    status: SubscriptionStatus,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let desired: Vec<String> = match product_id {
        Some(id) if status.grants_access() => products::Entity::find_by_id(id)
            .one(db)
            .await?
            .and_then(|p| serde_json::from_value(p.feature_keys).ok())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let stored = entitlements::Entity::find()
        .filter(entitlements::Column::CustomerAccountId.eq(account_id))
        .filter(entitlements::Column::SourceType.eq(PLAN))
        .filter(entitlements::Column::SourceReference.eq(clerk_id))
        .all(db)
        .await?;
    let existing: Vec<ExistingPlanEntitlement> = stored
        .iter()
        .map(|row| ExistingPlanEntitlement {
            feature_key: row.feature_key.clone(),
            is_active: row.is_active,
            ends_at: row.ends_at,
        })
        .collect();
    let diff = diff_plan_entitlements(&desired, &existing, status.grants_access());
    if diff.is_empty() {
        return Ok(());
    }
    if !diff.create.is_empty() {
        let rows = diff.create.iter().map(|key| entitlements::ActiveModel {
            customer_account_id: Set(account_id),
            feature_key: Set(key.as_str().to_owned()),
            source_type: Set(PLAN.to_owned()),
            source_reference: Set(clerk_id.to_owned()),
            starts_at: Set(now),
            ends_at: Set((!diff.create_active).then_some(now)),
            is_active: Set(diff.create_active),
            metadata: Set(json!({})),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        entitlements::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    let scope = |keys: &[String]| {
        entitlements::Entity::update_many()
            .filter(entitlements::Column::CustomerAccountId.eq(account_id))
            .filter(entitlements::Column::SourceType.eq(PLAN))
            .filter(entitlements::Column::SourceReference.eq(clerk_id))
            .filter(entitlements::Column::FeatureKey.is_in(keys.to_vec()))
    };
    if !diff.reactivate.is_empty() {
        scope(&diff.reactivate)
            .col_expr(entitlements::Column::IsActive, Expr::value(true))
            .col_expr(
                entitlements::Column::EndsAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(entitlements::Column::UpdatedAt, Expr::value(now))
            .exec(db)
            .await?;
    }
    if !diff.end.is_empty() {
        scope(&diff.end)
            .col_expr(entitlements::Column::IsActive, Expr::value(false))
            .col_expr(
                entitlements::Column::EndsAt,
                Func::coalesce([Expr::col(entitlements::Column::EndsAt), Expr::value(now)]).into(),
            )
            .col_expr(entitlements::Column::UpdatedAt, Expr::value(now))
            .exec(db)
            .await?;
    }
    Ok(())
}
