//! Every accepted key format gives the same key; every wrong input gets its own message.
//! Runs natively and in Chromium (wasm-bindgen-test).

use jwt_signer::{Error, KeyEncoding, KeySyntax, PublicKey, SigningKey};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const MUX: &str = include_str!("fixtures/rsa2048-mux.txt");
const PKCS1_PEM: &str = include_str!("fixtures/rsa2048.pkcs1.pem");
const PKCS8_PEM: &str = include_str!("fixtures/rsa2048.pkcs8.pem");
const PKCS1_DER_B64: &str = include_str!("fixtures/rsa2048.pkcs1.der.b64");
const PKCS8_DER_B64: &str = include_str!("fixtures/rsa2048.pkcs8.der.b64");
const JWK: &str = include_str!("fixtures/rsa2048.jwk.json");
const PUBLIC_PEM: &str = include_str!("fixtures/rsa2048.public.pem");
const PUBLIC_PKCS1_PEM: &str = include_str!("fixtures/rsa2048.public.pkcs1.pem");
const PUBLIC_JWK: &str = include_str!("fixtures/rsa2048.public.jwk.json");
const CERT: &str = include_str!("fixtures/rsa2048.cert.pem");
const ENCRYPTED: &str = include_str!("fixtures/rsa2048.encrypted.pem");
const ENCRYPTED_LEGACY: &str = include_str!("fixtures/rsa2048.encrypted-legacy.pem");
const RSA1024: &str = include_str!("fixtures/rsa1024.pem");
const RSA3072: &str = include_str!("fixtures/rsa3072.pem");
const RSA4096: &str = include_str!("fixtures/rsa4096.pem");
const EC: &str = include_str!("fixtures/ec-p256.pem");
const EC_SEC1: &str = include_str!("fixtures/ec-p256.sec1.pem");
const ED25519: &str = include_str!("fixtures/ed25519.pem");

