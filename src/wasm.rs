//! The JavaScript API: a thin adapter from JS values to the core. Names, options, defaults and
//! results follow `@mux/mux-node`'s `mux.jwt.*` (ours are synchronous); every failure throws a
//! JS `Error` carrying the core's message, and the module keeps working after it.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::claims::{KidPlacement, TokenType, ViewerCountsType};
use crate::error::Error;
use crate::params::{check_params, Params};
use crate::signer::{SignOptions, Signer};
use crate::timespan::Expiration;
use crate::{jws, urls, PublicKey, SigningKey};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A playback token type, as the official SDK names it. */
export type TokenType = "video" | "thumbnail" | "gif" | "storyboard" | "drm_license" | "stats";
/** What kind of ID a viewer-counts token is for. */
export type ViewerCountsType = "video" | "asset" | "playback" | "live_stream";
/** Where the signing key ID goes: the claims (the SDK's layout), the JOSE header, or both. */
export type KidPlacement = "claims" | "header" | "both";
/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** Claims beside kid, sub, aud and exp, kept in their key order. */
export type Params = { [name: string]: JsonValue };
/** The token-set keys of the SDK's `Tokens`. */
export type TokenKey = "playback-token" | "thumbnail-token" | "gif-token" | "storyboard-token" | "drm-token" | "stats-token";
/** Tokens by type, as `signPlaybackId` returns for a `type` array. */
export type Tokens = Partial<Record<TokenKey, string>>;

/** Options shared by every sign call. */
export interface SignOptionsBase {
  /** Seconds (number or numeric string) or a duration: "7d", "2 days", "10h", "30 minutes", "1w". Default "7d". */
  expiration?: string | number;
  /** An absolute expiry instead: Unix seconds, or an RFC 3339 date-time. */
  expiresAt?: number | string;
  /** Claims beside the four the signer sets. */
  params?: Params;
  /** Where the key ID goes. Default "claims". */
  kidIn?: KidPlacement;
}
/** The key, for the module-level functions (a `Signer` holds its own). */
export interface KeyOptions {
  /** The signing key ID. */
  keyId: string;
  /** The private key: Mux's base64 PEM, a PEM, base64 DER or a JWK. */
  keySecret: string;
}
/** Options of `Signer.signPlaybackId` for one token. */
export interface PlaybackOptions extends SignOptionsBase {
  type?: TokenType;
}
/** Options of `Signer.signPlaybackId` for a token set: entries are types or [type, params]. */
export interface PlaybackSetOptions extends SignOptionsBase {
  type: Array<TokenType | [TokenType, Params?]>;
}
/** Options of `Signer.signViewerCounts`. Default type "video". */
export interface ViewerCountsOptions extends SignOptionsBase {
  type?: ViewerCountsType;
}
export type SignPlaybackIdOptions = KeyOptions & (PlaybackOptions | PlaybackSetOptions);
export type SignDrmLicenseOptions = KeyOptions & SignOptionsBase;
export type SignViewerCountsOptions = KeyOptions & ViewerCountsOptions;

/** What a parsed key is; nothing secret. */
export interface KeyInfo {
  algorithm: "RSA";
  bits: number;
  format: { syntax: "pkcs1" | "pkcs8" | "jwk"; encoding: "base64_pem" | "pem" | "base64_der" | "jwk" };
  /** e.g. "PKCS#1 · base64 PEM" */
  formatLabel: string;
  /** RFC 7638 JWK thumbprint. */
  thumbprint: string;
}
/** A public JWK. */
export interface PublicJwk { kty: "RSA"; n: string; e: string; alg: "RS256"; use: "sig"; kid: string }
/** A token taken apart. */
export interface DecodedToken {
  header: { [name: string]: JsonValue };
  claims: { [name: string]: JsonValue };
  /** base64url, as in the token */
  signature: string;
  /** The exp claim, Unix seconds. */
  expiresAt?: number;
  expiry: "valid" | "expired" | "no_expiry";
}
/** A documented param of a token type and what it accepts. */
export interface ParamSpec {
  name: string;
  kind: "text" | "number" | "integer" | "boolean" | "choice" | "object";
  min?: number;
  max?: number;
  choices: string[];
}
/** A signed URL and what it fetches. */
export interface SignedUrl { label: string; url: string }
"#;

