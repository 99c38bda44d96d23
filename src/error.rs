//! The one error type: each variant is a message a person can act on.

use core::fmt;

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong, each with a message that says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The private key field is empty.
    EmptyKey,
    /// The key text is longer than any RSA private key could be.
    KeyInputTooLong {
        /// Length of the input in bytes.
        len: usize,
    },
    /// The text is neither PEM, base64 nor a JWK.
    NotAKey,
    /// A public key was given where the private key is needed.
    PublicKeyGiven,
    /// A certificate was given where the private key is needed.
    CertificateGiven,
    /// A private key of another algorithm (EC, Ed25519, DSA…).
    UnsupportedKeyType {
        /// What kind of key it is, e.g. "an EC (elliptic-curve)".
        kind: String,
    },
    /// An OpenSSH-format private key.
    OpenSshKey,
    /// A password-protected private key.
    EncryptedKey,
    /// An RSA key shorter than 2048 bits.
    KeyTooSmall {
        /// The key's modulus size.
        bits: usize,
    },
    /// An RSA key longer than 8192 bits: no real signing key is, and the arithmetic would
    /// take seconds.
    KeyTooLarge {
        /// The key's modulus size.
        bits: usize,
    },
    /// The key is cut off or damaged.
    CorruptKey {
        /// What exactly is wrong.
        detail: String,
    },
    /// A PEM block whose label is not a key this tool knows.
    UnknownPemLabel {
        /// The label after `-----BEGIN`.
        label: String,
    },
    /// A JWK that holds only the public half.
    JwkNotPrivate,
    /// A JWK that cannot be read.
    InvalidJwk {
        /// What exactly is wrong.
        detail: String,
    },
    /// A public key (for verifying) that cannot be read.
    InvalidPublicKey {
        /// What exactly is wrong.
        detail: String,
    },
    /// No signing key ID was given.
    MissingKeyId,
    /// The signing key ID holds characters no key ID has.
    InvalidKeyId {
        /// The ID as given.
        key_id: String,
    },
    /// No playback (or other) ID was given.
    EmptyId,
    /// The ID holds characters that no Mux ID has.
    InvalidId {
        /// The ID as given.
        id: String,
    },
    /// A token type this tool does not know.
    UnknownTokenType {
        /// The type as given.
        given: String,
        /// The valid names, filled in where the name is parsed.
        valid: Vec<&'static str>,
    },
    /// A viewer-counts ID type this tool does not know.
    UnknownViewerCountsType {
        /// The type as given.
        given: String,
        /// The valid names, filled in where the name is parsed.
        valid: Vec<&'static str>,
    },
    /// A key format name `key convert` / `exportKey` does not know.
    UnknownKeyFormat {
        /// The name as given.
        given: String,
        /// The valid names, filled in where the name is parsed.
        valid: Vec<&'static str>,
    },
    /// An unknown place for the key ID.
    UnknownKidPlacement {
        /// The value as given.
        given: String,
    },
    /// An expiration that is neither a duration nor a date.
    InvalidExpiration {
        /// The expiration as given.
        given: String,
    },
    /// A bare number large enough to be a Unix time, given as a duration.
    LooksLikeUnixTime {
        /// The number as given.
        seconds: u64,
    },
    /// The resulting expiry is not in the future.
    ExpiryInPast {
        /// The expiry, as an RFC 3339 date-time.
        expiry: String,
    },
    /// The expiry is past the year 9999.
    ExpiryTooFar,
    /// An expiration or expiry given as a number that is not whole seconds ≥ 0 (NaN,
    /// Infinity, a fraction, a negative number).
    InvalidSeconds {
        /// The number, as JavaScript writes it.
        given: String,
        /// Whether it was an absolute expiry (`expiresAt`) rather than a duration.
        absolute: bool,
    },
    /// Both a relative expiration and an absolute expiry were given.
    ConflictingExpiration,
    /// A known param with a value it does not accept.
    InvalidParam {
        /// The param's name.
        name: String,
        /// What it accepts.
        expected: String,
    },
    /// Params that are not a JSON object, or not JSON at all.
    InvalidParams {
        /// What exactly is wrong.
        detail: String,
    },
    /// Options (JS API) that cannot be read.
    InvalidOptions {
        /// What exactly is wrong.
        detail: String,
    },
    /// A token that is not three base64url parts of JSON.
    MalformedToken {
        /// What exactly is wrong.
        detail: String,
    },
    /// A token signed with another algorithm than RS256.
    UnsupportedAlgorithm {
        /// The `alg` in the token's header.
        alg: String,
    },
    /// The signature does not match the public key.
    BadSignature,
    /// The system's random number generator failed.
    Random,
    /// The RSA operation failed, or its result did not verify (a fault): nothing is returned.
    Signing,
    /// Claims or a header that cannot be written as JSON (should not happen).
    Serialization,
    /// Another error, about an input other than the one its kind usually concerns (an
    /// expiry given as `expiresAt`, a private key pasted where a public key was asked for).
    Concerning {
        /// The input it concerns.
        field: Field,
        /// The error itself.
        error: Box<Error>,
    },
}

