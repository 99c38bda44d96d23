//! A signing key written out in another format: Mux hands out base64 of a PKCS#1 PEM, which
//! WebCrypto, `jose` and many libraries refuse; PKCS#8 (RFC 5208), PKCS#1 (RFC 8017 §A.1.2),
//! JWK (RFC 7518 §6.3) and the public halves are what they take.

use base64::Engine;
use pkcs1::EncodeRsaPrivateKey;
use pkcs8::{EncodePrivateKey, LineEnding};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use crate::base64url;
use crate::error::{ErrorKind, Result};
use crate::key::SigningKey;
use crate::key_text::strip_leading_zeros;

/// The formats a key can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyExportFormat {
    /// `-----BEGIN PRIVATE KEY-----`: what WebCrypto, `jose` and OpenSSL 3 take.
    Pkcs8Pem,
    /// `-----BEGIN RSA PRIVATE KEY-----`.
    Pkcs1Pem,
    /// A private JWK with every member, `alg` RS256 and `kid` the signing key ID.
    Jwk,
    /// Base64 of the PKCS#1 PEM, one line: what Mux hands out.
    MuxBase64,
    /// `MUX_PRIVATE_KEY=…`, one line, safe to paste into a `.env` file.
    Env,
    /// The public key as SPKI PEM.
    PublicPem,
    /// The public key as a JWK.
    PublicJwk,
}

impl KeyExportFormat {
    /// Every format, by the name [`KeyExportFormat::parse`] reads.
    pub const ALL: [(&'static str, KeyExportFormat); 7] = [
        ("pkcs8-pem", KeyExportFormat::Pkcs8Pem),
        ("pkcs1-pem", KeyExportFormat::Pkcs1Pem),
        ("jwk", KeyExportFormat::Jwk),
        ("mux-base64", KeyExportFormat::MuxBase64),
        ("env", KeyExportFormat::Env),
        ("public-pem", KeyExportFormat::PublicPem),
        ("public-jwk", KeyExportFormat::PublicJwk),
    ];

    /// Reads a format name (`pkcs8-pem`, `jwk`, `public-pem`…).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownKeyFormat`] listing the names.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name.trim())
            .map(|(_, format)| *format)
            .ok_or_else(|| {
                ErrorKind::UnknownKeyFormat {
                    given: name.to_owned(),
                    valid: Self::ALL.iter().map(|(n, _)| *n).collect(),
                }
                .into()
            })
    }

    /// The format in a list of choices.
    pub fn label(self) -> &'static str {
        match self {
            KeyExportFormat::Pkcs8Pem => "PKCS#8 PEM (WebCrypto, jose, Node)",
            KeyExportFormat::Pkcs1Pem => "PKCS#1 PEM",
            KeyExportFormat::Jwk => "JWK",
            KeyExportFormat::MuxBase64 => "Mux's base64 (as the dashboard gives it)",
            KeyExportFormat::Env => "One line for a .env file",
            KeyExportFormat::PublicPem => "Public key, SPKI PEM",
            KeyExportFormat::PublicJwk => "Public key, JWK",
        }
    }

    /// What a text in this format is, as a title above it.
    pub fn title(self) -> &'static str {
        match self {
            KeyExportFormat::Pkcs8Pem => "PKCS#8 PEM private key",
            KeyExportFormat::Pkcs1Pem => "PKCS#1 PEM private key",
            KeyExportFormat::Jwk => "JWK private key",
            KeyExportFormat::MuxBase64 => "Private key in Mux's base64",
            KeyExportFormat::Env => "Private key on one line, for .env",
            KeyExportFormat::PublicPem => "PEM public key",
            KeyExportFormat::PublicJwk => "JWK public key",
        }
    }

    /// How the text is written: `pem`, `jwk`, `base64` or `env`.
    pub fn encoding(self) -> &'static str {
        match self {
            KeyExportFormat::Pkcs8Pem | KeyExportFormat::Pkcs1Pem | KeyExportFormat::PublicPem => {
                "pem"
            }
            KeyExportFormat::Jwk | KeyExportFormat::PublicJwk => "jwk",
            KeyExportFormat::MuxBase64 => "base64",
            KeyExportFormat::Env => "env",
        }
    }

    /// Whether the output holds the private key.
    pub fn is_secret(self) -> bool {
        !matches!(
            self,
            KeyExportFormat::PublicPem | KeyExportFormat::PublicJwk
        )
    }
}

