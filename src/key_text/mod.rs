//! RSA keys as people paste them: the one reader behind both [`crate::SigningKey::parse`] and
//! [`crate::PublicKey::parse`], so the sniffing of pasted text is written once.
//!
//! Accepted: Mux's own format (base64 of a PEM file), PEM (RFC 7468) with PKCS#1
//! `RSA PRIVATE KEY` / `RSA PUBLIC KEY` (RFC 8017 §A.1), PKCS#8 `PRIVATE KEY` (RFC 5208 §5) or
//! SPKI `PUBLIC KEY` (RFC 5280 §4.1.2.7), base64 of any of those DER structures, and RSA JWKs
//! (RFC 7518 §6.3). Line breaks, spaces, CRLF, literal `\n` escapes and blanks around the key
//! are tolerated. Everything else gets an error that names what was pasted.

use core::fmt;

use pkcs1::der::Decode;
use rsa::{BoxedUint, PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};
use serde::Serialize;
use zeroize::Zeroizing;

mod jwk;

use crate::base64url::{self, PastedBase64Error};
use crate::error::{Error, ErrorKind, Result};

/// Refuse anything longer: an RSA-8192 PEM is under 7 KB, and parsing is cheap only when bounded.
const MAX_KEY_INPUT: usize = 64 * 1024;
/// RS256 requires at least 2048-bit keys (RFC 7518 §3.3).
const MIN_BITS: usize = 2048;
/// The `rsa` crate's largest; checked before any arithmetic, since a fuzzed JWK with an
/// 88 000-bit modulus took seconds to be refused.
const MAX_BITS: usize = 8192;

/// How the key text was wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyEncoding {
    /// Base64 of a PEM file: what Mux's API and dashboard hand out.
    Base64Pem,
    /// A PEM file as text.
    Pem,
    /// Base64 of DER bytes.
    Base64Der,
    /// A JSON Web Key.
    Jwk,
}

/// Which structure held the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySyntax {
    /// `RSAPrivateKey` of PKCS#1.
    Pkcs1,
    /// `PrivateKeyInfo` of PKCS#8.
    Pkcs8,
    /// JSON Web Key members.
    Jwk,
}

/// The detected input format, for a page or CLI to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct KeyFormat {
    /// Which structure held the key.
    pub syntax: KeySyntax,
    /// How the text wrapped it.
    pub encoding: KeyEncoding,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let syntax = match self.syntax {
            KeySyntax::Pkcs1 => "PKCS#1",
            KeySyntax::Pkcs8 => "PKCS#8",
            KeySyntax::Jwk => "JWK",
        };
        let encoding = match self.encoding {
            KeyEncoding::Base64Pem => " · base64 PEM",
            KeyEncoding::Pem => " · PEM",
            KeyEncoding::Base64Der => " · base64 DER",
            KeyEncoding::Jwk => "",
        };
        write!(f, "{syntax}{encoding}")
    }
}

/// What the pasted text held.
pub(crate) enum PastedKey {
    /// An RSA private key (checked: 2048 to 8192 bits, numbers consistent).
    Private(Box<RsaPrivateKey>, KeyFormat),
    /// Only a public key; `from_jwk` when it was a JWK without `d`.
    Public { key: RsaPublicKey, from_jwk: bool },
}

/// Reads any key text people paste.
///
/// # Errors
/// A specific [`Error`] for each kind of wrong input: empty, too long, not a key, a
/// certificate, another algorithm, password-protected, outside 2048–8192 bits (private keys),
/// damaged.
pub(crate) fn read(input: &str) -> Result<PastedKey> {
    let text = input.trim();
    if text.is_empty() {
        return Err(ErrorKind::EmptyKey.into());
    }
    if text.len() > MAX_KEY_INPUT {
        return Err(ErrorKind::KeyInputTooLong { len: text.len() }.into());
    }
    if text.starts_with('{') {
        return jwk::from_jwk(text);
    }
    if text.contains("-----BEGIN") {
        return from_pem(text, KeyEncoding::Pem);
    }
    if text.starts_with("ssh-rsa ") || text.starts_with("ssh-ed25519 ") {
        return Err(ErrorKind::PublicKeyGiven.into());
    }
    let bytes = base64url::decode_pasted(text).map_err(|e| match e {
        PastedBase64Error::NotBase64 => ErrorKind::NotAKey.into(),
        // Short text is a key ID or a word, not a key that lost its end.
        PastedBase64Error::Truncated if text.len() < 200 => ErrorKind::NotAKey.into(),
        PastedBase64Error::Truncated => corrupt("the base64 text is cut off"),
    })?;
    if let Some(pem) = bytes
        .trim_ascii_start()
        .starts_with(b"-----BEGIN")
        .then(|| core::str::from_utf8(&bytes).ok())
        .flatten()
    {
        return from_pem(pem, KeyEncoding::Base64Pem);
    }
    if bytes.first() == Some(&0x30) {
        return from_der(&bytes, KeyEncoding::Base64Der);
    }
    Err(ErrorKind::NotAKey.into())
}

