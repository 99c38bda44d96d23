//! When a token expires: the SDK's durations ("7d", "2 days", "10h", 3600) or an absolute
//! RFC 3339 date-time / Unix time. Resolved against a clock the caller passes in, so the same
//! inputs at the same clock give the same token.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{Error, Result};

/// The SDK's default expiration.
pub const DEFAULT_EXPIRATION: &str = "7d";

/// A bare number this large is a Unix time (2001-09-09 onwards), not a duration: the trap the
/// SDK's users fell into.
const UNIX_TIME_THRESHOLD: u64 = 1_000_000_000;

/// The last second of the year 9999, the largest expiry that still reads as a date.
const MAX_EXPIRY: u64 = 253_402_300_799;

/// A relative or absolute expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiration {
    /// Seconds from the signing time.
    In(u64),
    /// A Unix time in seconds.
    At(u64),
}

impl Default for Expiration {
    fn default() -> Self {
        Expiration::In(7 * 86_400)
    }
}

impl Expiration {
    /// Parses what the SDK's `expiration` accepts (seconds, `7d`, `2 days`, `10h`, `30 minutes`,
    /// `1w`), plus an RFC 3339 date-time (`2030-01-01T00:00:00Z`) or `@1798675200` for an
    /// absolute expiry.
    ///
    /// # Errors
    /// [`Error::LooksLikeUnixTime`] for a bare number of 10^9 or more,
    /// [`Error::InvalidExpiration`] for anything else that is not a duration or date.
    pub fn parse(text: &str) -> Result<Self> {
        let trimmed = text.trim();
        let invalid = || Error::InvalidExpiration {
            given: text.to_owned(),
        };
        if let Some(epoch) = trimmed.strip_prefix('@') {
            let seconds = epoch.trim().parse::<u64>().map_err(|_| invalid())?;
            return Self::at(seconds);
        }
        if trimmed.bytes().all(|b| b.is_ascii_digit()) && !trimmed.is_empty() {
            let seconds = trimmed.parse::<u64>().map_err(|_| invalid())?;
            return Self::seconds(seconds);
        }
        if let Some(duration) = parse_duration(trimmed) {
            return duration.map(Expiration::In);
        }
        if let Ok(date) = OffsetDateTime::parse(&trimmed.replacen(' ', "T", 1), &Rfc3339) {
            let seconds = u64::try_from(date.unix_timestamp()).map_err(|_| invalid())?;
            return Self::at(seconds);
        }
        Err(invalid())
    }

    /// A duration in whole seconds, as the SDK's numeric `expiration`.
    ///
    /// # Errors
    /// [`Error::LooksLikeUnixTime`] for 10^9 seconds or more.
    pub fn seconds(seconds: u64) -> Result<Self> {
        if seconds >= UNIX_TIME_THRESHOLD {
            return Err(Error::LooksLikeUnixTime { seconds });
        }
        Ok(Expiration::In(seconds))
    }

    /// An absolute expiry as a Unix time in seconds.
    ///
    /// # Errors
    /// [`Error::ExpiryTooFar`] past the year 9999.
    pub fn at(unix_seconds: u64) -> Result<Self> {
        if unix_seconds > MAX_EXPIRY {
            return Err(Error::ExpiryTooFar);
        }
        Ok(Expiration::At(unix_seconds))
    }

    /// The `exp` claim for a token signed at `now` (Unix seconds).
    ///
    /// # Errors
    /// [`Error::ExpiryInPast`] when the expiry is not after `now`; [`Error::ExpiryTooFar`] past
    /// the year 9999.
    pub fn resolve(self, now: u64) -> Result<u64> {
        let exp = match self {
            Expiration::In(seconds) => now.checked_add(seconds).ok_or(Error::ExpiryTooFar)?,
            Expiration::At(at) => at,
        };
        if exp > MAX_EXPIRY {
            return Err(Error::ExpiryTooFar);
        }
        if exp <= now {
            return Err(Error::ExpiryInPast {
                expiry: format_rfc3339(exp),
            });
        }
        Ok(exp)
    }
}

/// `N unit` with the SDK's unit words, optional space between; `None` when it is not that shape.
fn parse_duration(text: &str) -> Option<Result<u64>> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at_checked(digits)?;
    if number.is_empty() {
        return None;
    }
    let unit_seconds: u64 = match unit.trim_start().to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        _ => return None,
    };
    let seconds = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_seconds))
        .filter(|&s| s <= MAX_EXPIRY)
        .ok_or(Error::ExpiryTooFar);
    Some(seconds)
}

/// A Unix time as an RFC 3339 UTC date-time, e.g. `2026-12-05T12:00:00Z`.
pub fn format_rfc3339(unix_seconds: u64) -> String {
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|date| date.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("@{unix_seconds}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_durations() {
        for (text, seconds) in [
            ("7d", 604_800),
            ("2 days", 172_800),
            ("10h", 36_000),
            ("30 minutes", 1_800),
            ("1w", 604_800),
            ("3600", 3_600),
            (" 90s ", 90),
            ("5 mins", 300),
            ("2hrs", 7_200),
            ("3 weeks", 1_814_400),
        ] {
            assert_eq!(
                Expiration::parse(text),
                Ok(Expiration::In(seconds)),
                "{text}"
            );
        }
    }

    #[test]
    fn absolute_expiries() {
        assert_eq!(
            Expiration::parse("@1798675200"),
            Ok(Expiration::At(1_798_675_200))
        );
        assert_eq!(
            Expiration::parse("2027-01-01T00:00:00Z"),
            Ok(Expiration::At(1_798_761_600))
        );
        assert_eq!(
            Expiration::parse("2027-01-01T02:00:00+02:00"),
            Ok(Expiration::At(1_798_761_600))
        );
        assert_eq!(
            Expiration::parse("2027-01-01 00:00:00Z"),
            Ok(Expiration::At(1_798_761_600))
        );
        assert_eq!(format_rfc3339(1_798_761_600), "2027-01-01T00:00:00Z");
    }

    #[test]
    fn resolving_against_a_clock() {
        let now = 1_700_000_000;
        assert_eq!(Expiration::In(60).resolve(now), Ok(now + 60));
        assert_eq!(Expiration::At(now + 1).resolve(now), Ok(now + 1));
        assert_eq!(
            Expiration::At(now).resolve(now),
            Err(Error::ExpiryInPast {
                expiry: "2023-11-14T22:13:20Z".to_owned()
            })
        );
        assert_eq!(
            Expiration::In(0).resolve(now),
            Err(Error::ExpiryInPast {
                expiry: "2023-11-14T22:13:20Z".to_owned()
            })
        );
    }
}
