//! The built `jwt-signer` binary: flags, environment, stdin, exit codes and output shapes.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

/// Runs the CLI with a clean environment plus `env`, feeding `stdin`.
fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jwt-signer"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn key_env() -> Vec<(&'static str, String)> {
    vec![
        ("MUX_SIGNING_KEY", "cli-key-id".to_owned()),
        ("MUX_PRIVATE_KEY", fixture("rsa2048-mux.txt")),
    ]
}

fn with_key<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let part = token.trim().split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn sign_from_environment_prints_token_url_and_expiry() {
    let env = key_env();
    let out = run(&["sign", "abc123"], &with_key(&env), "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let token = lines[0].strip_prefix("Token: ").unwrap();
    assert_eq!(
        lines[1],
        format!("URL: https://stream.mux.com/abc123.m3u8?token={token}")
    );
    assert!(
        lines[2].starts_with("Expires: ") && lines[2].ends_with("(in 7 days)"),
        "{}",
        lines[2]
    );
    let c = claims(token);
    assert_eq!(
        (c["kid"].as_str(), c["sub"].as_str(), c["aud"].as_str()),
        (Some("cli-key-id"), Some("abc123"), Some("v"))
    );
}

#[test]
fn json_output_has_the_official_shape_and_params_as_strings() {
    let env = key_env();
    let out = run(
        &[
            "sign",
            "abc123",
            "-t",
            "thumbnail",
            "--params-json",
            r#"{"time":1,"width":"50"}"#,
            "-p",
            "time=14",
            "-e",
            "2h",
            "--json",
        ],
        &with_key(&env),
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "playback_id",
            "token",
            "url",
            "type",
            "expiration",
            "params",
            "expires_at"
        ]
    );
    assert_eq!(json["type"], "thumbnail");
    assert_eq!(json["expiration"], "2h");
    // --param overrides --params-json in place and is a string, like the official CLI.
    assert_eq!(
        json["params"],
        serde_json::json!({"time": "14", "width": "50"})
    );
    let token = json["token"].as_str().unwrap();
    assert_eq!(
        json["url"],
        format!("https://image.mux.com/abc123/thumbnail.jpg?token={token}")
    );
    let c = claims(token);
    assert_eq!(c["time"], "14");
    assert_eq!(c["exp"], json["expires_at"]);
}

