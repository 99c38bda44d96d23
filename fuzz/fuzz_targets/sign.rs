//! The whole sign call: ID, type, expiration, params JSON and kid placement from the input
//! (one per line), with a key parsed once, as the page and the JS API use it.
#![no_main]
use std::sync::OnceLock;

use jwt_signer::{
    parse_params_json, Expiration, KidPlacement, SignOptions, Signer, TokenType, ViewerCountsType,
};
use libfuzzer_sys::fuzz_target;

static SIGNER: OnceLock<Signer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let signer = SIGNER.get_or_init(|| {
        Signer::new("fuzz-kid", include_str!("../../tests/fixtures/rsa2048-mux.txt")).unwrap()
    });
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(5, '\n');
    let (id, kind, expiration, kid_in, params) = (
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or("{}"),
    );
    let (Ok(expiration), Ok(kid_in), Ok(params)) = (
        Expiration::parse(expiration),
        KidPlacement::parse(kid_in),
        parse_params_json(params),
    ) else {
        return;
    };
    let options = SignOptions { expiration, params, kid_in };
    let now = 1_700_000_000;
    if let Ok(token_type) = TokenType::parse(kind) {
        let _ = signer.sign_playback_id(id, token_type, &options, now);
    } else if let Ok(id_type) = ViewerCountsType::parse(kind) {
        let _ = signer.sign_viewer_counts(id, id_type, &options, now);
    }
});