/// A big number as a JWK member: minimal big-endian, base64url (RFC 7518 §6.3.1.1).
fn member(number: &rsa::BoxedUint) -> String {
    let bytes = Zeroizing::new(number.to_be_bytes());
    base64url::encode(strip_leading_zeros(&bytes))
}

impl SigningKey {
    /// The key written in `format`; `key_id` becomes a JWK's `kid`. Secret formats return
    /// text that holds the private key, wiped when dropped.
    ///
    /// # Errors
    /// [`ErrorKind::Serialization`] if the key cannot be encoded (should not happen).
    pub fn export(
        &self,
        format: KeyExportFormat,
        key_id: Option<&str>,
    ) -> Result<Zeroizing<String>> {
        let key = self.rsa_key();
        let pkcs1_pem = || {
            key.to_pkcs1_pem(LineEnding::LF)
                .map(|pem| Zeroizing::new(pem.to_string()))
                .map_err(|_| ErrorKind::Serialization)
        };
        let mux_base64 = || -> Result<Zeroizing<String>> {
            Ok(Zeroizing::new(
                base64::engine::general_purpose::STANDARD.encode(pkcs1_pem()?.as_bytes()),
            ))
        };
        Ok(match format {
            KeyExportFormat::Pkcs8Pem => key
                .to_pkcs8_pem(LineEnding::LF)
                .map(|pem| Zeroizing::new(pem.to_string()))
                .map_err(|_| ErrorKind::Serialization)?,
            KeyExportFormat::Pkcs1Pem => pkcs1_pem()?,
            KeyExportFormat::MuxBase64 => Zeroizing::new(format!("{}\n", mux_base64()?.as_str())),
            KeyExportFormat::Env => {
                Zeroizing::new(format!("MUX_PRIVATE_KEY={}\n", mux_base64()?.as_str()))
            }
            KeyExportFormat::Jwk => {
                let [p, q] = key.primes() else {
                    return Err(ErrorKind::Serialization.into());
                };
                let (dp, dq, qi) = match (key.dp(), key.dq(), key.crt_coefficient()) {
                    (Some(dp), Some(dq), Some(qi)) => (member(dp), member(dq), member(&qi)),
                    _ => return Err(ErrorKind::Serialization.into()),
                };
                let mut jwk = json!({
                    "kty": "RSA",
                    "n": member(key.n()),
                    "e": member(key.e()),
                    "d": member(key.d()),
                    "p": member(p.as_ref()),
                    "q": member(q.as_ref()),
                    "dp": dp,
                    "dq": dq,
                    "qi": qi,
                    "alg": "RS256",
                });
                if let (Some(kid), Value::Object(map)) = (key_id, &mut jwk) {
                    map.insert("kid".to_owned(), kid.into());
                }
                let text = Zeroizing::new(format!("{jwk}\n"));
                zeroize_json(jwk);
                text
            }
            KeyExportFormat::PublicPem => Zeroizing::new(self.public_key().to_pem()),
            KeyExportFormat::PublicJwk => {
                Zeroizing::new(format!("{}\n", self.public_key().to_jwk(key_id)))
            }
        })
    }
}

/// Wipes the strings of a JSON value that held key members.
fn zeroize_json(value: Value) {
    use zeroize::Zeroize;
    if let Value::Object(map) = value {
        for (_, value) in map {
            if let Value::String(mut text) = value {
                text.zeroize();
            }
        }
    }
}
