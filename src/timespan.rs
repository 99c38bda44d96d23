//! When a token expires: the official SDK's `expiration` grammar (`7d`, `2 days`, `1 yr`,
//! `3600`, `1e3`, `0x10`…) or an absolute RFC 3339 date-time / Unix time. Resolved against a
//! clock the caller passes in, so the same inputs at the same clock give the same token.
//!
//! The grammar is `parseTimespan` of `@mux/mux-node` 15.3.0 (`src/lib/jwt.ts`): the text is
//! trimmed of JavaScript white space; `^(\d+)\s*(unit)$` with the units `s sec secs second
//! seconds`, `m min mins minute minutes`, `h hr hrs hour hours`, `d day days`, `w week weeks`,
//! `y yr yrs year years` (a year is 365 days); anything else goes through JavaScript's
//! `Number()`. Every form the SDK turns into a whole, future `exp` before the year 9999 gives
//! the same `exp` here. The deliberate differences (refusals where the SDK's `exp` is
//! fractional, `null`, already past or a Unix time read as a duration; units in any case; dates)
//! are listed in `docs/expiration-divergences.md` and checked against the SDK by
//! `tests/js/parity.test.mjs`.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{ErrorKind, Result};

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
    /// `1w`, `1y`, `1e3`…; see the module docs), plus an RFC 3339 date-time
    /// (`2030-01-01T00:00:00Z`) or `@1798675200` for an absolute expiry.
    ///
    /// # Errors
    /// [`ErrorKind::LooksLikeUnixTime`] for a bare number of 10^9 or more,
    /// [`ErrorKind::ExpiryTooFar`] for a duration past the year 9999 (or an infinite one),
    /// [`ErrorKind::InvalidExpiration`] for anything else that is not a whole, non-negative duration
    /// or a date (`1.5`, `-5`, `NaN`, empty text).
    pub fn parse(text: &str) -> Result<Self> {
        let trimmed = text.trim_matches(is_js_space);
        let invalid = || ErrorKind::InvalidExpiration {
            given: text.to_owned(),
        };
        if let Some(epoch) = trimmed.strip_prefix('@') {
            let seconds = epoch.trim().parse::<u64>().map_err(|_| invalid())?;
            return Self::at(seconds);
        }
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            // Exactly, so that the Unix-time message repeats the number as given.
            return match trimmed.parse::<u64>() {
                Ok(seconds) => Self::seconds(seconds),
                Err(_) => Err(ErrorKind::ExpiryTooFar.into()),
            };
        }
        if let Some(duration) = parse_duration(trimmed) {
            return duration.map(Expiration::In);
        }
        if let Some(number) = js_number(trimmed) {
            return Self::from_js_number(number).ok_or_else(invalid)?;
        }
        if let Ok(date) = OffsetDateTime::parse(&trimmed.replacen(' ', "T", 1), &Rfc3339) {
            let seconds = u64::try_from(date.unix_timestamp()).map_err(|_| invalid())?;
            return Self::at(seconds);
        }
        Err(invalid().into())
    }

    /// What the SDK's `Number(text)` seconds become here: `None` (refused as invalid) for a
    /// negative or fractional number, where the SDK would sign an `exp` in the past or with a
    /// fraction.
    fn from_js_number(number: f64) -> Option<Result<Self>> {
        if number.is_nan() || number < 0.0 || (number.is_finite() && number.fract() != 0.0) {
            return None;
        }
        // 2^64: past any u64, and far past the year 9999 (the SDK signs `"exp":null` for
        // Infinity).
        if number >= 18_446_744_073_709_551_616.0 {
            return Some(Err(ErrorKind::ExpiryTooFar.into()));
        }
        // Whole, not negative and below 2^64, so the cast is exact.
        Some(Self::seconds(number as u64))
    }

    /// A duration in whole seconds, as the SDK's numeric `expiration`.
    ///
    /// # Errors
    /// [`ErrorKind::LooksLikeUnixTime`] for 10^9 seconds or more.
    pub fn seconds(seconds: u64) -> Result<Self> {
        if seconds >= UNIX_TIME_THRESHOLD {
            return Err(ErrorKind::LooksLikeUnixTime { seconds }.into());
        }
        Ok(Expiration::In(seconds))
    }

    /// An absolute expiry as a Unix time in seconds.
    ///
    /// # Errors
    /// [`ErrorKind::ExpiryTooFar`] past the year 9999.
    pub fn at(unix_seconds: u64) -> Result<Self> {
        if unix_seconds > MAX_EXPIRY {
            return Err(ErrorKind::ExpiryTooFar.into());
        }
        Ok(Expiration::At(unix_seconds))
    }

    /// The `exp` claim for a token signed at `now` (Unix seconds).
    ///
    /// # Errors
    /// [`ErrorKind::ExpiryInPast`] when the expiry is not after `now`; [`ErrorKind::ExpiryTooFar`] past
    /// the year 9999.
    pub fn resolve(self, now: u64) -> Result<u64> {
        let exp = match self {
            Expiration::In(seconds) => now.checked_add(seconds).ok_or(ErrorKind::ExpiryTooFar)?,
            Expiration::At(at) => at,
        };
        if exp > MAX_EXPIRY {
            return Err(ErrorKind::ExpiryTooFar.into());
        }
        if exp <= now {
            return Err(ErrorKind::ExpiryInPast {
                expiry: format_rfc3339(exp),
            }
            .into());
        }
        Ok(exp)
    }
}

