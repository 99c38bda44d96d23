//! What people and scripts read: the diagnosis checklist, expiry lines, decoded tokens, JSON.

use std::io::Write;

use jwt_signer::{
    describe_expiry, DecodedToken, Diagnosis, ErrorKind, Field, Finding, FindingCode, InputKind,
    Severity,
};
use serde_json::{json, Value};

use crate::failure::{CliResult, Failure};

/// A diagnosis as a checklist for people: each finding with its fix, then the verdict.
pub fn checklist(diagnosis: &Diagnosis) -> String {
    let mark = |finding: &Finding| match finding.severity {
        Severity::Error => "✗",
        Severity::Warning => "!",
        Severity::Info if finding.code == FindingCode::Summary => "✓",
        Severity::Info => "·",
    };
    let line = |text: &mut String, indent: &str, finding: &Finding| {
        *text += &format!(
            "{indent}{} {}: {}\n",
            mark(finding),
            finding.code,
            finding.message
        );
        if !finding.fix.is_empty() {
            *text += &format!("{indent}    fix: {}\n", finding.fix);
        }
    };
    let kind = match diagnosis.input {
        InputKind::Url => "signed URL",
        InputKind::PlayerUrl => "Mux Player URL",
        InputKind::Snippet => "<mux-player> snippet",
        InputKind::Token => "token",
    };
    let mut text = match &diagnosis.playback_id {
        Some(id) => format!("{kind} · playback ID {id}\n"),
        None => format!("{kind}\n"),
    };
    for finding in &diagnosis.findings {
        line(&mut text, "", finding);
    }
    for token in &diagnosis.tokens {
        text += &format!("{}\n", token.role);
        for finding in &token.findings {
            line(&mut text, "  ", finding);
        }
    }
    let errors = diagnosis
        .findings
        .iter()
        .chain(diagnosis.tokens.iter().flat_map(|t| &t.findings))
        .filter(|f| f.severity == Severity::Error)
        .count();
    text += &if diagnosis.ok {
        "OK: nothing here that Mux would reject\n".to_owned()
    } else {
        format!("Mux would reject this: {errors} error(s)\n")
    };
    text
}

pub fn expiry_line(expires_at: u64, now: u64) -> String {
    let expiry = describe_expiry(expires_at, now);
    format!("{} ({})", expiry.iso, expiry.relative)
}

pub fn warn(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

pub fn decoded_json(decoded: &DecodedToken, now: u64) -> Value {
    json!({
        "header": decoded.header,
        "claims": decoded.claims,
        "signature": decoded.signature,
        "expires_at": decoded.expires_at,
        "expires": decoded.expires_at.map(|exp| describe_expiry(exp, now).iso),
        "expiry": decoded.expiry,
    })
}

pub fn print_json(out: &mut Vec<u8>, value: &Value) -> CliResult<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| {
        Failure::new(
            ErrorKind::Serialization.code(),
            Field::Options,
            e.to_string(),
        )
    })?;
    writeln!(out, "{text}").map_err(Failure::output)
}
