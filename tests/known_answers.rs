//! Exact known answers: RFC 7515 A.2, and tokens signed by Node's crypto (OpenSSL) for the
//! fixture keys. The same functions run natively and in Chromium (wasm-bindgen-test).

use jwt_signer::{
    sign_compact, verify, Expiration, KidPlacement, Params, SignOptions, Signer, SigningKey,
    TokenType,
};
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

const RFC_JWK: &str = include_str!("fixtures/rfc7515-a2.jwk.json");
/// RFC 7515 A.2.1: the JWS Protected Header and the JWS Payload, byte for byte (CRLF included).
const RFC_HEADER: &[u8] = br#"{"alg":"RS256"}"#;
const RFC_PAYLOAD: &[u8] =
    b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
const RFC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

const GOLDENS: &str = include_str!("fixtures/goldens.json");
const RSA2048_PKCS1: &str = include_str!("fixtures/rsa2048.pkcs1.pem");
const RSA3072: &str = include_str!("fixtures/rsa3072.pem");
const RSA4096: &str = include_str!("fixtures/rsa4096.pem");

fn golden(name: &str) -> String {
    let goldens: serde_json::Value = serde_json::from_str(GOLDENS).unwrap();
    goldens
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

const NOW: u64 = 1_700_000_000;

#[wasm_bindgen_test(unsupported = test)]
fn rfc7515_appendix_a2_byte_for_byte() {
    let key = SigningKey::parse(RFC_JWK).unwrap();
    assert_eq!(key.bits(), 2048);
    assert_eq!(
        sign_compact(RFC_HEADER, RFC_PAYLOAD, &key).unwrap(),
        RFC_TOKEN
    );
    // And the RFC's token verifies with the public half (expiry is reported, not enforced).
    let decoded = verify(RFC_TOKEN, key.public_key(), NOW).unwrap();
    assert_eq!(decoded.claims["iss"], "joe");
    assert_eq!(decoded.expiry, jwt_signer::ExpiryStatus::Expired);
}

fn params(json: &str) -> Params {
    serde_json::from_str(json).unwrap()
}

#[wasm_bindgen_test(unsupported = test)]
fn thumbnail_token_equals_openssls_bytes() {
    let signer = Signer::new("fixture-key-id", RSA2048_PKCS1).unwrap();
    let options = SignOptions {
        params: params(r#"{"time":"14","width":"100"}"#),
        ..SignOptions::default()
    };
    let signed = signer
        .sign_playback_id("abc123", TokenType::Thumbnail, &options, NOW)
        .unwrap();
    assert_eq!(signed.token, golden("thumbnail-2048"));
    assert_eq!(signed.expires_at, NOW + 7 * 86_400);
    assert!(signed.warnings.is_empty());
}

#[wasm_bindgen_test(unsupported = test)]
fn rsa3072_video_token_equals_openssls_bytes() {
    let signer = Signer::new("fixture-key-id", RSA3072).unwrap();
    let signed = signer
        .sign_playback_id("abc123", TokenType::Video, &SignOptions::default(), NOW)
        .unwrap();
    assert_eq!(signed.token, golden("video-3072"));
}

#[wasm_bindgen_test(unsupported = test)]
fn rsa4096_kid_in_header_with_unicode_custom_claims_equals_openssls_bytes() {
    let signer = Signer::new("fixture-key-id", RSA4096).unwrap();
    let options = SignOptions {
        params: params(r#"{"custom":{"session_id":"ü-42"}}"#),
        kid_in: KidPlacement::Header,
        expiration: Expiration::parse("1w").unwrap(),
    };
    let signed = signer
        .sign_playback_id("abc123", TokenType::Video, &options, NOW)
        .unwrap();
    assert_eq!(signed.token, golden("video-4096-kid-in-header"));
}

/// PKCS#1 v1.5 is deterministic: blinding must not change a single byte.
#[wasm_bindgen_test(unsupported = test)]
fn blinded_signature_equals_the_deterministic_one() {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::signature::{SignatureEncoding, Signer as _};
    let unblinded = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(
        rsa::PrivateKey::from_pkcs1_pem(RSA2048_PKCS1).unwrap(),
    );
    let key = SigningKey::parse(RSA2048_PKCS1).unwrap();
    for payload in [&b"{}"[..], b"{\"sub\":\"x\"}", &[b'7'; 300]] {
        let token = sign_compact(br#"{"alg":"RS256","typ":"JWT"}"#, payload, &key).unwrap();
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let expected = unblinded.sign(signing_input.as_bytes()).to_vec();
        use base64::Engine;
        let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(expected);
        assert_eq!(signature, expected);
    }
}
