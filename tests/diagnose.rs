//! The diagnosis table (tests/fixtures/diagnose.json): every case's finding codes and verdict,
//! from the library and from the CLI (`diagnose --json`, exit 0 when ok, 1 when not). The
//! browser runs the same table through the JS API (tests/e2e/diagnose.test.mjs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use jwt_signer::{diagnose, DiagnoseOptions, Diagnosis, PublicKey};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

fn cases() -> Vec<Value> {
    let table: Value = serde_json::from_str(&fixture("diagnose.json")).unwrap();
    table["cases"].as_array().unwrap().clone()
}

/// Every finding's code, the input's first, then each token's; `signature_not_checked` is
/// left out (it only says no key was given).
fn codes(diagnosis: &Value) -> Vec<String> {
    let findings = diagnosis["findings"].as_array().unwrap().iter().chain(
        diagnosis["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["findings"].as_array().unwrap()),
    );
    findings
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .filter(|code| code != "signature_not_checked")
        .collect()
}

fn expected(case: &Value) -> (Vec<String>, bool) {
    let codes = case["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (codes, case["ok"].as_bool().unwrap())
}

/// Runs the CLI with `args` and `stdin`, and nothing from this environment.
fn cli(args: &[String], stdin: &str) -> std::process::Output {
    common::run_cli(args, &[], stdin)
}

#[test]
fn the_table_covers_every_code_and_url_form() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let all: Vec<String> = cases.iter().flat_map(|c| expected(c).0).collect();
    for code in [
        "not_a_jwt",
        "token_missing",
        "alg_not_rs256",
        "aud_missing",
        "aud_mismatch",
        "sub_missing",
        "sub_mismatch",
        "exp_missing",
        "expired",
        "exp_in_milliseconds",
        "not_yet_valid",
        "kid_missing",
        "kid_mismatch",
        "signature_invalid",
        "params_outside_token",
        "param_invalid",
        "wrong_token_role",
        "custom_domain",
    ] {
        assert!(all.iter().any(|c| c == code), "no case for {code}");
    }
    let inputs: Vec<&str> = cases.iter().map(|c| c["input"].as_str().unwrap()).collect();
    for form in [
        "https://stream.mux.com/",
        "/thumbnail.jpg",
        "/thumbnail.png",
        "/thumbnail.webp",
        "/animated.gif",
        "/animated.webp",
        "/storyboard.vtt",
        "/storyboard.json",
        "/storyboard.jpg",
        "/storyboard.png",
        "/storyboard.webp",
        "/license/widevine/",
        "/license/playready/",
        "/license/fairplay/",
        "/appcert/fairplay/",
        "https://stats.mux.com/counts",
        "https://player.mux.com/",
        "<mux-player",
        "Bearer ",
    ] {
        assert!(
            inputs.iter().any(|i| i.contains(form)),
            "no case for {form}"
        );
    }
}

#[test]
fn every_case_gets_its_findings_from_the_library() {
    let mut misses = Vec::new();
    for case in cases() {
        let options = &case["options"];
        let public_key = options["publicKey"]
            .as_str()
            .or(options["key"].as_str())
            .map(|name| PublicKey::parse(&fixture(name)).unwrap());
        let diagnosis: Diagnosis = diagnose(
            case["input"].as_str().unwrap(),
            &DiagnoseOptions {
                public_key: public_key.as_ref(),
                key_id: options["keyId"].as_str(),
                now: case["now"].as_u64().unwrap(),
            },
        );
        let got = serde_json::to_value(&diagnosis).unwrap();
        let (want, ok) = expected(&case);
        if codes(&got) != want || diagnosis.ok != ok {
            misses.push(format!(
                "{}: got {:?} ok={}, want {want:?} ok={ok}",
                case["name"],
                codes(&got),
                diagnosis.ok
            ));
        }
        // Every finding says something, and every error says what to do.
        for finding in got["findings"].as_array().unwrap().iter().chain(
            got["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|t| t["findings"].as_array().unwrap()),
        ) {
            assert!(!finding["message"].as_str().unwrap().is_empty());
            if finding["severity"] == "error" {
                assert!(!finding["fix"].as_str().unwrap().is_empty(), "{finding}");
            }
        }
    }
    assert!(
        misses.is_empty(),
        "{} cases differ:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

#[test]
fn every_case_gets_its_findings_and_exit_code_from_the_cli() {
    let mut misses = Vec::new();
    for case in cases() {
        let options = &case["options"];
        let mut args = vec![
            "diagnose".to_owned(),
            "-".to_owned(),
            "--json".to_owned(),
            format!("--now={}", case["now"]),
        ];
        if let Some(name) = options["publicKey"].as_str() {
            args.push(format!("--public-key={FIXTURES}/{name}"));
        }
        if let Some(name) = options["key"].as_str() {
            args.push(format!("--key={FIXTURES}/{name}"));
        }
        if let Some(id) = options["keyId"].as_str() {
            args.push(format!("--key-id={id}"));
        }
        let output = cli(&args, case["input"].as_str().unwrap());
        let (want, ok) = expected(&case);
        let got: Value = serde_json::from_slice(&output.stdout).unwrap();
        let exit = output.status.code();
        if codes(&got) != want || got["ok"] != ok || exit != Some(if ok { 0 } else { 1 }) {
            misses.push(format!(
                "{}: got {:?} ok={} exit {exit:?}, want {want:?} ok={ok}",
                case["name"],
                codes(&got),
                got["ok"]
            ));
        }
    }
    assert!(
        misses.is_empty(),
        "{} cases differ:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

#[test]
fn the_cli_prints_a_checklist_with_fixes_by_default() {
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == "a thumbnail URL with a video token")
        .unwrap();
    let args = [
        "diagnose",
        case["input"].as_str().unwrap(),
        "--now",
        "1900003600",
    ];
    let output = cli(&args.map(str::to_owned), "");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("signed URL · playback ID abc123\n"),
        "{text}"
    );
    assert!(text.contains("✗ aud_mismatch: this URL needs aud \"t\" (a thumbnail token); the token has aud \"v\" (a video token)\n"), "{text}");
    assert!(
        text.contains("    fix: sign a token of the type this URL needs\n"),
        "{text}"
    );
    assert!(
        text.ends_with("Mux would reject this: 1 error(s)\n"),
        "{text}"
    );
}
