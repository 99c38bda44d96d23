//! The options object of every sign call, read once into the core's types.
//!
//! Each option is taken from the JS object with `Reflect.get` (a throwing getter or proxy gives
//! an error, not an exception through wasm) and read with serde-wasm-bindgen, so a JS number
//! stays a number: `NaN`, `Infinity` and invalid `Date`s are refused instead of turning into
//! `null`, that is "not given", as a `JSON.stringify` round trip made them. Params and the
//! `type` array still go through `JSON.stringify`, because tokens must carry JavaScript's own
//! number formatting and key order to match the SDK byte for byte.

use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::convert::{invalid, json_text, now, secret_arg};
use crate::claims::KidPlacement;
use crate::error::{Error, ErrorKind, Field};
use crate::mux::TokenType;
use crate::params::{not_an_object, parse_params_json, Params};
use crate::signer::SignOptions;
use crate::timespan::Expiration;

/// Every option name; anything else (a typo such as `expiresIn`) is an error, not a silent
/// default.
const NAMES: [&str; 7] = [
    "keyId",
    "keySecret",
    "type",
    "expiration",
    "expiresAt",
    "params",
    "kidIn",
];

/// The `type` option: absent, one name, or a token set's entries.
pub(crate) enum TypeOption {
    Default,
    Name(String),
    Set(Vec<(TokenType, Params)>),
}

/// A sign call's options, read and checked.
pub(crate) struct JsOptions {
    pub(crate) key_id: Option<String>,
    /// Wiped when dropped; never read through serde, whose buffers would keep copies.
    pub(crate) key_secret: Option<Zeroizing<String>>,
    pub(crate) token_type: TypeOption,
    pub(crate) sign: SignOptions,
}

impl JsOptions {
    /// Reads `options` (`undefined` and `null` mean none). `with_key`: whether `keyId` and
    /// `keySecret` belong here (module functions) or not (a `Signer` holds its own key).
    pub(crate) fn read(options: &JsValue, with_key: bool) -> Result<Self, Error> {
        let object = Snapshot::of(options)?;
        if !with_key && (object.has("keyId") || object.has("keySecret")) {
            return Err(invalid(
                Field::Options,
                "this Signer already holds its key: leave keyId and keySecret out",
            ));
        }
        let key_secret = match object.get("keySecret") {
            None => None,
            Some(value) => Some(secret_arg(&value, Field::KeySecret)?),
        };
        Ok(JsOptions {
            key_id: object.typed("keyId", Field::KeyId, "a string")?,
            key_secret,
            token_type: type_option(object.get("type"))?,
            sign: SignOptions {
                expiration: expiration(&object)?,
                params: params(object.get("params"))?,
                kid_in: object
                    .typed::<String>("kidIn", Field::KidIn, "claims, header or both")?
                    .map(|name| KidPlacement::parse(&name))
                    .transpose()?
                    .unwrap_or_default(),
            },
        })
    }

    /// The single type name, or `default` when none was given.
    pub(crate) fn type_name<'a>(&'a self, default: &'a str) -> Result<&'a str, Error> {
        match &self.token_type {
            TypeOption::Default => Ok(default),
            TypeOption::Name(name) => Ok(name),
            TypeOption::Set(_) => Err(invalid(
                Field::Type,
                "type must be one name here, not a list",
            )),
        }
    }
}

/// The options object's own values, each read once.
struct Snapshot(Vec<(String, JsValue)>);

impl Snapshot {
    fn of(options: &JsValue) -> Result<Self, Error> {
        if options.is_undefined() || options.is_null() {
            return Ok(Snapshot(Vec::new()));
        }
        if !options.is_object() || js_sys::Array::is_array(options) {
            return Err(invalid(Field::Options, "options must be an object"));
        }
        let unreadable = || invalid(Field::Options, "the options object cannot be read");
        let names = js_sys::Reflect::own_keys(options).map_err(|_| unreadable())?;
        let mut values = Vec::new();
        for name in names.iter() {
            let Some(text) = name.as_string() else {
                return Err(invalid(
                    Field::Options,
                    "options must have only string names",
                ));
            };
            if !NAMES.contains(&text.as_str()) {
                return Err(invalid(
                    Field::Options,
                    format!("unknown option {text:?}: use {}", NAMES.join(", ")),
                ));
            }
            let value = js_sys::Reflect::get(options, &name)
                .map_err(|_| invalid(Field::Options, format!("option {text} cannot be read")))?;
            if !value.is_undefined() {
                values.push((text, value));
            }
        }
        Ok(Snapshot(values))
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    fn get(&self, name: &str) -> Option<JsValue> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.clone())
    }

    /// An option read as `T`; `null` counts as not given.
    fn typed<T: DeserializeOwned>(
        &self,
        name: &str,
        field: Field,
        expected: &str,
    ) -> Result<Option<T>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(value) if value.is_null() => Ok(None),
            Some(value) => serde_wasm_bindgen::from_value(value)
                .map(Some)
                .map_err(|_| invalid(field, format!("{name} must be {expected}"))),
        }
    }
}