fn corrupt(detail: &str) -> Error {
    ErrorKind::CorruptKey {
        detail: detail.to_owned(),
    }
    .into()
}

fn unsupported(kind: &str) -> Error {
    ErrorKind::UnsupportedKeyType {
        kind: kind.to_owned(),
    }
    .into()
}

/// Numbers of a key as minimal big-endian bytes: no leading zero bytes (RFC 7518 §6.3.1.1).
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

/// Bits of a big-endian unsigned integer, ignoring leading zero bytes.
fn bit_length(bytes: &[u8]) -> usize {
    let bytes = strip_leading_zeros(bytes);
    bytes.first().map_or(0, |&top| {
        (bytes.len() - 1) * 8 + (8 - top.leading_zeros() as usize)
    })
}

fn check_private_size(bits: usize) -> Result<()> {
    if bits < MIN_BITS {
        return Err(ErrorKind::KeyTooSmall { bits }.into());
    }
    if bits > MAX_BITS {
        return Err(ErrorKind::KeyTooLarge { bits }.into());
    }
    Ok(())
}

/// The label of the first PEM block: decided before its body is decoded, so a certificate cut
/// off mid-body is still named a certificate.
fn pem_label(text: &str) -> Result<&str> {
    const BEGIN: &str = "-----BEGIN ";
    let start = text.find(BEGIN).ok_or(ErrorKind::NotAKey)?;
    let after_begin = text.get(start + BEGIN.len()..).unwrap_or_default();
    let label_len = after_begin
        .find("-----")
        .ok_or_else(|| corrupt("the -----BEGIN line is incomplete"))?;
    Ok(after_begin.get(..label_len).unwrap_or_default().trim())
}

/// A PEM block's body, decoded forgivingly (RFC 7468 §3 is stricter than people), and whether
/// it carries RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (legacy encrypted PEM).
fn pem_body(text: &str) -> Result<(Zeroizing<Vec<u8>>, bool)> {
    let begin = text.find("-----BEGIN ").unwrap_or_default();
    let after_begin = text.get(begin + 11..).unwrap_or_default();
    let rest = after_begin
        .find("-----")
        .and_then(|end| after_begin.get(end + 5..))
        .unwrap_or_default();
    let body_len = rest
        .find("-----END")
        .ok_or_else(|| corrupt("there is no -----END line, so the key looks cut off"))?;
    let body = rest.get(..body_len).unwrap_or_default();
    // Keys pasted out of JSON or .env files often carry literal "\n" escapes.
    let body: Zeroizing<String> = Zeroizing::new(unescape_newlines(body));
    let has_headers = body.lines().any(|line| line.contains(':'));
    let base64_lines: Zeroizing<String> =
        Zeroizing::new(body.lines().filter(|line| !line.contains(':')).collect());
    let der = base64url::decode_pasted(&base64_lines).map_err(|e| match e {
        PastedBase64Error::NotBase64 => corrupt("the PEM body holds characters base64 never has"),
        PastedBase64Error::Truncated => corrupt("the PEM body is cut off"),
    })?;
    Ok((der, has_headers))
}

