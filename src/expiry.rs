//! An expiry described for people: the absolute time (RFC 3339, UTC) and how far away it is
//! ("in 7 days", "2 hours ago"). One wording for the CLI, the JS API and the page.

use serde::Serialize;

use crate::timespan::format_rfc3339;

/// When a token expires, for showing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpiryDescription {
    /// The `exp` claim, Unix seconds.
    pub expires_at: u64,
    /// The same instant as an RFC 3339 date-time in UTC.
    pub iso: String,
    /// How far from `now`: "in 7 days", "2 hours ago".
    pub relative: String,
    /// Whether `exp` is not after `now` (RFC 7519 §4.1.4: the token must not be accepted
    /// on or after it).
    pub expired: bool,
}

/// Describes `expires_at` as seen at `now` (both Unix seconds).
pub fn describe_expiry(expires_at: u64, now: u64) -> ExpiryDescription {
    ExpiryDescription {
        expires_at,
        iso: format_rfc3339(expires_at),
        relative: relative(expires_at, now),
        expired: expires_at <= now,
    }
}

/// "in 7 days", "2 hours ago": the unit that reads best, rounded to the nearest.
pub fn relative(at: u64, now: u64) -> String {
    let (seconds, future) = if at >= now {
        (at - now, true)
    } else {
        (now - at, false)
    };
    // Rounded to the nearest unit: a 7-day token read a second after signing is "in 7 days".
    let round = |s: u64, unit: u64| (s + unit / 2) / unit;
    let (n, unit) = match seconds {
        s if s < 120 => (s, "second"),
        s if s < 7_200 => (round(s, 60), "minute"),
        s if s < 172_800 => (round(s, 3_600), "hour"),
        s => (round(s, 86_400), "day"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if future {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_unit_that_reads_best() {
        let now = 1_000_000;
        assert_eq!(relative(now + 1, now), "in 1 second");
        assert_eq!(relative(now + 119, now), "in 119 seconds");
        assert_eq!(relative(now + 120, now), "in 2 minutes");
        assert_eq!(relative(now + 7_199, now), "in 120 minutes");
        assert_eq!(relative(now + 7 * 86_400 - 1, now), "in 7 days");
        assert_eq!(relative(now + 7 * 86_400 - 43_201, now), "in 6 days");
        assert_eq!(relative(now + 7_200, now), "in 2 hours");
        assert_eq!(relative(now + 172_800, now), "in 2 days");
        assert_eq!(relative(now - 3_600, now), "60 minutes ago");
        assert_eq!(relative(now - 86_400 * 3, now), "3 days ago");
    }

    #[test]
    fn expired_at_and_after_exp() {
        let d = describe_expiry(1_700_000_000, 1_700_000_000);
        assert!(d.expired);
        assert_eq!(d.iso, "2023-11-14T22:13:20Z");
        assert!(!describe_expiry(1_700_000_001, 1_700_000_000).expired);
    }
}
