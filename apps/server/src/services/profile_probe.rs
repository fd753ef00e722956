//! The profile probe behind `GET supabase/profile/`: does the caller have a row in the
//! project's own database (Supabase's REST API), and can this server read it?
//!
//! The probe is a diagnostic, so it never fails the request: every outcome is a
//! [`ProbeAnswer`] with `ok` and a detail safe to show; the underlying error travels
//! separately and is shown only in debug. The Supabase adapter installs the real probe
//! (`crate::integrations`); without it the answer is "not configured".

use futures_util::future::BoxFuture;
use serde_json::Value;

/// The answer of a probe.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeAnswer {
    /// Whether the probe reached the table.
    pub ok: bool,
    /// What happened, safe to show anyone.
    pub detail: String,
    /// The caller's row, when one was found.
    pub profile: Option<Value>,
    /// The table that answered.
    pub source_table: Option<String>,
    /// The underlying error, for debug answers and the log only.
    pub error: Option<String>,
}

impl ProbeAnswer {
    /// The answer when no probe is configured.
    pub fn not_configured() -> Self {
        Self {
            ok: false,
            detail: "Supabase is not configured: set SUPABASE_URL and SUPABASE_ANON_KEY."
                .to_owned(),
            profile: None,
            source_table: None,
            error: None,
        }
    }
}

/// Something that can look up the caller's profile row elsewhere.
pub trait ProfileProbe: Send + Sync {
    /// Probes for the row of `clerk_user_id`.
    fn probe<'a>(&'a self, clerk_user_id: &'a str) -> BoxFuture<'a, ProbeAnswer>;
}

/// The tables to try, in order: the configured one, then `api_profile`, then
/// `profiles`, each once.
pub fn candidate_tables(configured: Option<&str>) -> Vec<String> {
    let mut tables: Vec<String> = Vec::with_capacity(3);
    for table in [
        configured.map(str::trim).unwrap_or_default(),
        "api_profile",
        "profiles",
    ] {
        if !table.is_empty() && !tables.iter().any(|t| t == table) {
            tables.push(table.to_owned());
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_table_comes_first_and_none_repeats() {
        assert_eq!(candidate_tables(None), ["api_profile", "profiles"]);
        assert_eq!(
            candidate_tables(Some(" members ")),
            ["members", "api_profile", "profiles"]
        );
        assert_eq!(
            candidate_tables(Some("profiles")),
            ["profiles", "api_profile"]
        );
        assert_eq!(candidate_tables(Some("")), ["api_profile", "profiles"]);
    }
}
