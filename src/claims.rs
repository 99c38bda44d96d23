//! The exact claim layout of the official SDK (`@mux/mux-node`): header
//! `{"alg":"RS256","typ":"JWT"}`, claims = the caller's params in their order, then
//! [`crate::mux::SIGNED_CLAIMS`] (`kid`, `sub`, `aud`, `exp`), no `iat`; and where the key ID goes.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ErrorKind, Result};

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
    /// [`ErrorKind::UnknownKidPlacement`].
    pub fn parse(name: &str) -> Result<Self> {
        match name.trim() {
            "claims" => Ok(KidPlacement::Claims),
            "header" => Ok(KidPlacement::Header),
            "both" => Ok(KidPlacement::Both),
            other => Err(ErrorKind::UnknownKidPlacement {
                given: other.to_owned(),
            }
            .into()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mux::SIGNED_CLAIMS;

    /// A param named like a signed claim keeps its place and loses its value; the signed claims
    /// follow the params in `SIGNED_CLAIMS` order.
    #[test]
    fn the_signed_claims_follow_the_params_in_order() {
        let mut params = Map::new();
        params.insert("aud".into(), "mine".into());
        params.insert("time".into(), 5.into());
        let signed = claims(&params, "k1", KidPlacement::Claims, "pb", "v", 9);
        let names: Vec<&str> = signed.keys().map(String::as_str).collect();
        assert_eq!(names, ["aud", "time", "kid", "sub", "exp"]);
        assert_eq!(signed["aud"], "v");
        let mut fresh = claims(&Map::new(), "k1", KidPlacement::Claims, "pb", "v", 9);
        assert!(fresh.keys().eq(SIGNED_CLAIMS.iter()));
        fresh = claims(&Map::new(), "k1", KidPlacement::Header, "pb", "v", 9);
        assert!(fresh.keys().eq(SIGNED_CLAIMS[1..].iter()));
    }
}
