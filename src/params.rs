//! The params Mux reads from each token type's claims, checked before signing: a known param
//! with a wrong value is an error that says what it accepts; an unknown one passes through
//! with a warning, since Mux may add params this tool does not know yet.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::mux::TokenType;

/// More params than any token needs; refusing them keeps every call quick.
const MAX_PARAMS: usize = 1000;

/// Params as a JSON object, in the caller's key order.
pub type Params = Map<String, Value>;

/// What a known param accepts. Numbers and booleans may come as strings, since the official
/// CLI sends every `--param` as a string and Mux reads both.
#[derive(Clone, Copy)]
enum Accepts {
    Text,
    Number { min: f64, max: f64 },
    Integer { min: u32, max: u32 },
    Boolean,
    OneOf(&'static [&'static str]),
    Object,
}

const RESOLUTIONS: &[&str] = &[
    "270p", "360p", "480p", "540p", "720p", "1080p", "1440p", "2160p",
];
const ANY_TIME: Accepts = Accepts::Number {
    min: 0.0,
    max: f64::MAX,
};

/// Params every type accepts.
const COMMON: &[(&str, Accepts)] = &[
    ("playback_restriction_id", Accepts::Text),
    ("custom", Accepts::Object),
];

fn known_params(token_type: TokenType) -> &'static [(&'static str, Accepts)] {
    match token_type {
        TokenType::Video => &[
            ("redundant_streams", Accepts::Boolean),
            ("roku_trick_play", Accepts::Boolean),
            ("default_subtitles_lang", Accepts::Text),
            ("max_resolution", Accepts::OneOf(RESOLUTIONS)),
            ("min_resolution", Accepts::OneOf(RESOLUTIONS)),
            ("rendition_order", Accepts::OneOf(&["desc"])),
            ("program_start_time", ANY_TIME),
            ("program_end_time", ANY_TIME),
            ("asset_start_time", ANY_TIME),
            ("asset_end_time", ANY_TIME),
            ("exclude_pdt", Accepts::Boolean),
        ],
        TokenType::Thumbnail => &[
            ("time", ANY_TIME),
            (
                "width",
                Accepts::Integer {
                    min: 1,
                    max: 10_000,
                },
            ),
            (
                "height",
                Accepts::Integer {
                    min: 1,
                    max: 10_000,
                },
            ),
            ("rotate", Accepts::OneOf(&["90", "180", "270"])),
            (
                "fit_mode",
                Accepts::OneOf(&["preserve", "stretch", "crop", "smartcrop", "pad"]),
            ),
            ("flip_v", Accepts::Boolean),
            ("flip_h", Accepts::Boolean),
            ("program_time", ANY_TIME),
            ("latest", Accepts::Boolean),
        ],
        TokenType::Gif => &[
            ("start", ANY_TIME),
            ("end", ANY_TIME),
            ("width", Accepts::Integer { min: 1, max: 640 }),
            ("height", Accepts::Integer { min: 1, max: 640 }),
            ("fps", Accepts::Integer { min: 1, max: 30 }),
        ],
        TokenType::Storyboard => &[
            ("program_start_time", ANY_TIME),
            ("program_end_time", ANY_TIME),
            ("asset_start_time", ANY_TIME),
            ("asset_end_time", ANY_TIME),
            ("format", Accepts::OneOf(&["jpg", "png", "webp"])),
        ],
        TokenType::DrmLicense | TokenType::Stats => &[],
    }
}

/// What a known param accepts, so a form (the page) is built from the same table that checks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamSpec {
    /// The claim name.
    pub name: &'static str,
    /// One of "text", "number", "integer", "boolean", "choice", "object".
    pub kind: &'static str,
    /// Smallest accepted number, for "number" and "integer".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest accepted number, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The accepted values, for "choice".
    pub choices: Vec<&'static str>,
}

/// The documented params of `token_type` (`None`: viewer counts), the common ones first.
pub fn param_specs(token_type: Option<TokenType>) -> Vec<ParamSpec> {
    let known = token_type.map_or(&[][..], known_params);
    COMMON
        .iter()
        .chain(known)
        .map(|&(name, accepts)| {
            let (kind, min, max, choices) = match accepts {
                Accepts::Text => ("text", None, None, Vec::new()),
                Accepts::Object => ("object", None, None, Vec::new()),
                Accepts::Boolean => ("boolean", None, None, Vec::new()),
                Accepts::Number { min, max } => (
                    "number",
                    Some(min),
                    (max < f64::MAX).then_some(max),
                    Vec::new(),
                ),
                Accepts::Integer { min, max } => (
                    "integer",
                    Some(f64::from(min)),
                    Some(f64::from(max)),
                    Vec::new(),
                ),
                Accepts::OneOf(values) => ("choice", None, None, values.to_vec()),
            };
            ParamSpec {
                name,
                kind,
                min,
                max,
                choices,
            }
        })
        .collect()
}

