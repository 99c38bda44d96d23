//! The table of bad inputs (tests/fixtures/bad-inputs.json): each gets its exact message from
//! the library, and from the CLI as one line on stderr with exit code 2. The browser runs the
//! same table through the JS API (tests/e2e/hostile.test.mjs).
#![cfg(not(target_arch = "wasm32"))]

use std::time::{SystemTime, UNIX_EPOCH};

mod common;

use jwt_signer::{
    check_params, decode, parse_params_json, verify, Error, Expiration, KidPlacement, PublicKey,
    SignOptions, Signer, SigningKey, TokenType, ViewerCountsType,
};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const VALID_KEY: &str = include_str!("fixtures/rsa2048-mux.txt");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

fn cases() -> Vec<Value> {
    let table: Value = serde_json::from_str(&fixture("bad-inputs.json")).unwrap();
    table["cases"].as_array().unwrap().clone()
}

/// Builds a case's input from its description (see the table's "about").
fn input(case: &Value) -> String {
    let spec = &case["input"];
    if let Some(text) = spec.as_str() {
        return text.to_owned();
    }
    if let Some(name) = spec["fixture"].as_str() {
        let mut text = fixture(name);
        if let Some([a, b]) = spec["slice"].as_array().map(Vec::as_slice) {
            text = text[a.as_u64().unwrap() as usize..b.as_u64().unwrap() as usize].to_owned();
        }
        if let Some([from, to]) = spec["replace"].as_array().map(Vec::as_slice) {
            text = text.replacen(from.as_str().unwrap(), to.as_str().unwrap(), 1);
        }
        return format!(
            "{}{text}{}",
            spec["prefix"].as_str().unwrap_or(""),
            spec["suffix"].as_str().unwrap_or("")
        );
    }
    if let Some(unit) = spec["repeat"].as_str() {
        return unit.repeat(spec["times"].as_u64().unwrap() as usize);
    }
    if let Some(name) = spec["golden"].as_str() {
        let goldens: Value = serde_json::from_str(&fixture("goldens.json")).unwrap();
        let golden = goldens
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap();
        return golden["token"].as_str().unwrap().to_owned();
    }
    if let Some(n) = spec["many_params"].as_u64() {
        let params: serde_json::Map<String, Value> =
            (0..n).map(|i| (format!("p{i}"), Value::from(i))).collect();
        return Value::Object(params).to_string();
    }
    if let Some(depth) = spec["nested"].as_u64() {
        let depth = depth as usize;
        return format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    }
    panic!("unknown input form in {case}");
}