/// `N unit` as the SDK's `^(\d+)\s*(unit)$`: ASCII digits, optional JavaScript white space,
/// one of its unit words (here in any case). `None` when the text is not that shape.
fn parse_duration(text: &str) -> Option<Result<u64>> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (number, unit) = text.split_at(digits);
    let unit_seconds = unit_seconds(unit.trim_start_matches(is_js_space))?;
    let seconds = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_seconds))
        .filter(|&s| s <= MAX_EXPIRY)
        .ok_or_else(|| ErrorKind::ExpiryTooFar.into());
    Some(seconds)
}

/// The SDK's unit words (`seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|
/// years?|yrs?|y`) and its `SECONDS_PER` table: a year is 365 days. The SDK matches them in
/// lower case only; any case is accepted here.
fn unit_seconds(unit: &str) -> Option<u64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        "y" | "yr" | "yrs" | "year" | "years" => 31_536_000,
        _ => return None,
    })
}

/// JavaScript's white space and line terminators, what `String.prototype.trim` and the regex
/// `\s` match (ECMA-262 §12.2, §12.3): unlike Rust's `char::is_whitespace`, U+FEFF is one and
/// U+0085 is not.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// JavaScript's `Number(text)` for trimmed, non-empty text (ECMA-262 §7.1.4.1.1,
/// StringNumericLiteral): `+`/`-`, decimals with `.` and an exponent, `Infinity`, and unsigned
/// `0x`, `0o`, `0b` integers. `None` where JavaScript gives `NaN`, and for empty text (which
/// JavaScript reads as 0).
fn js_number(text: &str) -> Option<f64> {
    let radix = match text.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => 0,
    };
    if radix != 0 {
        let digits = &text[2..];
        if digits.is_empty() {
            return None;
        }
        let mut value: Option<u128> = Some(0);
        for c in digits.chars() {
            let digit = c.to_digit(radix)?;
            value = value
                .and_then(|v| v.checked_mul(u128::from(radix)))
                .and_then(|v| v.checked_add(u128::from(digit)));
        }
        // Past u128 is past any expiry: what matters is that it is refused as too far.
        return Some(value.map_or(f64::INFINITY, |v| v as f64));
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if unsigned == "Infinity" {
        return Some(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    let bytes = unsigned.as_bytes();
    let digits_from = |at: usize| {
        bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let whole = digits_from(0);
    let mut at = whole;
    let mut fraction = 0;
    if bytes.get(at) == Some(&b'.') {
        fraction = digits_from(at + 1);
        at += 1 + fraction;
    }
    if whole + fraction == 0 {
        return None;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits_from(at);
        if exponent == 0 {
            return None;
        }
        at += exponent;
    }
    if at != bytes.len() {
        return None;
    }
    // What is left is also Rust's float syntax, and both round to the nearest double.
    text.parse::<f64>().ok()
}

/// A Unix time as an RFC 3339 UTC date-time, e.g. `2026-12-05T12:00:00Z`.
/// Past the year 9999, which `time` does not reach, `@` and the seconds.
pub fn format_rfc3339(unix_seconds: u64) -> String {
    // Written here rather than by `time`'s formatter, whose `io::Write` plumbing (and io's error
    // texts) cost the page more than this line; the calendar stays `time`'s.
    match i64::try_from(unix_seconds).map(OffsetDateTime::from_unix_timestamp) {
        Ok(Ok(t)) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        _ => format!("@{unix_seconds}"),
    }
}

/// Expirations given as numbers that may not be whole (JavaScript's, or JSON's): NaN,
/// Infinity, fractions and negatives are refused here rather than read as "not given".
impl Expiration {
    /// A relative expiration of `seconds`, as the SDK's numeric `expiration`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidSeconds`] unless `seconds` is a whole number ≥ 0,
    /// [`ErrorKind::ExpiryTooFar`] past 2^53; then as [`Expiration::seconds`].
    pub fn from_seconds_number(seconds: f64) -> Result<Self> {
        Self::seconds(whole(seconds, false)?)
    }

    /// An absolute expiry at `unix_seconds`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidSeconds`] unless it is a whole number ≥ 0, [`ErrorKind::ExpiryTooFar`] past
    /// 2^53; then as [`Expiration::at`].
    pub fn at_number(unix_seconds: f64) -> Result<Self> {
        Self::at(whole(unix_seconds, true)?)
    }
}

fn whole(number: f64, absolute: bool) -> Result<u64> {
    // 2^53: beyond it f64 has no whole-second precision (and no real expiry is that far).
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
    if number.is_finite() && number >= 0.0 && number.fract() == 0.0 {
        // A whole number past 2^53 is past the year 9999 both as a duration and as a time.
        if number > MAX_EXACT {
            return Err(ErrorKind::ExpiryTooFar.into());
        }
        return Ok(number as u64);
    }
    // As JavaScript's String(number) writes them.
    let given = if number.is_nan() {
        "NaN".to_owned()
    } else if number == f64::INFINITY {
        "Infinity".to_owned()
    } else if number == f64::NEG_INFINITY {
        "-Infinity".to_owned()
    } else {
        number.to_string()
    };
    Err(ErrorKind::InvalidSeconds { given, absolute }.into())
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

    /// Every unit word of the SDK's regex, in lower case (as the SDK) and in upper case
    /// (accepted here only), with and without white space before the unit.
    #[test]
    fn every_unit_word() {
        for (words, unit) in [
            ("s sec secs second seconds", 1),
            ("m min mins minute minutes", 60),
            ("h hr hrs hour hours", 3_600),
            ("d day days", 86_400),
            ("w week weeks", 604_800),
            ("y yr yrs year years", 31_536_000),
        ] {
            for word in words.split(' ') {
                for text in [
                    format!("3{word}"),
                    format!("3 {word}"),
                    format!("3 \t {word}"),
                    format!("3{}", word.to_ascii_uppercase()),
                ] {
                    assert_eq!(
                        Expiration::parse(&text),
                        Ok(Expiration::In(3 * unit)),
                        "{text:?}"
                    );
                }
            }
        }
        for text in ["1y", "1 yr", "1 year", "365d"] {
            assert_eq!(
                Expiration::parse(text),
                Ok(Expiration::In(31_536_000)),
                "{text}"
            );
        }
        assert_eq!(Expiration::parse("2 years"), Ok(Expiration::In(63_072_000)));
        assert_eq!(Expiration::parse("007d"), Ok(Expiration::In(604_800)));
        assert_eq!(Expiration::parse("0s"), Ok(Expiration::In(0)));
        for text in [
            "3 mo",
            "3 ms",
            "3 yearss",
            "3 d s",
            "3.5h",
            "d",
            "3 fortnights",
            "-3d",
            "+3d",
        ] {
            assert_eq!(
                Expiration::parse(text),
                Err(ErrorKind::InvalidExpiration {
                    given: text.to_owned()
                }
                .into()),
                "{text}"
            );
        }
    }

    /// JavaScript's white space, not Rust's: U+FEFF counts, U+0085 does not.
    #[test]
    fn javascript_white_space() {
        for space in [
            "\t", "\n", "\u{b}", "\u{c}", "\r", " ", "\u{a0}", "\u{1680}", "\u{2000}", "\u{2005}",
            "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{feff}",
        ] {
            for text in [
                format!("2{space}h"),
                format!("{space}2h{space}"),
                format!("{space}7200{space}"),
            ] {
                assert_eq!(
                    Expiration::parse(&text),
                    Ok(Expiration::In(7_200)),
                    "{text:?}"
                );
            }
        }
        for text in [
            "2\u{85}h",
            "\u{85}2h",
            "2h\u{85}",
            "2\u{200b}h",
            "2\u{180e}h",
            "\u{85}7200",
        ] {
            assert!(
                matches!(
                    Expiration::parse(text).as_ref().map_err(crate::Error::kind),
                    Err(ErrorKind::InvalidExpiration { .. })
                ),
                "{text:?}"
            );
        }
    }

    /// What the SDK hands to JavaScript's `Number()`: the same seconds where they are whole.
    #[test]
    fn javascript_numbers() {
        for (text, seconds) in [
            ("60", 60),
            ("+60", 60),
            ("60.", 60),
            ("60.000", 60),
            (".6e2", 60),
            ("6e1", 60),
            ("6E+1", 60),
            ("600e-1", 60),
            ("0.6e2", 60),
            ("060", 60),
            ("0x3c", 60),
            ("0X3C", 60),
            ("0o74", 60),
            ("0O74", 60),
            ("0b111100", 60),
            ("0B111100", 60),
            ("59.99999999999999999", 60),
            ("-0", 0),
            ("0.0", 0),
            ("999999999", 999_999_999),
            ("999999999.0", 999_999_999),
        ] {
            assert_eq!(
                Expiration::parse(text),
                Ok(Expiration::In(seconds)),
                "{text}"
            );
        }
        // Fractions, negatives and NaN (a JavaScript NaN, or the SDK's error) are refused.
        for text in [
            "1.5",
            "0.5",
            "1e-7",
            "-5",
            "-0.5",
            "-Infinity",
            "NaN",
            "nan",
            "inf",
            "infinity",
            "",
            " ",
            "1_000",
            "0x",
            "0xg",
            "+0x10",
            "-0x10",
            "0b2",
            "0o8",
            "1e",
            "e5",
            ".",
            "+",
            "-",
            "..5",
            "1..5",
            "1.5.",
            "1e5.",
            "1e+",
            "٣",
            "1,5",
        ] {
            assert_eq!(
                Expiration::parse(text),
                Err(ErrorKind::InvalidExpiration {
                    given: text.to_owned()
                }
                .into()),
                "{text:?}"
            );
        }
        // A Unix time, not a duration.
        for (text, seconds) in [
            ("1e9", 1_000_000_000),
            ("1000000000.0", 1_000_000_000),
            ("0x3B9ACA00", 1_000_000_000),
            ("1.7986752e9", 1_798_675_200),
            ("18446744073709551615", u64::MAX),
        ] {
            assert_eq!(
                Expiration::parse(text),
                Err(ErrorKind::LooksLikeUnixTime { seconds }.into()),
                "{text}"
            );
        }
        for text in [
            "Infinity",
            "+Infinity",
            "1e400",
            "18446744073709551616",
            "1.8446744073709552e19",
            "0x10000000000000000",
            "0xffffffffffffffffffffffffffffffffffffffff",
            "99999999999999999999999d",
            "8036y",
            "253402300800s",
        ] {
            assert_eq!(
                Expiration::parse(text),
                Err(ErrorKind::ExpiryTooFar.into()),
                "{text}"
            );
        }
        assert_eq!(
            Expiration::parse("253402300799s"),
            Ok(Expiration::In(MAX_EXPIRY))
        );
        assert_eq!(
            Expiration::parse("8035y"),
            Ok(Expiration::In(8_035 * 31_536_000))
        );
    }

    /// JavaScript numbers (the JS API's `expiration` and `expiresAt`): whole and not negative,
    /// or refused; never read as "not given".
    #[test]
    fn numbers_from_javascript() {
        assert_eq!(
            Expiration::from_seconds_number(3600.0),
            Ok(Expiration::In(3_600))
        );
        assert_eq!(Expiration::from_seconds_number(-0.0), Ok(Expiration::In(0)));
        assert_eq!(
            Expiration::from_seconds_number(1e9),
            Err(ErrorKind::LooksLikeUnixTime {
                seconds: 1_000_000_000
            }
            .into())
        );
        assert_eq!(
            Expiration::at_number(4_070_908_800.0),
            Ok(Expiration::At(4_070_908_800))
        );
        for (number, given) in [
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (1.5, "1.5"),
            (-1.0, "-1"),
        ] {
            for absolute in [false, true] {
                let result = if absolute {
                    Expiration::at_number(number)
                } else {
                    Expiration::from_seconds_number(number)
                };
                assert_eq!(
                    result,
                    Err(ErrorKind::InvalidSeconds {
                        given: given.to_owned(),
                        absolute
                    }
                    .into()),
                    "{number}"
                );
            }
        }
        for number in [9_007_199_254_740_994.0, 1e21, f64::MAX] {
            assert_eq!(
                Expiration::from_seconds_number(number),
                Err(ErrorKind::ExpiryTooFar.into())
            );
            assert_eq!(
                Expiration::at_number(number),
                Err(ErrorKind::ExpiryTooFar.into())
            );
        }
        assert_eq!(
            Expiration::from_seconds_number(9_007_199_254_740_992.0),
            Err(ErrorKind::LooksLikeUnixTime {
                seconds: 9_007_199_254_740_992
            }
            .into())
        );
    }

    /// The edges: the last second of 9999 is an expiry, the next is not; 10^9 - 1 seconds is
    /// a duration, 10^9 a Unix time.
    #[test]
    fn boundaries() {
        assert_eq!(Expiration::at(MAX_EXPIRY), Ok(Expiration::At(MAX_EXPIRY)));
        assert_eq!(
            Expiration::at(MAX_EXPIRY + 1),
            Err(ErrorKind::ExpiryTooFar.into())
        );
        assert_eq!(
            Expiration::parse("@253402300799"),
            Ok(Expiration::At(MAX_EXPIRY))
        );
        assert_eq!(
            Expiration::parse("@253402300800"),
            Err(ErrorKind::ExpiryTooFar.into())
        );
        let now = 1_700_000_000;
        let room = MAX_EXPIRY - now;
        assert_eq!(Expiration::In(room).resolve(now), Ok(MAX_EXPIRY));
        assert_eq!(
            Expiration::In(room + 1).resolve(now),
            Err(ErrorKind::ExpiryTooFar.into())
        );
        assert_eq!(Expiration::At(MAX_EXPIRY).resolve(now), Ok(MAX_EXPIRY));
        assert_eq!(
            Expiration::In(u64::MAX).resolve(now),
            Err(ErrorKind::ExpiryTooFar.into())
        );
        assert_eq!(Expiration::In(1).resolve(now), Ok(now + 1));
        assert_eq!(
            Expiration::seconds(999_999_999),
            Ok(Expiration::In(999_999_999))
        );
        assert_eq!(
            Expiration::seconds(1_000_000_000),
            Err(ErrorKind::LooksLikeUnixTime {
                seconds: 1_000_000_000
            }
            .into())
        );
        assert_eq!(Expiration::default(), Expiration::In(604_800));
        assert_eq!(
            Expiration::parse(DEFAULT_EXPIRATION),
            Ok(Expiration::default())
        );
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
    fn rfc3339_dates_are_zero_padded_up_to_the_year_9999() {
        // Oracle: GNU date, `date -u -d @SECONDS +%Y-%m-%dT%H:%M:%SZ`.
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(1_000_000_000), "2001-09-09T01:46:40Z");
        assert_eq!(format_rfc3339(951_825_605), "2000-02-29T12:00:05Z");
        assert_eq!(format_rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(format_rfc3339(253_402_300_800), "@253402300800");
        assert_eq!(format_rfc3339(u64::MAX), "@18446744073709551615");
    }

    #[test]
    fn resolving_against_a_clock() {
        let now = 1_700_000_000;
        assert_eq!(Expiration::In(60).resolve(now), Ok(now + 60));
        assert_eq!(Expiration::At(now + 1).resolve(now), Ok(now + 1));
        assert_eq!(
            Expiration::At(now).resolve(now),
            Err(ErrorKind::ExpiryInPast {
                expiry: "2023-11-14T22:13:20Z".to_owned()
            }
            .into())
        );
        assert_eq!(
            Expiration::In(0).resolve(now),
            Err(ErrorKind::ExpiryInPast {
                expiry: "2023-11-14T22:13:20Z".to_owned()
            }
            .into())
        );
    }
}