/// Checks `params` for `token_type` and returns a warning for each param Mux does not document
/// for that type. Viewer-counts tokens take no params: pass `None`.
///
/// # Errors
/// [`ErrorKind::InvalidParam`] naming the first wrong param and what it accepts.
pub fn check_params(token_type: Option<TokenType>, params: &Params) -> Result<Vec<String>> {
    if params.len() > MAX_PARAMS {
        return Err(ErrorKind::InvalidParams {
            detail: format!(
                "it has {} params; a token takes at most {MAX_PARAMS}",
                params.len()
            ),
        }
        .into());
    }
    let known = token_type.map_or(&[][..], known_params);
    let mut warnings = Vec::new();
    for (name, value) in params {
        let accepts = COMMON
            .iter()
            .chain(known)
            .find(|(known_name, _)| known_name == name)
            .map(|&(_, accepts)| accepts);
        match accepts {
            Some(accepts) => check_value(name, value, accepts)?,
            None if matches!(name.as_str(), "kid" | "sub" | "aud" | "exp") => warnings.push(
                format!("param \"{name}\" is set by the signer and is replaced"),
            ),
            None => warnings.push(format!(
                "param \"{name}\" is not a documented {} param: it is passed through as is",
                token_type.map_or("viewer counts", TokenType::name)
            )),
        }
    }
    if token_type == Some(TokenType::Gif) {
        check_gif_length(params)?;
    }
    Ok(warnings)
}

fn check_value(name: &str, value: &Value, accepts: Accepts) -> Result<()> {
    let ok = match accepts {
        Accepts::Text => value.is_string(),
        Accepts::Object => value.is_object(),
        Accepts::Number { min, max } => number(value).is_some_and(|n| n >= min && n <= max),
        Accepts::Integer { min, max } => number(value)
            .is_some_and(|n| n.fract() == 0.0 && n >= f64::from(min) && n <= f64::from(max)),
        Accepts::Boolean => {
            matches!(value, Value::Bool(_)) || matches!(value.as_str(), Some("true" | "false"))
        }
        Accepts::OneOf(allowed) => {
            let text = match value {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            text.is_some_and(|t| allowed.contains(&t.as_str()))
        }
    };
    if ok {
        return Ok(());
    }
    let expected = match accepts {
        Accepts::Text => "must be a string".to_owned(),
        Accepts::Object => "must be a JSON object".to_owned(),
        Accepts::Number { .. } => "must be a number of seconds, 0 or more".to_owned(),
        Accepts::Integer { min, max } => format!("must be a whole number from {min} to {max}"),
        Accepts::Boolean => "must be true or false".to_owned(),
        Accepts::OneOf(allowed) => format!("must be one of {}", allowed.join(", ")),
    };
    Err(ErrorKind::InvalidParam {
        name: name.to_owned(),
        expected: format!("{expected}, not {value}"),
    }
    .into())
}

/// A number, or a string holding one (the CLI's `--param time=14`).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// Mux renders GIF clips of 0.25 to 10 seconds.
fn check_gif_length(params: &Params) -> Result<()> {
    let start = params.get("start").and_then(number);
    let end = params.get("end").and_then(number);
    if let (Some(start), Some(end)) = (start, end) {
        let length = end - start;
        if !(0.25..=10.0).contains(&length) {
            return Err(ErrorKind::InvalidParam {
                name: "end".to_owned(),
                expected: format!(
                    "must be 0.25 to 10 seconds after \"start\" (a GIF clip is at most 10 s), not {length} s after"
                ),
            }.into());
        }
    }
    Ok(())
}

/// Reads params from JSON text, as the CLI's `--params-json` and the page's custom claims box.
///
/// # Errors
/// [`ErrorKind::InvalidParams`] when the text is not a JSON object.
pub fn parse_params_json(text: &str) -> Result<Params> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(not_an_object(&other)),
        Err(e) => Err(ErrorKind::InvalidParams {
            detail: format!("the JSON cannot be read ({e})"),
        }
        .into()),
    }
}

/// The error for params that are JSON but not an object.
pub(crate) fn not_an_object(value: &Value) -> Error {
    ErrorKind::InvalidParams {
        detail: format!("got {}", kind_of(value)),
    }
    .into()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
