//! The token types and the exact claim layout of the official SDK (`@mux/mux-node`):
//! header `{"alg":"RS256","typ":"JWT"}`, claims = the caller's params in their order, then
//! `kid`, `sub`, `aud`, `exp`, no `iat` (RFC 7519 §4.1 names the registered claims).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

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

    /// The token set Mux Player takes: playback, thumbnail and storyboard tokens.
    pub const PLAYER_SET: [TokenType; 3] = [
        TokenType::Video,
        TokenType::Thumbnail,
        TokenType::Storyboard,
    ];

    /// Reads a type name as the SDK spells it (`video`, `drm_license`, …).
    ///
    /// # Errors
    /// [`Error::UnknownTokenType`] listing the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == name.trim())
            .ok_or_else(|| Error::UnknownTokenType {
                given: name.to_owned(),
                valid: Self::ALL.map(Self::name).to_vec(),
            })
    }

    /// The SDK's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            TokenType::Video => "video",
            TokenType::Thumbnail => "thumbnail",
            TokenType::Gif => "gif",
            TokenType::Storyboard => "storyboard",
            TokenType::DrmLicense => "drm_license",
            TokenType::Stats => "stats",
        }
    }

    /// The `aud` claim Mux checks.
    pub fn audience(self) -> &'static str {
        match self {
            TokenType::Video => "v",
            TokenType::Thumbnail => "t",
            TokenType::Gif => "g",
            TokenType::Storyboard => "s",
            TokenType::DrmLicense => "d",
            TokenType::Stats => "playback_id",
        }
    }

    /// The key of this type's token in a token set (the SDK's `TypeToken`, Mux Player's
    /// attribute names).
    pub fn token_key(self) -> &'static str {
        match self {
            TokenType::Video => "playback-token",
            TokenType::Thumbnail => "thumbnail-token",
            TokenType::Gif => "gif-token",
            TokenType::Storyboard => "storyboard-token",
            TokenType::DrmLicense => "drm-token",
            TokenType::Stats => "stats-token",
        }
    }

    /// What people call the type (the page's choices).
    pub fn label(self) -> &'static str {
        match self {
            TokenType::Video => "Video (playback)",
            TokenType::Thumbnail => "Thumbnail",
            TokenType::Gif => "Animated GIF",
            TokenType::Storyboard => "Storyboard",
            TokenType::DrmLicense => "DRM license",
            TokenType::Stats => "Stats (playback ID)",
        }
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
    /// [`Error::UnknownViewerCountsType`] listing the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == name.trim())
            .ok_or_else(|| Error::UnknownViewerCountsType {
                given: name.to_owned(),
                valid: Self::ALL.map(Self::name).to_vec(),
            })
    }

    /// The SDK's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            ViewerCountsType::Video => "video",
            ViewerCountsType::Asset => "asset",
            ViewerCountsType::Playback => "playback",
            ViewerCountsType::LiveStream => "live_stream",
        }
    }

    /// The `aud` claim Mux Data checks.
    pub fn audience(self) -> &'static str {
        match self {
            ViewerCountsType::Video => "video_id",
            ViewerCountsType::Asset => "asset_id",
            ViewerCountsType::Playback => "playback_id",
            ViewerCountsType::LiveStream => "live_stream_id",
        }
    }

    /// What people call the ID (the page's choices).
    pub fn label(self) -> &'static str {
        match self {
            ViewerCountsType::Video => "Video ID",
            ViewerCountsType::Asset => "Asset ID",
            ViewerCountsType::Playback => "Playback ID",
            ViewerCountsType::LiveStream => "Live stream ID",
        }
    }
}

/// Where the signing key ID goes. Mux accepts either place.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KidPlacement {
    /// In the claims, as the official SDK does.
    #[default]
    Claims,
    /// In the JOSE header (RFC 7515 §4.1.4), as Mux's Python example does.
    Header,
    /// In both.
    Both,
}

impl KidPlacement {
    /// Every placement, the default first.
    pub const ALL: [KidPlacement; 3] = [
        KidPlacement::Claims,
        KidPlacement::Header,
        KidPlacement::Both,
    ];

    /// The name [`KidPlacement::parse`] reads.
    pub fn name(self) -> &'static str {
        match self {
            KidPlacement::Claims => "claims",
            KidPlacement::Header => "header",
            KidPlacement::Both => "both",
        }
    }

    /// Where the key ID goes, in words (the page's choices).
    pub fn label(self) -> &'static str {
        match self {
            KidPlacement::Claims => "the claims (like Mux's SDK)",
            KidPlacement::Header => "the header",
            KidPlacement::Both => "both",
        }
    }

    /// Reads `claims`, `header` or `both`.
    ///
    /// # Errors
    /// [`Error::UnknownKidPlacement`].
    pub fn parse(name: &str) -> Result<Self> {
        match name.trim() {
            "claims" => Ok(KidPlacement::Claims),
            "header" => Ok(KidPlacement::Header),
            "both" => Ok(KidPlacement::Both),
            other => Err(Error::UnknownKidPlacement {
                given: other.to_owned(),
            }),
        }
    }

    fn in_claims(self) -> bool {
        matches!(self, KidPlacement::Claims | KidPlacement::Both)
    }

    fn in_header(self) -> bool {
        matches!(self, KidPlacement::Header | KidPlacement::Both)
    }
}

/// The JOSE header: exactly the SDK's, plus `kid` when asked for.
pub(crate) fn header(key_id: &str, kid: KidPlacement) -> Map<String, Value> {
    let mut header = Map::new();
    header.insert("alg".into(), "RS256".into());
    header.insert("typ".into(), "JWT".into());
    if kid.in_header() {
        header.insert("kid".into(), key_id.into());
    }
    header
}

/// The claims: params first, then `kid`, `sub`, `aud`, `exp`. Inserting an existing key keeps
/// its position and replaces its value, which is what the SDK's JavaScript object spread does,
/// so a param can never override the four and the bytes still match the SDK's.
pub(crate) fn claims(
    params: &Map<String, Value>,
    key_id: &str,
    kid: KidPlacement,
    subject: &str,
    audience: &str,
    expires_at: u64,
) -> Map<String, Value> {
    let mut claims = params.clone();
    if kid.in_claims() {
        claims.insert("kid".into(), key_id.into());
    } else {
        claims.shift_remove("kid");
    }
    claims.insert("sub".into(), subject.into());
    claims.insert("aud".into(), audience.into());
    claims.insert("exp".into(), expires_at.into());
    claims
}
