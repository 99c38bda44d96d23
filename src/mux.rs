//! Mux's facts, each written once (../shared/reference/mux-tokens.md is their source): per token
//! type its name, `aud`, token-set key, place in Mux Player and URLs; the viewer-counts ID
//! types; the claims the signer sets; the rule for IDs. The signer, the URLs, the diagnosis
//! and the JS exports read them from here.

use serde::Serialize;

use crate::error::{ErrorKind, Result};

/// A playback token type and its `aud` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenType {
    /// HLS playback, `aud` "v".
    Video,
    /// Still images, `aud` "t".
    Thumbnail,
    /// Animated GIF/WebP, `aud` "g".
    Gif,
    /// Timeline hover previews, `aud` "s".
    Storyboard,
    /// DRM licenses, `aud` "d".
    DrmLicense,
    /// The SDK's alias for viewer counts on a playback ID, `aud` "playback_id".
    Stats,
}

/// What Mux Player does with a token type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlayerSlot {
    /// It cannot play without it (the playback token).
    Required,
    /// In the set it takes by default (posters, timeline previews); optional.
    Default,
    /// Only for DRM-protected assets.
    Drm,
}

/// One URL a token unlocks: `{id}` stands for the playback ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UrlTemplate {
    /// What it fetches, e.g. "thumbnail.png".
    pub label: &'static str,
    /// The URL without its `token` query.
    pub url: &'static str,
}

/// Everything Mux says about one token type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenTypeFacts {
    /// The type.
    pub token_type: TokenType,
    /// The SDK's name (`video`, `drm_license`…).
    pub name: &'static str,
    /// What people call it (the page's choices).
    pub label: &'static str,
    /// The `aud` claim Mux checks.
    pub aud: &'static str,
    /// Its key in a token set (the SDK's `TypeToken`), which is also Mux Player's attribute and
    /// player URL query name.
    pub token_key: &'static str,
    /// Its place in Mux Player, if the player takes it.
    pub player: Option<PlayerSlot>,
    /// The URLs it unlocks, the most common first.
    pub urls: &'static [UrlTemplate],
}

const fn url(label: &'static str, url: &'static str) -> UrlTemplate {
    UrlTemplate { label, url }
}

/// The token types in the SDK's order; row `i` is `TokenType::ALL[i]`.
const TOKEN_TYPES: [TokenTypeFacts; 6] = [
    TokenTypeFacts {
        token_type: TokenType::Video,
        name: "video",
        label: "Video (playback)",
        aud: "v",
        token_key: "playback-token",
        player: Some(PlayerSlot::Required),
        urls: &[url("HLS stream", "https://stream.mux.com/{id}.m3u8")],
    },
    TokenTypeFacts {
        token_type: TokenType::Thumbnail,
        name: "thumbnail",
        label: "Thumbnail",
        aud: "t",
        token_key: "thumbnail-token",
        player: Some(PlayerSlot::Default),
        urls: &[
            url("thumbnail.jpg", "https://image.mux.com/{id}/thumbnail.jpg"),
            url("thumbnail.png", "https://image.mux.com/{id}/thumbnail.png"),
            url(
                "thumbnail.webp",
                "https://image.mux.com/{id}/thumbnail.webp",
            ),
        ],
    },
    TokenTypeFacts {
        token_type: TokenType::Gif,
        name: "gif",
        label: "Animated GIF",
        aud: "g",
        token_key: "gif-token",
        player: None,
        urls: &[
            url("animated.gif", "https://image.mux.com/{id}/animated.gif"),
            url("animated.webp", "https://image.mux.com/{id}/animated.webp"),
        ],
    },
    TokenTypeFacts {
        token_type: TokenType::Storyboard,
        name: "storyboard",
        label: "Storyboard",
        aud: "s",
        token_key: "storyboard-token",
        player: Some(PlayerSlot::Default),
        urls: &[
            url(
                "storyboard.vtt",
                "https://image.mux.com/{id}/storyboard.vtt",
            ),
            url(
                "storyboard.json",
                "https://image.mux.com/{id}/storyboard.json",
            ),
            url(
                "storyboard.png",
                "https://image.mux.com/{id}/storyboard.png",
            ),
            url(
                "storyboard.jpg",
                "https://image.mux.com/{id}/storyboard.jpg",
            ),
            url(
                "storyboard.webp",
                "https://image.mux.com/{id}/storyboard.webp",
            ),
        ],
    },
    TokenTypeFacts {
        token_type: TokenType::DrmLicense,
        name: "drm_license",
        label: "DRM license",
        aud: "d",
        token_key: "drm-token",
        player: Some(PlayerSlot::Drm),
        urls: &[
            url(
                "Widevine license",
                "https://license.mux.com/license/widevine/{id}",
            ),
            url(
                "PlayReady license",
                "https://license.mux.com/license/playready/{id}",
            ),
            url(
                "FairPlay license",
                "https://license.mux.com/license/fairplay/{id}",
            ),
            url(
                "FairPlay certificate",
                "https://license.mux.com/appcert/fairplay/{id}",
            ),
        ],
    },
    TokenTypeFacts {
        token_type: TokenType::Stats,
        name: "stats",
        label: "Stats (playback ID)",
        aud: "playback_id",
        token_key: "stats-token",
        player: None,
        // Takes any viewer-counts audience (`ViewerCountsType`), not only this type's.
        urls: &[url("viewer counts", VIEWER_COUNTS_URL)],
    },
];

