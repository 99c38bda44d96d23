//! The RSA private key that signs: parsed once from any pasted format (see `key_text`), wiped
//! on drop, and the one place that chooses how the private-key operation runs.

use core::fmt;

use rsa::PrivateKey as RsaPrivateKey;
use serde::Serialize;

use crate::error::{ErrorKind, Result};
use crate::key_text::{self, KeyFormat, PastedKey};
use crate::public_key::PublicKey;
use crate::rsa_crt::RsaSigner;

/// What a parsed key is, without anything secret: safe to show and to serialize.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// Always "RSA".
    pub algorithm: &'static str,
    /// Modulus size in bits.
    pub bits: usize,
    /// The detected input format.
    pub format: KeyFormat,
    /// The format as words, e.g. "PKCS#1 · base64 PEM".
    pub format_label: String,
    /// RFC 7638 JWK thumbprint of the public key.
    pub thumbprint: String,
}

/// An RSA private key ready to sign RS256, parsed once. `Debug` shows no secret, and the key
/// material is zeroized when dropped (the `rsa` crate's `ZeroizeOnDrop`, and `rsa_crt`'s own).
pub struct SigningKey {
    /// The private-key operation on the `rsa-kernel` arithmetic, for every accepted key.
    signer: RsaSigner,
    /// The key's numbers, kept for writing it in another format (`key_export`).
    key: RsaPrivateKey,
    public: PublicKey,
    format: KeyFormat,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("bits", &self.bits())
            .field("format", &self.format)
            .field("private", &"[redacted]")
            .finish()
    }
}

impl SigningKey {
    /// Parses a private key in any accepted format (see `key_text`'s docs: Mux's base64 PEM,
    /// PEM, base64 DER, JWK).
    ///
    /// # Errors
    /// A specific [`Error`] for each kind of wrong input: empty, not a key, a public key or
    /// certificate, another algorithm, password-protected, under 2048 bits, damaged.
    pub fn parse(input: &str) -> Result<Self> {
        match key_text::read(input)? {
            PastedKey::Private(key, format) => Self::new(*key, format),
            PastedKey::Public { from_jwk: true, .. } => Err(ErrorKind::JwkNotPrivate.into()),
            PastedKey::Public { .. } => Err(ErrorKind::PublicKeyGiven.into()),
        }
    }

    /// The public half, for verifying and publishing.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.public.bits()
    }

    /// The format the key was pasted in.
    pub fn format(&self) -> KeyFormat {
        self.format
    }

    /// What the key is, for display: algorithm, size, format, thumbprint.
    pub fn info(&self) -> KeyInfo {
        KeyInfo {
            algorithm: "RSA",
            bits: self.bits(),
            format: self.format,
            format_label: self.format.to_string(),
            thumbprint: self.public.thumbprint(),
        }
    }

    /// Which code runs the private-key operation for this key: `"crt-fixed-1024"`,
    /// `"crt-fixed-1536"`, `"crt-fixed-2048"` (the kernel's fixed-size code for 2048-, 3072-
    /// and 4096-bit keys), `"crt-runtime-length"` (other two-prime sizes) or
    /// `"full-runtime-length"` (multi-prime keys). For tests and benchmarks.
    #[doc(hidden)]
    pub fn signing_path(&self) -> &'static str {
        self.signer.path()
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message` (RFC 8017 §8.2.1), blinded with fresh
    /// randomness and checked against the public key before it is returned.
    ///
    /// # Errors
    /// [`ErrorKind::Random`] when the system RNG fails; [`ErrorKind::Signing`] on a fault.
    pub(crate) fn sign_pkcs1v15_sha256(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.signer.sign(message)
    }

    /// The key's numbers, for `key_export`.
    pub(crate) fn rsa_key(&self) -> &RsaPrivateKey {
        &self.key
    }

    fn new(key: RsaPrivateKey, format: KeyFormat) -> Result<Self> {
        let public = PublicKey::from(&key);
        Ok(SigningKey {
            signer: RsaSigner::from_key(&key)?,
            key,
            public,
            format,
        })
    }
}

impl From<&SigningKey> for PublicKey {
    fn from(key: &SigningKey) -> Self {
        key.public.clone()
    }
}

/// A `SigningKey` is shared by threads as its signer is (rsa_crt's tests sign from many).
#[cfg(test)]
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SigningKey>();
};