#[test]
fn key_from_file_and_stdin_token_only() {
    let key_path = format!("{FIXTURES}/rsa2048.pkcs8.pem");
    let out = run(
        &[
            "sign",
            "p1",
            "--key-id",
            "k",
            "--key",
            &key_path,
            "--token-only",
            "-t",
            "gif",
        ],
        &[],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
    assert_eq!(claims(&stdout(&out))["aud"], "g");

    let out = run(
        &["sign", "p1", "--key-id", "k", "--key", "-", "--token-only"],
        &[],
        &fixture("rsa2048.jwk.json"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out);
    // decode and verify read the token from stdin too
    let decoded = run(&["decode", "-"], &[], &token);
    let json: serde_json::Value = serde_json::from_str(&stdout(&decoded)).unwrap();
    assert_eq!(json["claims"]["sub"], "p1");
    assert_eq!(json["expiry"], "valid");
    let public = format!("{FIXTURES}/rsa2048.public.pem");
    let verified = run(&["verify", "-", "--public-key", &public], &[], &token);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(stdout(&verified).starts_with("signature OK · expires "));
}

#[test]
fn a_token_set_prints_each_token_and_the_player_url() {
    let env = key_env();
    let out = run(
        &[
            "sign",
            "abc123",
            "-t",
            "video,thumbnail",
            "-t",
            "storyboard",
        ],
        &with_key(&env),
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("playback-token: eyJ"));
    assert!(lines[1].starts_with("thumbnail-token: eyJ"));
    assert!(lines[2].starts_with("storyboard-token: eyJ"));
    assert!(lines[3].starts_with("Player URL: https://player.mux.com/abc123?playback-token=eyJ"));
}

#[test]
fn viewer_counts_and_public_key() {
    let env = key_env();
    let out = run(
        &["viewer-counts", "ls1", "-t", "live_stream", "--json"],
        &with_key(&env),
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        claims(json["token"].as_str().unwrap())["aud"],
        "live_stream_id"
    );
    assert!(json["url"]
        .as_str()
        .unwrap()
        .starts_with("https://stats.mux.com/counts?token="));

    let pem = run(&["public-key"], &with_key(&env), "");
    assert_eq!(stdout(&pem), fixture("rsa2048.public.pem"));
    let jwk = run(&["public-key", "--jwk"], &with_key(&env), "");
    let jwk: serde_json::Value = serde_json::from_str(&stdout(&jwk)).unwrap();
    let node: serde_json::Value =
        serde_json::from_str(&fixture("rsa2048.public.jwk.json")).unwrap();
    assert_eq!(
        (&jwk["n"], &jwk["kid"]),
        (&node["n"], &serde_json::json!("cli-key-id"))
    );
}

/// Arguments, environment, and words stderr must contain.
type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);

/// Every failure: exit code 2 and exactly one line on stderr, saying what to do.
#[test]
fn errors_are_one_line_and_exit_2() {
    let env = key_env();
    let key_env = with_key(&env);
    let public = format!("{FIXTURES}/rsa2048.public.pem");
    let other = format!("{FIXTURES}/rsa3072.pem");
    let token = stdout(&run(&["sign", "p1", "--token-only"], &key_env, ""));
    let cases: Vec<Case> = vec![
        (
            vec!["sign", "p1"],
            vec![],
            "no signing key ID: pass --key-id or set MUX_SIGNING_KEY",
        ),
        (
            vec!["sign", "p1", "--key-id", "k"],
            vec![],
            "no private key: pass --key FILE",
        ),
        (
            vec!["sign", "p1", "--key-id", "k", "--key", &public],
            vec![],
            "this is a public key",
        ),
        (
            vec!["sign", "p1", "--key-id", "k", "--key", "/nonexistent"],
            vec![],
            "cannot read /nonexistent",
        ),
        (
            vec!["sign", "p1", "-e", "1798675200"],
            key_env.clone(),
            "looks like a Unix time",
        ),
        (
            vec!["sign", "p1", "-e", "@1000"],
            key_env.clone(),
            "not in the future",
        ),
        (
            vec!["sign", "p1", "-p", "time"],
            key_env.clone(),
            "needs a value: write key=value",
        ),
        (
            vec!["sign", "p1", "--params-json", "[1]"],
            key_env.clone(),
            "params must be a JSON object: got an array",
        ),
        (
            vec!["sign", "p1", "-t", "thumbnail", "-p", "rotate=45"],
            key_env.clone(),
            "param \"rotate\" must be one of 90, 180, 270",
        ),
        (
            vec!["sign", "p 1"],
            key_env.clone(),
            "has characters no Mux ID has",
        ),
        (vec!["decode", "not-a-token"], vec![], "three parts"),
        (
            vec!["verify", token.trim(), "--public-key", &other],
            vec![],
            "signature does not match",
        ),
    ];
    for (args, env, words) in cases {
        let out = run(&args, &env, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(words),
            "{args:?}: {err}"
        );
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    // Usage errors from clap also exit 2.
    assert_eq!(
        run(&["sign", "p1", "-t", "poster"], &key_env, "")
            .status
            .code(),
        Some(2)
    );
    // Unknown params are warnings, not errors.
    let out = run(&["sign", "p1", "-p", "foo=1"], &key_env, "");
    assert!(out.status.success());
    assert_eq!(
        stderr(&out).trim(),
        "warning: param \"foo\" is not a documented video param: it is passed through as is"
    );
}
