//! The one error type: each variant is a message a person can act on.

use core::fmt;

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Writes [`ErrorKind`] and its `CODES`, `code()`, `field()` and `Display` from one table: each
/// kind once, with its code, the field it concerns and its message. Kinds under `shared` reuse a
/// listed code (so `CODES` holds each code once) and compute their field.
macro_rules! errors {
    (
        shared {
            $(
                $(#[$sdoc:meta])*
                $sname:ident { $($(#[$sfdoc:meta])* $sf:ident : $st:ty),* $(,)? }
                    => $scode:literal, [$($sfield:tt)*], [$($smsg:tt)*];
            )*
        }
        $(
            $(#[$doc:meta])*
            $name:ident $({ $($(#[$fdoc:meta])* $f:ident : $t:ty),* $(,)? })?
                => $code:literal, $field:ident, [$($msg:tt)*];
        )*
    ) => {
        /// Every kind of thing that can go wrong, each with a message that says what to do.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $( $(#[$doc])* $name $({ $($(#[$fdoc])* $f: $t),* })?, )*
            $( $(#[$sdoc])* $sname { $($(#[$sfdoc])* $sf: $st),* }, )*
        }

        impl ErrorKind {
            /// Every code, each once, for documentation and the TypeScript union.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// Codes of the `shared` kinds (each also in `CODES`).
            #[cfg(test)]
            const SHARED_CODES: &'static [&'static str] = &[$($scode),*];

            /// A stable snake_case name for this kind: branch on it, never on the message.
            pub fn code(&self) -> &'static str {
                match self {
                    $( ErrorKind::$name { .. } => $code, )*
                    $( ErrorKind::$sname { .. } => $scode, )*
                }
            }

            /// The input this kind of error usually concerns.
            #[allow(unused_variables)]
            pub fn field(&self) -> Field {
                match self {
                    $( ErrorKind::$name { .. } => Field::$field, )*
                    $( ErrorKind::$sname { $($sf),* } => $($sfield)*, )*
                }
            }
        }

        impl fmt::Display for ErrorKind {
            #[allow(unused_variables)]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( ErrorKind::$name $({ $($f),* })? => f.write_fmt(format_args!($($msg)*)), )*
                    $( ErrorKind::$sname { $($sf),* } => f.write_fmt(format_args!($($smsg)*)), )*
                }
            }
        }
    };
}

errors! {
    shared {
        /// An expiration or expiry given as a number that is not whole seconds ≥ 0 (NaN,
        /// Infinity, a fraction, a negative number).
        InvalidSeconds {
            /// The number, as JavaScript writes it.
            given: String,
            /// Whether it was an absolute expiry (`expiresAt`) rather than a duration.
            absolute: bool,
        } => "expiration_invalid",
        [if *absolute { Field::ExpiresAt } else { Field::Expiration }],
        ["{}", seconds_message(given, *absolute)];
    }
    /// The private key field is empty.
    EmptyKey => "key_missing", KeySecret, ["the private key is empty: paste the private key you downloaded with the signing key"];
    /// The key text is longer than any RSA private key could be.
    KeyInputTooLong {
        /// Length of the input in bytes.
        len: usize,
    } => "key_too_long", KeySecret, ["the private key is {len} bytes long, far more than any RSA key: paste only the key"];
    /// The text is neither PEM, base64 nor a JWK.
    NotAKey => "key_not_a_key", KeySecret, ["this is not a private key: paste the base64 text Mux gave you, a PEM file (-----BEGIN …) or a JWK"];
    /// A public key was given where the private key is needed.
    PublicKeyGiven => "key_is_public", KeySecret, ["this is a public key: paste the private key you downloaded with the signing key"];
    /// A certificate was given where the private key is needed.
    CertificateGiven => "key_is_certificate", KeySecret, ["this is a certificate, not a key: paste the private key you downloaded with the signing key"];
    /// A private key of another algorithm (EC, Ed25519, DSA…).
    UnsupportedKeyType {
        /// What kind of key it is, e.g. "an EC (elliptic-curve)".
        kind: String,
    } => "key_unsupported_type", KeySecret, ["this is {kind} private key: Mux signing keys are RSA, so paste the RSA private key"];
    /// An OpenSSH-format private key.
    OpenSshKey => "key_openssh", KeySecret, ["this is an OpenSSH private key: Mux signing keys are RSA PEM; paste the key Mux gave you"];
    /// A password-protected private key.
    EncryptedKey => "key_encrypted", KeySecret, ["this private key is password-protected: decrypt it first (openssl pkey -in key.pem -out plain.pem)"];
    /// An RSA key shorter than 2048 bits.
    KeyTooSmall {
        /// The key's modulus size.
        bits: usize,
    } => "key_too_small", KeySecret, ["this RSA key is only {bits} bits: RS256 needs at least 2048 bits; Mux signing keys are 2048-bit"];
    /// An RSA key longer than 8192 bits: no real signing key is, and the arithmetic would
    /// take seconds.
    KeyTooLarge {
        /// The key's modulus size.
        bits: usize,
    } => "key_too_large", KeySecret, ["this RSA key is {bits} bits: keys over 8192 bits are not supported; Mux signing keys are 2048-bit"];
    /// The key is cut off or damaged.
    CorruptKey {
        /// What exactly is wrong.
        detail: String,
    } => "key_damaged", KeySecret, ["the private key is damaged or incomplete ({detail}): paste the whole key again"];
    /// A PEM block whose label is not a key this tool knows.
    UnknownPemLabel {
        /// The label after `-----BEGIN`.
        label: String,
    } => "key_unknown_pem_label", KeySecret, ["a PEM block \"{label}\" is not a private key: paste an RSA PRIVATE KEY or PRIVATE KEY block"];
    /// A JWK that holds only the public half.
    JwkNotPrivate => "key_jwk_public_only", KeySecret, ["this JWK holds only the public key (no \"d\"): paste the private JWK"];
    /// A JWK that cannot be read.
    InvalidJwk {
        /// What exactly is wrong.
        detail: String,
    } => "key_jwk_invalid", KeySecret, ["this JWK cannot be read: {detail}"];
    /// A public key (for verifying) that cannot be read.
    InvalidPublicKey {
        /// What exactly is wrong.
        detail: String,
    } => "public_key_invalid", PublicKey, ["the public key cannot be read: {detail}"];
    /// No signing key ID was given.
    MissingKeyId => "key_id_missing", KeyId, ["the signing key ID is missing: it is the ID shown beside the signing key in Mux"];
    /// The signing key ID holds characters no key ID has.
    InvalidKeyId {
        /// The ID as given.
        key_id: String,
    } => "key_id_invalid", KeyId, ["signing key ID {key_id:?} has characters no key ID has: paste the ID alone"];
    /// No playback (or other) ID was given.
    EmptyId => "id_missing", PlaybackId, ["the ID is missing: paste the playback ID (or the ID to count viewers of)"];
    /// The ID holds characters that no Mux ID has.
    InvalidId {
        /// The ID as given.
        id: String,
    } => "id_invalid", PlaybackId, ["ID {id:?} has characters no Mux ID has (only letters, digits, '-', '_', '.', '~'): paste the ID alone"];
    /// A token type this tool does not know.
    UnknownTokenType {
        /// The type as given.
        given: String,
        /// The valid names, filled in where the name is parsed.
        valid: Vec<&'static str>,
    } => "type_unknown", Type, ["unknown token type {given:?}: use {}", one_of(valid)];
    /// A viewer-counts ID type this tool does not know.
    UnknownViewerCountsType {
        /// The type as given.
        given: String,
        /// The valid names, filled in where the name is parsed.
        valid: Vec<&'static str>,
    } => "viewer_counts_type_unknown", Type, ["unknown ID type {given:?} for viewer counts: use {}", one_of(valid)];
    /// A key format name `key convert` / `exportKey` does not know.
    UnknownKeyFormat {
        /// The name as given.
        given: String,
        /// The valid names, filled in where the name is parsed.
        valid: Vec<&'static str>,
    } => "key_format_unknown", Options, ["unknown key format {given:?}: use {}", one_of(valid)];
    /// An unknown place for the key ID.
    UnknownKidPlacement {
        /// The value as given.
        given: String,
    } => "kid_in_unknown", KidIn, ["unknown key ID placement {given:?}: use claims, header or both"];
    /// An expiration that is neither a duration nor a date.
    InvalidExpiration {
        /// The expiration as given.
        given: String,
    } => "expiration_invalid", Expiration, ["expiration {given:?} is not a duration or a date: use seconds (3600), a duration (7d, 2 days, 10h, 30 minutes, 1w) or a date-time (2030-01-01T00:00:00Z)"];
    /// A bare number large enough to be a Unix time, given as a duration.
    LooksLikeUnixTime {
        /// The number as given.
        seconds: u64,
    } => "expiration_looks_like_unix_time", Expiration, ["expiration {seconds} looks like a Unix time, not a duration: give it as an absolute expiry (@{seconds} on the CLI, expiresAt in JS) or use a duration such as 7d"];
    /// The resulting expiry is not in the future.
    ExpiryInPast {
        /// The expiry, as an RFC 3339 date-time.
        expiry: String,
    } => "expiration_not_future", Expiration, ["the token would expire at {expiry}, which is not in the future: choose a later expiry"];
    /// The expiry is past the year 9999.
    ExpiryTooFar => "expiration_too_far", Expiration, ["the expiry is beyond the year 9999: choose a nearer one (a Unix time must be in seconds, not milliseconds)"];
    /// Both a relative expiration and an absolute expiry were given.
    ConflictingExpiration => "expiration_conflict", Expiration, ["give either a relative expiration or an absolute expiry, not both"];
    /// A known param with a value it does not accept.
    InvalidParam {
        /// The param's name.
        name: String,
        /// What it accepts.
        expected: String,
    } => "param_invalid", Params, ["param \"{name}\" {expected}"];
    /// Params that are not a JSON object, or not JSON at all.
    InvalidParams {
        /// What exactly is wrong.
        detail: String,
    } => "params_invalid", Params, ["params must be a JSON object: {detail}"];
    /// Options (JS API) that cannot be read.
    InvalidOptions {
        /// What exactly is wrong.
        detail: String,
    } => "options_invalid", Options, ["invalid options: {detail}"];
    /// A token that is not three base64url parts of JSON.
    MalformedToken {
        /// What exactly is wrong.
        detail: String,
    } => "token_malformed", Token, ["this is not a JWT: {detail}"];
    /// A token signed with another algorithm than RS256.
    UnsupportedAlgorithm {
        /// The `alg` in the token's header.
        alg: String,
    } => "token_algorithm_unsupported", Token, ["this token is signed with {alg}: only RS256 tokens can be verified here"];
    /// The signature does not match the public key.
    BadSignature => "signature_invalid", Token, ["the signature does not match this public key: the token was changed or signed with another key"];
    /// The system's random number generator failed.
    Random => "random_failed", Options, ["the system's random number generator failed: try again"];
    /// The RSA operation failed, or its result did not verify (a fault): nothing is returned.
    Signing => "signing_failed", KeySecret, ["signing failed: the key could not be used; paste it again"];
    /// Claims or a header that cannot be written as JSON (should not happen).
    Serialization => "serialization_failed", Options, ["the token's claims could not be written as JSON"];
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

/// An error: its [`ErrorKind`], and the input it concerns when that is not the one its kind
/// usually concerns (an expiry given as `expiresAt`, a private key pasted where a public key
/// was asked for). `jsonwebtoken`'s shape: match on [`Error::kind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    field: Option<Field>,
}

impl Error {
    /// Every code, each once, for documentation and the TypeScript union.
    pub const CODES: &'static [&'static str] = ErrorKind::CODES;

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// A stable snake_case name for this kind of error: branch on it, never on the message.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The input this error concerns, so that a form can show it next to the right field.
    pub fn field(&self) -> Field {
        self.field.unwrap_or_else(|| self.kind.field())
    }

    /// The same error, about `field` instead of the input its kind usually concerns.
    #[must_use]
    pub fn concerning(self, field: Field) -> Error {
        Error {
            field: Some(field),
            ..self
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error { kind, field: None }
    }
}

/// Lets a test or caller compare an error with a kind directly.
impl PartialEq<ErrorKind> for Error {
    fn eq(&self, kind: &ErrorKind) -> bool {
        self.kind == *kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
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

/// The message for a number that is not whole seconds, as a duration or an absolute expiry.
fn seconds_message(given: &str, absolute: bool) -> String {
    if absolute {
        format!("expiresAt {given} is not a Unix time: give whole seconds since 1970, or an RFC 3339 date-time")
    } else {
        format!("expiration {given} is not a number of seconds: use seconds (3600), a duration (7d, 2 days, 10h, 30 minutes, 1w) or a date-time (2030-01-01T00:00:00Z)")
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

    /// A shared kind reuses a listed code; a listed kind's code and field come from its row.
    #[test]
    fn shared_codes_are_listed_and_kinds_give_their_rows() {
        for code in ErrorKind::SHARED_CODES {
            assert!(Error::CODES.contains(code), "{code}");
        }
        assert_eq!(ErrorKind::EmptyKey.code(), "key_missing");
        assert_eq!(ErrorKind::EmptyKey.field(), Field::KeySecret);
        let seconds = |absolute| ErrorKind::InvalidSeconds {
            given: "NaN".into(),
            absolute,
        };
        assert_eq!(seconds(true).field(), Field::ExpiresAt);
        assert_eq!(seconds(false).field(), Field::Expiration);
    }

    #[test]
    fn a_code_and_field_survive_concerning() {
        let error = Error::from(ErrorKind::ExpiryTooFar).concerning(Field::ExpiresAt);
        assert_eq!(error.code(), "expiration_too_far");
        assert_eq!(error.field(), Field::ExpiresAt);
        assert_eq!(error.to_string(), ErrorKind::ExpiryTooFar.to_string());
        assert_eq!(error.kind(), &ErrorKind::ExpiryTooFar);
        assert_eq!(
            Error::from(ErrorKind::ExpiryTooFar).field(),
            Field::Expiration
        );
    }
}