fn b64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_accepted_format_is_the_same_key() {
    use KeyEncoding::*;
    use KeySyntax::*;
    let crlf = PKCS1_PEM.replace('\n', "\r\n");
    let escaped = PKCS8_PEM.trim().replace('\n', "\\n");
    let mux_wrapped: String = MUX
        .as_bytes()
        .chunks(76)
        .map(|c| core::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let mux_spaced = MUX.replace("LS0t", " LS0t ");
    let one_line_pem = PKCS1_PEM.replace("\nMII", " MII");
    let cases: Vec<(&str, String, KeySyntax, KeyEncoding)> = vec![
        ("mux base64 PEM", MUX.to_owned(), Pkcs1, Base64Pem),
        (
            "mux base64 with blanks around",
            format!("  \n{MUX}\n\t "),
            Pkcs1,
            Base64Pem,
        ),
        ("mux base64 wrapped at 76", mux_wrapped, Pkcs1, Base64Pem),
        ("mux base64 with spaces", mux_spaced, Pkcs1, Base64Pem),
        ("PKCS#1 PEM", PKCS1_PEM.to_owned(), Pkcs1, Pem),
        ("PKCS#1 PEM with CRLF", crlf, Pkcs1, Pem),
        (
            "PKCS#1 PEM squashed onto fewer lines",
            one_line_pem,
            Pkcs1,
            Pem,
        ),
        ("PKCS#8 PEM", PKCS8_PEM.to_owned(), Pkcs8, Pem),
        ("PKCS#8 PEM with literal \\n escapes", escaped, Pkcs8, Pem),
        ("base64 of a PKCS#8 PEM", b64(PKCS8_PEM), Pkcs8, Base64Pem),
        (
            "base64 PKCS#1 DER",
            PKCS1_DER_B64.to_owned(),
            Pkcs1,
            Base64Der,
        ),
        (
            "base64 PKCS#8 DER wrapped",
            PKCS8_DER_B64.to_owned(),
            Pkcs8,
            Base64Der,
        ),
        (
            "private JWK",
            JWK.to_owned(),
            KeySyntax::Jwk,
            KeyEncoding::Jwk,
        ),
    ];
    let reference = SigningKey::parse(PKCS1_PEM).unwrap().public_key().clone();
    for (name, text, syntax, encoding) in cases {
        let key = SigningKey::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.format().syntax, syntax, "{name}");
        assert_eq!(key.format().encoding, encoding, "{name}");
        assert_eq!(key.bits(), 2048, "{name}");
        assert_eq!(key.public_key(), &reference, "{name}");
    }
    assert_eq!(SigningKey::parse(RSA3072).unwrap().bits(), 3072);
    assert_eq!(SigningKey::parse(RSA4096).unwrap().bits(), 4096);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn key_info_describes_without_secrets() {
    let key = SigningKey::parse(MUX).unwrap();
    let info = key.info();
    assert_eq!(info.format_label, "PKCS#1 · base64 PEM");
    assert_eq!(info.bits, 2048);
    let debug = format!("{key:?}");
    assert!(debug.contains("[redacted]"), "{debug}");
    let d: serde_json::Value = serde_json::from_str(JWK).unwrap();
    let d = d["d"].as_str().unwrap();
    assert!(!debug.contains(&d[..12]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn public_key_exports_match_openssl_and_node() {
    let key = SigningKey::parse(PKCS8_PEM).unwrap();
    // OpenSSL wrote rsa2048.public.pem; Node wrote rsa2048.public.jwk.json.
    assert_eq!(key.public_key().to_pem(), PUBLIC_PEM);
    let node_jwk: serde_json::Value = serde_json::from_str(PUBLIC_JWK).unwrap();
    let ours = key.public_key().to_jwk(Some("kid-1"));
    assert_eq!(ours["n"], node_jwk["n"]);
    assert_eq!(ours["e"], node_jwk["e"]);
    assert_eq!(ours["kty"], "RSA");
    assert_eq!(ours["alg"], "RS256");
    assert_eq!(ours["use"], "sig");
    assert_eq!(ours["kid"], "kid-1");
    assert_eq!(
        key.public_key().to_jwk(None)["kid"],
        key.public_key().thumbprint().as_str()
    );
    for text in [PUBLIC_PEM, PUBLIC_PKCS1_PEM, PUBLIC_JWK, PKCS8_PEM, MUX] {
        assert_eq!(&PublicKey::parse(text).unwrap(), key.public_key());
    }
}

/// RFC 7638 §3.1 gives this key and its thumbprint.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn rfc7638_thumbprint_example() {
    let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
    let key = PublicKey::parse(jwk).unwrap();
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

fn truncated_mux() -> String {
    MUX[..MUX.len() / 2].to_owned()
}

fn damaged_pem() -> String {
    // Flip characters in the middle of the body: still base64, no longer a consistent key.
    let mut bytes = PKCS1_PEM.as_bytes().to_vec();
    for b in &mut bytes[600..640] {
        *b = if *b == b'A' { b'B' } else { b'A' };
    }
    String::from_utf8(bytes).unwrap()
}

fn public_only_jwk() -> String {
    PUBLIC_JWK.to_owned()
}

/// A name, an input, a check of its error, and words its message must contain.
type Case = (&'static str, String, fn(&Error) -> bool, &'static str);

/// Each wrong input, its error, and words its message must contain.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn every_wrong_key_gets_its_own_message() {
    let jwk_no_kty = r#"{"n":"AQAB","e":"AQAB"}"#.to_owned();
    let jwk_set = format!(r#"{{"keys":[{PUBLIC_JWK}]}}"#);
    let ec_jwk = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#.to_owned();
    let cases: Vec<Case> = vec![
        ("empty", String::new(), |e| matches!(e, Error::EmptyKey), "empty"),
        ("blanks only", " \n\t ".into(), |e| matches!(e, Error::EmptyKey), "empty"),
        ("prose", "my key is secret!".into(), |e| matches!(e, Error::NotAKey), "not a private key"),
        ("key id instead of key", "p5vOo1pABCDEF".into(), |e| matches!(e, Error::NotAKey), "not a private key"),
        ("SPKI public key", PUBLIC_PEM.into(), |e| matches!(e, Error::PublicKeyGiven), "public key"),
        ("PKCS#1 public key", PUBLIC_PKCS1_PEM.into(), |e| matches!(e, Error::PublicKeyGiven), "public key"),
        ("base64 public key", b64(PUBLIC_PEM), |e| matches!(e, Error::PublicKeyGiven), "public key"),
        ("ssh public key", "ssh-rsa AAAAB3NzaC1yc2E user@host".into(), |e| matches!(e, Error::PublicKeyGiven), "public key"),
        ("certificate", CERT.into(), |e| matches!(e, Error::CertificateGiven), "certificate"),
        ("base64 certificate", b64(CERT), |e| matches!(e, Error::CertificateGiven), "certificate"),
        ("EC PKCS#8", EC.into(), |e| matches!(e, Error::UnsupportedKeyType { .. }), "EC (elliptic-curve)"),
        ("EC SEC1", EC_SEC1.into(), |e| matches!(e, Error::UnsupportedKeyType { .. }), "EC (elliptic-curve)"),
        ("Ed25519", ED25519.into(), |e| matches!(e, Error::UnsupportedKeyType { .. }), "Ed25519"),
        ("EC JWK", ec_jwk, |e| matches!(e, Error::UnsupportedKeyType { .. }), "EC"),
        ("encrypted PKCS#8", ENCRYPTED.into(), |e| matches!(e, Error::EncryptedKey), "password-protected"),
        ("encrypted legacy PEM", ENCRYPTED_LEGACY.into(), |e| matches!(e, Error::EncryptedKey), "password-protected"),
        ("RSA-1024", RSA1024.into(), |e| matches!(e, Error::KeyTooSmall { bits: 1024 }), "only 1024 bits"),
        ("truncated Mux key", truncated_mux(), |e| matches!(e, Error::CorruptKey { .. }), "damaged or incomplete"),
        ("PEM without END", PKCS1_PEM[..900].into(), |e| matches!(e, Error::CorruptKey { .. }), "no -----END"),
        ("damaged PEM body", damaged_pem(), |e| matches!(e, Error::CorruptKey { .. }), "damaged or incomplete"),
        ("public JWK", public_only_jwk(), |e| matches!(e, Error::JwkNotPrivate), "only the public key"),
        ("JWK without kty", jwk_no_kty, |e| matches!(e, Error::InvalidJwk { .. }), "no \"kty\""),
        ("JWK set", jwk_set, |e| matches!(e, Error::InvalidJwk { .. }), "JWK set"),
        ("broken JSON", "{\"kty\":".into(), |e| matches!(e, Error::InvalidJwk { .. }), "not valid JSON"),
        ("OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----".into(), |e| matches!(e, Error::OpenSshKey), "OpenSSH"),
        ("unknown PEM", "-----BEGIN PGP MESSAGE-----\nAAAA\n-----END PGP MESSAGE-----".into(), |e| matches!(e, Error::UnknownPemLabel { .. }), "PGP MESSAGE"),
        ("10 MB of base64", "A".repeat(10_000_000), |e| matches!(e, Error::KeyInputTooLong { .. }), "far more than any RSA key"),
    ];
    for (name, input, is_expected, words) in cases {
        let error = SigningKey::parse(&input).expect_err(name);
        assert!(is_expected(&error), "{name}: got {error:?}");
        let message = error.to_string();
        assert!(
            message.contains(words),
            "{name}: {message:?} lacks {words:?}"
        );
    }
}
