//! The JavaScript API: a thin adapter from JS values to the core. Names, options, defaults and
//! results follow `@mux/mux-node`'s `mux.jwt.*` (ours are synchronous); every failure throws a
//! JS `Error` carrying the core's message, and the module keeps working after it.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

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
    /// Read straight from the JS object (see `read_options`), never through serde, whose
    /// unescaping buffers would keep copies of the key.
    key_secret: Option<serde::de::IgnoredAny>,
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

/// Longest options object accepted, as JSON: refuses 100 000 params or a pasted file quickly.
const MAX_OPTIONS_JSON: usize = 1024 * 1024;

/// A JS value as JSON text, the way the SDK sees it: `JSON.stringify`, so key order, dropped
/// `undefined`s and number formatting are exactly JavaScript's.
fn json_text(value: &JsValue, what: &str) -> Result<Zeroizing<String>, Error> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| {
            invalid_options(format!(
                "{what} cannot be turned into JSON (too deep, or circular)"
            ))
        })?;
    if text.len() > MAX_OPTIONS_JSON {
        return Err(invalid_options(format!(
            "{what} are {} bytes as JSON; at most {MAX_OPTIONS_JSON}",
            text.len()
        )));
    }
    Ok(Zeroizing::new(text))
}

/// Reads a JS value through its JSON text. serde_json refuses nesting deeper than 128 levels
/// with an error, never a stack overflow.
fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, Error> {
    serde_json::from_str(&json_text(value, what)?).map_err(|e| {
        // The position in JSON text the caller never wrote would only confuse.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        invalid_options(if what == "options" {
            message.to_owned()
        } else {
            format!("{what}: {message}")
        })
    })
}

/// The options object, and its `keySecret` as a string wiped when dropped.
fn read_options(options: JsValue) -> Result<(JsOptions, Option<Zeroizing<String>>), Error> {
    if options.is_undefined() || options.is_null() {
        return Ok((JsOptions::default(), None));
    }
    if !options.is_object() || js_sys::Array::is_array(&options) {
        return Err(invalid_options("options must be an object"));
    }
    let parsed: JsOptions = from_js(&options, "options")?;
    let secret = match parsed.key_secret {
        None => None,
        Some(_) => {
            let value = js_sys::Reflect::get(&options, &JsValue::from_str("keySecret"))
                .map_err(|_| invalid_options("keySecret cannot be read"))?;
            Some(secret_arg(&value)?)
        }
    };
    Ok((parsed, secret))
}

fn json_to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    let internal = || invalid_options("the result could not be passed to JavaScript");
    let text = serde_json::to_string(value).map_err(|_| internal())?;
    js_sys::JSON::parse(&text).map_err(|_| internal())
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
            Some(other) => return Err(crate::params::not_an_object(other)),
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

    /// A `Signer` holds its key: options that bring another are refused.
    fn without_key(self) -> Result<Self, Error> {
        if self.key_id.is_some() || self.key_secret.is_some() {
            return Err(invalid_options(
                "this Signer already holds its key: leave keyId and keySecret out",
            ));
        }
        Ok(self)
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

/// A string argument. wasm-bindgen does not check argument types in release builds, and a
/// non-string passed as `&str` would corrupt memory: every string is taken as a `JsValue`.
fn string_arg(value: &JsValue, name: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| invalid_options(format!("{name} must be a string")))
}

/// The private key text, wiped from wasm memory once parsed.
fn secret_arg(value: &JsValue) -> Result<Zeroizing<String>, Error> {
    string_arg(value, "the private key").map(Zeroizing::new)
}

