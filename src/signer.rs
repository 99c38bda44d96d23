//! The Mux signer: a key ID and a parsed private key, turning IDs into tokens exactly as the
//! official SDK's `mux.jwt.signPlaybackId`, `signDrmLicense` and `signViewerCounts` do.

use serde_json::{Map, Value};

use crate::claims::{self, KidPlacement};
use crate::error::Result;
use crate::jws;
use crate::key::SigningKey;
use crate::mux::{self, TokenType, ViewerCountsType};
use crate::params::{check_params, Params};
use crate::timespan::Expiration;

/// How to sign: expiry, params and where the key ID goes. The default is the SDK's: 7 days,
/// no params, `kid` in the claims.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SignOptions {
    /// When the token expires.
    pub expiration: Expiration,
    /// Claims beside the four the signer sets, in their order.
    pub params: Params,
    /// Where the key ID goes.
    pub kid_in: KidPlacement,
}

/// A signed token with its expiry and any warnings about its params.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedToken {
    /// The compact JWS.
    pub token: String,
    /// The `exp` claim (Unix seconds).
    pub expires_at: u64,
    /// Unknown params that were passed through, one sentence each.
    pub warnings: Vec<String>,
}

/// Tokens for several types of one playback ID, as the SDK's `signPlaybackId` returns for a
/// `type` array, keyed by [`TokenType::token_key`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenSet {
    tokens: Vec<(TokenType, SignedToken)>,
}

impl TokenSet {
    /// The token of `token_type`, if the set has one.
    pub fn get(&self, token_type: TokenType) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(t, _)| *t == token_type)
            .map(|(_, signed)| signed.token.as_str())
    }

    /// Each type with its signed token, in the order first asked for.
    pub fn iter(&self) -> impl Iterator<Item = (TokenType, &SignedToken)> {
        self.tokens.iter().map(|(t, signed)| (*t, signed))
    }

    /// The SDK's result object: `{"playback-token": …, "thumbnail-token": …}`.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(t, signed)| (t.token_key().to_owned(), Value::from(signed.token.clone())))
            .collect()
    }

    /// Like the SDK's object assignment: a repeated type replaces its token in place.
    fn insert(&mut self, token_type: TokenType, signed: SignedToken) {
        match self.tokens.iter_mut().find(|(t, _)| *t == token_type) {
            Some(slot) => slot.1 = signed,
            None => self.tokens.push((token_type, signed)),
        }
    }
}

/// A signing key ID with its parsed private key: parse once, sign many tokens.
#[derive(Debug)]
pub struct Signer {
    key_id: String,
    key: SigningKey,
}

impl Signer {
    /// Parses `private_key` (any format [`SigningKey::parse`] accepts) for `key_id`.
    ///
    /// # Errors
    /// [`ErrorKind::MissingKeyId`] / [`ErrorKind::InvalidKeyId`], or the key's parse error.
    pub fn new(key_id: &str, private_key: &str) -> Result<Self> {
        let key_id = mux::check_key_id(key_id)?.to_owned();
        let key = SigningKey::parse(private_key)?;
        Ok(Signer { key_id, key })
    }

    /// Wraps an already parsed key.
    ///
    /// # Errors
    /// [`ErrorKind::MissingKeyId`] / [`ErrorKind::InvalidKeyId`].
    pub fn from_key(key_id: &str, key: SigningKey) -> Result<Self> {
        Ok(Signer {
            key_id: mux::check_key_id(key_id)?.to_owned(),
            key,
        })
    }

    /// The signing key ID.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The parsed private key.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// Signs a playback token of `token_type` at `now` (Unix seconds).
    ///
    /// # Errors
    /// A bad ID, a wrong param value, or an expiry not after `now`.
    pub fn sign_playback_id(
        &self,
        playback_id: &str,
        token_type: TokenType,
        options: &SignOptions,
        now: u64,
    ) -> Result<SignedToken> {
        let warnings = check_params(Some(token_type), &options.params)?;
        self.sign(playback_id, token_type.audience(), options, now, warnings)
    }

    /// Signs one token per entry, each with `options.params` overlaid by its own params (the
    /// SDK's `type: ["video", ["thumbnail", {time: 2}]]`).
    ///
    /// # Errors
    /// As [`Signer::sign_playback_id`], for the first entry that fails.
    pub fn sign_token_set(
        &self,
        playback_id: &str,
        types: &[(TokenType, Params)],
        options: &SignOptions,
        now: u64,
    ) -> Result<TokenSet> {
        let mut set = TokenSet::default();
        for (token_type, own_params) in types {
            let mut params = options.params.clone();
            params.extend(own_params.iter().map(|(k, v)| (k.clone(), v.clone())));
            let entry_options = SignOptions {
                params,
                ..options.clone()
            };
            let signed = self.sign_playback_id(playback_id, *token_type, &entry_options, now)?;
            set.insert(*token_type, signed);
        }
        Ok(set)
    }

    /// Signs a DRM license token (`aud` "d").
    ///
    /// # Errors
    /// As [`Signer::sign_playback_id`].
    pub fn sign_drm_license(
        &self,
        playback_id: &str,
        options: &SignOptions,
        now: u64,
    ) -> Result<SignedToken> {
        self.sign_playback_id(playback_id, TokenType::DrmLicense, options, now)
    }

    /// Signs a Mux Data viewer-counts token for an ID of `id_type`.
    ///
    /// # Errors
    /// As [`Signer::sign_playback_id`].
    pub fn sign_viewer_counts(
        &self,
        id: &str,
        id_type: ViewerCountsType,
        options: &SignOptions,
        now: u64,
    ) -> Result<SignedToken> {
        let warnings = check_params(None, &options.params)?;
        self.sign(id, id_type.audience(), options, now, warnings)
    }

    fn sign(
        &self,
        id: &str,
        audience: &str,
        options: &SignOptions,
        now: u64,
        warnings: Vec<String>,
    ) -> Result<SignedToken> {
        let id = mux::check_id(id)?;
        let expires_at = options.expiration.resolve(now)?;
        let header = claims::header(&self.key_id, options.kid_in);
        let claims = claims::claims(
            &options.params,
            &self.key_id,
            options.kid_in,
            id,
            audience,
            expires_at,
        );
        let token = jws::sign_json(&header, &claims, &self.key)?;
        Ok(SignedToken {
            token,
            expires_at,
            warnings,
        })
    }
}
