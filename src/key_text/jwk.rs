//! RSA JWKs as people paste them (RFC 7518 §6.3), their secret members wiped when dropped.

use rsa::{PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};
use zeroize::{Zeroize, Zeroizing};

use super::{
    bit_length, check_private_size, corrupt, strip_leading_zeros, uint, unsupported, KeyEncoding,
    KeyFormat, KeySyntax, PastedKey, MAX_BITS,
};
use crate::base64url;
use crate::error::{ErrorKind, Result};

/// A JWK's members, their string values wiped when dropped (they hold `d`, `p`, `q`…).
#[derive(serde::Deserialize)]
#[serde(transparent)]
struct JwkMembers(serde_json::Map<String, serde_json::Value>);

impl Drop for JwkMembers {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            if let serde_json::Value::String(text) = value {
                text.zeroize();
            }
        }
    }
}

impl JwkMembers {
    fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(serde_json::Value::as_str)
    }

    /// A base64url integer member (RFC 7518 §6.3.1), `None` when absent.
    fn number(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        match self.0.get(name) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .and_then(base64url::decode)
                .map(|bytes| Some(Zeroizing::new(bytes)))
                .ok_or_else(|| {
                    ErrorKind::InvalidJwk {
                        detail: format!("member \"{name}\" is not a base64url string"),
                    }
                    .into()
                }),
        }
    }

    fn required(&self, name: &str) -> Result<Zeroizing<Vec<u8>>> {
        self.number(name)?.ok_or_else(|| {
            ErrorKind::InvalidJwk {
                detail: format!("member \"{name}\" is missing"),
            }
            .into()
        })
    }
}

/// An RSA JWK (RFC 7518 §6.3): private when it has `d`, else public. `p` and `q` may be
/// absent (the `rsa` crate recovers them from `n`, `e` and `d`); `dp`, `dq` and `qi` are
/// recomputed rather than trusted.
pub(super) fn from_jwk(text: &str) -> Result<PastedKey> {
    let jwk: JwkMembers = serde_json::from_str(text).map_err(|e| ErrorKind::InvalidJwk {
        detail: format!("it is not valid JSON ({e})"),
    })?;
    match jwk.text("kty") {
        Some("RSA") => {}
        Some("EC") => return Err(unsupported("an EC (elliptic-curve)")),
        Some("OKP") => return Err(unsupported("an Ed25519/OKP")),
        Some("oct") => return Err(unsupported("a symmetric (oct)")),
        Some(other) => return Err(unsupported(&format!("a \"{other}\""))),
        None if jwk.0.contains_key("keys") => {
            return Err(ErrorKind::InvalidJwk {
                detail: "this is a JWK set: paste the one key from its \"keys\" list".to_owned(),
            }
            .into())
        }
        None => {
            return Err(ErrorKind::InvalidJwk {
                detail: "it has no \"kty\" member".to_owned(),
            }
            .into())
        }
    }
    let n = jwk.required("n")?;
    let e = jwk.required("e")?;
    let bits = bit_length(&n);
    if bits > MAX_BITS {
        return Err(ErrorKind::KeyTooLarge { bits }.into());
    }
    let width = strip_leading_zeros(&n).len() * 8;
    let e_width = strip_leading_zeros(&e).len().max(1) * 8;
    let Some(d) = jwk.number("d")? else {
        let key = RsaPublicKey::new(uint(&n, width)?, uint(&e, e_width)?).map_err(|_| {
            ErrorKind::InvalidPublicKey {
                detail: "it is not an RSA public key of 1024 to 8192 bits".to_owned(),
            }
        })?;
        return Ok(PastedKey::Public {
            key,
            from_jwk: true,
        });
    };
    check_private_size(bits)?;
    // d = 0 would make the rsa crate's prime recovery (for a JWK without p and q) panic on
    // d·e − 1 (found by fuzzing).
    if strip_leading_zeros(&d).is_empty() {
        return Err(corrupt("its private exponent \"d\" is 0"));
    }
    let primes = match (jwk.number("p")?, jwk.number("q")?) {
        (Some(p), Some(q)) => vec![uint(&p, width)?, uint(&q, width)?],
        (None, None) => Vec::new(),
        _ => {
            return Err(ErrorKind::InvalidJwk {
                detail: "it has only one of \"p\" and \"q\"".to_owned(),
            }
            .into())
        }
    };
    let key = RsaPrivateKey::from_components(
        uint(&n, width)?,
        uint(&e, e_width)?,
        uint(&d, width)?,
        primes,
    )
    .map_err(|_| corrupt("its numbers do not fit together as an RSA key"))?;
    Ok(PastedKey::Private(
        Box::new(key),
        KeyFormat {
            syntax: KeySyntax::Jwk,
            encoding: KeyEncoding::Jwk,
        },
    ))
}