/// The options object every sign call takes. Unknown names are refused, so a typo such as
/// `expiresIn` is an error instead of a silent default.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsOptions {
    key_id: Option<String>,
    key_secret: Option<String>,
    #[serde(rename = "type")]
    token_type: Option<Value>,
    expiration: Option<Value>,
    expires_at: Option<Value>,
    params: Option<Value>,
    kid_in: Option<String>,
}

fn js_error(error: Error) -> JsError {
    JsError::new(&error.to_string())
}

fn invalid_options(detail: impl Into<String>) -> Error {
    Error::InvalidOptions {
        detail: detail.into(),
    }
}

fn read_options(options: JsValue) -> Result<JsOptions, Error> {
    if options.is_undefined() || options.is_null() {
        return Ok(JsOptions::default());
    }
    // Through a JSON value first: serde-wasm-bindgen reads only the named fields of a struct,
    // which would let a misspelt option pass unnoticed.
    let value: Value =
        serde_wasm_bindgen::from_value(options).map_err(|e| invalid_options(e.to_string()))?;
    if !value.is_object() {
        return Err(invalid_options(format!(
            "options must be an object, not {value}"
        )));
    }
    serde_json::from_value(value).map_err(|e| invalid_options(e.to_string()))
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// The JS clock, so that tokens match the SDK's at the same `Date.now()`.
fn now() -> u64 {
    (js_sys::Date::now() / 1000.0).floor() as u64
}

fn whole_seconds(value: &Value, name: &str) -> Result<u64, Error> {
    value.as_u64().ok_or_else(|| {
        invalid_options(format!(
            "{name} must be a whole number of seconds, 0 or more, not {value}"
        ))
    })
}

impl JsOptions {
    fn sign_options(&self) -> Result<SignOptions, Error> {
        let expiration = match (&self.expiration, &self.expires_at) {
            (Some(_), Some(_)) => return Err(Error::ConflictingExpiration),
            (None, None) => Expiration::default(),
            (Some(Value::String(text)), None) => Expiration::parse(text)?,
            (Some(seconds), None) => Expiration::seconds(whole_seconds(seconds, "expiration")?)?,
            (None, Some(Value::String(text))) => match Expiration::parse(text)? {
                at @ Expiration::At(_) => at,
                Expiration::In(_) => {
                    return Err(invalid_options(format!(
                        "expiresAt {text:?} is a duration: put durations in expiration, dates in expiresAt"
                    )))
                }
            },
            (None, Some(at)) => Expiration::at(whole_seconds(at, "expiresAt")?)?,
        };
        let params = match &self.params {
            None | Some(Value::Null) => Params::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(other) => {
                return Err(invalid_options(format!(
                    "params must be an object, not {other}"
                )))
            }
        };
        let kid_in = self
            .kid_in
            .as_deref()
            .map(KidPlacement::parse)
            .transpose()?
            .unwrap_or_default();
        Ok(SignOptions {
            expiration,
            params,
            kid_in,
        })
    }

    /// The module-level functions take the key in the options; a `Signer` must not.
    fn signer(&self) -> Result<Signer, Error> {
        let key_id = self.key_id.as_deref().ok_or(Error::MissingKeyId)?;
        let key_secret = self.key_secret.as_deref().ok_or(Error::EmptyKey)?;
        Signer::new(key_id, key_secret)
    }

    fn without_key(&self) -> Result<(), Error> {
        if self.key_id.is_some() || self.key_secret.is_some() {
            return Err(invalid_options(
                "this Signer already holds its key: leave keyId and keySecret out",
            ));
        }
        Ok(())
    }

    fn type_name(&self, default: &str) -> Result<String, Error> {
        match &self.token_type {
            None | Some(Value::Null) => Ok(default.to_owned()),
            Some(Value::String(name)) => Ok(name.clone()),
            Some(other) => Err(invalid_options(format!(
                "type must be a string, not {other}"
            ))),
        }
    }
}

/// The entries of a `type` array: names, or `[name, params]` pairs.
fn token_set_entries(entries: &[Value]) -> Result<Vec<(TokenType, Params)>, Error> {
    entries
        .iter()
        .map(|entry| match entry {
            Value::String(name) => Ok((TokenType::parse(name)?, Params::new())),
            Value::Array(pair) => match pair.as_slice() {
                [Value::String(name)] | [Value::String(name), Value::Null] => {
                    Ok((TokenType::parse(name)?, Params::new()))
                }
                [Value::String(name), Value::Object(params)] => {
                    Ok((TokenType::parse(name)?, params.clone()))
                }
                _ => Err(invalid_options(format!(
                    "a type entry must be a name or [name, params], not {entry}"
                ))),
            },
            other => Err(invalid_options(format!(
                "a type entry must be a name or [name, params], not {other}"
            ))),
        })
        .collect()
}

fn sign_playback(
    signer: &Signer,
    playback_id: &str,
    options: &JsOptions,
) -> Result<JsValue, JsError> {
    let sign_options = options.sign_options().map_err(js_error)?;
    if let Some(Value::Array(entries)) = &options.token_type {
        let entries = token_set_entries(entries).map_err(js_error)?;
        let set = signer
            .sign_token_set(playback_id, &entries, &sign_options, now())
            .map_err(js_error)?;
        return to_js(&set.to_map());
    }
    let token_type =
        TokenType::parse(&options.type_name("video").map_err(js_error)?).map_err(js_error)?;
    let signed = signer
        .sign_playback_id(playback_id, token_type, &sign_options, now())
        .map_err(js_error)?;
    Ok(JsValue::from_str(&signed.token))
}

fn sign_drm(signer: &Signer, playback_id: &str, options: &JsOptions) -> Result<String, JsError> {
    // The SDK lets `type` override the DRM audience; so do we.
    let token_type =
        TokenType::parse(&options.type_name("drm_license").map_err(js_error)?).map_err(js_error)?;
    let sign_options = options.sign_options().map_err(js_error)?;
    signer
        .sign_playback_id(playback_id, token_type, &sign_options, now())
        .map(|signed| signed.token)
        .map_err(js_error)
}

fn sign_counts(signer: &Signer, id: &str, options: &JsOptions) -> Result<String, JsError> {
    let id_type = ViewerCountsType::parse(&options.type_name("video").map_err(js_error)?)
        .map_err(js_error)?;
    let sign_options = options.sign_options().map_err(js_error)?;
    signer
        .sign_viewer_counts(id, id_type, &sign_options, now())
        .map(|signed| signed.token)
        .map_err(js_error)
}

/// Signs a playback token (or, with a `type` array, a token set) like `mux.jwt.signPlaybackId`.
#[wasm_bindgen(js_name = signPlaybackId, unchecked_return_type = "string | Tokens")]
pub fn sign_playback_id(
    playback_id: &str,
    #[wasm_bindgen(unchecked_param_type = "SignPlaybackIdOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let options = read_options(options).map_err(js_error)?;
    let signer = options.signer().map_err(js_error)?;
    sign_playback(&signer, playback_id, &options)
}

/// Signs a DRM license token like `mux.jwt.signDrmLicense`.
#[wasm_bindgen(js_name = signDrmLicense)]
pub fn sign_drm_license(
    playback_id: &str,
    #[wasm_bindgen(unchecked_param_type = "SignDrmLicenseOptions")] options: JsValue,
) -> Result<String, JsError> {
    let options = read_options(options).map_err(js_error)?;
    let signer = options.signer().map_err(js_error)?;
    sign_drm(&signer, playback_id, &options)
}

/// Signs a viewer-counts token like `mux.jwt.signViewerCounts`.
#[wasm_bindgen(js_name = signViewerCounts)]
pub fn sign_viewer_counts(
    id: &str,
    #[wasm_bindgen(unchecked_param_type = "SignViewerCountsOptions")] options: JsValue,
) -> Result<String, JsError> {
    let options = read_options(options).map_err(js_error)?;
    let signer = options.signer().map_err(js_error)?;
    sign_counts(&signer, id, &options)
}

/// A signing key parsed once, for signing many tokens. Call `free()` to wipe it at once.
#[wasm_bindgen(js_name = Signer)]
pub struct JsSigner {
    inner: Signer,
}

#[wasm_bindgen(js_class = Signer)]
impl JsSigner {
    /// Parses the private key (any accepted format) for the signing key ID.
    #[wasm_bindgen(constructor)]
    pub fn new(key_id: &str, key_secret: &str) -> Result<JsSigner, JsError> {
        Signer::new(key_id, key_secret)
            .map(|inner| JsSigner { inner })
            .map_err(js_error)
    }

    /// The signing key ID.
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.inner.key_id().to_owned()
    }

    /// As the module's `signPlaybackId`, without the key options.
    #[wasm_bindgen(js_name = signPlaybackId, unchecked_return_type = "string | Tokens")]
    pub fn sign_playback_id(
        &self,
        playback_id: &str,
        #[wasm_bindgen(unchecked_param_type = "PlaybackOptions | PlaybackSetOptions")]
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options = read_options(options).map_err(js_error)?;
        options.without_key().map_err(js_error)?;
        sign_playback(&self.inner, playback_id, &options)
    }

    /// As the module's `signDrmLicense`, without the key options.
    #[wasm_bindgen(js_name = signDrmLicense)]
    pub fn sign_drm_license(
        &self,
        playback_id: &str,
        #[wasm_bindgen(unchecked_param_type = "SignOptionsBase")] options: JsValue,
    ) -> Result<String, JsError> {
        let options = read_options(options).map_err(js_error)?;
        options.without_key().map_err(js_error)?;
        sign_drm(&self.inner, playback_id, &options)
    }

    /// As the module's `signViewerCounts`, without the key options.
    #[wasm_bindgen(js_name = signViewerCounts)]
    pub fn sign_viewer_counts(
        &self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "ViewerCountsOptions")] options: JsValue,
    ) -> Result<String, JsError> {
        let options = read_options(options).map_err(js_error)?;
        options.without_key().map_err(js_error)?;
        sign_counts(&self.inner, id, &options)
    }

    /// The public key as SPKI PEM.
    #[wasm_bindgen(js_name = publicKeyPem)]
    pub fn public_key_pem(&self) -> String {
        self.inner.key().public_key().to_pem()
    }

    /// The public key as a JWK whose `kid` is the signing key ID.
    #[wasm_bindgen(js_name = publicJwk, unchecked_return_type = "PublicJwk")]
    pub fn public_jwk(&self) -> Result<JsValue, JsError> {
        to_js(
            &self
                .inner
                .key()
                .public_key()
                .to_jwk(Some(self.inner.key_id())),
        )
    }

    /// The RFC 7638 JWK thumbprint of the public key.
    pub fn thumbprint(&self) -> String {
        self.inner.key().public_key().thumbprint()
    }

    /// What the key is: size, input format, thumbprint.
    #[wasm_bindgen(js_name = keyInfo, unchecked_return_type = "KeyInfo")]
    pub fn key_info(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.key().info())
    }

    /// Decodes a token and checks its signature against this key's public half; throws if it
    /// does not match.
    #[wasm_bindgen(unchecked_return_type = "DecodedToken")]
    pub fn verify(&self, token: &str) -> Result<JsValue, JsError> {
        let decoded = jws::verify(token, self.inner.key().public_key(), now()).map_err(js_error)?;
        to_js(&decoded)
    }
}

