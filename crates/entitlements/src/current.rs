//! Whether an entitlement grants its feature at a given moment.

use chrono::{DateTime, Utc};

/// Whether an entitlement is in force at `now`: it must be active, already started
/// (`starts_at <= now`), and not yet ended (`ends_at` absent or after `now`). The end
/// is exclusive, so an entitlement ending exactly now no longer counts.
pub fn is_current(
    is_active: bool,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    is_active && starts_at <= now && ends_at.is_none_or(|end| end > now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn active_started_and_open_ended_is_current() {
        assert!(is_current(true, at(-10), None, at(0)));
        assert!(is_current(true, at(0), Some(at(1)), at(0)));
    }

    #[test]
    fn inactive_is_never_current() {
        assert!(!is_current(false, at(-10), None, at(0)));
    }

    #[test]
    fn not_yet_started_is_not_current() {
        assert!(!is_current(true, at(1), None, at(0)));
    }

    #[test]
    fn the_end_is_exclusive() {
        assert!(!is_current(true, at(-10), Some(at(0)), at(0)));
        assert!(!is_current(true, at(-10), Some(at(-1)), at(0)));
    }

    proptest! {
        #[test]
        fn current_means_inside_the_window(start in -100i64..100, length in proptest::option::of(0i64..100), now in -200i64..200) {
            let end = length.map(|len| at(start) + Duration::seconds(len));
            let inside = start <= now && length.is_none_or(|len| now < start + len);
            prop_assert_eq!(is_current(true, at(start), end, at(now)), inside);
            prop_assert!(!is_current(false, at(start), end, at(now)));
        }
    }
}
