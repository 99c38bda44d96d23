//! The floor under the page's wasm size: the least a page can hold that signs a Mux token with
//! the crates issue 9 keeps (the `rsa` crate for key structure and validation, `pkcs1`/`pkcs8`,
//! `sha2`, `base64`, `serde_json`, `wasm-bindgen`). `read_key` reads a PEM private key (PKCS#1
//! or PKCS#8) as the `rsa` crate validates it; with the `sign` feature, `sign` also writes the
//! claims with `serde_json` and signs them RS256 with the `rsa` crate's own (unblinded) signing.
//! No fast kernel, no blinding, no JWK, no expiry parsing, no diagnosis, no key export, no
//! error model, one error text: every feature of the page is left out, so the real page can
//! only be larger. Not shipped; measured by `bench/size-floor.mjs`.
use pkcs1::DecodeRsaPrivateKey;
use pkcs8::DecodePrivateKey;
use rsa::{traits::PublicKeyParts, PrivateKey};
use wasm_bindgen::prelude::*;

fn read(pem: &str) -> Result<PrivateKey, JsError> {
    PrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| PrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| JsError::new("not an RSA private key"))
}

/// The key's size in bits, once the `rsa` crate has read and validated it.
#[wasm_bindgen]
pub fn read_key(pem: &str) -> Result<u32, JsError> {
    Ok(read(pem)?.n().bit_width())
}

/// An RS256 token for `playback_id`, expiring at `exp` (Unix seconds).
#[cfg(feature = "sign")]
#[wasm_bindgen]
pub fn sign(pem: &str, key_id: &str, playback_id: &str, exp: u64) -> Result<String, JsError> {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use rsa::{
        pkcs1v15::SigningKey,
        signature::{SignatureEncoding, Signer},
    };
    use sha2::Sha256;

    let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": key_id });
    let claims = serde_json::json!({ "sub": playback_id, "aud": "v", "exp": exp, "kid": key_id });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = SigningKey::<Sha256>::new(read(pem)?)
        .try_sign(input.as_bytes())
        .map_err(|_| JsError::new("signing failed"))?;
    Ok(format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}