/// `expiration` (a duration, as the SDK) or `expiresAt` (an absolute expiry), not both.
fn expiration(object: &Snapshot) -> Result<Expiration, Error> {
    let given = |name| object.get(name).filter(|v: &JsValue| !v.is_null());
    match (given("expiration"), given("expiresAt")) {
        (Some(_), Some(_)) => Err(ErrorKind::ConflictingExpiration.into()),
        (None, None) => Ok(Expiration::default()),
        (Some(value), None) => {
            if let Some(seconds) = value.as_f64() {
                return Expiration::from_seconds_number(seconds);
            }
            let text: String = object
                .typed(
                    "expiration",
                    Field::Expiration,
                    "seconds or a duration string",
                )?
                .unwrap_or_default();
            Expiration::parse(&text)
        }
        // An absolute expiry is checked here, so that one in the past is reported against
        // `expiresAt`, the input given, not `expiration`.
        (None, Some(value)) => expires_at(&value)
            .and_then(|at| at.resolve(now()).map(|_| at))
            .map_err(|e| e.concerning(Field::ExpiresAt)),
    }
}

/// `expiresAt`: Unix seconds, an RFC 3339 date-time, or a `Date` (whole seconds, rounded down).
fn expires_at(value: &JsValue) -> Result<Expiration, Error> {
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        return Expiration::at_number((date.get_time() / 1000.0).floor());
    }
    if let Some(seconds) = value.as_f64() {
        return Expiration::at_number(seconds);
    }
    let Some(text) = value.as_string() else {
        return Err(invalid(
            Field::ExpiresAt,
            "expiresAt must be Unix seconds, an RFC 3339 date-time or a Date",
        ));
    };
    match Expiration::parse(&text)? {
        at @ Expiration::At(_) => Ok(at),
        Expiration::In(_) => Err(invalid(
            Field::ExpiresAt,
            format!(
                "expiresAt {text:?} is a duration: put durations in expiration, dates in expiresAt"
            ),
        )),
    }
}

/// `params`: an object, read through its JSON text (see the module docs).
fn params(value: Option<JsValue>) -> Result<Params, Error> {
    match value {
        None => Ok(Params::new()),
        Some(value) if value.is_null() => Ok(Params::new()),
        Some(value) if value.is_object() && !js_sys::Array::is_array(&value) => {
            parse_params_json(&json_text(&value, "params", Field::Params)?)
        }
        Some(value) => {
            let shape = serde_json::from_str(&json_text(&value, "params", Field::Params)?)
                .unwrap_or(Value::Null);
            Err(not_an_object(&shape))
        }
    }
}

fn type_option(value: Option<JsValue>) -> Result<TypeOption, Error> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(TypeOption::Default);
    };
    if let Some(name) = value.as_string() {
        return Ok(TypeOption::Name(name));
    }
    if !js_sys::Array::is_array(&value) {
        return Err(invalid(
            Field::Type,
            "type must be a type name or a list of them",
        ));
    }
    let entries: Value = serde_json::from_str(&json_text(&value, "type", Field::Type)?)
        .map_err(|_| invalid(Field::Type, "type cannot be read"))?;
    let entries = entries.as_array().map(Vec::as_slice).unwrap_or_default();
    entries
        .iter()
        .map(set_entry)
        .collect::<Result<_, _>>()
        .map(TypeOption::Set)
}

/// An entry of a `type` array: a name, or `[name, params]`.
fn set_entry(entry: &Value) -> Result<(TokenType, Params), Error> {
    let wrong = || {
        invalid(
            Field::Type,
            format!("a type entry must be a name or [name, params], not {entry}"),
        )
    };
    match entry {
        Value::String(name) => Ok((TokenType::parse(name)?, Params::new())),
        Value::Array(pair) => match pair.as_slice() {
            [Value::String(name)] | [Value::String(name), Value::Null] => {
                Ok((TokenType::parse(name)?, Params::new()))
            }
            [Value::String(name), Value::Object(params)] => {
                Ok((TokenType::parse(name)?, params.clone()))
            }
            _ => Err(wrong()),
        },
        _ => Err(wrong()),
    }
}
