//! What a person pasted: a signed Mux URL, a Mux Player URL, a `<mux-player>` snippet, or a
//! bare token — recognised from the text alone, without any network.

use crate::mux::{PlayerSlot, TokenType, ViewerCountsType, PLAYER_URL};

/// The kind of input, as the result reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A stream, image, license or stats URL.
    Url,
    /// A `player.mux.com` URL.
    PlayerUrl,
    /// A `<mux-player>` HTML snippet.
    Snippet,
    /// A token on its own.
    Token,
}

/// What a token found in the input is for: the audiences its place accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    /// Where it was: `token` (a URL's query), `playback-token`…, or `bare`.
    pub(crate) role: &'static str,
    /// The token, when there is one.
    pub(crate) token: Option<String>,
    /// The audiences Mux accepts here (empty: any Mux audience, for a bare token).
    pub(crate) audiences: Vec<&'static str>,
    /// Whether its absence is an error (the playback token) or a warning (the others).
    pub(crate) required: bool,
}

/// The input taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) kind: InputKind,
    pub(crate) playback_id: Option<String>,
    /// The host, when it is not Mux's own (a custom domain).
    pub(crate) custom_host: Option<String>,
    /// Query parameters other than the tokens.
    pub(crate) extra_params: Vec<String>,
    pub(crate) slots: Vec<Slot>,
}

/// The places Mux Player takes tokens (its attribute and query names), in its order, each
/// with the type whose `aud` it needs and whether it is required.
pub(crate) fn player_roles() -> impl Iterator<Item = (&'static str, TokenType, bool)> {
    TokenType::ALL.into_iter().filter_map(|t| {
        let slot = t.facts().player?;
        Some((t.token_key(), t, slot == PlayerSlot::Required))
    })
}

/// Every audience a viewer-counts token may have.
fn counts_audiences() -> Vec<&'static str> {
    ViewerCountsType::ALL
        .map(ViewerCountsType::audience)
        .to_vec()
}

/// `host/path` of a URL template, or of a URL without its scheme.
fn host_and_path(url: &str) -> (&str, &str) {
    let rest = url.strip_prefix("https://").unwrap_or(url);
    rest.split_once('/').unwrap_or((rest, ""))
}

/// Matches `path` (segments joined by `/`) against a template path: `Some(id)` when it
/// matches, the `{id}` part (`""` for a template without one).
fn match_path<'p>(template: &str, path: &'p str) -> Option<&'p str> {
    match template.split_once("{id}") {
        None => (template == path).then_some(""),
        Some((prefix, suffix)) => path
            .strip_prefix(prefix)?
            .strip_suffix(suffix)
            .filter(|id| !id.contains('/')),
    }
}

/// The token type whose URLs include `path` on any host (custom domains keep Mux's paths), and
/// the ID in it.
fn type_of_path(path: &str) -> Option<(TokenType, Option<String>)> {
    TokenType::ALL.into_iter().find_map(|t| {
        t.facts().urls.iter().find_map(|u| {
            let (_, template) = host_and_path(u.url);
            let id = match_path(template, path)?;
            Some((t, template.contains("{id}").then(|| id.to_owned())))
        })
    })
}

/// Whether `host` is one of Mux's own (any host in the table's URLs).
fn is_mux_host(host: &str) -> bool {
    TokenType::ALL
        .into_iter()
        .flat_map(|t| t.facts().urls)
        .any(|u| host_and_path(u.url).0 == host)
}

/// Recognises `input`; `None` when it is neither a URL, a snippet nor token-like text.
pub(crate) fn parse(input: &str) -> Parsed {
    let text = input.trim();
    if text.contains("<mux-player") {
        return snippet(text);
    }
    if let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    {
        if let Some(parsed) = url(rest) {
            return parsed;
        }
    }
    let token = text.strip_prefix("Bearer ").unwrap_or(text).trim();
    Parsed {
        kind: InputKind::Token,
        playback_id: None,
        custom_host: None,
        extra_params: Vec::new(),
        slots: vec![Slot {
            role: "bare",
            token: Some(token.to_owned()),
            audiences: Vec::new(),
            required: true,
        }],
    }
}

