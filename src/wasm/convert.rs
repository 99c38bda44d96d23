//! JS values in and out: arguments checked for their type, results and errors made JS values.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Field};

/// The core's error as a JS `Error` with `.code` and `.field` beside the message.
pub(crate) fn js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    // Setting a property on a fresh Error cannot fail; if it somehow did, the message remains.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code().into());
    let _ = js_sys::Reflect::set(&js, &"field".into(), &error.field().as_str().into());
    js.into()
}

/// An error about the options object or an argument's JS type.
pub(crate) fn invalid(field: Field, detail: impl Into<String>) -> Error {
    Error::from(ErrorKind::InvalidOptions {
        detail: detail.into(),
    })
    .concerning(field)
}

/// A string argument. wasm-bindgen does not check argument types in release builds, and a
/// non-string passed as `&str` would corrupt memory: every string is taken as a `JsValue`.
pub(crate) fn string_arg(value: &JsValue, name: &str, field: Field) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| invalid(field, format!("{name} must be a string")))
}

/// Key text, wiped from wasm memory once parsed.
pub(crate) fn secret_arg(value: &JsValue, field: Field) -> Result<Zeroizing<String>, Error> {
    let name = match field {
        Field::PublicKey => "the public key",
        _ => "the private key",
    };
    string_arg(value, name, field).map(Zeroizing::new)
}

/// Longest JSON text accepted for params or a token map: refuses 100 000 params quickly.
const MAX_JSON: usize = 1024 * 1024;

/// A JS value as JSON text, the way the SDK sees it: `JSON.stringify`, so key order, dropped
/// `undefined`s and number formatting are exactly JavaScript's. Used only where byte parity
/// with the SDK needs that (params and custom claims); everything else goes through
/// serde-wasm-bindgen.
pub(crate) fn json_text(value: &JsValue, what: &str, field: Field) -> Result<String, Error> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| {
            invalid(
                field,
                format!("{what} cannot be turned into JSON (too deep, or circular)"),
            )
        })?;
    if text.len() > MAX_JSON {
        return Err(invalid(
            field,
            format!(
                "{what} are {} bytes as JSON; at most {MAX_JSON}",
                text.len()
            ),
        ));
    }
    Ok(text)
}

/// A typed result as a plain JS value (objects, not `Map`s).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| ErrorKind::Serialization.into())
}

/// A result holding claims as JSON values: through JSON text, since serde_json's
/// arbitrary-precision numbers (which keep the SDK's exact digits) serialize as private maps
/// anywhere but in JSON.
pub(crate) fn claims_to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    let text = serde_json::to_string(value).map_err(|_| ErrorKind::Serialization)?;
    js_sys::JSON::parse(&text).map_err(|_| ErrorKind::Serialization.into())
}

/// The JS clock, so that tokens match the SDK's at the same `Date.now()`.
pub(crate) fn now() -> u64 {
    (js_sys::Date::now() / 1000.0).floor() as u64
}

/// A JS number that is whole Unix seconds, exact in f64 (as `Number.isSafeInteger`, ≥ 0).
pub(crate) fn unix_seconds(value: &JsValue) -> Option<u64> {
    value
        .as_f64()
        .filter(|s| (0.0..=9_007_199_254_740_991.0).contains(s) && s.fract() == 0.0)
        .map(|s| s as u64)
}
