//! The built `jwt-signer` binary: flags, environment, stdin, exit codes and output shapes.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod common;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

/// Runs the CLI with a clean environment plus `env`, feeding `stdin`.
fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    common::run_cli(args, env, stdin)
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
    // The CLI reads the clock to sign and again to print "in N days", rounding down: when a
    // second passes between the two reads, 7 days less a second prints as 6 days.
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
    // The printed date is the token's exp, exactly.
    let exp = c["exp"].as_u64().unwrap();
    assert_eq!(
        lines[2].split(' ').nth(1),
        Some(jwt_signer::format_rfc3339(exp).as_str())
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
    // An unknown type is our own parse error (clap takes any string): one line, exit 2.
    let out = run(&["sign", "p1", "-t", "poster"], &key_env, "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    // Unknown params are warnings, not errors.
    let out = run(&["sign", "p1", "-p", "foo=1"], &key_env, "");
    assert!(out.status.success());
    assert_eq!(
        stderr(&out).trim(),
        "warning: param \"foo\" is not a documented video param: it is passed through as is"
    );
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn header(token: &str) -> serde_json::Value {
    use base64::Engine;
    let part = token.trim().split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Signs with the fixture key from the environment; the output, checked for success.
fn sign_ok(args: &[&str]) -> String {
    let env = key_env();
    let out = run(args, &with_key(&env), "");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Clap's own usage errors (not our parsing): exit 2, clap's message and usage text on stderr,
/// nothing on stdout.
#[test]
fn clap_usage_errors_exit_2_with_the_usage_text() {
    let env = key_env();
    // Arguments, clap's words, and whether clap prints the usage line for this error.
    for (args, words, usage) in [
        (
            vec!["sign", "p1", "--bogus"],
            "unexpected argument '--bogus'",
            true,
        ),
        (
            vec!["sign"],
            "the following required arguments were not provided",
            true,
        ),
        (
            vec!["sign", "p1", "-e"],
            "a value is required for '--expiration <EXPIRATION>'",
            false,
        ),
        (
            vec!["frobnicate"],
            "unrecognized subcommand 'frobnicate'",
            true,
        ),
    ] {
        let out = run(&args, &with_key(&env), "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(words), "{args:?}: {err}");
        assert_eq!(err.contains("Usage: jwt-signer"), usage, "{args:?}: {err}");
        assert!(
            err.contains("For more information, try '--help'."),
            "{args:?}: {err}"
        );
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    // With --json the usage error is JSON on stdout, with its code.
    let out = run(&["sign", "p1", "--json", "--bogus"], &with_key(&env), "");
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["error"]["code"], "usage", "{json}");
}

/// A token whose claims were edited but stay valid JSON fails `verify` at the signature: exit
/// 2, one line, the signature error (not "not a JWT"), with a PEM, a JWK or the private key.
#[test]
fn verify_refuses_tampering_that_keeps_valid_json() {
    use base64::Engine;
    let token = sign_ok(&["sign", "p1", "--token-only"]);
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let mut forged_claims = claims(token);
    forged_claims["sub"] = "someone-else".into();
    forged_claims["exp"] = (forged_claims["exp"].as_u64().unwrap() + 365 * 86_400).into();
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_string(&forged_claims).unwrap());
    let forged = format!("{}.{payload}.{}", parts[0], parts[2]);
    // It is a well-formed JWT with the edited claims.
    let decoded = run(&["decode", &forged], &[], "");
    assert!(decoded.status.success(), "{}", stderr(&decoded));
    let json: serde_json::Value = serde_json::from_str(&stdout(&decoded)).unwrap();
    assert_eq!(json["claims"]["sub"], "someone-else");
    let env = key_env();
    for key in [
        format!("{FIXTURES}/rsa2048.public.pem"),
        format!("{FIXTURES}/rsa2048.public.jwk.json"),
        format!("{FIXTURES}/rsa2048.pkcs8.pem"),
    ] {
        let ok = run(&["verify", token, "--public-key", &key], &[], "");
        assert!(ok.status.success(), "{key}: {}", stderr(&ok));
        let out = run(&["verify", &forged, "--public-key", &key], &[], "");
        assert_eq!(out.status.code(), Some(2), "{key}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: ") && err.contains("signature"),
            "{err}"
        );
        assert!(!err.contains("not a JWT"), "{err}");
        assert!(stdout(&out).is_empty());
    }
    // And against the configured private key's public half (no --public-key).
    let out = run(&["verify", &forged], &with_key(&env), "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("signature"), "{}", stderr(&out));
}

#[test]
fn kid_in_header_and_both() {
    let header_only = sign_ok(&["sign", "p1", "--token-only", "--kid-in", "header"]);
    assert_eq!(
        header(&header_only),
        serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": "cli-key-id"})
    );
    assert_eq!(claims(&header_only).get("kid"), None);
    let both = sign_ok(&["sign", "p1", "--token-only", "--kid-in", "both"]);
    assert_eq!(header(&both)["kid"], "cli-key-id");
    assert_eq!(claims(&both)["kid"], "cli-key-id");
    let claims_only = sign_ok(&["sign", "p1", "--token-only", "--kid-in", "claims"]);
    assert_eq!(
        header(&claims_only),
        serde_json::json!({"alg": "RS256", "typ": "JWT"})
    );
    assert_eq!(claims(&claims_only)["kid"], "cli-key-id");
}

/// `-e` with an RFC 3339 offset or `@unix` sets exactly that `exp`; a relative one is now plus
/// the duration (between the clock reads around the run).
#[test]
fn absolute_and_relative_expiries() {
    for (given, exp) in [
        ("2099-01-01T00:00:00+02:00", 4_070_901_600_u64),
        ("2099-01-01T00:00:00-05:30", 4_070_928_600),
        ("2099-01-01T00:00:00Z", 4_070_908_800),
        ("2099-01-01 00:00:00Z", 4_070_908_800),
        ("@4070908800", 4_070_908_800),
    ] {
        let out = sign_ok(&["sign", "p1", "-e", given, "--json"]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            claims(json["token"].as_str().unwrap())["exp"],
            exp,
            "{given}"
        );
        assert_eq!(json["expires_at"], exp, "{given}");
        assert_eq!(json["expiration"], given);
    }
    for (given, seconds) in [
        ("90m", 5_400),
        ("1 yr", 31_536_000),
        ("2 years", 63_072_000),
    ] {
        let before = now();
        let token = sign_ok(&["sign", "p1", "-e", given, "--token-only"]);
        let after = now();
        let exp = claims(&token)["exp"].as_u64().unwrap();
        assert!(
            (before + seconds..=after + seconds).contains(&exp),
            "{given}: {exp} not in {before}+{seconds}..={after}+{seconds}"
        );
    }
}

/// A token set: `-p` goes into every token; `--json` and `--token-only` shapes; every token
/// verifies and has its type's `aud`.
#[test]
fn token_sets_with_json_token_only_and_params() {
    let types = [
        ("video", "playback-token", "v"),
        ("thumbnail", "thumbnail-token", "t"),
        ("storyboard", "storyboard-token", "s"),
        ("drm_license", "drm-token", "d"),
        ("gif", "gif-token", "g"),
        ("stats", "stats-token", "playback_id"),
    ];
    let list = types.map(|(t, _, _)| t).join(",");
    let expires = "@4070908800";
    let out = sign_ok(&[
        "sign",
        "abc123",
        "-t",
        &list,
        "-p",
        "custom_a=1",
        "-p",
        "session=s-9",
        "-e",
        expires,
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
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
            "tokens",
            "url",
            "type",
            "expiration",
            "params",
            "expires_at"
        ]
    );
    assert_eq!(json["playback_id"], "abc123");
    assert_eq!(json["type"], serde_json::json!(types.map(|(t, _, _)| t)));
    assert_eq!(json["expiration"], expires);
    assert_eq!(json["expires_at"], 4_070_908_800_u64);
    assert_eq!(
        json["params"],
        serde_json::json!({"custom_a": "1", "session": "s-9"})
    );
    let tokens = json["tokens"].as_object().unwrap();
    let token_keys: Vec<&str> = tokens.keys().map(String::as_str).collect();
    assert_eq!(token_keys, types.map(|(_, k, _)| k));
    let mut player = Vec::new();
    for (_, key, aud) in types {
        let token = tokens[key].as_str().unwrap();
        assert_eq!(
            claims(token),
            serde_json::json!({"custom_a": "1", "session": "s-9", "kid": "cli-key-id", "sub": "abc123", "aud": aud, "exp": 4_070_908_800_u64}),
            "{key}"
        );
        // Mux Player takes no gif or stats token.
        if !matches!(key, "gif-token" | "stats-token") {
            player.push(format!("{key}={token}"));
        }
    }
    let url = format!("https://player.mux.com/abc123?{}", player.join("&"));
    assert_eq!(json["url"], url);
    node_verifies(
        &tokens
            .values()
            .map(|t| t.as_str().unwrap())
            .collect::<Vec<_>>(),
    );

    let out = sign_ok(&[
        "sign",
        "abc123",
        "-t",
        "video,thumbnail",
        "--token-only",
        "-p",
        "time=3",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for (line, (key, aud)) in lines
        .iter()
        .zip([("playback-token", "v"), ("thumbnail-token", "t")])
    {
        let token = line.strip_prefix(&format!("{key}: ")).unwrap();
        assert_eq!(claims(token)["aud"], aud);
        assert_eq!(claims(token)["time"], "3");
    }
}

/// Viewer counts for each of the four ID types: `sub` is the ID, `aud` the type's, the stats URL.
#[test]
fn viewer_counts_for_every_id_type() {
    for (id_type, aud) in [
        ("video", "video_id"),
        ("asset", "asset_id"),
        ("playback", "playback_id"),
        ("live_stream", "live_stream_id"),
    ] {
        let out = sign_ok(&[
            "viewer-counts",
            "id-42",
            "-t",
            id_type,
            "-e",
            "@4070908800",
            "--json",
        ]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let token = json["token"].as_str().unwrap();
        assert_eq!(
            claims(token),
            serde_json::json!({"kid": "cli-key-id", "sub": "id-42", "aud": aud, "exp": 4_070_908_800_u64}),
            "{id_type}"
        );
        assert_eq!(json["type"], id_type);
        assert_eq!(json["playback_id"], "id-42");
        assert_eq!(
            json["url"],
            format!("https://stats.mux.com/counts?token={token}")
        );
        node_verifies(&[token]);
    }
    // The default is video.
    let token = sign_ok(&["viewer-counts", "id-42", "--token-only"]);
    assert_eq!(claims(&token)["aud"], "video_id");
}

/// CLI tokens checked by a verifier we did not write: Node's crypto (OpenSSL), `createVerify`
/// with RSA-SHA256 against the fixture's public PEM. Skipped, saying so, only without node.
fn node_verifies(tokens: &[&str]) {
    const SCRIPT: &str = r#"
        const { createVerify } = require('node:crypto');
        const { readFileSync } = require('node:fs');
        const key = readFileSync(process.argv[1], 'utf8');
        let ok = 0;
        for (const token of readFileSync(0, 'utf8').trim().split('\n')) {
          const [h, p, s] = token.split('.');
          const verifier = createVerify('RSA-SHA256');
          verifier.update(`${h}.${p}`);
          if (!verifier.verify(key, Buffer.from(s, 'base64url'))) { console.log(`rejected ${token}`); process.exit(1); }
          const header = JSON.parse(Buffer.from(h, 'base64url'));
          if (header.alg !== 'RS256') { console.log(`alg ${header.alg}`); process.exit(1); }
          ok++;
        }
        console.log(`verified ${ok}`);
    "#;
    let child = Command::new("node")
        .args(["-e", SCRIPT, &format!("{FIXTURES}/rsa2048.public.pem")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED: node is not installed, so CLI tokens are not checked by Node's crypto"
            );
            return;
        }
        Err(e) => panic!("cannot run node: {e}"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(tokens.join("\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node: {}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out).trim(), format!("verified {}", tokens.len()));
}

#[test]
fn cli_tokens_verify_with_node_crypto() {
    let mut tokens = Vec::new();
    for args in [
        vec!["sign", "p1", "--token-only"],
        vec![
            "sign",
            "p1",
            "-t",
            "thumbnail",
            "-p",
            "time=14",
            "--token-only",
        ],
        vec!["sign", "p1", "--kid-in", "header", "--token-only"],
        vec!["sign", "p1", "--kid-in", "both", "-e", "1y", "--token-only"],
        vec![
            "sign",
            "p1",
            "--params-json",
            r#"{"custom":{"u":"ü😀\"</"}}"#,
            "--token-only",
        ],
    ] {
        tokens.push(sign_ok(&args).trim().to_owned());
    }
    // Keys from files in every format sign the same verifiable tokens.
    for key in [
        "rsa2048.pkcs1.pem",
        "rsa2048.pkcs8.pem",
        "rsa2048.jwk.json",
        "rsa2048.pkcs8.der.b64",
    ] {
        let path = format!("{FIXTURES}/{key}");
        let out = run(
            &[
                "sign",
                "p1",
                "--key-id",
                "k",
                "--key",
                &path,
                "--token-only",
            ],
            &[],
            "",
        );
        assert!(out.status.success(), "{key}: {}", stderr(&out));
        tokens.push(stdout(&out).trim().to_owned());
    }
    node_verifies(&tokens.iter().map(String::as_str).collect::<Vec<_>>());
}

/// `verify` with a public JWK (the fixture Node wrote): the claims and expiry, exactly.
#[test]
fn verify_with_a_jwk() {
    let token = sign_ok(&[
        "sign",
        "p1",
        "-t",
        "gif",
        "-e",
        "@4070908800",
        "--token-only",
    ]);
    let jwk = format!("{FIXTURES}/rsa2048.public.jwk.json");
    let out = run(&["verify", token.trim(), "--public-key", &jwk], &[], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("signature OK · expires 2099-01-01T00:00:00Z (in "),
        "{}",
        stdout(&out)
    );
    // The JWK from stdin, the token from the argument.
    let out = run(
        &["verify", token.trim(), "--public-key", "-"],
        &[],
        &fixture("rsa2048.public.jwk.json"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // A JWK of another key: the signature error.
    let other = run(
        &[
            "public-key",
            "--jwk",
            "--key-id",
            "x",
            "--key",
            &format!("{FIXTURES}/rsa3072.pem"),
        ],
        &[],
        "",
    );
    assert!(other.status.success(), "{}", stderr(&other));
    let out = run(
        &["verify", token.trim(), "--public-key", "-"],
        &[],
        &stdout(&other),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("signature"), "{}", stderr(&out));
}

/// The README's CLI examples, run as written against the fixture key (key files and `$TOKEN`
/// in a scratch folder), and every absolute expiry the README shows at least 20 years away, so
/// no example turns into a date bomb.
#[test]
fn the_readme_cli_examples_run_and_expire_far_from_now() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("\n## CLI\n").nth(1).expect("a CLI section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a sh block in the CLI section");
    let dir = std::env::temp_dir().join(format!("jwt-signer-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("key.pem"), fixture("rsa2048.pkcs1.pem")).unwrap();
    std::fs::write(dir.join("key.base64"), fixture("rsa2048-mux.txt")).unwrap();
    std::fs::write(dir.join("public.pem"), fixture("rsa2048.public.pem")).unwrap();
    std::fs::write(dir.join("ids.txt"), "# a list\nabc123\ndef456\n").unwrap();
    let env = key_env();
    let token = sign_ok(&["sign", "abc123", "--token-only"]);
    let mut ran = 0;
    for line in block.lines() {
        let command = line.split(" # ").next().unwrap().trim();
        if command.is_empty() || command.starts_with("export ") {
            continue;
        }
        let command = command
            .replace("\"$TOKEN\"", token.trim())
            .replace("[--jwk]", "--jwk");
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words[0], "jwt-signer", "{line}");
        let out = Command::new(env!("CARGO_BIN_EXE_jwt-signer"))
            .args(&words[1..])
            .current_dir(&dir)
            .env_clear()
            .envs(with_key(&env))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "README: {line}\n{}", stderr(&out));
        assert!(!stdout(&out).is_empty(), "README: {line}");
        ran += 1;
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(ran >= 8, "ran {ran} README examples");

    // Absolute expiries anywhere in the README: `@unix` and RFC 3339 dates.
    let far = now() + 20 * 365 * 86_400;
    let this_year = 1970 + now() / 31_556_952;
    for (i, _) in readme.match_indices('@') {
        let digits: String = readme[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.len() >= 9 {
            let at: u64 = digits.parse().unwrap();
            assert!(at > far, "README: @{digits} is less than 20 years away");
        }
    }
    let bytes = readme.as_bytes();
    for i in 0..bytes.len().saturating_sub(11) {
        let date = &bytes[i..i + 11];
        let shape = date[..4].iter().all(u8::is_ascii_digit)
            && date[4] == b'-'
            && date[7] == b'-'
            && date[10] == b'T';
        if shape {
            let year: u64 = std::str::from_utf8(&date[..4]).unwrap().parse().unwrap();
            assert!(
                year > this_year + 20,
                "README: a date in {year} is less than 20 years away"
            );
        }
    }
}

#[test]
fn diagnose_and_verify_read_the_key_from_the_environment_and_the_flags() {
    let token = sign_ok(&["sign", "abc123", "--token-only"]);
    let token = token.trim();
    // MUX_SIGNING_KEY names the key ID the token should carry; --key-id overrides it.
    let other = run(
        &["diagnose", token],
        &[("MUX_SIGNING_KEY", "another-kid")],
        "",
    );
    assert!(
        stdout(&other).contains("kid_mismatch"),
        "{}",
        stdout(&other)
    );
    let same = run(
        &["diagnose", token, "--key-id", "cli-key-id"],
        &[("MUX_SIGNING_KEY", "another-kid")],
        "",
    );
    assert!(!stdout(&same).contains("kid_mismatch"), "{}", stdout(&same));
    let unset = run(&["diagnose", token], &[], "");
    assert!(
        !stdout(&unset).contains("kid_mismatch"),
        "{}",
        stdout(&unset)
    );
    // MUX_PRIVATE_KEY's public half checks the signature when no key file is given.
    let key = fixture("rsa2048-mux.txt");
    let checked = run(
        &["diagnose", token],
        &[("MUX_PRIVATE_KEY", key.as_str())],
        "",
    );
    assert!(
        !stdout(&checked).contains("signature_not_checked"),
        "{}",
        stdout(&checked)
    );
    assert!(
        stdout(&unset).contains("signature_not_checked"),
        "{}",
        stdout(&unset)
    );
}
