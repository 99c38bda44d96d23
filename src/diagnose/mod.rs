//! "Why would Mux reject this URL or token?": takes what a person pastes (a signed URL, a Mux
//! Player URL or snippet, a bare token) and returns findings, each with a stable code, a
//! severity, what is wrong in the person's terms and what to do — before anyone plays it.
//!
//! The checks follow what Mux verifies for signed playback: an RS256 signature by the signing
//! key named in `kid`, an `aud` matching the kind of URL, a `sub` matching its playback ID, an
//! `exp` in the future (RFC 7519 §4.1.4, seconds), and every modifier inside the claims rather
//! than in the URL's query.

mod input;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::claims::TokenType;
use crate::expiry::describe_expiry;
use crate::jws::{self, DecodedToken};
use crate::params::check_params;
use crate::public_key::PublicKey;

pub use input::InputKind;
use input::Slot;

/// How much a finding matters: an `error` is something Mux rejects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Mux will reject the request.
    Error,
    /// Probably not what was meant, or something to know.
    Warning,
    /// A fact about the input.
    Info,
}

/// Writes [`FindingCode`], its `ALL` and its `as_str` from one table.
macro_rules! finding_codes {
    ($($name:ident => $code:literal,)*) => {
        /// Every finding a diagnosis can make, by its stable snake_case code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        #[non_exhaustive]
        pub enum FindingCode {
            $(
                #[doc = concat!("`", $code, "`")]
                #[serde(rename = $code)]
                $name,
            )*
        }

        impl FindingCode {
            /// Every finding code.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$name),*];

            /// The stable snake_case code (`expired`, `aud_mismatch`…).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$name => $code,)*
                }
            }
        }
    };
}

finding_codes! {
    AlgNotRs256 => "alg_not_rs256",
    AudMismatch => "aud_mismatch",
    AudMissing => "aud_missing",
    CustomDomain => "custom_domain",
    ExpInMilliseconds => "exp_in_milliseconds",
    ExpMissing => "exp_missing",
    Expired => "expired",
    KidMismatch => "kid_mismatch",
    KidMissing => "kid_missing",
    NotAJwt => "not_a_jwt",
    NotYetValid => "not_yet_valid",
    ParamInvalid => "param_invalid",
    ParamUnknown => "param_unknown",
    ParamsOutsideToken => "params_outside_token",
    SignatureInvalid => "signature_invalid",
    SignatureNotChecked => "signature_not_checked",
    SubMismatch => "sub_mismatch",
    SubMissing => "sub_missing",
    Summary => "summary",
    TokenMissing => "token_missing",
    WrongTokenRole => "wrong_token_role",
}

impl core::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One thing found: a stable `code`, its severity, what is wrong, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable snake_case name (`expired`, `aud_mismatch`…).
    pub code: FindingCode,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong (or what is so), in the person's terms.
    pub message: String,
    /// What to do about it; empty for facts.
    pub fix: String,
}

impl Finding {
    fn new(code: FindingCode, severity: Severity, message: String, fix: &str) -> Self {
        Finding {
            code,
            severity,
            message,
            fix: fix.to_owned(),
        }
    }
}

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

/// The token type whose audience is `aud`.
fn type_of(aud: &str) -> Option<TokenType> {
    TokenType::ALL.into_iter().find(|t| t.audience() == aud)
}

fn describe_audience(aud: &str) -> String {
    match type_of(aud) {
        Some(t) => format!("\"{aud}\" (a {} token)", t.name()),
        None => format!("\"{aud}\""),
    }
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
    report.token_type = aud.and_then(type_of).map(TokenType::name);
    check_aud(aud, slot, findings);
    check_sub(&decoded, playback_id, findings);
    check_times(&decoded, options.now, findings);
    check_claims(&decoded, aud.and_then(type_of), findings);
    match options.public_key {
        Some(key) => {
            if let Err(error) = jws::verify(token, key, options.now) {
                if matches!(error.kind(), crate::error::Error::BadSignature) {
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

fn check_alg(decoded: &DecodedToken, findings: &mut Vec<Finding>) {
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

fn check_kid(decoded: &DecodedToken, expected: Option<&str>, findings: &mut Vec<Finding>) {
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

fn check_aud(aud: Option<&str>, slot: &Slot, findings: &mut Vec<Finding>) {
    let Some(aud) = aud else {
        findings.push(Finding::new(
            FindingCode::AudMissing,
            Severity::Error,
            "the token has no aud: Mux needs it to know what the token is for".to_owned(),
            "sign it as the right type (video, thumbnail, storyboard…)",
        ));
        return;
    };
    let known = type_of(aud).is_some()
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
    let other_role = input::PLAYER_ROLES
        .iter()
        .find(|(_, t, _)| t.audience() == aud)
        .map(|(role, _, _)| *role);
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

fn check_sub(decoded: &DecodedToken, playback_id: Option<&str>, findings: &mut Vec<Finding>) {
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

fn check_times(decoded: &DecodedToken, now: u64, findings: &mut Vec<Finding>) {
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
fn check_claims(
    decoded: &DecodedToken,
    token_type: Option<TokenType>,
    findings: &mut Vec<Finding>,
) {
    let Some(token_type) = token_type else { return };
    let params: Map<String, Value> = decoded
        .claims
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "kid" | "sub" | "aud" | "exp" | "nbf" | "iat"))
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

fn summary(decoded: &DecodedToken, token_type: Option<&str>, now: u64) -> Finding {
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