/// The input an error concerns, named as the JS API's options and arguments name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The signing key ID.
    KeyId,
    /// The private key text.
    KeySecret,
    /// The playback ID (or the ID a viewer-counts token is for).
    PlaybackId,
    /// The token type or viewer-counts ID type.
    Type,
    /// A relative expiration.
    Expiration,
    /// An absolute expiry.
    ExpiresAt,
    /// Params or custom claims.
    Params,
    /// Where the key ID goes.
    KidIn,
    /// A token to decode or verify.
    Token,
    /// A public key to verify with.
    PublicKey,
    /// The options object or an argument as a whole.
    Options,
}

impl Field {
    /// Every field, in the order the page shows them.
    pub const ALL: [Field; 11] = [
        Field::KeyId,
        Field::KeySecret,
        Field::PlaybackId,
        Field::Type,
        Field::Expiration,
        Field::ExpiresAt,
        Field::Params,
        Field::KidIn,
        Field::Token,
        Field::PublicKey,
        Field::Options,
    ];

    /// The name, as in the JS API (`keySecret`, `playbackId`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::KeyId => "keyId",
            Field::KeySecret => "keySecret",
            Field::PlaybackId => "playbackId",
            Field::Type => "type",
            Field::Expiration => "expiration",
            Field::ExpiresAt => "expiresAt",
            Field::Params => "params",
            Field::KidIn => "kidIn",
            Field::Token => "token",
            Field::PublicKey => "publicKey",
            Field::Options => "options",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// Every code, for documentation and the TypeScript union (kept complete by a test).
    pub const CODES: [&'static str; 37] = [
        "key_missing",
        "key_too_long",
        "key_not_a_key",
        "key_is_public",
        "key_is_certificate",
        "key_unsupported_type",
        "key_openssh",
        "key_encrypted",
        "key_too_small",
        "key_too_large",
        "key_damaged",
        "key_unknown_pem_label",
        "key_jwk_public_only",
        "key_jwk_invalid",
        "public_key_invalid",
        "key_id_missing",
        "key_id_invalid",
        "id_missing",
        "id_invalid",
        "type_unknown",
        "viewer_counts_type_unknown",
        "kid_in_unknown",
        "key_format_unknown",
        "expiration_invalid",
        "expiration_looks_like_unix_time",
        "expiration_not_future",
        "expiration_too_far",
        "expiration_conflict",
        "param_invalid",
        "params_invalid",
        "options_invalid",
        "token_malformed",
        "token_algorithm_unsupported",
        "signature_invalid",
        "random_failed",
        "signing_failed",
        "serialization_failed",
    ];