/// Where viewer-counts tokens go.
pub(crate) const VIEWER_COUNTS_URL: &str = "https://stats.mux.com/counts";

/// Mux Player's page for a playback ID; tokens go in its query under their token keys.
pub(crate) const PLAYER_URL: &str = "https://player.mux.com/{id}";

impl TokenType {
    /// Every type, in the SDK's order.
    pub const ALL: [TokenType; 6] = [
        TokenType::Video,
        TokenType::Thumbnail,
        TokenType::Gif,
        TokenType::Storyboard,
        TokenType::DrmLicense,
        TokenType::Stats,
    ];

    /// The token set Mux Player takes by default: playback, thumbnail and storyboard tokens.
    pub const PLAYER_SET: [TokenType; 3] = [
        TokenType::Video,
        TokenType::Thumbnail,
        TokenType::Storyboard,
    ];

    /// Everything Mux says about this type.
    pub fn facts(self) -> &'static TokenTypeFacts {
        &TOKEN_TYPES[self as usize]
    }

    /// Reads a type name as the SDK spells it (`video`, `drm_license`, …).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownTokenType`] listing the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == name.trim())
            .ok_or_else(|| {
                ErrorKind::UnknownTokenType {
                    given: name.to_owned(),
                    valid: Self::ALL.map(Self::name).to_vec(),
                }
                .into()
            })
    }

    /// The type whose tokens carry `aud`.
    pub fn from_audience(aud: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.audience() == aud)
    }

    /// The SDK's name for the type.
    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// The `aud` claim Mux checks.
    pub fn audience(self) -> &'static str {
        self.facts().aud
    }

    /// The key of this type's token in a token set (the SDK's `TypeToken`, Mux Player's
    /// attribute names).
    pub fn token_key(self) -> &'static str {
        self.facts().token_key
    }

    /// What people call the type (the page's choices).
    pub fn label(self) -> &'static str {
        self.facts().label
    }
}

/// What kind of ID a viewer-counts token is for, and its `aud` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewerCountsType {
    /// A video ID, `aud` "video_id".
    Video,
    /// An asset ID, `aud` "asset_id".
    Asset,
    /// A playback ID, `aud` "playback_id".
    Playback,
    /// A live stream ID, `aud` "live_stream_id".
    LiveStream,
}

/// Per viewer-counts type, in `ViewerCountsType::ALL` order: the SDK's name, its `aud`, and
/// what people call the ID.
const VIEWER_COUNTS_TYPES: [(&str, &str, &str); 4] = [
    ("video", "video_id", "Video ID"),
    ("asset", "asset_id", "Asset ID"),
    ("playback", "playback_id", "Playback ID"),
    ("live_stream", "live_stream_id", "Live stream ID"),
];

impl ViewerCountsType {
    /// Every type, in the SDK's order.
    pub const ALL: [ViewerCountsType; 4] = [
        ViewerCountsType::Video,
        ViewerCountsType::Asset,
        ViewerCountsType::Playback,
        ViewerCountsType::LiveStream,
    ];

    /// Reads a type name as the SDK spells it (`video`, `asset`, `playback`, `live_stream`).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownViewerCountsType`] listing the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == name.trim())
            .ok_or_else(|| {
                ErrorKind::UnknownViewerCountsType {
                    given: name.to_owned(),
                    valid: Self::ALL.map(Self::name).to_vec(),
                }
                .into()
            })
    }

    /// The SDK's name for the type.
    pub fn name(self) -> &'static str {
        VIEWER_COUNTS_TYPES[self as usize].0
    }

    /// The `aud` claim Mux Data checks.
    pub fn audience(self) -> &'static str {
        VIEWER_COUNTS_TYPES[self as usize].1
    }

    /// What people call the ID (the page's choices).
    pub fn label(self) -> &'static str {
        VIEWER_COUNTS_TYPES[self as usize].2
    }
}