fn sign_playback(
    signer: &Signer,
    playback_id: &JsValue,
    options: &JsOptions,
) -> Result<JsValue, Error> {
    let playback_id = string_arg(playback_id, "playbackId")?;
    let sign_options = options.sign_options()?;
    if let Some(Value::Array(entries)) = &options.token_type {
        let entries = token_set_entries(entries)?;
        let set = signer.sign_token_set(&playback_id, &entries, &sign_options, now())?;
        return json_to_js(&set.to_map());
    }
    let token_type = TokenType::parse(&options.type_name("video")?)?;
    let signed = signer.sign_playback_id(&playback_id, token_type, &sign_options, now())?;
    Ok(JsValue::from_str(&signed.token))
}

fn sign_drm(signer: &Signer, playback_id: &JsValue, options: &JsOptions) -> Result<String, Error> {
    let playback_id = string_arg(playback_id, "playbackId")?;
    // The SDK lets `type` override the DRM audience; so do we.
    let token_type = TokenType::parse(&options.type_name("drm_license")?)?;
    let signed =
        signer.sign_playback_id(&playback_id, token_type, &options.sign_options()?, now())?;
    Ok(signed.token)
}

fn sign_counts(signer: &Signer, id: &JsValue, options: &JsOptions) -> Result<String, Error> {
    let id = string_arg(id, "id")?;
    let id_type = ViewerCountsType::parse(&options.type_name("video")?)?;
    let signed = signer.sign_viewer_counts(&id, id_type, &options.sign_options()?, now())?;
    Ok(signed.token)
}

/// The module-level functions take the key in the options; a `Signer` must not.
fn signer_from(
    options: &JsOptions,
    key_secret: Option<&Zeroizing<String>>,
) -> Result<Signer, Error> {
    let key_id = options.key_id.as_deref().ok_or(Error::MissingKeyId)?;
    let key_secret = key_secret.ok_or(Error::EmptyKey)?;
    Signer::new(key_id, key_secret)
}

/// Signs a playback token (or, with a `type` array, a token set) like `mux.jwt.signPlaybackId`.
#[wasm_bindgen(js_name = signPlaybackId, unchecked_return_type = "string | Tokens")]
pub fn sign_playback_id(
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignPlaybackIdOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let (options, key_secret) = read_options(options).map_err(js_error)?;
    let signer = signer_from(&options, key_secret.as_ref()).map_err(js_error)?;
    sign_playback(&signer, &playback_id, &options).map_err(js_error)
}

/// Signs a DRM license token like `mux.jwt.signDrmLicense`.
#[wasm_bindgen(js_name = signDrmLicense)]
pub fn sign_drm_license(
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignDrmLicenseOptions")] options: JsValue,
) -> Result<String, JsError> {
    let (options, key_secret) = read_options(options).map_err(js_error)?;
    let signer = signer_from(&options, key_secret.as_ref()).map_err(js_error)?;
    sign_drm(&signer, &playback_id, &options).map_err(js_error)
}

