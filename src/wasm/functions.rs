//! The module-level exports: the SDK's three sign functions (the key in the options), and what
//! a page or tool needs from the core so that it re-implements nothing: key and token
//! inspection, URLs, the params table, the default expiration, the token types, expiry wording.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::convert::{
    claims_to_js, invalid, js_error, now, secret_arg, string_arg, to_js, unix_seconds,
};
use super::options::{JsOptions, TypeOption};
use crate::error::{Error, ErrorKind, Field};
use crate::mux::{check_id, PlayerSlot, TokenType, ViewerCountsType};
use crate::params::{check_params, param_specs, parse_params_json};
use crate::signer::Signer;
use crate::{describe_expiry, jws, urls, PublicKey, SigningKey, DEFAULT_EXPIRATION};

/// Signs a playback token, or with a `type` array a token set, with `signer`.
pub(crate) fn sign_playback(
    signer: &Signer,
    playback_id: &JsValue,
    options: &JsOptions,
) -> Result<JsValue, Error> {
    let playback_id = string_arg(playback_id, "playbackId", Field::PlaybackId)?;
    if let TypeOption::Set(entries) = &options.token_type {
        let set = signer.sign_token_set(&playback_id, entries, &options.sign, now())?;
        return claims_to_js(&set.to_map());
    }
    let token_type = TokenType::parse(options.type_name("video")?)?;
    let signed = signer.sign_playback_id(&playback_id, token_type, &options.sign, now())?;
    Ok(JsValue::from_str(&signed.token))
}

/// Signs a DRM license token; the SDK lets `type` override the audience, and so do we.
pub(crate) fn sign_drm(
    signer: &Signer,
    playback_id: &JsValue,
    options: &JsOptions,
) -> Result<String, Error> {
    let playback_id = string_arg(playback_id, "playbackId", Field::PlaybackId)?;
    let token_type = TokenType::parse(options.type_name("drm_license")?)?;
    let signed = signer.sign_playback_id(&playback_id, token_type, &options.sign, now())?;
    Ok(signed.token)
}

/// Signs a viewer-counts token; `type` names what the ID is.
pub(crate) fn sign_counts(
    signer: &Signer,
    id: &JsValue,
    options: &JsOptions,
) -> Result<String, Error> {
    let id = string_arg(id, "id", Field::PlaybackId)?;
    let id_type = ViewerCountsType::parse(options.type_name("video")?)?;
    let signed = signer.sign_viewer_counts(&id, id_type, &options.sign, now())?;
    Ok(signed.token)
}

/// The options with their key, and a `Signer` for it.
fn keyed(options: &JsValue) -> Result<(JsOptions, Signer), Error> {
    let options = JsOptions::read(options, true)?;
    let key_id = options.key_id.as_deref().ok_or(ErrorKind::MissingKeyId)?;
    let key_secret = options.key_secret.as_ref().ok_or(ErrorKind::EmptyKey)?;
    let signer = Signer::new(key_id, key_secret)?;
    Ok((options, signer))
}

/// Signs a playback token (or, with a `type` array, a token set) like `mux.jwt.signPlaybackId`.
#[wasm_bindgen(js_name = signPlaybackId, unchecked_return_type = "string | Tokens")]
pub fn sign_playback_id(
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignPlaybackIdOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    keyed(&options)
        .and_then(|(options, signer)| sign_playback(&signer, &playback_id, &options))
        .map_err(js_error)
}

/// Signs a DRM license token like `mux.jwt.signDrmLicense`.
#[wasm_bindgen(js_name = signDrmLicense)]
pub fn sign_drm_license(
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignDrmLicenseOptions")] options: JsValue,
) -> Result<String, JsValue> {
    keyed(&options)
        .and_then(|(options, signer)| sign_drm(&signer, &playback_id, &options))
        .map_err(js_error)
}

/// Signs a viewer-counts token like `mux.jwt.signViewerCounts`.
#[wasm_bindgen(js_name = signViewerCounts)]
pub fn sign_viewer_counts(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SignViewerCountsOptions")] options: JsValue,
) -> Result<String, JsValue> {
    keyed(&options)
        .and_then(|(options, signer)| sign_counts(&signer, &id, &options))
        .map_err(js_error)
}

/// Parses a private key and describes it, for showing what was pasted before signing.
#[wasm_bindgen(js_name = keyInfo, unchecked_return_type = "KeyInfo")]
pub fn key_info(
    #[wasm_bindgen(unchecked_param_type = "string")] key_secret: JsValue,
) -> Result<JsValue, JsValue> {
    let info = || {
        let key_secret = secret_arg(&key_secret, Field::KeySecret)?;
        to_js(&SigningKey::parse(&key_secret)?.info())
    };
    info().map_err(js_error)
}

/// Takes a token apart without checking its signature.
#[wasm_bindgen(js_name = decodeToken, unchecked_return_type = "DecodedToken")]
pub fn decode_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<JsValue, JsValue> {
    string_arg(&token, "token", Field::Token)
        .and_then(|token| jws::decode(&token, now()))
        .and_then(|decoded| claims_to_js(&decoded))
        .map_err(js_error)
}

