//! The public half of an RSA key: read for verifying, written as PEM (SPKI, RFC 5280 §4.1.2.7)
//! and JWK (RFC 7517), identified by its RFC 7638 thumbprint.

use core::fmt;

use pkcs1::der::Decode;
use pkcs8::EncodePublicKey;
use rsa::pkcs1v15;
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, PublicKey as RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::base64url::{self, PastedBase64Error};
use crate::error::{Error, Result};
use crate::key::{read_pem, SigningKey};

/// An RSA public key, for verifying RS256 signatures and for publishing.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: RsaPublicKey,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PublicKey(RSA {} bits, {})",
            self.bits(),
            self.thumbprint()
        )
    }
}

fn invalid(detail: &str) -> Error {
    Error::InvalidPublicKey {
        detail: detail.to_owned(),
    }
}

impl PublicKey {
    pub(crate) fn from_rsa(inner: RsaPublicKey) -> Self {
        PublicKey { inner }
    }

    /// Reads a public key given as PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`), base64 of a PEM or of
    /// DER, or a JWK. A private key in any format [`SigningKey::parse`] accepts also works: its
    /// public half is used.
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] saying what was wrong, or the private-key error when the text
    /// is a damaged private key.
    pub fn parse(input: &str) -> Result<Self> {
        let text = input.trim();
        if text.is_empty() {
            return Err(invalid("it is empty: paste a public key as PEM or JWK"));
        }
        if text.starts_with('{') {
            return Self::from_jwk(text);
        }
        if text.contains("-----BEGIN") {
            return Self::from_pem(text);
        }
        let bytes = base64url::decode_pasted(text).map_err(|e| match e {
            PastedBase64Error::NotBase64 => invalid("it is not PEM, base64 or a JWK"),
            PastedBase64Error::Truncated => invalid("the base64 text is cut off"),
        })?;
        if let Ok(pem) = core::str::from_utf8(&bytes) {
            if pem.trim_start().starts_with("-----BEGIN") {
                return Self::from_pem(pem);
            }
        }
        Self::from_der(&bytes).or_else(|public_error| {
            // Maybe the private key was pasted; if it is not that either, say what we expected.
            private_half(text).map_err(|private_error| match private_error {
                Error::NotAKey => public_error,
                other => other,
            })
        })
    }

    fn from_pem(text: &str) -> Result<Self> {
        let block = read_pem(text).map_err(|_| invalid("the PEM block is damaged or cut off"))?;
        match block.label {
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Self::from_der(&block.der),
            "CERTIFICATE" => Err(invalid(
                "this is a certificate: extract its key with `openssl x509 -pubkey -noout -in cert.pem`",
            )),
            _ => private_half(text),
        }
    }

    fn from_der(der: &[u8]) -> Result<Self> {
        if let Ok(spki) = pkcs8::SubjectPublicKeyInfoRef::from_der(der) {
            return RsaPublicKey::try_from(spki)
                .map(Self::from_rsa)
                .map_err(|_| invalid("it is not an RSA public key of 1024 to 8192 bits"));
        }
        let pkcs1 = pkcs1::RsaPublicKeyRef::from_der(der)
            .map_err(|_| invalid("the DER data is not an RSA public key"))?;
        RsaPublicKey::try_from(pkcs1)
            .map(Self::from_rsa)
            .map_err(|_| invalid("it is not an RSA public key of 1024 to 8192 bits"))
    }

    fn from_jwk(text: &str) -> Result<Self> {
        let jwk: serde_json::Map<String, Value> = serde_json::from_str(text)
            .map_err(|e| invalid(&format!("it is not valid JSON ({e})")))?;
        if jwk.get("kty").and_then(Value::as_str) != Some("RSA") {
            return Err(invalid("the JWK is not an RSA key (\"kty\": \"RSA\")"));
        }
        let number = |name: &str| {
            jwk.get(name)
                .and_then(Value::as_str)
                .and_then(base64url::decode)
                .ok_or_else(|| {
                    invalid(&format!(
                        "the JWK member \"{name}\" is missing or not base64url"
                    ))
                })
        };
        let (n, e) = (number("n")?, number("e")?);
        let uint = |bytes: &[u8]| {
            let width = u32::try_from(bytes.len().max(1) * 8)
                .map_err(|_| invalid("a number is too large"))?;
            BoxedUint::from_be_slice(bytes, width).map_err(|_| invalid("a number cannot be read"))
        };
        RsaPublicKey::new(uint(&n)?, uint(&e)?)
            .map(Self::from_rsa)
            .map_err(|_| invalid("it is not an RSA public key of 1024 to 8192 bits"))
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.inner.n().bit_width_vartime() as usize
    }

    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), LF line endings.
    pub fn to_pem(&self) -> String {
        self.inner
            .to_public_key_pem(pkcs8::LineEnding::LF)
            .unwrap_or_default()
    }

    /// The public JWK: `kty`, `n`, `e`, then `alg` RS256, `use` sig and `kid` (the thumbprint
    /// when no key ID is given).
    pub fn to_jwk(&self, key_id: Option<&str>) -> Value {
        let kid = key_id.map_or_else(|| self.thumbprint(), str::to_owned);
        json!({"kty": "RSA", "n": self.n(), "e": self.e(), "alg": "RS256", "use": "sig", "kid": kid})
    }

    /// RFC 7638 thumbprint: base64url SHA-256 of the required members in lexical order.
    pub fn thumbprint(&self) -> String {
        let canonical = format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, self.e(), self.n());
        base64url::encode(&Sha256::digest(canonical.as_bytes()))
    }

    fn n(&self) -> String {
        base64url::encode(minimal(&self.inner.n_bytes()))
    }

    fn e(&self) -> String {
        base64url::encode(minimal(&self.inner.e_bytes()))
    }

    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature over `message` (RFC 8017 §8.2.2).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let signature =
            pkcs1v15::Signature::try_from(signature).map_err(|_| Error::BadSignature)?;
        pkcs1v15::VerifyingKey::<Sha256>::new(self.inner.clone())
            .verify(message, &signature)
            .map_err(|_| Error::BadSignature)
    }
}

/// JWK numbers are minimal big-endian: no leading zero bytes (RFC 7518 §6.3.1.1).
fn minimal(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

fn private_half(text: &str) -> Result<PublicKey> {
    SigningKey::parse(text).map(|key| key.public_key().clone())
}