/// Parses a private key and describes it, for showing what was pasted before signing.
#[wasm_bindgen(js_name = keyInfo, unchecked_return_type = "KeyInfo")]
pub fn key_info(key_secret: &str) -> Result<JsValue, JsError> {
    let key = SigningKey::parse(key_secret).map_err(js_error)?;
    to_js(&key.info())
}

/// Takes a token apart without checking its signature.
#[wasm_bindgen(js_name = decodeToken, unchecked_return_type = "DecodedToken")]
pub fn decode_token(token: &str) -> Result<JsValue, JsError> {
    to_js(&jws::decode(token, now()).map_err(js_error)?)
}

/// Decodes a token and checks its RS256 signature against a public key (PEM, JWK, or a private
/// key whose public half is used); throws if it does not match.
#[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "DecodedToken")]
pub fn verify_token(token: &str, public_key: &str) -> Result<JsValue, JsError> {
    let key = PublicKey::parse(public_key).map_err(js_error)?;
    to_js(&jws::verify(token, &key, now()).map_err(js_error)?)
}

/// The most common signed URL for a token of `type`.
#[wasm_bindgen(js_name = signedUrl)]
pub fn signed_url(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: &str,
    playback_id: &str,
    token: &str,
) -> Result<String, JsError> {
    let token_type = TokenType::parse(token_type).map_err(js_error)?;
    let id = crate::signer::check_id(playback_id).map_err(js_error)?;
    Ok(urls::signed_url(token_type, id, token))
}

