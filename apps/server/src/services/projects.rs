//! Projects: the small example resource, always scoped to its owner.

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set, SqlErr,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::entities::projects;
use crate::error::ApiError;
use crate::services::validate::Errors;

/// Longest project name.
pub const NAME_MAX: usize = 160;
/// Longest project slug.
pub const SLUG_MAX: usize = 180;
/// The statuses a project can have.
pub const STATUSES: [&str; 4] = ["idea", "building", "live", "paused"];
/// Largest MRR accepted: 12 digits with 2 decimals, as in the Django edition.
const MRR_MAX_CENTS: i64 = 999_999_999_999;

/// A money amount as the client sent it: `"12.50"` or `12.5`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum MoneyInput {
    /// A decimal string.
    Text(String),
    /// A JSON number.
    #[schema(value_type = f64)]
    Number(serde_json::Number),
}

/// Create/update body; every field optional so PATCH can send just one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProjectInput {
    /// Display name (required on create and PUT).
    #[schema(max_length = 160)]
    pub name: Option<String>,
    /// Wanted slug; blank or absent → from the name on create.
    #[schema(max_length = 180)]
    pub slug: Option<String>,
    /// Free text.
    pub summary: Option<String>,
    /// One of [`STATUSES`] (default `idea`).
    #[schema(schema_with = crate::openapi::enums::project_status, required = false)]
    pub status: Option<String>,
    /// Monthly recurring revenue, >= 0, at most two decimals.
    pub monthly_recurring_revenue: Option<MoneyInput>,
    /// `null` clears the date; absent keeps it.
    #[serde(default, deserialize_with = "crate::services::validate::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub target_launch_date: Option<Option<NaiveDate>>,
}

/// Parses a non-negative amount with at most two decimals into cents.
fn money_to_cents(input: &MoneyInput) -> Result<i64, &'static str> {
    let raw = match input {
        MoneyInput::Text(s) => s.trim().to_owned(),
        MoneyInput::Number(n) => n.to_string(),
    };
    let value = raw
        .parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&raw))
        .map_err(|_| "A valid number is required.")?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err("Ensure this value is greater than or equal to 0.");
    }
    if value.normalize().scale() > 2 {
        return Err("Ensure that there are no more than 2 decimal places.");
    }
    // `checked_mul`: a number near Decimal's limit would overflow (and panic) at × 100.
    let cents = value
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|v| v.trunc().to_string())
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|c| *c <= MRR_MAX_CENTS)
        .ok_or("Ensure that there are no more than 12 digits in total.")?;
    Ok(cents)
}

/// What the owner asked for, validated against the stored row (if any).
struct Validated {
    name: String,
    slug: String,
    summary: String,
    status: String,
    mrr_cents: i64,
    target_launch_date: Option<NaiveDate>,
}

fn validate(
    input: &ProjectInput,
    existing: Option<&projects::Model>,
    require_name: bool,
) -> Result<Validated, ApiError> {
    let mut errors = Errors::default();
    let name = match (&input.name, existing) {
        (Some(name), _) => errors.required_text("name", name, NAME_MAX),
        (None, Some(row)) if !require_name => row.name.clone(),
        (None, _) => errors.required("name"),
    };
    let slug = errors.slug(
        input.slug.as_deref(),
        existing.map(|row| row.slug.as_str()),
        &name,
        SLUG_MAX,
    );
    let summary = match (&input.summary, existing) {
        (Some(s), _) => s.trim().to_owned(),
        (None, Some(row)) => row.summary.clone(),
        (None, None) => String::new(),
    };
    let status = match (&input.status, existing) {
        (Some(s), _) => {
            if !STATUSES.contains(&s.as_str()) {
                errors.add("status", format!("\"{s}\" is not a valid choice."));
            }
            s.clone()
        }
        (None, Some(row)) => row.status.clone(),
        (None, None) => "idea".to_owned(),
    };
    let mrr_cents = match (&input.monthly_recurring_revenue, existing) {
        (Some(m), _) => money_to_cents(m).unwrap_or_else(|msg| {
            errors.add("monthly_recurring_revenue", msg);
            0
        }),
        (None, Some(row)) => row.monthly_recurring_revenue_cents,
        (None, None) => 0,
    };
    let target_launch_date = match (input.target_launch_date, existing) {
        (Some(date), _) => date,
        (None, Some(row)) => row.target_launch_date,
        (None, None) => None,
    };
    errors.finish()?;
    Ok(Validated {
        name,
        slug,
        summary,
        status,
        mrr_cents,
        target_launch_date,
    })
}

fn slug_taken() -> ApiError {
    ApiError::field("slug", "You already have a project with this slug.")
}

/// Maps a unique-constraint violation (a concurrent twin) to the slug error.
fn map_unique(err: DbErr) -> ApiError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => slug_taken(),
        _ => err.into(),
    }
}

