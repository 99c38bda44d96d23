//! `MUX_SIGNING_KEY` and `MUX_PRIVATE_KEY` against `--key-id` and `--key`: which wins, what an
//! empty variable means, and the error codes the CLI reports for each missing piece.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Output;

mod common;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The `kid` claim of the one token `sign … --token-only` printed.
fn kid(out: &Output) -> serde_json::Value {
    use base64::Engine;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let part = stdout.trim().split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["kid"].clone()
}

/// `--json`'s error object of a failed run (exit 2, nothing on stderr).
fn error(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    serde_json::from_str::<serde_json::Value>(&text(&out.stdout)).unwrap()["error"].clone()
}

#[test]
fn flags_win_over_the_environment() {
    let key = fixture("rsa2048-mux.txt");
    let pem = format!("{FIXTURES}/rsa2048.pkcs8.pem");
    let env = [
        ("MUX_SIGNING_KEY", "from-env"),
        ("MUX_PRIVATE_KEY", "not a key"),
    ];
    // --key FILE is read, the unusable variable never parsed.
    let out = common::run_cli(
        &[
            "sign",
            "p1",
            "--token-only",
            "--key-id",
            "flag",
            "--key",
            &pem,
        ],
        &env,
        "",
    );
    assert_eq!(kid(&out), "flag");
    // The variable when the flag is absent.
    let env = [("MUX_SIGNING_KEY", "from-env"), ("MUX_PRIVATE_KEY", &key)];
    let out = common::run_cli(&["sign", "p1", "--token-only"], &env, "");
    assert_eq!(kid(&out), "from-env");
    // A blank --key-id is missing: no fallback to the variable.
    for blank in ["", "  "] {
        let args = ["sign", "p1", "--json", "--key-id", blank];
        let e = error(&common::run_cli(&args, &env, ""));
        assert_eq!(
            (&e["code"], &e["field"]),
            (&"key_id_missing".into(), &"keyId".into())
        );
    }
}

#[test]
fn empty_and_unset_variables() {
    let key = fixture("rsa2048-mux.txt");
    // An empty MUX_SIGNING_KEY is missing.
    let env = [("MUX_SIGNING_KEY", ""), ("MUX_PRIVATE_KEY", key.as_str())];
    let e = error(&common::run_cli(&["sign", "p1", "--json"], &env, ""));
    assert_eq!(e["code"], "key_id_missing");
    assert_eq!(
        e["message"],
        "no signing key ID: pass --key-id or set MUX_SIGNING_KEY"
    );
    // An empty MUX_PRIVATE_KEY is an empty key (the library's words); an unset one, the CLI's.
    let env = [("MUX_SIGNING_KEY", "k"), ("MUX_PRIVATE_KEY", "")];
    let e = error(&common::run_cli(&["sign", "p1", "--json"], &env, ""));
    assert_eq!(
        (&e["code"], &e["field"]),
        (&"key_missing".into(), &"keySecret".into())
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("the private key is empty"),
        "{e}"
    );
    let e = error(&common::run_cli(
        &["sign", "p1", "--json"],
        &[("MUX_SIGNING_KEY", "k")],
        "",
    ));
    assert_eq!(e["code"], "key_missing");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("no private key: pass --key FILE"),
        "{e}"
    );
    // public-key --jwk: an empty MUX_SIGNING_KEY is as if unset (the kid is the thumbprint).
    let jwk = |env: &[(&str, &str)]| {
        let out = common::run_cli(&["public-key", "--jwk"], env, "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let empty = jwk(&[("MUX_SIGNING_KEY", ""), ("MUX_PRIVATE_KEY", key.as_str())]);
    assert_eq!(empty, jwk(&[("MUX_PRIVATE_KEY", key.as_str())]));
    assert!(!empty.contains(r#""kid":"""#), "{empty}");
}

#[test]
fn diagnose_takes_the_variables_as_given() {
    let key = fixture("rsa2048-mux.txt");
    let env = [
        ("MUX_SIGNING_KEY", "cli-key-id"),
        ("MUX_PRIVATE_KEY", key.as_str()),
    ];
    let token = text(&common::run_cli(&["sign", "p1", "--token-only"], &env, "").stdout);
    let token = token.trim();
    // An empty MUX_SIGNING_KEY is an expected kid of "", which the token does not name.
    let env = [("MUX_SIGNING_KEY", ""), ("MUX_PRIVATE_KEY", key.as_str())];
    let out = common::run_cli(&["diagnose", token], &env, "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("kid_mismatch"),
        "{}",
        text(&out.stdout)
    );
    // --public-key wins: an unusable MUX_PRIVATE_KEY is never read.
    let public = format!("{FIXTURES}/rsa2048.public.pem");
    let env = [
        ("MUX_SIGNING_KEY", "cli-key-id"),
        ("MUX_PRIVATE_KEY", "not a key"),
    ];
    let out = common::run_cli(&["diagnose", token, "--public-key", &public], &env, "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // Without it, the variable is parsed, and an empty one is an error.
    let env = [("MUX_PRIVATE_KEY", "")];
    let e = error(&common::run_cli(&["diagnose", token, "--json"], &env, ""));
    assert_eq!(e["code"], "key_missing");
    // Neither: no signature check, no error.
    let out = common::run_cli(&["diagnose", token], &[], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// The CLI's own codes, for what only it does.
#[test]
fn cli_only_error_codes() {
    let env = [("MUX_SIGNING_KEY", "k")];
    let args = ["sign", "p1", "--json", "--key", "/nonexistent"];
    let e = error(&common::run_cli(&args, &env, ""));
    assert_eq!(
        (&e["code"], &e["field"]),
        (&"input_unreadable".into(), &"keySecret".into())
    );
    let key = fixture("rsa2048-mux.txt");
    let env = [("MUX_SIGNING_KEY", "k"), ("MUX_PRIVATE_KEY", key.as_str())];
    let e = error(&common::run_cli(
        &["sign", "p1", "--json", "-p", "time"],
        &env,
        "",
    ));
    assert_eq!(
        (&e["code"], &e["field"]),
        (&"params_invalid".into(), &"params".into())
    );
}

/// `--help` names the variables but never prints their values (one is a private key).
#[test]
fn help_hides_the_variables_values() {
    let key = fixture("rsa2048-mux.txt");
    let env = [
        ("MUX_SIGNING_KEY", "secret-id"),
        ("MUX_PRIVATE_KEY", key.as_str()),
    ];
    for command in ["sign", "viewer-counts", "verify", "diagnose", "public-key"] {
        let out = common::run_cli(&[command, "--help"], &env, "");
        assert!(out.status.success());
        let help = text(&out.stdout);
        assert!(help.contains("MUX_PRIVATE_KEY"), "{command}: {help}");
        assert!(
            !help.contains("secret-id") && !help.contains(key.trim()),
            "{command}"
        );
    }
}
