//! The names the core reads, each with the words a page shows for it, so that a page keeps no
//! list of its own: viewer-counts ID types, kid placements and key export formats, each list
//! in the core's order with its default first; and the rule for playback IDs. (Token types:
//! `tokenTypes()` in `functions`.)

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::convert::{js_error, to_js};
use crate::claims::KidPlacement;
use crate::mux::{ViewerCountsType, ID_MAX_LEN, ID_PATTERN};
use crate::KeyExportFormat;

#[derive(Serialize)]
struct Choice {
    name: &'static str,
    label: &'static str,
    /// The `aud` claim (viewer-counts types only).
    #[serde(skip_serializing_if = "Option::is_none")]
    aud: Option<&'static str>,
}

#[derive(Serialize)]
struct ExportFormat {
    name: &'static str,
    label: &'static str,
    title: &'static str,
    encoding: &'static str,
    secret: bool,
}

/// What a viewer-counts ID can be, with its `aud`; the first is the default.
#[wasm_bindgen(js_name = viewerCountsTypes, unchecked_return_type = "ViewerCountsTypeInfo[]")]
pub fn viewer_counts_types() -> Result<JsValue, JsValue> {
    let types: Vec<Choice> = ViewerCountsType::ALL
        .iter()
        .map(|&t| Choice {
            name: t.name(),
            label: t.label(),
            aud: Some(t.audience()),
        })
        .collect();
    to_js(&types).map_err(js_error)
}

/// Where the signing key ID can go; the first is the default.
#[wasm_bindgen(js_name = kidPlacements, unchecked_return_type = "Choice<KidPlacement>[]")]
pub fn kid_placements() -> Result<JsValue, JsValue> {
    let placements: Vec<Choice> = KidPlacement::ALL
        .iter()
        .map(|&p| Choice {
            name: p.name(),
            label: p.label(),
            aud: None,
        })
        .collect();
    to_js(&placements).map_err(js_error)
}

/// Every format `Signer.exportKey` writes, and whether its text is secret (the private key).
#[wasm_bindgen(js_name = keyExportFormats, unchecked_return_type = "KeyExportFormatInfo[]")]
pub fn key_export_formats() -> Result<JsValue, JsValue> {
    let formats: Vec<ExportFormat> = KeyExportFormat::ALL
        .iter()
        .map(|&(name, f)| ExportFormat {
            name,
            label: f.label(),
            title: f.title(),
            encoding: f.encoding(),
            secret: f.is_secret(),
        })
        .collect();
    to_js(&formats).map_err(js_error)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdRule {
    max_length: usize,
    pattern: &'static str,
}

/// What the signer accepts as a playback ID (after trimming), so that a server can refuse a
/// malformed path before it authorises or signs.
#[wasm_bindgen(js_name = playbackIdRule, unchecked_return_type = "PlaybackIdRule")]
pub fn playback_id_rule() -> Result<JsValue, JsValue> {
    to_js(&IdRule {
        max_length: ID_MAX_LEN,
        pattern: ID_PATTERN,
    })
    .map_err(js_error)
}
