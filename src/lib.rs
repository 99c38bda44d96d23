//! Signs RS256 JSON Web Tokens for Mux signed playback, entirely on the caller's machine.
//!
//! The core is plain Rust: [`SigningKey`] parses a private key once (every format Mux users
//! paste), [`Signer`] turns a playback ID into tokens laid out exactly as the official
//! `@mux/mux-node` SDK lays them out, and [`decode`] / [`verify`] read any token back.
//! The WebAssembly exports (`wasm/`), the CLI (`src/bin/jwt-signer/`) and the page are thin adapters.
//!
//! ```
//! use jwt_signer::{Expiration, SignOptions, Signer, TokenType};
//!
//! let key = include_str!("../tests/fixtures/rsa2048-mux.txt"); // base64 of a PKCS#1 PEM
//! let signer = Signer::new("my-key-id", key)?;
//! let options = SignOptions { expiration: Expiration::parse("7d")?, ..SignOptions::default() };
//! let signed = signer.sign_playback_id("abc123", TokenType::Video, &options, 1_700_000_000)?;
//! assert_eq!(signed.expires_at, 1_700_000_000 + 7 * 86_400);
//! assert!(jwt_signer::verify(&signed.token, signer.key().public_key(), 1_700_000_000).is_ok());
//! # Ok::<(), jwt_signer::Error>(())
//! ```
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod base64url;
mod claims;
mod diagnose;
mod error;
mod expiry;
mod jws;
mod key;
mod key_export;
mod key_text;
mod mux;
mod params;
mod public_key;
mod rsa_crt;
mod signer;
mod timespan;
mod urls;
#[cfg(target_arch = "wasm32")]
mod wasm;

/// Compiles the README's Rust example as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use claims::KidPlacement;
pub use diagnose::{
    diagnose, DiagnoseOptions, Diagnosis, Finding, FindingCode, InputKind, Severity, TokenReport,
};
pub use error::{Error, ErrorKind, Field, Result};
pub use expiry::{describe_expiry, ExpiryDescription};
pub use jws::{decode, sign_compact, verify, DecodedToken, ExpiryStatus};
pub use key::{KeyInfo, SigningKey};
pub use key_export::KeyExportFormat;
pub use key_text::{KeyEncoding, KeyFormat, KeySyntax};
pub use mux::{
    check_id, PlayerSlot, TokenType, TokenTypeFacts, UrlTemplate, ViewerCountsType, ID_MAX_LEN,
    ID_PATTERN, SIGNED_CLAIMS,
};
pub use params::{check_params, param_specs, parse_params_json, ParamSpec, Params};
pub use public_key::PublicKey;
pub use signer::{SignOptions, SignedToken, Signer, TokenSet};
pub use timespan::{format_rfc3339, Expiration, DEFAULT_EXPIRATION};
pub use urls::{player_url, signed_url, signed_urls, SignedUrl};
