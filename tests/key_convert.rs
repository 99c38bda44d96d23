//! Key conversion: each format's output equals what OpenSSL wrote for the same key (the
//! fixtures), and every format converts to every other and signs the same bytes. The JS side
//! (imports into Node's crypto, WebCrypto and `jose`) is tests/js/export.test.mjs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use jwt_signer::{KeyExportFormat, SignOptions, Signer, SigningKey, TokenType};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const NOW: u64 = 1_900_000_000;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

fn export(key: &SigningKey, name: &str) -> String {
    let format = KeyExportFormat::parse(name).unwrap();
    key.export(format, Some("kid-1"))
        .unwrap()
        .as_str()
        .to_owned()
}

#[test]
fn outputs_equal_openssls_files_for_the_same_key() {
    let key = SigningKey::parse(&fixture("rsa2048-mux.txt")).unwrap();
    assert_eq!(export(&key, "pkcs1-pem"), fixture("rsa2048.pkcs1.pem"));
    assert_eq!(export(&key, "pkcs8-pem"), fixture("rsa2048.pkcs8.pem"));
    assert_eq!(export(&key, "public-pem"), fixture("rsa2048.public.pem"));
    let mux: String = fixture("rsa2048-mux.txt").split_whitespace().collect();
    assert_eq!(export(&key, "mux-base64"), format!("{mux}\n"));
    assert_eq!(export(&key, "env"), format!("MUX_PRIVATE_KEY={mux}\n"));
    let jwk: Value = serde_json::from_str(&export(&key, "jwk")).unwrap();
    let openssl: Value = serde_json::from_str(&fixture("rsa2048.jwk.json")).unwrap();
    for member in ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        assert_eq!(jwk[member], openssl[member], "{member}");
    }
    assert_eq!(
        (&jwk["alg"], &jwk["kid"]),
        (&"RS256".into(), &"kid-1".into())
    );
    let public: Value = serde_json::from_str(&export(&key, "public-jwk")).unwrap();
    assert_eq!((&public["n"], &public["e"]), (&openssl["n"], &openssl["e"]));
    assert!(public.get("d").is_none());
}

#[test]
fn every_private_format_converts_to_every_other_and_signs_the_same_bytes() {
    let original = SigningKey::parse(&fixture("rsa2048-mux.txt")).unwrap();
    let private = ["pkcs8-pem", "pkcs1-pem", "jwk", "mux-base64"];
    let token = |key: SigningKey| {
        Signer::from_key("kid-1", key)
            .unwrap()
            .sign_playback_id("abc123", TokenType::Video, &SignOptions::default(), NOW)
            .unwrap()
            .token
    };
    let expected = token(SigningKey::parse(&fixture("rsa2048-mux.txt")).unwrap());
    for from in private {
        let from_key = SigningKey::parse(&export(&original, from)).unwrap();
        for to in KeyExportFormat::ALL.map(|(name, _)| name) {
            let text = export(&from_key, to);
            match to {
                "public-pem" | "public-jwk" => {
                    let public = jwt_signer::PublicKey::parse(&text).unwrap();
                    assert_eq!(&public, original.public_key(), "{from} → {to}");
                    assert!(jwt_signer::verify(&expected, &public, NOW).is_ok());
                }
                "env" => {
                    let value = text.trim().strip_prefix("MUX_PRIVATE_KEY=").unwrap();
                    assert_eq!(
                        token(SigningKey::parse(value).unwrap()),
                        expected,
                        "{from} → {to}"
                    );
                }
                _ => assert_eq!(
                    token(SigningKey::parse(&text).unwrap()),
                    expected,
                    "{from} → {to}"
                ),
            }
        }
    }
}

#[test]
fn only_the_public_formats_are_not_secret() {
    let public: Vec<&str> = KeyExportFormat::ALL
        .iter()
        .filter(|(_, f)| !f.is_secret())
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(public, ["public-pem", "public-jwk"]);
}

#[test]
fn the_cli_converts_and_refuses_an_unknown_format_with_a_code() {
    let key = fixture("rsa2048-mux.txt");
    let env = [
        ("MUX_SIGNING_KEY", "kid-1"),
        ("MUX_PRIVATE_KEY", key.as_str()),
    ];
    let run = |args: &[&str]| common::run_cli(args, &env, "");
    let output = run(&["key", "convert", "--to", "pkcs8-pem"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        fixture("rsa2048.pkcs8.pem")
    );
    let output = run(&[
        "key",
        "convert",
        "--to",
        "pkcs8-pem",
        "--key",
        &format!("{FIXTURES}/rsa2048.jwk.json"),
    ]);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        fixture("rsa2048.pkcs8.pem")
    );
    let output = run(&["key", "convert", "--to", "der", "--json"]);
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["error"]["code"], "key_format_unknown");
    assert_eq!(error["error"]["field"], "options");
}