/// Every signed URL a token of `type` unlocks.
#[wasm_bindgen(js_name = signedUrls, unchecked_return_type = "SignedUrl[]")]
pub fn signed_urls(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: &str,
    playback_id: &str,
    token: &str,
) -> Result<JsValue, JsError> {
    let token_type = TokenType::parse(token_type).map_err(js_error)?;
    let id = crate::signer::check_id(playback_id).map_err(js_error)?;
    to_js(&urls::signed_urls(token_type, id, token))
}

/// Mux Player's URL for a token set (the object `signPlaybackId` returns for a type array).
#[wasm_bindgen(js_name = playerUrl)]
pub fn player_url(
    playback_id: &str,
    #[wasm_bindgen(unchecked_param_type = "Tokens")] tokens: JsValue,
) -> Result<String, JsError> {
    let id = crate::signer::check_id(playback_id).map_err(js_error)?;
    let map: serde_json::Map<String, Value> = serde_wasm_bindgen::from_value(tokens)
        .map_err(|e| js_error(invalid_options(e.to_string())))?;
    let set = crate::signer::TokenSet::from_map(&map).map_err(js_error)?;
    Ok(urls::player_url(id, &set))
}

/// The warnings (unknown params) for `params` on a token of `type`; throws on a wrong value.
#[wasm_bindgen(js_name = checkParams)]
pub fn check_params_js(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: &str,
    #[wasm_bindgen(unchecked_param_type = "Params")] params: JsValue,
) -> Result<Vec<String>, JsError> {
    let token_type = TokenType::parse(token_type).map_err(js_error)?;
    let params: Params = serde_wasm_bindgen::from_value(params)
        .map_err(|e| js_error(invalid_options(e.to_string())))?;
    check_params(Some(token_type), &params).map_err(js_error)
}

/// The documented params of a token type, for building a form: the same table that checks them.
#[wasm_bindgen(js_name = paramSpecs, unchecked_return_type = "ParamSpec[]")]
pub fn param_specs_js(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: &str,
) -> Result<JsValue, JsError> {
    let token_type = TokenType::parse(token_type).map_err(js_error)?;
    to_js(&crate::params::param_specs(Some(token_type)))
}

/// The `exp` a sign call with these options would set now (Unix seconds).
#[wasm_bindgen(js_name = resolveExpiration)]
pub fn resolve_expiration(
    #[wasm_bindgen(unchecked_param_type = "SignOptionsBase")] options: JsValue,
) -> Result<f64, JsError> {
    let options = read_options(options).map_err(js_error)?;
    let sign_options = options.sign_options().map_err(js_error)?;
    let exp = sign_options.expiration.resolve(now()).map_err(js_error)?;
    Ok(exp as f64)
}
