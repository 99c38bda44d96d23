//! The checks of one decoded token, each against what Mux verifies: the algorithm, `kid`,
//! `aud` for the token's place, `sub` for the playback ID, the times, and the params.

use serde_json::{Map, Value};

use super::finding::{Finding, FindingCode, Severity};
use super::input::{self, Slot};
use crate::expiry::describe_expiry;
use crate::jws::DecodedToken;
use crate::mux::{TokenType, SIGNED_CLAIMS, TIME_CLAIMS};
use crate::params::check_params;

fn describe_audience(aud: &str) -> String {
    match TokenType::from_audience(aud) {
        Some(t) => format!("\"{aud}\" (a {} token)", t.name()),
        None => format!("\"{aud}\""),
    }
}

pub(super) fn check_alg(decoded: &DecodedToken, findings: &mut Vec<Finding>) {
    let alg = decoded
        .header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("(none)");
    if alg != "RS256" {
        findings.push(Finding::new(
            FindingCode::AlgNotRs256,
            Severity::Error,
            format!("the token is signed with {alg}: Mux accepts only RS256"),
            "sign with the signing key's RSA private key (RS256)",
        ));
    }
}

pub(super) fn check_kid(
    decoded: &DecodedToken,
    expected: Option<&str>,
    findings: &mut Vec<Finding>,
) {
    let kid = decoded
        .claims
        .get("kid")
        .or_else(|| decoded.header.get("kid"))
        .and_then(Value::as_str);
    match (kid, expected) {
        (None, _) => findings.push(Finding::new(
            FindingCode::KidMissing,
            Severity::Error,
            "the token names no signing key (no kid in its claims or header): Mux cannot tell which key to check it with".to_owned(),
            "add the signing key ID as the kid claim",
        )),
        (Some(kid), Some(expected)) if kid != expected => findings.push(Finding::new(
            FindingCode::KidMismatch,
            Severity::Error,
            format!("the token names signing key {kid:?}, not {expected:?}"),
            "sign with the signing key you meant, or check which key ID you expected",
        )),
        _ => {}
    }
}

pub(super) fn check_aud(aud: Option<&str>, slot: &Slot, findings: &mut Vec<Finding>) {
    let Some(aud) = aud else {
        findings.push(Finding::new(
            FindingCode::AudMissing,
            Severity::Error,
            "the token has no aud: Mux needs it to know what the token is for".to_owned(),
            "sign it as the right type (video, thumbnail, storyboard…)",
        ));
        return;
    };
    let known = TokenType::from_audience(aud).is_some()
        || ["video_id", "asset_id", "playback_id", "live_stream_id"].contains(&aud);
    if slot.audiences.is_empty() {
        if !known {
            findings.push(Finding::new(
                FindingCode::AudMismatch,
                Severity::Error,
                format!("aud {aud:?} is no Mux audience"),
                "sign it as one of Mux's token types",
            ));
        }
        return;
    }
    if slot.audiences.contains(&aud) {
        return;
    }
    let needs = slot
        .audiences
        .iter()
        .map(|a| describe_audience(a))
        .collect::<Vec<_>>()
        .join(" or ");
    // In Mux Player's slots, a token of another slot's type was put in the wrong place.
    let other_role = input::player_roles()
        .find(|(_, t, _)| t.audience() == aud)
        .map(|(role, _, _)| role);
    match other_role {
        Some(role) if slot.role != "token" && slot.role != "bare" => findings.push(Finding::new(
            FindingCode::WrongTokenRole,
            Severity::Error,
            format!(
                "{} holds a token with aud {}: that token belongs in {role}",
                slot.role,
                describe_audience(aud)
            ),
            "swap the tokens, or sign one of the type this attribute needs",
        )),
        _ => findings.push(Finding::new(
            FindingCode::AudMismatch,
            Severity::Error,
            format!(
                "this URL needs aud {needs}; the token has aud {}",
                describe_audience(aud)
            ),
            "sign a token of the type this URL needs",
        )),
    }
}