/// Turns literal `\n` and `\r` escapes into line breaks, in one copy (which the caller wipes).
fn unescape_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('n')) => {
                chars.next();
                out.push('\n');
            }
            ('\\', Some('r')) => {
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

fn from_pem(text: &str, encoding: KeyEncoding) -> Result<PastedKey> {
    match pem_label(text)? {
        "RSA PRIVATE KEY" => match pem_body(text)? {
            (_, true) => Err(ErrorKind::EncryptedKey.into()),
            (der, false) => from_pkcs1(&der, encoding),
        },
        "PRIVATE KEY" => from_pkcs8(&pem_body(text)?.0, encoding),
        "PUBLIC KEY" | "RSA PUBLIC KEY" => public_from_der(&pem_body(text)?.0),
        "ENCRYPTED PRIVATE KEY" => Err(ErrorKind::EncryptedKey.into()),
        "CERTIFICATE"
        | "TRUSTED CERTIFICATE"
        | "X509 CERTIFICATE"
        | "CERTIFICATE REQUEST"
        | "NEW CERTIFICATE REQUEST" => Err(ErrorKind::CertificateGiven.into()),
        "EC PRIVATE KEY" | "EC PARAMETERS" => Err(unsupported("an EC (elliptic-curve)")),
        "DSA PRIVATE KEY" => Err(unsupported("a DSA")),
        "OPENSSH PRIVATE KEY" => Err(ErrorKind::OpenSshKey.into()),
        label => Err(ErrorKind::UnknownPemLabel {
            label: label.to_owned(),
        }
        .into()),
    }
}

/// DER without a label: try each structure a key file may hold.
fn from_der(der: &[u8], encoding: KeyEncoding) -> Result<PastedKey> {
    if pkcs8::PrivateKeyInfoRef::from_der(der).is_ok() {
        return from_pkcs8(der, encoding);
    }
    if pkcs1::RsaPrivateKeyRef::from_der(der).is_ok() {
        return from_pkcs1(der, encoding);
    }
    if pkcs8::SubjectPublicKeyInfoRef::from_der(der).is_ok()
        || pkcs1::RsaPublicKeyRef::from_der(der).is_ok()
    {
        return public_from_der(der);
    }
    if looks_like_certificate(der) {
        return Err(ErrorKind::CertificateGiven.into());
    }
    Err(corrupt(
        "the DER data is not a PKCS#1 or PKCS#8 private key",
    ))
}

/// An X.509 certificate is SEQUENCE { SEQUENCE { [0] version, … } … }.
fn looks_like_certificate(der: &[u8]) -> bool {
    fn skip_header(der: &[u8]) -> Option<&[u8]> {
        let (&tag, rest) = der.split_first()?;
        if tag != 0x30 {
            return None;
        }
        let (&len, rest) = rest.split_first()?;
        let extra = if len & 0x80 == 0 {
            0
        } else {
            usize::from(len & 0x7f)
        };
        rest.get(extra..)
    }
    skip_header(der)
        .and_then(skip_header)
        .is_some_and(|tbs| tbs.first() == Some(&0xa0))
}

fn public_from_der(der: &[u8]) -> Result<PastedKey> {
    let not_rsa = || ErrorKind::InvalidPublicKey {
        detail: "it is not an RSA public key of 1024 to 8192 bits".to_owned(),
    };
    let key = if let Ok(spki) = pkcs8::SubjectPublicKeyInfoRef::from_der(der) {
        RsaPublicKey::try_from(spki).map_err(|_| not_rsa())?
    } else {
        let pkcs1 =
            pkcs1::RsaPublicKeyRef::from_der(der).map_err(|_| ErrorKind::InvalidPublicKey {
                detail: "the DER data is not an RSA public key".to_owned(),
            })?;
        RsaPublicKey::try_from(pkcs1).map_err(|_| not_rsa())?
    };
    Ok(PastedKey::Public {
        key,
        from_jwk: false,
    })
}

fn from_pkcs8(der: &[u8], encoding: KeyEncoding) -> Result<PastedKey> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der)
        .map_err(|_| corrupt("the PKCS#8 structure cannot be read"))?;
    match info.algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => {}
        "1.2.840.10045.2.1" => return Err(unsupported("an EC (elliptic-curve)")),
        "1.3.101.112" => return Err(unsupported("an Ed25519")),
        "1.3.101.113" => return Err(unsupported("an Ed448")),
        "1.3.101.110" | "1.3.101.111" => return Err(unsupported("an X25519/X448 key-agreement")),
        "1.2.840.10040.4.1" => return Err(unsupported("a DSA")),
        "1.2.840.113549.1.1.10" => return Err(unsupported("an RSA-PSS-only")),
        other => return Err(unsupported(&format!("an unknown algorithm ({other})"))),
    }
    let key = rsa_key_from_pkcs1(info.private_key.as_bytes())?;
    Ok(PastedKey::Private(
        Box::new(key),
        KeyFormat {
            syntax: KeySyntax::Pkcs8,
            encoding,
        },
    ))
}

fn from_pkcs1(der: &[u8], encoding: KeyEncoding) -> Result<PastedKey> {
    let key = rsa_key_from_pkcs1(der)?;
    Ok(PastedKey::Private(
        Box::new(key),
        KeyFormat {
            syntax: KeySyntax::Pkcs1,
            encoding,
        },
    ))
}

fn rsa_key_from_pkcs1(der: &[u8]) -> Result<RsaPrivateKey> {
    let parsed = pkcs1::RsaPrivateKeyRef::from_der(der)
        .map_err(|_| corrupt("the RSA key structure cannot be read"))?;
    check_private_size(bit_length(parsed.modulus.as_bytes()))?;
    RsaPrivateKey::try_from(parsed)
        .map_err(|_| corrupt("its numbers do not fit together as an RSA key"))
}

/// A big-endian number stored `width` bits wide (the same storage width for every secret
/// number as the `rsa` crate's own PKCS#1 decoder, so no width leaks a value's size).
fn uint(bytes: &[u8], width: usize) -> Result<BoxedUint> {
    let width = u32::try_from(width).map_err(|_| corrupt("a number is too large"))?;
    BoxedUint::from_be_slice(strip_leading_zeros(bytes), width)
        .map_err(|_| corrupt("a number is larger than the modulus"))
}
