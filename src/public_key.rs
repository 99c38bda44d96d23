//! The public half of an RSA key: read for verifying, written as PEM (SPKI, RFC 5280 §4.1.2.7)
//! and JWK (RFC 7517), identified by its RFC 7638 thumbprint.

use core::fmt;

use pkcs8::EncodePublicKey;
use rsa::pkcs1v15;
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::base64url;
use crate::error::{Error, ErrorKind, Field, Result};
use crate::key_text::{self, strip_leading_zeros, PastedKey};

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
    ErrorKind::InvalidPublicKey {
        detail: detail.to_owned(),
    }
    .into()
}

impl From<&RsaPrivateKey> for PublicKey {
    fn from(key: &RsaPrivateKey) -> Self {
        PublicKey {
            inner: key.to_public_key(),
        }
    }
}

impl PublicKey {
    /// Reads a public key given as PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`), base64 of a PEM or of
    /// DER, or a JWK. A private key in any format [`crate::SigningKey::parse`] accepts also
    /// works: its public half is used.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidPublicKey`] saying what was wrong; a damaged private key's own error,
    /// concerning [`Field::PublicKey`].
    pub fn parse(input: &str) -> Result<Self> {
        match key_text::read(input) {
            Ok(PastedKey::Private(key, _)) => Ok(PublicKey::from(key.as_ref())),
            Ok(PastedKey::Public { key, .. }) => Ok(PublicKey { inner: key }),
            Err(error) => Err(match error.kind() {
                ErrorKind::EmptyKey => invalid("it is empty: paste a public key as PEM or JWK"),
                ErrorKind::NotAKey => invalid("it is not PEM, base64 or a JWK"),
                ErrorKind::CertificateGiven => invalid(
                    "this is a certificate: extract its key with `openssl x509 -pubkey -noout -in cert.pem`",
                ),
                ErrorKind::KeyTooLarge { .. } => {
                    invalid("it is not an RSA public key of 1024 to 8192 bits")
                }
                _ => error.concerning(Field::PublicKey),
            }),
        }
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
        base64url::encode(strip_leading_zeros(&self.inner.n_bytes()))
    }

    fn e(&self) -> String {
        base64url::encode(strip_leading_zeros(&self.inner.e_bytes()))
    }

    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature over `message` (RFC 8017 §8.2.2).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let signature =
            pkcs1v15::Signature::try_from(signature).map_err(|_| ErrorKind::BadSignature)?;
        pkcs1v15::VerifyingKey::<Sha256>::new(self.inner.clone())
            .verify(message, &signature)
            .map_err(|_| ErrorKind::BadSignature.into())
    }
}
