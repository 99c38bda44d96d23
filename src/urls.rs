//! Where each token goes: the signed URLs of Mux's stream, image, license and stats hosts, and
//! Mux Player's URL for a token set. With signed URLs every option lives inside the token, so
//! a URL carries only `token`.

use serde::Serialize;

use crate::claims::TokenType;
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
    let url = |label: String, url: String| SignedUrl {
        label,
        url: format!("{url}?token={token}"),
    };
    let image = |name: &str, extensions: &[&str]| -> Vec<SignedUrl> {
        extensions
            .iter()
            .map(|ext| {
                url(
                    format!("{name}.{ext}"),
                    format!("https://image.mux.com/{id}/{name}.{ext}"),
                )
            })
            .collect()
    };
    match token_type {
        TokenType::Video => vec![url(
            "HLS stream".into(),
            format!("https://stream.mux.com/{id}.m3u8"),
        )],
        TokenType::Thumbnail => image("thumbnail", &["jpg", "png", "webp"]),
        TokenType::Gif => image("animated", &["gif", "webp"]),
        TokenType::Storyboard => image("storyboard", &["vtt", "json", "png", "jpg", "webp"]),
        TokenType::DrmLicense => vec![
            url(
                "Widevine license".into(),
                format!("https://license.mux.com/license/widevine/{id}"),
            ),
            url(
                "PlayReady license".into(),
                format!("https://license.mux.com/license/playready/{id}"),
            ),
            url(
                "FairPlay license".into(),
                format!("https://license.mux.com/license/fairplay/{id}"),
            ),
            url(
                "FairPlay certificate".into(),
                format!("https://license.mux.com/appcert/fairplay/{id}"),
            ),
        ],
        TokenType::Stats => vec![url(
            "viewer counts".into(),
            "https://stats.mux.com/counts".into(),
        )],
    }
}

/// The most common URL for a token of `token_type` (see [`signed_urls`]).
pub fn signed_url(token_type: TokenType, id: &str, token: &str) -> String {
    signed_urls(token_type, id, token)
        .into_iter()
        .next()
        .map(|u| u.url)
        .unwrap_or_default()
}

/// Mux Player's URL with the set's playback, thumbnail, storyboard and DRM tokens (the player
/// takes no gif or stats token).
pub fn player_url(id: &str, tokens: &TokenSet) -> String {
    player_url_with(id, |t| tokens.get(t))
}

/// [`player_url`] over any lookup of a type's token (the JS API passes the SDK's object).
pub(crate) fn player_url_with<'a>(
    id: &str,
    token_for: impl Fn(TokenType) -> Option<&'a str>,
) -> String {
    let query: Vec<String> = [
        TokenType::Video,
        TokenType::Thumbnail,
        TokenType::Storyboard,
        TokenType::DrmLicense,
    ]
    .into_iter()
    .filter_map(|t| token_for(t).map(|token| format!("{}={token}", t.token_key())))
    .collect();
    if query.is_empty() {
        format!("https://player.mux.com/{id}")
    } else {
        format!("https://player.mux.com/{id}?{}", query.join("&"))
    }
}