/// `name=value` pairs of a query, percent-decoded where it matters (tokens never need it).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| core::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A URL without its scheme: `host/path?query#fragment`.
fn url(rest: &str) -> Option<Parsed> {
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = before_query.split_once('/').unwrap_or((before_query, ""));
    let host = host.to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let pairs = query_pairs(query);
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };

    if host == host_and_path(PLAYER_URL).0 {
        let id = segments.first().map(|s| (*s).to_owned());
        return Some(Parsed {
            kind: InputKind::PlayerUrl,
            playback_id: id,
            custom_host: None,
            extra_params: Vec::new(),
            slots: player_roles()
                .filter(|(role, _, required)| *required || value(role).is_some())
                .map(|(role, token_type, required)| Slot {
                    role,
                    token: value(role),
                    audiences: vec![token_type.audience()],
                    required,
                })
                .collect(),
        });
    }

    let (token_type, playback_id) = type_of_path(&segments.join("/"))?;
    // The counts URL takes any viewer-counts audience, not only the stats type's.
    let audiences = if token_type == TokenType::Stats {
        counts_audiences()
    } else {
        vec![token_type.audience()]
    };
    let mux_host = is_mux_host(&host);
    Some(Parsed {
        kind: InputKind::Url,
        playback_id,
        custom_host: (!mux_host).then_some(host),
        extra_params: pairs
            .iter()
            .filter(|(name, _)| name != "token")
            .map(|(name, _)| name.clone())
            .collect(),
        slots: vec![Slot {
            role: "token",
            token: value("token").filter(|t| !t.is_empty()),
            audiences,
            required: true,
        }],
    })
}

/// The value of attribute `name` in an HTML start tag, quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest.get(..at).and_then(|b| b.chars().last());
        let after = rest.get(at + name.len()..).unwrap_or_default();
        rest = after;
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
            continue;
        }
        let Some(value) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quoted = |q: char| {
            value
                .strip_prefix(q)
                .and_then(|v| v.split_once(q))
                .map(|(v, _)| v.to_owned())
        };
        return quoted('"').or_else(|| quoted('\'')).or_else(|| {
            value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .map(str::to_owned)
        });
    }
    None
}

fn snippet(text: &str) -> Parsed {
    let start = text.find("<mux-player").unwrap_or_default();
    let tag = text.get(start..).unwrap_or_default();
    let tag = tag.split('>').next().unwrap_or(tag);
    Parsed {
        kind: InputKind::Snippet,
        playback_id: attribute(tag, "playback-id"),
        custom_host: attribute(tag, "custom-domain"),
        extra_params: Vec::new(),
        slots: player_roles()
            .filter(|(role, _, required)| *required || attribute(tag, role).is_some())
            .map(|(role, token_type, required)| Slot {
                role,
                token: attribute(tag, role).filter(|t| !t.is_empty()),
                audiences: vec![token_type.audience()],
                required,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_url_form() {
        let p = parse("https://stream.mux.com/abc.m3u8?token=x.y.z");
        assert_eq!(p.kind, InputKind::Url);
        assert_eq!(p.playback_id.as_deref(), Some("abc"));
        assert_eq!(p.slots[0].audiences, ["v"]);
        assert_eq!(p.slots[0].token.as_deref(), Some("x.y.z"));
        let p = parse("https://image.mux.com/abc/storyboard.vtt?token=t&width=3");
        assert_eq!(p.slots[0].audiences, ["s"]);
        assert_eq!(p.extra_params, ["width"]);
        let p = parse("https://license.mux.com/appcert/fairplay/abc?token=t");
        assert_eq!(
            (p.playback_id.as_deref(), p.slots[0].audiences.clone()),
            (Some("abc"), vec!["d"])
        );
        let p = parse("https://stats.mux.com/counts?token=t");
        assert_eq!(p.playback_id, None);
        assert_eq!(p.slots[0].audiences.len(), 4);
        let p = parse("https://media.example.com/abc/animated.gif");
        assert_eq!(p.custom_host.as_deref(), Some("media.example.com"));
        assert_eq!(p.slots[0].token, None);
    }

    #[test]
    fn player_urls_and_snippets_carry_one_slot_per_role() {
        let p = parse("https://player.mux.com/abc?playback-token=a&thumbnail-token=b");
        assert_eq!(p.kind, InputKind::PlayerUrl);
        let roles: Vec<_> = p.slots.iter().map(|s| (s.role, s.token.clone())).collect();
        assert_eq!(
            roles,
            [
                ("playback-token", Some("a".into())),
                ("thumbnail-token", Some("b".into()))
            ]
        );
        let p = parse(
            r#"<mux-player playback-id="abc" playback-token='a' storyboard-token=c></mux-player>"#,
        );
        assert_eq!(p.kind, InputKind::Snippet);
        assert_eq!(p.playback_id.as_deref(), Some("abc"));
        let roles: Vec<_> = p.slots.iter().map(|s| (s.role, s.token.clone())).collect();
        assert_eq!(
            roles,
            [
                ("playback-token", Some("a".into())),
                ("storyboard-token", Some("c".into()))
            ]
        );
    }

    #[test]
    fn anything_else_is_a_bare_token() {
        let p = parse("  Bearer a.b.c ");
        assert_eq!(p.kind, InputKind::Token);
        assert_eq!(p.slots[0].token.as_deref(), Some("a.b.c"));
        assert_eq!(parse("https://example.com/").kind, InputKind::Token);
    }
}
