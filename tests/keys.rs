//! Every accepted key format gives the same key; every wrong input gets its own message.
//! Runs natively and in Chromium (wasm-bindgen-test).

use jwt_signer::{Error, ErrorKind, KeyEncoding, KeySyntax, PublicKey, SigningKey};
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

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

#[wasm_bindgen_test(unsupported = test)]
fn every_accepted_format_is_the_same_key() {
    use KeyEncoding::*;
    use KeySyntax::*;
    let crlf = PKCS1_PEM.replace('\n', "\r\n");
    let escaped = PKCS8_PEM.trim().replace('\n', "\\n");
    let escaped_crlf = PKCS1_PEM.trim().replace('\n', "\\r\\n");
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
        (
            "PKCS#1 PEM with literal \\r\\n escapes",
            escaped_crlf,
            Pkcs1,
            Pem,
        ),
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

#[wasm_bindgen_test(unsupported = test)]
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

#[wasm_bindgen_test(unsupported = test)]
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
#[wasm_bindgen_test(unsupported = test)]
fn rfc7638_thumbprint_example() {
    let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
    let key = PublicKey::parse(jwk).unwrap();
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
    // Its `n` is 256 bytes with the top bit set: 2048 bits.
    assert_eq!(key.bits(), 2048);
    assert_eq!(
        format!("{key:?}"),
        "PublicKey(RSA 2048 bits, NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs)"
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
#[wasm_bindgen_test(unsupported = test)]
fn every_wrong_key_gets_its_own_message() {
    let jwk_no_kty = r#"{"n":"AQAB","e":"AQAB"}"#.to_owned();
    let jwk_set = format!(r#"{{"keys":[{PUBLIC_JWK}]}}"#);
    let ec_jwk = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#.to_owned();
    let cases: Vec<Case> = vec![
        ("empty", String::new(), |e| matches!(e.kind(), ErrorKind::EmptyKey), "empty"),
        ("blanks only", " \n\t ".into(), |e| matches!(e.kind(), ErrorKind::EmptyKey), "empty"),
        ("prose", "my key is secret!".into(), |e| matches!(e.kind(), ErrorKind::NotAKey), "not a private key"),
        ("key id instead of key", "p5vOo1pABCDEF".into(), |e| matches!(e.kind(), ErrorKind::NotAKey), "not a private key"),
        ("SPKI public key", PUBLIC_PEM.into(), |e| matches!(e.kind(), ErrorKind::PublicKeyGiven), "public key"),
        ("PKCS#1 public key", PUBLIC_PKCS1_PEM.into(), |e| matches!(e.kind(), ErrorKind::PublicKeyGiven), "public key"),
        ("base64 public key", b64(PUBLIC_PEM), |e| matches!(e.kind(), ErrorKind::PublicKeyGiven), "public key"),
        ("ssh public key", "ssh-rsa AAAAB3NzaC1yc2E user@host".into(), |e| matches!(e.kind(), ErrorKind::PublicKeyGiven), "public key"),
        ("certificate", CERT.into(), |e| matches!(e.kind(), ErrorKind::CertificateGiven), "certificate"),
        ("base64 certificate", b64(CERT), |e| matches!(e.kind(), ErrorKind::CertificateGiven), "certificate"),
        ("EC PKCS#8", EC.into(), |e| matches!(e.kind(), ErrorKind::UnsupportedKeyType { .. }), "EC (elliptic-curve)"),
        ("EC SEC1", EC_SEC1.into(), |e| matches!(e.kind(), ErrorKind::UnsupportedKeyType { .. }), "EC (elliptic-curve)"),
        ("Ed25519", ED25519.into(), |e| matches!(e.kind(), ErrorKind::UnsupportedKeyType { .. }), "Ed25519"),
        ("EC JWK", ec_jwk, |e| matches!(e.kind(), ErrorKind::UnsupportedKeyType { .. }), "EC"),
        ("encrypted PKCS#8", ENCRYPTED.into(), |e| matches!(e.kind(), ErrorKind::EncryptedKey), "password-protected"),
        ("encrypted legacy PEM", ENCRYPTED_LEGACY.into(), |e| matches!(e.kind(), ErrorKind::EncryptedKey), "password-protected"),
        ("RSA-1024", RSA1024.into(), |e| matches!(e.kind(), ErrorKind::KeyTooSmall { bits: 1024 }), "only 1024 bits"),
        ("truncated Mux key", truncated_mux(), |e| matches!(e.kind(), ErrorKind::CorruptKey { .. }), "damaged or incomplete"),
        ("PEM without END", PKCS1_PEM[..900].into(), |e| matches!(e.kind(), ErrorKind::CorruptKey { .. }), "no -----END"),
        ("damaged PEM body", damaged_pem(), |e| matches!(e.kind(), ErrorKind::CorruptKey { .. }), "damaged or incomplete"),
        ("public JWK", public_only_jwk(), |e| matches!(e.kind(), ErrorKind::JwkNotPrivate), "only the public key"),
        ("JWK without kty", jwk_no_kty, |e| matches!(e.kind(), ErrorKind::InvalidJwk { .. }), "no \"kty\""),
        ("JWK set", jwk_set, |e| matches!(e.kind(), ErrorKind::InvalidJwk { .. }), "JWK set"),
        ("broken JSON", "{\"kty\":".into(), |e| matches!(e.kind(), ErrorKind::InvalidJwk { .. }), "not valid JSON"),
        ("OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----".into(), |e| matches!(e.kind(), ErrorKind::OpenSshKey), "OpenSSH"),
        ("unknown PEM", "-----BEGIN PGP MESSAGE-----\nAAAA\n-----END PGP MESSAGE-----".into(), |e| matches!(e.kind(), ErrorKind::UnknownPemLabel { .. }), "PGP MESSAGE"),
        ("10 MB of base64", "A".repeat(10_000_000), |e| matches!(e.kind(), ErrorKind::KeyInputTooLong { .. }), "far more than any RSA key"),
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

/// Key text is read up to 64 KiB (65 536 bytes, after trimming blanks); one byte more is
/// refused before any decoding.
#[wasm_bindgen_test(unsupported = test)]
fn key_text_is_read_up_to_64_kib() {
    // 65 536 'A's are valid base64 of zero bytes: read, then refused as no key.
    let longest = format!(" {} ", "A".repeat(65_536));
    assert_eq!(SigningKey::parse(&longest).unwrap_err(), ErrorKind::NotAKey);
    assert_eq!(
        SigningKey::parse(&"A".repeat(65_537)).unwrap_err(),
        ErrorKind::KeyInputTooLong { len: 65_537 }
    );
}

/// Short text that is not whole base64 is a word or a key ID (not a key); from 200 characters
/// on it is a key that lost its end. `+` and `-` together fit neither base64 alphabet.
#[wasm_bindgen_test(unsupported = test)]
fn cut_base64_is_a_damaged_key_from_200_characters() {
    let mixed = |n: usize| format!("{}{}", "+".repeat(n / 2), "-".repeat(n - n / 2));
    assert_eq!(
        SigningKey::parse(&mixed(199)).unwrap_err(),
        ErrorKind::NotAKey
    );
    assert_eq!(
        SigningKey::parse(&mixed(200)).unwrap_err(),
        ErrorKind::CorruptKey {
            detail: "the base64 text is cut off".into()
        }
    );
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// DER (X.690 §8.1): a tag, a definite length, the content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    match len {
        0..=0x7f => out.push(len as u8),
        0x80..=0xff => out.extend([0x81, len as u8]),
        _ => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// A PKCS#1 `RSA PRIVATE KEY` PEM (RFC 8017 §A.1.2) around modulus `n` (big-endian two's
/// complement: a zero byte first when the top bit is set) and small numbers that make no key.
fn pkcs1_pem_with_modulus(n: &[u8]) -> String {
    use base64::Engine;
    let mut body = der(0x02, &[0]); // version 0: two primes
    body.extend(der(0x02, n));
    for number in [&[1, 0, 1][..], &[3], &[5], &[7], &[9], &[11], &[13]] {
        body.extend(der(0x02, number)); // e, d, p, q, dp, dq, qi
    }
    let der = der(0x30, &body);
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        base64::engine::general_purpose::STANDARD.encode(der)
    )
}

/// Key sizes are counted in bits, not bytes: a modulus of 0x7f then n − 1 bytes of 0xff has
/// 8·(n − 1) + 7 bits. 2048 to 8192 bits pass the size check, in every syntax.
#[wasm_bindgen_test(unsupported = test)]
fn key_sizes_are_counted_in_bits_and_8192_is_the_largest() {
    let modulus = |bytes: usize, top: u8| {
        let mut n = vec![0xff; bytes];
        n[0] = top;
        n
    };
    let jwk = |n: &[u8]| {
        format!(
            r#"{{"kty":"RSA","n":"{}","e":"AQAB","d":"Aw","p":"Bw","q":"CQ"}}"#,
            b64url(n)
        )
    };
    // 0x7f + 127 bytes: 1023 bits.
    assert_eq!(
        SigningKey::parse(&jwk(&modulus(128, 0x7f))).unwrap_err(),
        ErrorKind::KeyTooSmall { bits: 1023 }
    );
    // 0x7f + 1025 bytes: 8207 bits, refused by size before its numbers are read.
    assert_eq!(
        SigningKey::parse(&pkcs1_pem_with_modulus(&modulus(1026, 0x7f))).unwrap_err(),
        ErrorKind::KeyTooLarge { bits: 8207 }
    );
    // Exactly 8192 bits passes the size check; these numbers then fail as no RSA key.
    let not_a_key = ErrorKind::CorruptKey {
        detail: "its numbers do not fit together as an RSA key".into(),
    };
    let n8192 = modulus(1024, 0xff);
    assert_eq!(SigningKey::parse(&jwk(&n8192)).unwrap_err(), not_a_key);
    // A public JWK over 8192 bits is refused by its size too, before any arithmetic.
    let public_jwk = |n: &[u8]| format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#, b64url(n));
    assert_eq!(
        SigningKey::parse(&public_jwk(&modulus(1026, 0x7f))).unwrap_err(),
        ErrorKind::KeyTooLarge { bits: 8207 }
    );
    let mut n8192_positive = vec![0];
    n8192_positive.extend(&n8192);
    assert_eq!(
        SigningKey::parse(&pkcs1_pem_with_modulus(&n8192_positive)).unwrap_err(),
        not_a_key
    );
}

/// The base64 body of a PEM file: base64 of its DER bytes, with no label to say what they are.
fn pem_body(pem: &str) -> String {
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .collect()
}

/// DER without a label is sniffed: an SPKI or PKCS#1 public key (as OpenSSL wrote them) is a
/// public key, and SEQUENCE { SEQUENCE { [0] … } … } is the start of an X.509 certificate,
/// with long-form lengths (a real one) or short-form lengths (X.690 §8.1.3).
#[wasm_bindgen_test(unsupported = test)]
fn der_without_a_label_is_sniffed() {
    let reference = SigningKey::parse(PKCS1_PEM).unwrap().public_key().clone();
    for (name, pem) in [("SPKI", PUBLIC_PEM), ("PKCS#1 public", PUBLIC_PKCS1_PEM)] {
        let der_b64 = pem_body(pem);
        assert_eq!(
            SigningKey::parse(&der_b64).unwrap_err(),
            ErrorKind::PublicKeyGiven,
            "{name}"
        );
        assert_eq!(PublicKey::parse(&der_b64).unwrap(), reference, "{name}");
    }
    // 30 82 03 21 30 82 02 09 a0 03 …: the certificate's own DER.
    assert_eq!(
        SigningKey::parse(&pem_body(CERT)).unwrap_err(),
        ErrorKind::CertificateGiven
    );
    // 30 05 30 03 a0 01 00: the same shape with short-form lengths.
    assert_eq!(
        SigningKey::parse("MAUwA6ABAA==").unwrap_err(),
        ErrorKind::CertificateGiven
    );
    // 30 05 30 03 02 01 00: SEQUENCE { SEQUENCE { INTEGER 0 } } is no certificate.
    assert_eq!(
        SigningKey::parse("MAUwAwIBAA==").unwrap_err(),
        ErrorKind::CorruptKey {
            detail: "the DER data is not a PKCS#1 or PKCS#8 private key".into()
        }
    );
}

/// A private JWK may leave out `p` and `q` (and `dp`, `dq`, `qi`): RFC 7518 §6.3.2 makes
/// them optional, and the key they give signs the same bytes. Only one of `p` and `q` is an
/// error.
#[wasm_bindgen_test(unsupported = test)]
fn private_jwk_without_primes_is_the_same_key() {
    let mut jwk: serde_json::Map<String, serde_json::Value> = serde_json::from_str(JWK).unwrap();
    for member in ["dp", "dq", "qi"] {
        jwk.remove(member);
    }
    let q = jwk.remove("q").unwrap();
    let only_p = serde_json::Value::Object(jwk.clone()).to_string();
    assert_eq!(
        SigningKey::parse(&only_p).unwrap_err(),
        ErrorKind::InvalidJwk {
            detail: "it has only one of \"p\" and \"q\"".into()
        }
    );
    jwk.remove("p");
    jwk.insert("q".into(), q);
    let only_q = serde_json::Value::Object(jwk.clone()).to_string();
    assert!(matches!(
        SigningKey::parse(&only_q).unwrap_err().kind(),
        ErrorKind::InvalidJwk { .. }
    ));
    jwk.remove("q");
    let no_primes = SigningKey::parse(&serde_json::Value::Object(jwk).to_string())
        .expect("n, e and d are a whole private key");
    let full = SigningKey::parse(PKCS1_PEM).unwrap();
    assert_eq!(no_primes.public_key(), full.public_key());
    let sign = |key: SigningKey| {
        jwt_signer::Signer::from_key("kid1", key)
            .unwrap()
            .sign_playback_id(
                "abc",
                jwt_signer::TokenType::Video,
                &jwt_signer::SignOptions::default(),
                1_700_000_000,
            )
            .unwrap()
            .token
    };
    assert_eq!(sign(no_primes), sign(full));
}
