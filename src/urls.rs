//! Where each token goes: the signed URLs of Mux's stream, image, license and stats hosts, and
//! Mux Player's URL for a token set. With signed URLs every option lives inside the token, so
//! a URL carries only `token`.

use serde::Serialize;

use crate::mux::{TokenType, PLAYER_URL};
use crate::signer::TokenSet;

/// One signed URL and what it is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignedUrl {
    /// What the URL fetches, e.g. "thumbnail.png" or "Widevine license".
    pub label: String,
    /// The URL, token included.
    pub url: String,
}

/// Every URL a token of `token_type` unlocks, the most common first. `id` must be a validated
/// Mux ID (URL-safe characters only), as [`crate::Signer`] ensures.
pub fn signed_urls(token_type: TokenType, id: &str, token: &str) -> Vec<SignedUrl> {
    token_type
        .facts()
        .urls
        .iter()
        .map(|u| SignedUrl {
            label: u.label.to_owned(),
            url: format!("{}?token={token}", u.url.replace("{id}", id)),
        })
        .collect()
}

/// The most common URL for a token of `token_type` (see [`signed_urls`]).
pub fn signed_url(token_type: TokenType, id: &str, token: &str) -> String {
    signed_urls(token_type, id, token)
        .into_iter()
        .next()
        .map(|u| u.url)
        .unwrap_or_default()
}

/// Mux Player's URL with the set's tokens of every type the player takes (playback, thumbnail,
/// storyboard, DRM; not gif or stats).
pub fn player_url(id: &str, tokens: &TokenSet) -> String {
    player_url_with(id, |t| tokens.get(t))
}

/// [`player_url`] over any lookup of a type's token (the JS API passes the SDK's object).
pub(crate) fn player_url_with<'a>(
    id: &str,
    token_for: impl Fn(TokenType) -> Option<&'a str>,
) -> String {
    let query: Vec<String> = TokenType::ALL
        .into_iter()
        .filter(|t| t.facts().player.is_some())
        .filter_map(|t| token_for(t).map(|token| format!("{}={token}", t.token_key())))
        .collect();
    let page = PLAYER_URL.replace("{id}", id);
    if query.is_empty() {
        page
    } else {
        format!("{page}?{}", query.join("&"))
    }
}