/// Signs a viewer-counts token like `mux.jwt.signViewerCounts`.
#[wasm_bindgen(js_name = signViewerCounts)]
pub fn sign_viewer_counts(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignViewerCountsOptions")] options: JsValue,
) -> Result<String, JsError> {
    let (options, key_secret) = read_options(options).map_err(js_error)?;
    let signer = signer_from(&options, key_secret.as_ref()).map_err(js_error)?;
    sign_counts(&signer, &id, &options).map_err(js_error)
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
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] key_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key_secret: JsValue,
    ) -> Result<JsSigner, JsError> {
        let key_id = string_arg(&key_id, "keyId").map_err(js_error)?;
        let key_secret = secret_arg(&key_secret).map_err(js_error)?;
        Signer::new(&key_id, &key_secret)
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
        #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PlaybackOptions | PlaybackSetOptions")]
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options = read_options(options)
            .and_then(|(options, _)| options.without_key())
            .map_err(js_error)?;
        sign_playback(&self.inner, &playback_id, &options).map_err(js_error)
    }

    /// As the module's `signDrmLicense`, without the key options.
    #[wasm_bindgen(js_name = signDrmLicense)]
    pub fn sign_drm_license(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SignOptionsBase")] options: JsValue,
    ) -> Result<String, JsError> {
        let options = read_options(options)
            .and_then(|(options, _)| options.without_key())
            .map_err(js_error)?;
        sign_drm(&self.inner, &playback_id, &options).map_err(js_error)
    }

    /// As the module's `signViewerCounts`, without the key options.
    #[wasm_bindgen(js_name = signViewerCounts)]
    pub fn sign_viewer_counts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ViewerCountsOptions")] options: JsValue,
    ) -> Result<String, JsError> {
        let options = read_options(options)
            .and_then(|(options, _)| options.without_key())
            .map_err(js_error)?;
        sign_counts(&self.inner, &id, &options).map_err(js_error)
    }

    /// The public key as SPKI PEM.
    #[wasm_bindgen(js_name = publicKeyPem)]
    pub fn public_key_pem(&self) -> String {
        self.inner.key().public_key().to_pem()
    }

    /// The public key as a JWK whose `kid` is the signing key ID.
    #[wasm_bindgen(js_name = publicJwk, unchecked_return_type = "PublicJwk")]
    pub fn public_jwk(&self) -> Result<JsValue, JsError> {
        json_to_js(
            &self
                .inner
                .key()
                .public_key()
                .to_jwk(Some(self.inner.key_id())),
        )
        .map_err(js_error)
    }

    /// The RFC 7638 JWK thumbprint of the public key.
    pub fn thumbprint(&self) -> String {
        self.inner.key().public_key().thumbprint()
    }

    /// What the key is: size, input format, thumbprint.
    #[wasm_bindgen(js_name = keyInfo, unchecked_return_type = "KeyInfo")]
    pub fn key_info(&self) -> Result<JsValue, JsError> {
        json_to_js(&self.inner.key().info()).map_err(js_error)
    }

    /// Decodes a token and checks its signature against this key's public half; throws if it
    /// does not match.
    #[wasm_bindgen(unchecked_return_type = "DecodedToken")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> Result<JsValue, JsError> {
        let token = string_arg(&token, "token").map_err(js_error)?;
        let decoded =
            jws::verify(&token, self.inner.key().public_key(), now()).map_err(js_error)?;
        json_to_js(&decoded).map_err(js_error)
    }
}

/// Parses a private key and describes it, for showing what was pasted before signing.
#[wasm_bindgen(js_name = keyInfo, unchecked_return_type = "KeyInfo")]
pub fn key_info(
    #[wasm_bindgen(unchecked_param_type = "string")] key_secret: JsValue,
) -> Result<JsValue, JsError> {
    let key_secret = secret_arg(&key_secret).map_err(js_error)?;
    let key = SigningKey::parse(&key_secret).map_err(js_error)?;
    json_to_js(&key.info()).map_err(js_error)
}

/// Takes a token apart without checking its signature.
#[wasm_bindgen(js_name = decodeToken, unchecked_return_type = "DecodedToken")]
pub fn decode_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<JsValue, JsError> {
    let token = string_arg(&token, "token").map_err(js_error)?;
    json_to_js(&jws::decode(&token, now()).map_err(js_error)?).map_err(js_error)
}

/// Decodes a token and checks its RS256 signature against a public key (PEM, JWK, or a private
/// key whose public half is used); throws if it does not match.
#[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "DecodedToken")]
pub fn verify_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] public_key: JsValue,
) -> Result<JsValue, JsError> {
    let token = string_arg(&token, "token").map_err(js_error)?;
    let public_key = secret_arg(&public_key).map_err(js_error)?;
    let key = PublicKey::parse(&public_key).map_err(js_error)?;
    json_to_js(&jws::verify(&token, &key, now()).map_err(js_error)?).map_err(js_error)
}

/// The type, ID and token of the URL functions, checked.
fn url_args(
    token_type: &JsValue,
    playback_id: &JsValue,
    token: &JsValue,
) -> Result<(TokenType, String, String), Error> {
    let token_type = TokenType::parse(&string_arg(token_type, "type")?)?;
    let id = crate::signer::check_id(&string_arg(playback_id, "playbackId")?)?.to_owned();
    Ok((token_type, id, string_arg(token, "token")?))
}

