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
    },
    /// A viewer-counts ID type this tool does not know.
    UnknownViewerCountsType {
        /// The type as given.
        given: String,
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
    /// The RSA operation failed (should not happen with a parsed key).
    Signing,
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
            Error::UnknownTokenType { given } => write!(f, "unknown token type {given:?}: use video, thumbnail, gif, storyboard, drm_license or stats"),
            Error::UnknownViewerCountsType { given } => write!(f, "unknown ID type {given:?} for viewer counts: use video, asset, playback or live_stream"),
            Error::UnknownKidPlacement { given } => write!(f, "unknown key ID placement {given:?}: use claims, header or both"),
            Error::InvalidExpiration { given } => write!(f, "expiration {given:?} is not a duration or a date: use seconds (3600), a duration (7d, 2 days, 10h, 30 minutes, 1w) or a date-time (2030-01-01T00:00:00Z)"),
            Error::LooksLikeUnixTime { seconds } => write!(f, "expiration {seconds} looks like a Unix time, not a duration: give it as an absolute expiry (@{seconds} on the CLI, expiresAt in JS) or use a duration such as 7d"),
            Error::ExpiryInPast { expiry } => write!(f, "the token would expire at {expiry}, which is not in the future: choose a later expiry"),
            Error::ExpiryTooFar => f.write_str("the expiry is beyond the year 9999: choose a nearer one (a Unix time must be in seconds, not milliseconds)"),
            Error::ConflictingExpiration => f.write_str("give either a relative expiration or an absolute expiry, not both"),
            Error::InvalidParam { name, expected } => write!(f, "param \"{name}\" {expected}"),
            Error::InvalidParams { detail } => write!(f, "params must be a JSON object: {detail}"),
            Error::InvalidOptions { detail } => write!(f, "invalid options: {detail}"),
            Error::MalformedToken { detail } => write!(f, "this is not a JWT: {detail}"),
            Error::UnsupportedAlgorithm { alg } => write!(f, "this token is signed with {alg}: only RS256 tokens can be verified here"),
            Error::BadSignature => f.write_str("the signature does not match this public key: the token was changed or signed with another key"),
            Error::Random => f.write_str("the system's random number generator failed: try again"),
            Error::Signing => f.write_str("signing failed: the key could not be used; paste it again"),
        }
    }
}

impl std::error::Error for Error {}