/// The claims the signer sets after the params, in this order; a param of the same name is
/// replaced.
pub const SIGNED_CLAIMS: [&str; 4] = ["kid", "sub", "aud", "exp"];

/// Registered time claims a verifier reads besides `exp` (RFC 7519 §4.1.5–6): not params.
pub(crate) const TIME_CLAIMS: [&str; 2] = ["nbf", "iat"];

/// Longest ID accepted; Mux IDs are well under 100 characters.
pub const ID_MAX_LEN: usize = 255;

/// [`check_id`]'s rule as a regular expression over the trimmed ID (for JavaScript callers that
/// check a path before they sign; tests/js holds it to `check_id` character by character).
pub const ID_PATTERN: &str = "^[A-Za-z0-9_.~-]{1,255}$";

/// The characters of a Mux ID (playback, asset, live stream…): URL-safe ones only.
pub fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

/// A playback (or other Mux) ID as it goes into `sub` and URLs: trimmed, non-empty, at most
/// [`ID_MAX_LEN`] URL-safe characters; anything else is a paste gone wrong.
///
/// # Errors
/// [`ErrorKind::EmptyId`] or [`ErrorKind::InvalidId`].
pub fn check_id(id: &str) -> Result<&str> {
    let id = id.trim();
    if id.is_empty() {
        return Err(ErrorKind::EmptyId.into());
    }
    if id.len() > ID_MAX_LEN || !id.chars().all(is_id_char) {
        return Err(ErrorKind::InvalidId { id: id.to_owned() }.into());
    }
    Ok(id)
}

/// A signing key ID as it goes into `kid`: trimmed, non-empty, at most [`ID_MAX_LEN`]
/// printable ASCII characters.
///
/// # Errors
/// [`ErrorKind::MissingKeyId`] or [`ErrorKind::InvalidKeyId`].
pub(crate) fn check_key_id(key_id: &str) -> Result<&str> {
    let key_id = key_id.trim();
    if key_id.is_empty() {
        return Err(ErrorKind::MissingKeyId.into());
    }
    if key_id.len() > ID_MAX_LEN || !key_id.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ErrorKind::InvalidKeyId {
            key_id: key_id.to_owned(),
        }
        .into());
    }
    Ok(key_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_belongs_to_its_type() {
        for (i, t) in TokenType::ALL.into_iter().enumerate() {
            assert_eq!(t as usize, i);
            assert_eq!(t.facts().token_type, t);
            assert_eq!(TokenType::parse(t.name()), Ok(t));
            assert_eq!(TokenType::from_audience(t.audience()), Some(t));
        }
        for (i, t) in ViewerCountsType::ALL.into_iter().enumerate() {
            assert_eq!(t as usize, i);
            assert_eq!(ViewerCountsType::parse(t.name()), Ok(t));
        }
    }

    /// The default player set is exactly the types whose slot is required or default.
    #[test]
    fn the_player_set_follows_the_slots() {
        let by_slot: Vec<TokenType> = TokenType::ALL
            .into_iter()
            .filter(|t| {
                matches!(
                    t.facts().player,
                    Some(PlayerSlot::Required | PlayerSlot::Default)
                )
            })
            .collect();
        assert_eq!(by_slot, TokenType::PLAYER_SET);
    }

    #[test]
    fn every_url_is_https_on_mux_with_at_most_one_id() {
        for t in TokenType::ALL {
            assert!(!t.facts().urls.is_empty(), "{t:?}");
            for u in t.facts().urls {
                assert!(
                    u.url.starts_with("https://") && u.url.contains(".mux.com/"),
                    "{u:?}"
                );
                assert!(u.url.matches("{id}").count() <= 1, "{u:?}");
            }
        }
    }

    #[test]
    fn ids_are_trimmed_url_safe_and_bounded() {
        assert!(ID_PATTERN.contains(&format!("{{1,{ID_MAX_LEN}}}")));
        assert_eq!(check_id("  abc-1_2.3~ "), Ok("abc-1_2.3~"));
        assert_eq!(check_id(" "), Err(ErrorKind::EmptyId.into()));
        assert!(check_id("a/b").is_err() && check_id("a b").is_err() && check_id("é").is_err());
        assert!(check_id(&"a".repeat(ID_MAX_LEN)).is_ok());
        assert!(check_id(&"a".repeat(ID_MAX_LEN + 1)).is_err());
        assert_eq!(check_key_id(" k1 "), Ok("k1"));
        assert!(check_key_id("k 1").is_err());
    }
}
