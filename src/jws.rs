//! JWS compact serialization (RFC 7515 §7.1) with RS256 (RFC 7518 §3.3): RSASSA-PKCS1-v1_5
//! with SHA-256 (RFC 8017 §8.2).
//!
//! Security: the private-key operation (`rsa_crt`, on the `rsa-kernel` crate's constant-time
//! Montgomery arithmetic) is blinded, with a blinding pair renewed every 32 signatures as
//! OpenSSL does, and every signature is checked against the public key before it is returned.
//! PKCS#1 v1.5 is deterministic, so blinding changes nothing in the output: tests prove the bytes
//! equal the `rsa` crate's unblinded signature and OpenSSL's.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::base64url;
use crate::error::{ErrorKind, Result};
use crate::key::SigningKey;
use crate::public_key::PublicKey;

/// Longest token we read: far beyond any Mux token, small enough to refuse junk quickly.
const MAX_TOKEN_LEN: usize = 64 * 1024;

/// Signs `header` and `payload` (the exact JSON bytes to encode) and returns the compact JWS.
///
/// # Errors
/// [`ErrorKind::Random`] when the system RNG fails; [`ErrorKind::Signing`] should not occur.
pub fn sign_compact(header: &[u8], payload: &[u8], key: &SigningKey) -> Result<String> {
    let signing_input = format!(
        "{}.{}",
        base64url::encode(header),
        base64url::encode(payload)
    );
    let signature = key.sign_pkcs1v15_sha256(signing_input.as_bytes())?;
    Ok(format!("{signing_input}.{}", base64url::encode(&signature)))
}

/// Serializes header and claims in their key order and signs them.
pub(crate) fn sign_json(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    key: &SigningKey,
) -> Result<String> {
    let header = serde_json::to_vec(header).map_err(|_| ErrorKind::Serialization)?;
    let claims = serde_json::to_vec(claims).map_err(|_| ErrorKind::Serialization)?;
    sign_compact(&header, &claims, key)
}

/// Whether a token's `exp` has passed, at the clock given to [`decode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryStatus {
    /// `exp` is after now.
    Valid,
    /// `exp` is now or earlier.
    Expired,
    /// No numeric `exp` claim.
    NoExpiry,
}

/// A token taken apart. Nothing here is trusted until [`verify`] says so.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecodedToken {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Map<String, Value>,
    /// The signature, base64url as in the token.
    pub signature: String,
    /// The `exp` claim, when numeric.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// Whether `exp` has passed.
    pub expiry: ExpiryStatus,
    #[serde(skip)]
    signing_input_len: usize,
    #[serde(skip)]
    signature_bytes: Vec<u8>,
}

/// Takes a compact JWS apart without checking the signature; `now` (Unix seconds) sets the
/// expiry status. Tolerates blanks around the token and a pasted `Bearer ` prefix.
///
/// # Errors
/// [`ErrorKind::MalformedToken`] saying which part is wrong.
pub fn decode(token: &str, now: u64) -> Result<DecodedToken> {
    let malformed = |detail: &str| ErrorKind::MalformedToken {
        detail: detail.to_owned(),
    };
    let token = bare(token);
    if token.is_empty() {
        return Err(malformed("it is empty").into());
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(malformed("it is far longer than any token").into());
    }
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("a JWT has three parts separated by dots").into());
    };
    let header = json_part(header, "header")?;
    let claims = json_part(claims, "payload")?;
    let signature_bytes =
        base64url::decode(signature).ok_or_else(|| malformed("the signature is not base64url"))?;
    let expires_at = claims.get("exp").and_then(Value::as_u64);
    let expiry = match expires_at {
        None => ExpiryStatus::NoExpiry,
        Some(exp) if exp > now => ExpiryStatus::Valid,
        Some(_) => ExpiryStatus::Expired,
    };
    Ok(DecodedToken {
        header,
        claims,
        signature: signature.to_owned(),
        expires_at,
        expiry,
        signing_input_len: token.len() - signature.len() - 1,
        signature_bytes,
    })
}

/// The token without blanks around it or a pasted `Bearer ` prefix.
fn bare(token: &str) -> &str {
    let token = token.trim();
    token.strip_prefix("Bearer ").unwrap_or(token).trim()
}

fn json_part(part: &str, name: &str) -> Result<Map<String, Value>> {
    let bytes = base64url::decode(part).ok_or_else(|| ErrorKind::MalformedToken {
        detail: format!("the {name} is not base64url"),
    })?;
    serde_json::from_slice(&bytes).map_err(|_| {
        ErrorKind::MalformedToken {
            detail: format!("the {name} is not a JSON object"),
        }
        .into()
    })
}

/// Decodes `token` and checks its RS256 signature against `public_key`. Expiry is reported,
/// not enforced: an expired but genuine token still verifies.
///
/// # Errors
/// [`ErrorKind::MalformedToken`], [`ErrorKind::UnsupportedAlgorithm`] for any `alg` but RS256 (so
/// `none` and HMAC confusion are refused), or [`ErrorKind::BadSignature`].
pub fn verify(token: &str, public_key: &PublicKey, now: u64) -> Result<DecodedToken> {
    let decoded = decode(token, now)?;
    match decoded.header.get("alg").and_then(Value::as_str) {
        Some("RS256") => {}
        Some(alg) => {
            return Err(ErrorKind::UnsupportedAlgorithm {
                alg: alg.to_owned(),
            }
            .into())
        }
        None => {
            return Err(ErrorKind::MalformedToken {
                detail: "the header has no \"alg\"".to_owned(),
            }
            .into())
        }
    }
    let signing_input = bare(token)
        .get(..decoded.signing_input_len)
        .ok_or(ErrorKind::BadSignature)?;
    public_key.verify(signing_input.as_bytes(), &decoded.signature_bytes)?;
    Ok(decoded)
}