    /// A stable snake_case name for this kind of error: branch on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptyKey => "key_missing",
            Error::KeyInputTooLong { .. } => "key_too_long",
            Error::NotAKey => "key_not_a_key",
            Error::PublicKeyGiven => "key_is_public",
            Error::CertificateGiven => "key_is_certificate",
            Error::UnsupportedKeyType { .. } => "key_unsupported_type",
            Error::OpenSshKey => "key_openssh",
            Error::EncryptedKey => "key_encrypted",
            Error::KeyTooSmall { .. } => "key_too_small",
            Error::KeyTooLarge { .. } => "key_too_large",
            Error::CorruptKey { .. } => "key_damaged",
            Error::UnknownPemLabel { .. } => "key_unknown_pem_label",
            Error::JwkNotPrivate => "key_jwk_public_only",
            Error::InvalidJwk { .. } => "key_jwk_invalid",
            Error::InvalidPublicKey { .. } => "public_key_invalid",
            Error::MissingKeyId => "key_id_missing",
            Error::InvalidKeyId { .. } => "key_id_invalid",
            Error::EmptyId => "id_missing",
            Error::InvalidId { .. } => "id_invalid",
            Error::UnknownTokenType { .. } => "type_unknown",
            Error::UnknownViewerCountsType { .. } => "viewer_counts_type_unknown",
            Error::UnknownKidPlacement { .. } => "kid_in_unknown",
            Error::UnknownKeyFormat { .. } => "key_format_unknown",
            Error::InvalidExpiration { .. } => "expiration_invalid",
            Error::LooksLikeUnixTime { .. } => "expiration_looks_like_unix_time",
            Error::InvalidSeconds { .. } => "expiration_invalid",
            Error::ExpiryInPast { .. } => "expiration_not_future",
            Error::ExpiryTooFar => "expiration_too_far",
            Error::ConflictingExpiration => "expiration_conflict",
            Error::InvalidParam { .. } => "param_invalid",
            Error::InvalidParams { .. } => "params_invalid",
            Error::InvalidOptions { .. } => "options_invalid",
            Error::MalformedToken { .. } => "token_malformed",
            Error::UnsupportedAlgorithm { .. } => "token_algorithm_unsupported",
            Error::BadSignature => "signature_invalid",
            Error::Random => "random_failed",
            Error::Signing => "signing_failed",
            Error::Serialization => "serialization_failed",
            Error::Concerning { error, .. } => error.code(),
        }
    }

    /// The input this error concerns, so that a form can show it next to the right field.
    pub fn field(&self) -> Field {
        match self {
            Error::EmptyKey
            | Error::KeyInputTooLong { .. }
            | Error::NotAKey
            | Error::PublicKeyGiven
            | Error::CertificateGiven
            | Error::UnsupportedKeyType { .. }
            | Error::OpenSshKey
            | Error::EncryptedKey
            | Error::KeyTooSmall { .. }
            | Error::KeyTooLarge { .. }
            | Error::CorruptKey { .. }
            | Error::UnknownPemLabel { .. }
            | Error::JwkNotPrivate
            | Error::InvalidJwk { .. }
            | Error::Signing => Field::KeySecret,
            Error::InvalidPublicKey { .. } => Field::PublicKey,
            Error::MissingKeyId | Error::InvalidKeyId { .. } => Field::KeyId,
            Error::EmptyId | Error::InvalidId { .. } => Field::PlaybackId,
            Error::UnknownTokenType { .. } | Error::UnknownViewerCountsType { .. } => Field::Type,
            Error::UnknownKidPlacement { .. } => Field::KidIn,
            Error::InvalidExpiration { .. }
            | Error::LooksLikeUnixTime { .. }
            | Error::ExpiryInPast { .. }
            | Error::ExpiryTooFar
            | Error::ConflictingExpiration => Field::Expiration,
            Error::InvalidSeconds { absolute: true, .. } => Field::ExpiresAt,
            Error::InvalidSeconds {
                absolute: false, ..
            } => Field::Expiration,
            Error::InvalidParam { .. } | Error::InvalidParams { .. } => Field::Params,
            Error::MalformedToken { .. }
            | Error::UnsupportedAlgorithm { .. }
            | Error::BadSignature => Field::Token,
            Error::InvalidOptions { .. }
            | Error::UnknownKeyFormat { .. }
            | Error::Random
            | Error::Serialization => Field::Options,
            Error::Concerning { field, .. } => *field,
        }
    }

    /// The same error, about `field` instead of the input its kind usually concerns.
    #[must_use]
    pub fn concerning(self, field: Field) -> Error {
        match self {
            Error::Concerning { error, .. } => Error::Concerning { field, error },
            error if error.field() == field => error,
            error => Error::Concerning {
                field,
                error: Box::new(error),
            },
        }
    }

    /// The error behind any [`Error::Concerning`] wrapper.
    pub fn kind(&self) -> &Error {
        match self {
            Error::Concerning { error, .. } => error.kind(),
            error => error,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptyKey => f.write_str("the private key is empty: paste the private key you downloaded with the signing key"),
            Error::KeyInputTooLong { len } => write!(f, "the private key is {len} bytes long, far more than any RSA key: paste only the key"),
            Error::NotAKey => f.write_str("this is not a private key: paste the base64 text Mux gave you, a PEM file (-----BEGIN …) or a JWK"),
            Error::PublicKeyGiven => f.write_str("this is a public key: paste the private key you downloaded with the signing key"),
            Error::CertificateGiven => f.write_str("this is a certificate, not a key: paste the private key you downloaded with the signing key"),
            Error::UnsupportedKeyType { kind } => write!(f, "this is {kind} private key: Mux signing keys are RSA, so paste the RSA private key"),
            Error::OpenSshKey => f.write_str("this is an OpenSSH private key: Mux signing keys are RSA PEM; paste the key Mux gave you"),
            Error::EncryptedKey => f.write_str("this private key is password-protected: decrypt it first (openssl pkey -in key.pem -out plain.pem)"),
            Error::KeyTooSmall { bits } => write!(f, "this RSA key is only {bits} bits: RS256 needs at least 2048 bits; Mux signing keys are 2048-bit"),
            Error::KeyTooLarge { bits } => write!(f, "this RSA key is {bits} bits: keys over 8192 bits are not supported; Mux signing keys are 2048-bit"),
            Error::CorruptKey { detail } => write!(f, "the private key is damaged or incomplete ({detail}): paste the whole key again"),
            Error::UnknownPemLabel { label } => write!(f, "a PEM block \"{label}\" is not a private key: paste an RSA PRIVATE KEY or PRIVATE KEY block"),
            Error::JwkNotPrivate => f.write_str("this JWK holds only the public key (no \"d\"): paste the private JWK"),
            Error::InvalidJwk { detail } => write!(f, "this JWK cannot be read: {detail}"),
            Error::InvalidPublicKey { detail } => write!(f, "the public key cannot be read: {detail}"),
            Error::MissingKeyId => f.write_str("the signing key ID is missing: it is the ID shown beside the signing key in Mux"),
            Error::InvalidKeyId { key_id } => write!(f, "signing key ID {key_id:?} has characters no key ID has: paste the ID alone"),
            Error::EmptyId => f.write_str("the ID is missing: paste the playback ID (or the ID to count viewers of)"),
            Error::InvalidId { id } => write!(f, "ID {id:?} has characters no Mux ID has (only letters, digits, '-', '_', '.', '~'): paste the ID alone"),
            Error::UnknownTokenType { given, valid } => write!(f, "unknown token type {given:?}: use {}", one_of(valid)),
            Error::UnknownViewerCountsType { given, valid } => write!(f, "unknown ID type {given:?} for viewer counts: use {}", one_of(valid)),
            Error::UnknownKeyFormat { given, valid } => write!(f, "unknown key format {given:?}: use {}", one_of(valid)),
            Error::UnknownKidPlacement { given } => write!(f, "unknown key ID placement {given:?}: use claims, header or both"),
            Error::InvalidExpiration { given } => write!(f, "expiration {given:?} is not a duration or a date: use seconds (3600), a duration (7d, 2 days, 10h, 30 minutes, 1w) or a date-time (2030-01-01T00:00:00Z)"),
            Error::LooksLikeUnixTime { seconds } => write!(f, "expiration {seconds} looks like a Unix time, not a duration: give it as an absolute expiry (@{seconds} on the CLI, expiresAt in JS) or use a duration such as 7d"),
            Error::ExpiryInPast { expiry } => write!(f, "the token would expire at {expiry}, which is not in the future: choose a later expiry"),
            Error::ExpiryTooFar => f.write_str("the expiry is beyond the year 9999: choose a nearer one (a Unix time must be in seconds, not milliseconds)"),
            Error::InvalidSeconds { given, absolute: false } => write!(f, "expiration {given} is not a number of seconds: use seconds (3600), a duration (7d, 2 days, 10h, 30 minutes, 1w) or a date-time (2030-01-01T00:00:00Z)"),
            Error::InvalidSeconds { given, absolute: true } => write!(f, "expiresAt {given} is not a Unix time: give whole seconds since 1970, or an RFC 3339 date-time"),
            Error::ConflictingExpiration => f.write_str("give either a relative expiration or an absolute expiry, not both"),
            Error::InvalidParam { name, expected } => write!(f, "param \"{name}\" {expected}"),
            Error::InvalidParams { detail } => write!(f, "params must be a JSON object: {detail}"),
            Error::InvalidOptions { detail } => write!(f, "invalid options: {detail}"),
            Error::MalformedToken { detail } => write!(f, "this is not a JWT: {detail}"),
            Error::UnsupportedAlgorithm { alg } => write!(f, "this token is signed with {alg}: only RS256 tokens can be verified here"),
            Error::BadSignature => f.write_str("the signature does not match this public key: the token was changed or signed with another key"),
            Error::Random => f.write_str("the system's random number generator failed: try again"),
            Error::Signing => f.write_str("signing failed: the key could not be used; paste it again"),
            Error::Serialization => f.write_str("the token's claims could not be written as JSON"),
            Error::Concerning { error, .. } => error.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// "a, b or c".
fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut codes = Error::CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Error::CODES.len(), "a code is listed twice");
        for code in Error::CODES {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
        }
    }

    /// The TypeScript `ErrorCode` union (src/wasm/types.d.ts) lists exactly `CODES`.
    #[test]
    fn the_typescript_union_lists_exactly_the_codes() {
        let dts = include_str!("wasm/types.d.ts");
        let start = dts.find("export type ErrorCode =").unwrap();
        let union = &dts[start..start + dts[start..].find(';').unwrap()];
        let mut listed: Vec<&str> = union.split('"').skip(1).step_by(2).collect();
        let mut defined = Error::CODES.to_vec();
        listed.sort_unstable();
        defined.sort_unstable();
        assert_eq!(listed, defined);
    }

    #[test]
    fn a_code_and_field_survive_concerning() {
        let error = Error::ExpiryTooFar.concerning(Field::ExpiresAt);
        assert_eq!(error.code(), "expiration_too_far");
        assert_eq!(error.field(), Field::ExpiresAt);
        assert_eq!(error.to_string(), Error::ExpiryTooFar.to_string());
    }
}