/// The most common signed URL for a token of `type`.
#[wasm_bindgen(js_name = signedUrl)]
pub fn signed_url(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<String, JsError> {
    let (token_type, id, token) = url_args(&token_type, &playback_id, &token).map_err(js_error)?;
    Ok(urls::signed_url(token_type, &id, &token))
}

/// Every signed URL a token of `type` unlocks.
#[wasm_bindgen(js_name = signedUrls, unchecked_return_type = "SignedUrl[]")]
pub fn signed_urls(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<JsValue, JsError> {
    let (token_type, id, token) = url_args(&token_type, &playback_id, &token).map_err(js_error)?;
    json_to_js(&urls::signed_urls(token_type, &id, &token)).map_err(js_error)
}

/// Mux Player's URL for a token set (the object `signPlaybackId` returns for a type array).
#[wasm_bindgen(js_name = playerUrl)]
pub fn player_url(
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Tokens")] tokens: JsValue,
) -> Result<String, JsError> {
    let playback_id = string_arg(&playback_id, "playbackId").map_err(js_error)?;
    let id = crate::signer::check_id(&playback_id).map_err(js_error)?;
    let map: serde_json::Map<String, Value> = from_js(&tokens, "tokens").map_err(js_error)?;
    check_token_map(&map).map_err(js_error)?;
    Ok(urls::player_url_with(id, |t| {
        map.get(t.token_key()).and_then(Value::as_str)
    }))
}

/// The SDK's token object: known keys only, each a string (the tokens themselves unchecked).
fn check_token_map(map: &serde_json::Map<String, Value>) -> Result<(), Error> {
    for (key, value) in map {
        if !TokenType::ALL.iter().any(|t| t.token_key() == key) {
            return Err(invalid_options(format!(
                "unknown token key {key:?}: use playback-token, thumbnail-token, storyboard-token, drm-token, gif-token or stats-token"
            )));
        }
        if !value.is_string() {
            return Err(invalid_options(format!("{key} must be a token string")));
        }
    }
    Ok(())
}

/// The warnings (unknown params) for `params` on a token of `type`; throws on a wrong value.
#[wasm_bindgen(js_name = checkParams)]
pub fn check_params_js(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Params")] params: JsValue,
) -> Result<Vec<String>, JsError> {
    let token_type = string_arg(&token_type, "type")
        .and_then(|t| TokenType::parse(&t))
        .map_err(js_error)?;
    let params: Value = from_js(&params, "params").map_err(js_error)?;
    let Value::Object(params) = params else {
        return Err(js_error(crate::params::not_an_object(&params)));
    };
    check_params(Some(token_type), &params).map_err(js_error)
}

/// The documented params of a token type, for building a form: the same table that checks them.
#[wasm_bindgen(js_name = paramSpecs, unchecked_return_type = "ParamSpec[]")]
pub fn param_specs_js(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: JsValue,
) -> Result<JsValue, JsError> {
    let token_type = string_arg(&token_type, "type")
        .and_then(|t| TokenType::parse(&t))
        .map_err(js_error)?;
    json_to_js(&crate::params::param_specs(Some(token_type))).map_err(js_error)
}

/// The `exp` a sign call with these options would set now (Unix seconds).
#[wasm_bindgen(js_name = resolveExpiration)]
pub fn resolve_expiration(
    #[wasm_bindgen(unchecked_param_type = "SignOptionsBase")] options: JsValue,
) -> Result<f64, JsError> {
    let (options, _) = read_options(options).map_err(js_error)?;
    let sign_options = options.sign_options().map_err(js_error)?;
    let exp = sign_options.expiration.resolve(now()).map_err(js_error)?;
    Ok(exp as f64)
}