/// Decodes a token and checks its RS256 signature against a public key (PEM, JWK, or a private
/// key whose public half is used); throws if it does not match.
#[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "DecodedToken")]
pub fn verify_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] public_key: JsValue,
) -> Result<JsValue, JsValue> {
    let verify = || {
        let token = string_arg(&token, "token", Field::Token)?;
        let key = PublicKey::parse(&secret_arg(&public_key, Field::PublicKey)?)?;
        claims_to_js(&jws::verify(&token, &key, now())?)
    };
    verify().map_err(js_error)
}

fn token_type_arg(token_type: &JsValue) -> Result<TokenType, Error> {
    TokenType::parse(&string_arg(token_type, "type", Field::Type)?)
}

/// The type, ID and token of the URL functions, checked.
fn url_args(
    token_type: &JsValue,
    playback_id: &JsValue,
    token: &JsValue,
) -> Result<(TokenType, String, String), Error> {
    let token_type = token_type_arg(token_type)?;
    let id = check_id(&string_arg(playback_id, "playbackId", Field::PlaybackId)?)?.to_owned();
    Ok((token_type, id, string_arg(token, "token", Field::Token)?))
}

/// The most common signed URL for a token of `type`.
#[wasm_bindgen(js_name = signedUrl)]
pub fn signed_url(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<String, JsValue> {
    let (token_type, id, token) = url_args(&token_type, &playback_id, &token).map_err(js_error)?;
    Ok(urls::signed_url(token_type, &id, &token))
}

/// Every signed URL a token of `type` unlocks.
#[wasm_bindgen(js_name = signedUrls, unchecked_return_type = "SignedUrl[]")]
pub fn signed_urls(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<JsValue, JsValue> {
    url_args(&token_type, &playback_id, &token)
        .and_then(|(token_type, id, token)| to_js(&urls::signed_urls(token_type, &id, &token)))
        .map_err(js_error)
}

/// Mux Player's URL for a token set (the object `signPlaybackId` returns for a type array).
#[wasm_bindgen(js_name = playerUrl)]
pub fn player_url(
    #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Tokens")] tokens: JsValue,
) -> Result<String, JsValue> {
    let url = || {
        let playback_id = string_arg(&playback_id, "playbackId", Field::PlaybackId)?;
        let id = check_id(&playback_id)?;
        let text = super::convert::json_text(&tokens, "tokens", Field::Token)?;
        let map: serde_json::Map<String, Value> = serde_json::from_str(&text).map_err(|_| {
            invalid(
                Field::Token,
                "tokens must be the object signPlaybackId returns",
            )
        })?;
        check_token_map(&map)?;
        Ok(urls::player_url_with(id, |t| {
            map.get(t.token_key()).and_then(Value::as_str)
        }))
    };
    url().map_err(js_error)
}

/// The SDK's token object: known keys only, each a string (the tokens themselves unchecked).
fn check_token_map(map: &serde_json::Map<String, Value>) -> Result<(), Error> {
    for (key, value) in map {
        if !TokenType::ALL.iter().any(|t| t.token_key() == key) {
            let keys: Vec<&str> = TokenType::ALL.iter().map(|t| t.token_key()).collect();
            return Err(invalid(
                Field::Token,
                format!("unknown token key {key:?}: use {}", keys.join(", ")),
            ));
        }
        if !value.is_string() {
            return Err(invalid(
                Field::Token,
                format!("{key} must be a token string"),
            ));
        }
    }
    Ok(())
}

/// The warnings (unknown params) for `params` on a token of `type`; throws on a wrong value.
#[wasm_bindgen(js_name = checkParams)]
pub fn check_params_js(
    #[wasm_bindgen(unchecked_param_type = "TokenType")] token_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Params")] params: JsValue,
) -> Result<Vec<String>, JsValue> {
    let check = || {
        let token_type = token_type_arg(&token_type)?;
        let text = super::convert::json_text(&params, "params", Field::Params)?;
        check_params(Some(token_type), &parse_params_json(&text)?)
    };
    check().map_err(js_error)
}

/// Reads custom claims typed as JSON text (the page's custom-claims field) into an object;
/// throws `params_invalid` when it is not a JSON object.
#[wasm_bindgen(js_name = parseParams, unchecked_return_type = "Params")]
pub fn parse_params_js(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    string_arg(&text, "params", Field::Params)
        .and_then(|text| parse_params_json(&text))
        .and_then(|params| claims_to_js(&params))
        .map_err(js_error)
}

/// The documented params of a token type, for building a form: the same table that checks
/// them. `null` (or nothing): the params common to every type.
#[wasm_bindgen(js_name = paramSpecs, unchecked_return_type = "ParamSpec[]")]
pub fn param_specs_js(
    #[wasm_bindgen(unchecked_param_type = "TokenType | null | undefined")] token_type: JsValue,
) -> Result<JsValue, JsValue> {
    let specs = || {
        let token_type = if token_type.is_null() || token_type.is_undefined() {
            None
        } else {
            Some(token_type_arg(&token_type)?)
        };
        to_js(&param_specs(token_type))
    };
    specs().map_err(js_error)
}

/// The `exp` a sign call with these options would set now (Unix seconds).
#[wasm_bindgen(js_name = resolveExpiration)]
pub fn resolve_expiration(
    #[wasm_bindgen(unchecked_param_type = "SignOptionsBase")] options: JsValue,
) -> Result<f64, JsValue> {
    JsOptions::read(&options, false)
        .and_then(|options| options.sign.expiration.resolve(now()))
        .map(|exp| exp as f64)
        .map_err(js_error)
}

/// This build's version (the crate's), which the page shows beside its wasm's SHA-256.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The expiration a sign call uses when none is given ("7d", as the SDK).
#[wasm_bindgen(js_name = defaultExpiration)]
pub fn default_expiration() -> String {
    DEFAULT_EXPIRATION.to_owned()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenTypeInfo {
    name: &'static str,
    label: &'static str,
    aud: &'static str,
    token_key: &'static str,
    player_set: bool,
    player: Option<PlayerSlot>,
}

/// Every token type with its audience, token-set key, and whether Mux Player's set has it.
#[wasm_bindgen(js_name = tokenTypes, unchecked_return_type = "TokenTypeInfo[]")]
pub fn token_types() -> Result<JsValue, JsValue> {
    let types: Vec<TokenTypeInfo> = TokenType::ALL
        .iter()
        .map(|&t| TokenTypeInfo {
            name: t.name(),
            label: t.label(),
            aud: t.audience(),
            token_key: t.token_key(),
            player_set: TokenType::PLAYER_SET.contains(&t),
            player: t.facts().player,
        })
        .collect();
    to_js(&types).map_err(js_error)
}

/// Describes an expiry for people: RFC 3339, "in 7 days" / "2 hours ago", expired or not.
/// `now` defaults to the clock (Unix seconds).
#[wasm_bindgen(js_name = describeExpiry, unchecked_return_type = "ExpiryDescription")]
pub fn describe_expiry_js(
    #[wasm_bindgen(unchecked_param_type = "number")] expires_at: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] now_seconds: JsValue,
) -> Result<JsValue, JsValue> {
    let seconds = |value: &JsValue, name: &str| {
        unix_seconds(value).ok_or_else(|| {
            invalid(
                Field::ExpiresAt,
                format!("{name} must be whole Unix seconds"),
            )
        })
    };
    let describe = || {
        let exp = seconds(&expires_at, "expiresAt")?;
        let now = if now_seconds.is_undefined() {
            now()
        } else {
            seconds(&now_seconds, "now")?
        };
        to_js(&describe_expiry(exp, now))
    };
    describe().map_err(js_error)
}

/// Says why Mux would reject a signed URL, a Mux Player URL or `<mux-player>` snippet, or a
/// token: findings with codes and fixes (see the core's `diagnose`). Options: `key` (a private
/// key, any form) or `publicKey` (PEM or JWK) to check signatures, `keyId` the signing key ID
/// the tokens should name, `now` (Unix seconds; default the clock). Throws only for arguments
/// of the wrong type or a key that cannot be read.
#[wasm_bindgen(js_name = diagnose, unchecked_return_type = "Diagnosis")]
pub fn diagnose_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DiagnoseOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || {
        let input = string_arg(&input, "input", Field::Token)?;
        let get = |name: &str| -> Result<Option<JsValue>, Error> {
            if options.is_undefined() || options.is_null() {
                return Ok(None);
            }
            if !options.is_object() {
                return Err(invalid(Field::Options, "options must be an object"));
            }
            js_sys::Reflect::get(&options, &name.into())
                .map(|v| Some(v).filter(|v| !v.is_undefined() && !v.is_null()))
                .map_err(|_| invalid(Field::Options, format!("option {name} cannot be read")))
        };
        let public_key = match (get("publicKey")?, get("key")?) {
            (Some(text), _) => Some(PublicKey::parse(&secret_arg(&text, Field::PublicKey)?)?),
            (None, Some(text)) => Some(PublicKey::from(&SigningKey::parse(&secret_arg(
                &text,
                Field::KeySecret,
            )?)?)),
            (None, None) => None,
        };
        let key_id = get("keyId")?
            .map(|v| string_arg(&v, "keyId", Field::KeyId))
            .transpose()?;
        let now = match get("now")? {
            None => now(),
            Some(v) => unix_seconds(&v)
                .ok_or_else(|| invalid(Field::Options, "now must be whole Unix seconds"))?,
        };
        let options = crate::DiagnoseOptions {
            public_key: public_key.as_ref(),
            key_id: key_id.as_deref(),
            now,
        };
        claims_to_js(&crate::diagnose(&input, &options))
    };
    run().map_err(js_error)
}