async fn ensure_slug_free<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    slug: &str,
    except_id: Option<i64>,
) -> Result<(), ApiError> {
    let mut query = projects::Entity::find()
        .filter(projects::Column::OwnerId.eq(owner_id))
        .filter(projects::Column::Slug.eq(slug));
    if let Some(id) = except_id {
        query = query.filter(projects::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(slug_taken());
    }
    Ok(())
}

/// The owner's projects, most recently changed first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
) -> Result<Vec<projects::Model>, ApiError> {
    Ok(projects::Entity::find()
        .filter(projects::Column::OwnerId.eq(owner_id))
        .order_by_desc(projects::Column::UpdatedAt)
        .order_by_desc(projects::Column::Id)
        .all(db)
        .await?)
}

/// One of the owner's projects; someone else's is 404.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    id: i64,
) -> Result<projects::Model, ApiError> {
    projects::Entity::find_by_id(id)
        .filter(projects::Column::OwnerId.eq(owner_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Creates a project for the owner.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    input: &ProjectInput,
) -> Result<projects::Model, ApiError> {
    let v = validate(input, None, true)?;
    ensure_slug_free(db, owner_id, &v.slug, None).await?;
    let now = Utc::now();
    let row = projects::ActiveModel {
        owner_id: Set(owner_id),
        name: Set(v.name),
        slug: Set(v.slug),
        summary: Set(v.summary),
        status: Set(v.status),
        monthly_recurring_revenue_cents: Set(v.mrr_cents),
        target_launch_date: Set(v.target_launch_date),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    row.insert(db).await.map_err(map_unique)
}

/// Updates one of the owner's projects; `full` (PUT) requires the name.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    owner_id: i64,
    id: i64,
    input: &ProjectInput,
    full: bool,
) -> Result<projects::Model, ApiError> {
    let existing = get(db, owner_id, id).await?;
    let v = validate(input, Some(&existing), full)?;
    if v.slug != existing.slug {
        ensure_slug_free(db, owner_id, &v.slug, Some(id)).await?;
    }
    let mut row = existing.into_active_model();
    row.name = Set(v.name);
    row.slug = Set(v.slug);
    row.summary = Set(v.summary);
    row.status = Set(v.status);
    row.monthly_recurring_revenue_cents = Set(v.mrr_cents);
    row.target_launch_date = Set(v.target_launch_date);
    row.updated_at = Set(Utc::now());
    row.update(db).await.map_err(map_unique)
}

/// Deletes one of the owner's projects.
pub async fn delete<C: ConnectionTrait>(db: &C, owner_id: i64, id: i64) -> Result<(), ApiError> {
    let result = projects::Entity::delete_many()
        .filter(projects::Column::Id.eq(id))
        .filter(projects::Column::OwnerId.eq(owner_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> MoneyInput {
        MoneyInput::Text(s.to_owned())
    }

    #[test]
    fn money_parses_strings_and_numbers_into_cents() {
        assert_eq!(money_to_cents(&text("12.50")), Ok(1250));
        assert_eq!(money_to_cents(&text("0")), Ok(0));
        assert_eq!(
            money_to_cents(&MoneyInput::Number(serde_json::Number::from(7))),
            Ok(700)
        );
        let float = serde_json::Number::from_f64(19.99).unwrap();
        assert_eq!(money_to_cents(&MoneyInput::Number(float)), Ok(1999));
    }

    #[test]
    fn money_refuses_negatives_fractions_of_cents_and_junk() {
        assert!(money_to_cents(&text("-1")).is_err());
        assert!(money_to_cents(&text("1.005")).is_err());
        assert!(money_to_cents(&text("abc")).is_err());
        // Near Decimal's limit, × 100 would overflow: refused, not a panic.
        assert!(money_to_cents(&text("79228162514264337593543950335")).is_err());
        assert!(money_to_cents(&text("7.9e28")).is_err());
        assert!(money_to_cents(&text("10000000000.00")).is_err());
        assert_eq!(money_to_cents(&text("9999999999.99")), Ok(MRR_MAX_CENTS));
    }

    #[test]
    fn a_blank_name_and_a_bad_status_are_both_reported() {
        let input = ProjectInput {
            name: Some("   ".into()),
            status: Some("shipped".into()),
            ..Default::default()
        };
        let Err(ApiError::Validation(errors)) = validate(&input, None, true) else {
            panic!("expected a validation error");
        };
        assert!(errors.contains_key("name"));
        assert!(errors.contains_key("status"));
    }

    #[test]
    fn the_slug_comes_from_the_name_when_not_given() {
        let input = ProjectInput {
            name: Some("Crème Brûlée Club".into()),
            ..Default::default()
        };
        let v = validate(&input, None, true).unwrap();
        assert_eq!(v.slug, "creme-brulee-club");
        assert_eq!(v.status, "idea");
    }
}
