//! "Why would Mux reject this URL or token?": takes what a person pastes (a signed URL, a Mux
//! Player URL or snippet, a bare token) and returns findings, each with a stable code, a
//! severity, what is wrong in the person's terms and what to do — before anyone plays it.
//!
//! The checks follow what Mux verifies for signed playback: an RS256 signature by the signing
//! key named in `kid`, an `aud` matching the kind of URL, a `sub` matching its playback ID, an
//! `exp` in the future (RFC 7519 §4.1.4, seconds), and every modifier inside the claims rather
//! than in the URL's query.

mod checks;
mod finding;
mod input;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ErrorKind;
use crate::jws;
use crate::mux::TokenType;
use crate::public_key::PublicKey;
use checks::{check_alg, check_aud, check_claims, check_kid, check_sub, check_times, summary};
pub use finding::{Finding, FindingCode, Severity};
pub use input::InputKind;
use input::Slot;

/// One token of the input, decoded as far as it goes, with its own findings.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenReport {
    /// Where it was: `token` (a URL's query), `playback-token`…, or `bare`.
    pub role: &'static str,
    /// The token type its `aud` names, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'static str>,
    /// The JOSE header, when the token decodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<Map<String, Value>>,
    /// The claims, when the token decodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Map<String, Value>>,
    /// What was found about this token.
    pub findings: Vec<Finding>,
}

/// The whole answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    /// What the input was.
    pub input: InputKind,
    /// The playback ID the input names, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub playback_id: Option<String>,
    /// Every token found.
    pub tokens: Vec<TokenReport>,
    /// Findings about the input as a whole (a missing token, query params, a custom domain).
    pub findings: Vec<Finding>,
    /// True when no finding anywhere is an error.
    pub ok: bool,
}

/// What to check against.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiagnoseOptions<'a> {
    /// The key to check signatures with (a private key's public half works).
    pub public_key: Option<&'a PublicKey>,
    /// The signing key ID the tokens should name.
    pub key_id: Option<&'a str>,
    /// The clock, Unix seconds.
    pub now: u64,
}

/// Diagnoses `input` (see the module docs). Never fails: what cannot be read is a finding.
pub fn diagnose(input: &str, options: &DiagnoseOptions<'_>) -> Diagnosis {
    let parsed = input::parse(input);
    let mut findings = Vec::new();
    if let Some(host) = &parsed.custom_host {
        findings.push(Finding::new(
            FindingCode::CustomDomain,
            Severity::Info,
            format!("{host} is not a Mux host: read as a custom domain with Mux's paths"),
            "",
        ));
    }
    if !parsed.extra_params.is_empty() {
        findings.push(Finding::new(
            FindingCode::ParamsOutsideToken,
            Severity::Error,
            format!(
                "the URL has query parameters beside the token ({}): on a signed URL Mux rejects them",
                parsed.extra_params.join(", ")
            ),
            "put them in the token's claims (e.g. -p width=320 on the CLI) and keep only ?token= in the URL",
        ));
    }
    let mut tokens = Vec::new();
    for slot in &parsed.slots {
        match &slot.token {
            Some(token) => tokens.push(check_token(
                token,
                slot,
                parsed.playback_id.as_deref(),
                options,
            )),
            None => findings.push(missing_token(slot, parsed.kind)),
        }
    }
    let ok = findings
        .iter()
        .chain(tokens.iter().flat_map(|t| &t.findings))
        .all(|f| f.severity != Severity::Error);
    Diagnosis {
        input: parsed.kind,
        playback_id: parsed.playback_id,
        tokens,
        findings,
        ok,
    }
}

fn missing_token(slot: &Slot, kind: InputKind) -> Finding {
    let (severity, message) = match (kind, slot.required) {
        (InputKind::Url, _) => (
            Severity::Error,
            "this Mux URL has no ?token=: a signed playback ID needs one".to_owned(),
        ),
        (_, true) => (
            Severity::Error,
            format!(
                "there is no {}: a signed playback ID cannot play without it",
                slot.role
            ),
        ),
        (_, false) => (Severity::Warning, format!("there is no {}", slot.role)),
    };
    Finding::new(
        FindingCode::TokenMissing,
        severity,
        message,
        "sign a token for this playback ID and add it",
    )
}

/// Every check of one token.
fn check_token(
    token: &str,
    slot: &Slot,
    playback_id: Option<&str>,
    options: &DiagnoseOptions<'_>,
) -> TokenReport {
    let mut report = TokenReport {
        role: slot.role,
        token_type: None,
        header: None,
        claims: None,
        findings: Vec::new(),
    };
    let decoded = match jws::decode(token, options.now) {
        Ok(decoded) => decoded,
        Err(error) => {
            report.findings.push(Finding::new(
                FindingCode::NotAJwt,
                Severity::Error,
                error.to_string(),
                "copy the whole token: three base64url parts separated by dots",
            ));
            return report;
        }
    };
    let findings = &mut report.findings;
    check_alg(&decoded, findings);
    check_kid(&decoded, options.key_id, findings);
    let aud = decoded.claims.get("aud").and_then(Value::as_str);
    report.token_type = aud.and_then(TokenType::from_audience).map(TokenType::name);
    check_aud(aud, slot, findings);
    check_sub(&decoded, playback_id, findings);
    check_times(&decoded, options.now, findings);
    check_claims(&decoded, aud.and_then(TokenType::from_audience), findings);
    match options.public_key {
        Some(key) => {
            if let Err(error) = jws::verify(token, key, options.now) {
                if matches!(error.kind(), ErrorKind::BadSignature) {
                    findings.push(Finding::new(
                        FindingCode::SignatureInvalid,
                        Severity::Error,
                        "the signature does not verify with the given key: the token was signed by another key (or another Mux environment's), or changed".to_owned(),
                        "sign with the private key of the signing key the token's kid names, in the environment the playback ID belongs to",
                    ));
                }
            }
        }
        None => findings.push(Finding::new(
            FindingCode::SignatureNotChecked,
            Severity::Info,
            "the signature was not checked: no key was given".to_owned(),
            "give the signing key's public (or private) key to check it",
        )),
    }
    if findings.iter().all(|f| f.severity != Severity::Error) {
        let summary = summary(&decoded, report.token_type, options.now);
        report.findings.push(summary);
    }
    report.header = Some(decoded.header);
    report.claims = Some(decoded.claims);
    report
}

#[cfg(test)]
mod tests {
    use super::FindingCode;

    /// Each finding code once, snake_case, and serialized as its code.
    #[test]
    fn finding_codes_are_unique_and_serialize_as_their_code() {
        let mut codes: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), FindingCode::ALL.len());
        for code in FindingCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str());
        }
    }
}