/// A number as JavaScript spells it (the table's inputs are text).
fn js_number(text: &str) -> f64 {
    match text {
        "NaN" => f64::NAN,
        "Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        other => other.parse().unwrap(),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn skips(case: &Value, surface: &str) -> bool {
    case["skip"]
        .as_array()
        .is_some_and(|s| s.iter().any(|v| v == surface))
}

/// `None` when `message`, `code` and `field` are the case's; otherwise what differs, for a
/// report of every miss.
fn mismatch(case: &Value, message: &str, code: &str, field: &str) -> Option<String> {
    let name = case["name"].as_str().unwrap();
    if case["code"] != code || case["field"] != field {
        return Some(format!(
            "{name}: got code {code:?} field {field:?}, want {} {}",
            case["code"], case["field"]
        ));
    }
    let ok = match case["message"].as_str() {
        Some(expected) => message == expected,
        None => {
            let (prefix, suffix) = (
                case["message_prefix"].as_str().unwrap(),
                case["message_suffix"].as_str().unwrap(),
            );
            message.starts_with(prefix) && message.ends_with(suffix)
        }
    };
    (!ok).then(|| format!("{name}:\n   got {message:?}\n  want {}", case["message"]))
}

fn assert_none_missed(misses: Vec<String>) {
    assert!(
        misses.is_empty(),
        "{} cases differ:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// Runs a case through the library and returns its error.
fn library_error(case: &Value) -> Error {
    let text = input(case);
    let signer = || Signer::new("kid", VALID_KEY).unwrap();
    let options = SignOptions::default();
    let result: Result<(), Error> = match case["kind"].as_str().unwrap() {
        "key" => SigningKey::parse(&text).map(drop),
        "key_id" => Signer::new(&text, VALID_KEY).map(drop),
        "id" => signer()
            .sign_playback_id(&text, TokenType::Video, &options, now())
            .map(drop),
        "type" => TokenType::parse(&text).map(drop),
        "counts_type" => ViewerCountsType::parse(&text).map(drop),
        "kid_in" => KidPlacement::parse(&text).map(drop),
        "expiration" => Expiration::parse(&text)
            .and_then(|e| e.resolve(now()))
            .map(drop),
        "expiration_number" => Expiration::from_seconds_number(js_number(&text)).map(drop),
        // As the JS API reads `expiresAt`: checked when read, reported against that input.
        "expires_at_number" => Expiration::at_number(js_number(&text))
            .and_then(|at| at.resolve(now()))
            .map_err(|e| e.concerning(jwt_signer::Field::ExpiresAt))
            .map(drop),
        "params" => {
            let token_type = TokenType::parse(case["type"].as_str().unwrap()).unwrap();
            parse_params_json(&text)
                .and_then(|p| check_params(Some(token_type), &p))
                .map(drop)
        }
        "token" => decode(&text, now()).map(drop),
        "verify" => PublicKey::parse(&fixture(case["public_key"].as_str().unwrap()))
            .and_then(|key| verify(&text, &key, now()))
            .map(drop),
        kind => panic!("unknown kind {kind}"),
    };
    result.expect_err(case["name"].as_str().unwrap())
}

/// Runs the CLI with `args`, `stdin` on its standard input, and the fixture key in its
/// environment.
fn run_cli(args: &[String], stdin: &str) -> std::process::Output {
    common::run_cli(
        args,
        &[("MUX_SIGNING_KEY", "kid"), ("MUX_PRIVATE_KEY", VALID_KEY)],
        stdin,
    )
}

#[test]
fn every_code_is_documented_and_every_case_has_a_known_code() {
    for case in cases() {
        let code = case["code"].as_str().unwrap();
        assert!(Error::CODES.contains(&code), "{}: {code}", case["name"]);
        let field = case["field"].as_str().unwrap();
        assert!(
            jwt_signer::Field::ALL.iter().any(|f| f.as_str() == field),
            "{}: {field}",
            case["name"]
        );
    }
}

#[test]
fn the_table_is_big_enough_and_names_are_unique() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len());
}

#[test]
fn every_bad_input_gets_its_message_from_the_library() {
    let misses = cases()
        .iter()
        .filter_map(|case| {
            let error = library_error(case);
            mismatch(
                case,
                &error.to_string(),
                error.code(),
                error.field().as_str(),
            )
        })
        .collect();
    assert_none_missed(misses);
}

#[test]
fn every_bad_input_gets_its_message_from_the_cli_on_one_line_with_exit_2() {
    let mut misses = Vec::new();
    for case in cases().iter().filter(|c| !skips(c, "cli")) {
        let text = input(case);
        let arg = |s: &str| s.to_owned();
        let none = String::new;
        let (args, stdin): (Vec<String>, String) = match case["kind"].as_str().unwrap() {
            "key" => (
                vec![
                    arg("sign"),
                    arg("p1"),
                    arg("--key-id"),
                    arg("kid"),
                    arg("--key"),
                    arg("-"),
                ],
                text,
            ),
            "key_id" => (
                vec![arg("sign"), arg("p1"), format!("--key-id={text}")],
                none(),
            ),
            "id" => (vec![arg("sign"), text], none()),
            "type" => (
                vec![arg("sign"), arg("p1"), format!("--type={text}")],
                none(),
            ),
            "counts_type" => (
                vec![arg("viewer-counts"), arg("p1"), format!("--type={text}")],
                none(),
            ),
            "kid_in" => (
                vec![arg("sign"), arg("p1"), format!("--kid-in={text}")],
                none(),
            ),
            "expiration" | "expiration_number" => (
                vec![arg("sign"), arg("p1"), format!("--expiration={text}")],
                none(),
            ),
            "params" => {
                let token_type = case["type"].as_str().unwrap();
                let args = vec![
                    arg("sign"),
                    arg("p1"),
                    format!("--type={token_type}"),
                    format!("--params-json={text}"),
                ];
                (args, none())
            }
            "token" => (vec![arg("decode"), arg("-")], text),
            "verify" => {
                let key = format!("{FIXTURES}/{}", case["public_key"].as_str().unwrap());
                (
                    vec![arg("verify"), arg("-"), arg("--public-key"), key],
                    text,
                )
            }
            kind => panic!("unknown kind {kind}"),
        };
        let name = case["name"].as_str().unwrap();
        let output = run_cli(&args, &stdin);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.stdout.is_empty(), "{name}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        let message = stderr
            .trim_end()
            .strip_prefix("error: ")
            .unwrap_or_else(|| panic!("{name}: {stderr}"));
        // With --json: the same error as one JSON object on stdout, nothing on stderr.
        let json_args: Vec<String> = args.iter().cloned().chain(["--json".to_owned()]).collect();
        let json_output = run_cli(&json_args, &stdin);
        assert_eq!(json_output.status.code(), Some(2), "{name} --json");
        assert!(
            json_output.stderr.is_empty(),
            "{name} --json: {:?}",
            String::from_utf8_lossy(&json_output.stderr)
        );
        let reported: Value = serde_json::from_slice(&json_output.stdout)
            .unwrap_or_else(|e| panic!("{name} --json: {e}"));
        let error = &reported["error"];
        assert_eq!(error["message"], message, "{name} --json");
        misses.extend(mismatch(
            case,
            message,
            error["code"].as_str().unwrap_or_default(),
            error["field"].as_str().unwrap_or_default(),
        ));
    }
    assert_none_missed(misses);
}