pub(super) fn check_sub(
    decoded: &DecodedToken,
    playback_id: Option<&str>,
    findings: &mut Vec<Finding>,
) {
    match (
        decoded.claims.get("sub").and_then(Value::as_str),
        playback_id,
    ) {
        (None, _) => findings.push(Finding::new(
            FindingCode::SubMissing,
            Severity::Error,
            "the token has no sub: Mux needs the playback ID it is for".to_owned(),
            "sign it for the playback ID",
        )),
        (Some(sub), Some(id)) if sub != id => findings.push(Finding::new(
            FindingCode::SubMismatch,
            Severity::Error,
            format!("the token is for playback ID {sub:?}, but the URL plays {id:?}"),
            "sign a token for this playback ID",
        )),
        _ => {}
    }
}

/// A Unix time in milliseconds is ~1000× a plausible one: past the year 5000 in seconds.
const MILLISECONDS_THRESHOLD: u64 = 100_000_000_000;

pub(super) fn check_times(decoded: &DecodedToken, now: u64, findings: &mut Vec<Finding>) {
    match decoded.claims.get("exp") {
        None => findings.push(Finding::new(
            FindingCode::ExpMissing,
            Severity::Error,
            "the token has no exp: Mux requires an expiry".to_owned(),
            "sign it with an expiration (e.g. 7d)",
        )),
        Some(exp) => match exp.as_u64() {
            Some(exp) if exp >= MILLISECONDS_THRESHOLD => findings.push(Finding::new(
                FindingCode::ExpInMilliseconds,
                Severity::Error,
                format!(
                    "exp is {exp}, which only makes sense in milliseconds ({}); JWT times are in seconds",
                    describe_expiry(exp / 1000, now).iso
                ),
                "divide by 1000: give the expiry in seconds",
            )),
            Some(exp) if exp <= now => {
                let expiry = describe_expiry(exp, now);
                findings.push(Finding::new(
                    FindingCode::Expired,
                    Severity::Error,
                    format!("the token expired {} ({})", expiry.relative, expiry.iso),
                    "sign a new token with a later expiry",
                ));
            }
            Some(_) => {}
            None => findings.push(Finding::new(
                FindingCode::ExpMissing,
                Severity::Error,
                format!("exp is {exp}, not a whole number of seconds"),
                "sign it with an expiration (e.g. 7d)",
            )),
        },
    }
    if let Some(nbf) = decoded.claims.get("nbf").and_then(Value::as_u64) {
        if nbf > now {
            let valid_from = describe_expiry(nbf, now);
            findings.push(Finding::new(
                FindingCode::NotYetValid,
                Severity::Error,
                format!(
                    "the token is not valid before {} ({})",
                    valid_from.iso, valid_from.relative
                ),
                "drop nbf, or check the clock of the machine that signed it",
            ));
        }
    }
}

/// The claims beside the four the signer sets, against the core's param table.
pub(super) fn check_claims(
    decoded: &DecodedToken,
    token_type: Option<TokenType>,
    findings: &mut Vec<Finding>,
) {
    let Some(token_type) = token_type else { return };
    let params: Map<String, Value> = decoded
        .claims
        .iter()
        .filter(|(name, _)| {
            !SIGNED_CLAIMS.contains(&name.as_str()) && !TIME_CLAIMS.contains(&name.as_str())
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    match check_params(Some(token_type), &params) {
        Err(error) => findings.push(Finding::new(
            FindingCode::ParamInvalid,
            Severity::Error,
            error.to_string(),
            "sign again with a value the param accepts",
        )),
        Ok(warnings) => findings.extend(warnings.into_iter().map(|warning| {
            Finding::new(FindingCode::ParamUnknown, Severity::Warning, warning, "")
        })),
    }
}

pub(super) fn summary(decoded: &DecodedToken, token_type: Option<&str>, now: u64) -> Finding {
    let sub = decoded
        .claims
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let kind = token_type.map_or_else(
        || {
            let aud = decoded
                .claims
                .get("aud")
                .and_then(Value::as_str)
                .unwrap_or("?");
            format!("a viewer-counts token (aud {aud})")
        },
        |t| format!("a {t} token"),
    );
    let expiry = decoded.expires_at.map_or_else(String::new, |exp| {
        let e = describe_expiry(exp, now);
        format!(", expires {} ({})", e.iso, e.relative)
    });
    Finding::new(
        FindingCode::Summary,
        Severity::Info,
        format!("{kind} for {sub}{expiry}"),
        "",
    )
}
