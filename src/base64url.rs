//! The two base64 flavours a signer meets: base64url without padding for JWS (RFC 7515 §2),
//! and forgiving standard base64 for keys pasted by people.

use base64::engine::general_purpose::{
    STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD, URL_SAFE_NO_PAD_INDIFFERENT,
    URL_SAFE_PAD_INDIFFERENT,
};
use base64::Engine;
use zeroize::Zeroizing;

/// base64url without padding, as JWS requires.
pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url, with or without padding.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD_INDIFFERENT.decode(text).ok()
}

/// How pasted base64 failed to decode, so the message can say "cut off" or "not base64".
pub(crate) enum PastedBase64Error {
    /// Characters that base64 never has.
    NotBase64,
    /// Only base64 characters, but not a whole number of them: the text was cut.
    Truncated,
}

/// Decodes base64 as people paste it: line breaks, spaces and CRLF anywhere, with or without
/// padding, standard or URL-safe alphabet. The decoded bytes are wiped when dropped.
pub(crate) fn decode_pasted(text: &str) -> Result<Zeroizing<Vec<u8>>, PastedBase64Error> {
    let compact: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    if let Ok(bytes) = STANDARD_PAD_INDIFFERENT.decode(compact.as_bytes()) {
        return Ok(Zeroizing::new(bytes));
    }
    if let Ok(bytes) = URL_SAFE_PAD_INDIFFERENT.decode(compact.as_bytes()) {
        return Ok(Zeroizing::new(bytes));
    }
    let alphabet = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '=');
    if !compact.is_empty() && compact.chars().all(alphabet) {
        Err(PastedBase64Error::Truncated)
    } else {
        Err(PastedBase64Error::NotBase64)
    }
}
