//! The SDK's claim layout, token sets, params checks, expirations, URLs, decode and verify.
//! Runs natively and in Chromium (wasm-bindgen-test).

use jwt_signer::{
    check_params, decode, param_specs, player_url, signed_url, signed_urls, verify, Error,
    ErrorKind, Expiration, ExpiryStatus, KidPlacement, ParamSpec, Params, PublicKey, SignOptions,
    Signer, TokenType, ViewerCountsType,
};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

const MUX: &str = include_str!("fixtures/rsa2048-mux.txt");
const OTHER_KEY: &str = include_str!("fixtures/rsa3072.pem");
const NOW: u64 = 1_700_000_000;

fn signer() -> Signer {
    Signer::new("kid1", MUX).unwrap()
}

fn params(json: &str) -> Params {
    serde_json::from_str(json).unwrap()
}

fn with_params(json: &str) -> SignOptions {
    SignOptions {
        params: params(json),
        ..SignOptions::default()
    }
}

/// The raw JSON text of a token part, to check byte order, not just content.
fn part(token: &str, index: usize) -> String {
    use base64::Engine;
    let part = token.split('.').nth(index).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

#[wasm_bindgen_test(unsupported = test)]
fn every_type_has_the_sdk_layout() {
    let s = signer();
    for (token_type, aud) in [
        (TokenType::Video, "v"),
        (TokenType::Thumbnail, "t"),
        (TokenType::Gif, "g"),
        (TokenType::Storyboard, "s"),
        (TokenType::DrmLicense, "d"),
        (TokenType::Stats, "playback_id"),
    ] {
        let signed = s
            .sign_playback_id("abc123", token_type, &SignOptions::default(), NOW)
            .unwrap();
        assert_eq!(part(&signed.token, 0), r#"{"alg":"RS256","typ":"JWT"}"#);
        assert_eq!(
            part(&signed.token, 1),
            format!(r#"{{"kid":"kid1","sub":"abc123","aud":"{aud}","exp":1700604800}}"#)
        );
    }
    for (id_type, aud) in [
        (ViewerCountsType::Video, "video_id"),
        (ViewerCountsType::Asset, "asset_id"),
        (ViewerCountsType::Playback, "playback_id"),
        (ViewerCountsType::LiveStream, "live_stream_id"),
    ] {
        let signed = s
            .sign_viewer_counts("ls1", id_type, &SignOptions::default(), NOW)
            .unwrap();
        assert_eq!(
            part(&signed.token, 1),
            format!(r#"{{"kid":"kid1","sub":"ls1","aud":"{aud}","exp":1700604800}}"#)
        );
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn params_keep_order_and_types_and_cannot_override_the_four() {
    let s = signer();
    let options = with_params(
        r#"{"width":"100","time":14,"custom":{"b":1,"a":[true,null]},"sub":"evil","exp":1}"#,
    );
    let signed = s
        .sign_playback_id("abc123", TokenType::Thumbnail, &options, NOW)
        .unwrap();
    // Like the SDK's object spread: "sub" and "exp" keep the caller's position, take our values.
    assert_eq!(
        part(&signed.token, 1),
        r#"{"width":"100","time":14,"custom":{"b":1,"a":[true,null]},"sub":"abc123","exp":1700604800,"kid":"kid1","aud":"t"}"#
    );
    assert_eq!(signed.warnings.len(), 2, "{:?}", signed.warnings);
}

#[wasm_bindgen_test(unsupported = test)]
fn kid_placement() {
    let s = signer();
    let sign = |kid_in| {
        let options = SignOptions {
            kid_in,
            ..SignOptions::default()
        };
        s.sign_playback_id("abc123", TokenType::Video, &options, NOW)
            .unwrap()
            .token
    };
    let header = sign(KidPlacement::Header);
    assert_eq!(
        part(&header, 0),
        r#"{"alg":"RS256","typ":"JWT","kid":"kid1"}"#
    );
    assert_eq!(
        part(&header, 1),
        r#"{"sub":"abc123","aud":"v","exp":1700604800}"#
    );
    let both = sign(KidPlacement::Both);
    assert_eq!(
        part(&both, 0),
        r#"{"alg":"RS256","typ":"JWT","kid":"kid1"}"#
    );
    assert_eq!(
        part(&both, 1),
        r#"{"kid":"kid1","sub":"abc123","aud":"v","exp":1700604800}"#
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn token_set_merges_params_and_builds_the_player_url() {
    let s = signer();
    let types = vec![
        (TokenType::Video, Params::new()),
        (TokenType::Thumbnail, params(r#"{"time":2}"#)),
        (TokenType::Storyboard, Params::new()),
    ];
    let set = s
        .sign_token_set(
            "abc123",
            &types,
            &with_params(r#"{"custom":{"x":"y"}}"#),
            NOW,
        )
        .unwrap();
    let map = set.to_map();
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["playback-token", "thumbnail-token", "storyboard-token"]
    );
    let thumbnail = set.get(TokenType::Thumbnail).unwrap();
    assert_eq!(
        part(thumbnail, 1),
        r#"{"custom":{"x":"y"},"time":2,"kid":"kid1","sub":"abc123","aud":"t","exp":1700604800}"#
    );
    let url = player_url("abc123", &set);
    assert_eq!(
        url,
        format!(
            "https://player.mux.com/abc123?playback-token={}&thumbnail-token={thumbnail}&storyboard-token={}",
            set.get(TokenType::Video).unwrap(),
            set.get(TokenType::Storyboard).unwrap()
        )
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn signed_urls_for_every_type() {
    let t = "T";
    assert_eq!(
        signed_url(TokenType::Video, "p1", t),
        "https://stream.mux.com/p1.m3u8?token=T"
    );
    assert_eq!(
        signed_url(TokenType::Thumbnail, "p1", t),
        "https://image.mux.com/p1/thumbnail.jpg?token=T"
    );
    assert_eq!(
        signed_url(TokenType::Gif, "p1", t),
        "https://image.mux.com/p1/animated.gif?token=T"
    );
    assert_eq!(
        signed_url(TokenType::Storyboard, "p1", t),
        "https://image.mux.com/p1/storyboard.vtt?token=T"
    );
    assert_eq!(
        signed_url(TokenType::DrmLicense, "p1", t),
        "https://license.mux.com/license/widevine/p1?token=T"
    );
    assert_eq!(
        signed_url(TokenType::Stats, "p1", t),
        "https://stats.mux.com/counts?token=T"
    );
    let drm: Vec<String> = signed_urls(TokenType::DrmLicense, "p1", t)
        .into_iter()
        .map(|u| u.url)
        .collect();
    assert!(drm.contains(&"https://license.mux.com/appcert/fairplay/p1?token=T".to_owned()));
    assert!(drm.contains(&"https://license.mux.com/license/playready/p1?token=T".to_owned()));
    assert_eq!(signed_urls(TokenType::Storyboard, "p1", t).len(), 5);
}

/// Each wrong param: the type, the params, and words the message must contain.
#[wasm_bindgen_test(unsupported = test)]
fn wrong_params_name_the_param_and_what_it_accepts() {
    let cases = [
        (
            TokenType::Thumbnail,
            r#"{"time":"soon"}"#,
            "param \"time\" must be a number of seconds",
        ),
        (
            TokenType::Thumbnail,
            r#"{"time":-1}"#,
            "param \"time\" must be a number of seconds",
        ),
        (
            TokenType::Thumbnail,
            r#"{"width":"wide"}"#,
            "param \"width\" must be a whole number from 1 to 10000",
        ),
        (
            TokenType::Thumbnail,
            r#"{"height":12.5}"#,
            "param \"height\" must be a whole number",
        ),
        (
            TokenType::Thumbnail,
            r#"{"rotate":45}"#,
            "param \"rotate\" must be one of 90, 180, 270, not 45",
        ),
        (
            TokenType::Thumbnail,
            r#"{"fit_mode":"zoom"}"#,
            "param \"fit_mode\" must be one of preserve, stretch, crop, smartcrop, pad",
        ),
        (
            TokenType::Thumbnail,
            r#"{"flip_v":"yes"}"#,
            "param \"flip_v\" must be true or false",
        ),
        (
            TokenType::Gif,
            r#"{"width":1000}"#,
            "param \"width\" must be a whole number from 1 to 640",
        ),
        (
            TokenType::Gif,
            r#"{"fps":60}"#,
            "param \"fps\" must be a whole number from 1 to 30",
        ),
        (
            TokenType::Gif,
            r#"{"start":0,"end":12}"#,
            "param \"end\" must be 0.25 to 10 seconds after \"start\"",
        ),
        (
            TokenType::Gif,
            r#"{"start":"5","end":"5.1"}"#,
            "at most 10 s",
        ),
        (
            TokenType::Video,
            r#"{"max_resolution":"4k"}"#,
            "param \"max_resolution\" must be one of 270p, 360p",
        ),
        (
            TokenType::Video,
            r#"{"redundant_streams":1}"#,
            "param \"redundant_streams\" must be true or false",
        ),
        (
            TokenType::Storyboard,
            r#"{"format":"gif"}"#,
            "param \"format\" must be one of jpg, png, webp",
        ),
        (
            TokenType::DrmLicense,
            r#"{"playback_restriction_id":5}"#,
            "param \"playback_restriction_id\" must be a string",
        ),
        (
            TokenType::Video,
            r#"{"custom":"flat"}"#,
            "param \"custom\" must be a JSON object",
        ),
    ];
    for (token_type, json, words) in cases {
        let error = check_params(Some(token_type), &params(json)).expect_err(json);
        assert!(
            matches!(error.kind(), ErrorKind::InvalidParam { .. }),
            "{json}"
        );
        assert!(error.to_string().contains(words), "{json}: {error}");
    }
    // Values as the official CLI sends them (strings) are accepted.
    let ok = check_params(
        Some(TokenType::Thumbnail),
        &params(r#"{"time":"14","width":"100","rotate":"90","flip_h":"true","latest":true}"#),
    );
    assert_eq!(ok, Ok(vec![]));
    let warnings = check_params(Some(TokenType::Gif), &params(r#"{"time":"10"}"#)).unwrap();
    assert_eq!(
        warnings,
        ["param \"time\" is not a documented gif param: it is passed through as is"]
    );
}

/// The edges of the params checks: numbers for a choice (`rotate: 90`), a GIF clip's length
/// is `end` minus `start`, the four claims the signer sets, and at most 1000 params.
#[wasm_bindgen_test(unsupported = test)]
fn params_checks_at_their_edges() {
    let check = |token_type, json: &str| check_params(token_type, &params(json));
    // A choice given as a JSON number, as JavaScript callers write it.
    assert_eq!(
        check(Some(TokenType::Thumbnail), r#"{"rotate":90}"#),
        Ok(vec![])
    );
    // A 5-second clip late in the video: 20 + 25 would be far over 10 s.
    assert_eq!(
        check(Some(TokenType::Gif), r#"{"start":20,"end":25}"#),
        Ok(vec![])
    );
    assert_eq!(
        check(Some(TokenType::Gif), r#"{"start":1,"end":12}"#),
        Err(ErrorKind::InvalidParam {
            name: "end".into(),
            expected: "must be 0.25 to 10 seconds after \"start\" (a GIF clip is at most 10 s), \
                       not 11 s after"
                .into(),
        }
        .into())
    );
    assert_eq!(
        check(Some(TokenType::Video), r#"{"sub":"other","exp":1}"#),
        Ok(vec![
            "param \"sub\" is set by the signer and is replaced".to_owned(),
            "param \"exp\" is set by the signer and is replaced".to_owned(),
        ])
    );
    let many = |n: usize| -> Params { (0..n).map(|i| (format!("p{i}"), Value::from(i))).collect() };
    let warnings = check_params(None, &many(1000)).expect("1000 params are allowed");
    assert_eq!(warnings.len(), 1000);
    assert_eq!(
        warnings[999],
        "param \"p999\" is not a documented viewer counts param: it is passed through as is"
    );
    assert_eq!(
        check_params(None, &many(1001)),
        Err(ErrorKind::InvalidParams {
            detail: "it has 1001 params; a token takes at most 1000".into()
        }
        .into())
    );
}

/// The form specs, written out from Mux's docs: GIFs take `start`/`end` seconds, `width` and
/// `height` up to 640 and `fps` up to 30; times have no upper bound (so no `max`).
#[wasm_bindgen_test(unsupported = test)]
fn param_specs_list_the_documented_params_and_their_bounds() {
    fn spec(
        name: &'static str,
        kind: &'static str,
        min: Option<f64>,
        max: Option<f64>,
        choices: &[&'static str],
    ) -> ParamSpec {
        ParamSpec {
            name,
            kind,
            min,
            max,
            choices: choices.to_vec(),
        }
    }
    let common = [
        spec("playback_restriction_id", "text", None, None, &[]),
        spec("custom", "object", None, None, &[]),
    ];
    assert_eq!(param_specs(None), common);
    assert_eq!(param_specs(Some(TokenType::DrmLicense)), common);
    let mut gif = common.to_vec();
    gif.extend([
        spec("start", "number", Some(0.0), None, &[]),
        spec("end", "number", Some(0.0), None, &[]),
        spec("width", "integer", Some(1.0), Some(640.0), &[]),
        spec("height", "integer", Some(1.0), Some(640.0), &[]),
        spec("fps", "integer", Some(1.0), Some(30.0), &[]),
    ]);
    assert_eq!(param_specs(Some(TokenType::Gif)), gif);
    let thumbnail = param_specs(Some(TokenType::Thumbnail));
    assert_eq!(
        thumbnail.iter().find(|s| s.name == "rotate"),
        Some(&spec("rotate", "choice", None, None, &["90", "180", "270"]))
    );
    assert_eq!(
        thumbnail.iter().find(|s| s.name == "flip_v"),
        Some(&spec("flip_v", "boolean", None, None, &[]))
    );
}

/// An input, a check of its error, and words its message must contain.
type Case = (&'static str, fn(&Error) -> bool, &'static str);

#[wasm_bindgen_test(unsupported = test)]
fn wrong_expirations_say_what_to_write() {
    let cases: [Case; 6] = [
        (
            "soon",
            |e| matches!(e.kind(), ErrorKind::InvalidExpiration { .. }),
            "use seconds (3600), a duration (7d",
        ),
        (
            "7 fortnights",
            |e| matches!(e.kind(), ErrorKind::InvalidExpiration { .. }),
            "is not a duration or a date",
        ),
        (
            "",
            |e| matches!(e.kind(), ErrorKind::InvalidExpiration { .. }),
            "is not a duration or a date",
        ),
        (
            "1798675200",
            |e| {
                matches!(
                    e.kind(),
                    ErrorKind::LooksLikeUnixTime {
                        seconds: 1_798_675_200
                    }
                )
            },
            "looks like a Unix time, not a duration",
        ),
        (
            "99999999999999w",
            |e| matches!(e.kind(), ErrorKind::ExpiryTooFar),
            "beyond the year 9999",
        ),
        (
            "@99999999999999",
            |e| matches!(e.kind(), ErrorKind::ExpiryTooFar),
            "beyond the year 9999",
        ),
    ];
    for (text, is_expected, words) in cases {
        let error = Expiration::parse(text).expect_err(text);
        assert!(is_expected(&error), "{text}: {error:?}");
        assert!(error.to_string().contains(words), "{text}: {error}");
    }
    let past = SignOptions {
        expiration: Expiration::parse("2020-01-01T00:00:00Z").unwrap(),
        ..SignOptions::default()
    };
    let error = signer()
        .sign_playback_id("abc", TokenType::Video, &past, NOW)
        .unwrap_err();
    assert_eq!(error.to_string(), "the token would expire at 2020-01-01T00:00:00Z, which is not in the future: choose a later expiry");
}

#[wasm_bindgen_test(unsupported = test)]
fn wrong_ids_and_key_ids() {
    assert_eq!(Signer::new(" ", MUX).unwrap_err(), ErrorKind::MissingKeyId);
    assert!(matches!(
        Signer::new("kid 1", MUX).unwrap_err().kind(),
        ErrorKind::InvalidKeyId { .. }
    ));
    let s = signer();
    let sign = |id: &str| s.sign_playback_id(id, TokenType::Video, &SignOptions::default(), NOW);
    assert_eq!(sign("").unwrap_err(), ErrorKind::EmptyId);
    for id in [
        "abc def",
        "abc/def",
        "https://stream.mux.com/abc.m3u8",
        "abc?x=1",
        "ü",
    ] {
        let error = sign(id).unwrap_err();
        assert!(
            error.to_string().contains("has characters no Mux ID has"),
            "{id}: {error}"
        );
    }
    // Blanks around a pasted ID are dropped.
    let signed = sign("  abc123\n").unwrap();
    assert!(part(&signed.token, 1).contains(r#""sub":"abc123""#));
}

#[wasm_bindgen_test(unsupported = test)]
fn decode_and_verify() {
    let s = signer();
    let token = s
        .sign_playback_id("abc123", TokenType::Video, &SignOptions::default(), NOW)
        .unwrap()
        .token;
    let decoded = verify(&token, s.key().public_key(), NOW).unwrap();
    assert_eq!(decoded.claims["sub"], "abc123");
    assert_eq!(decoded.expires_at, Some(NOW + 604_800));
    assert_eq!(decoded.expiry, ExpiryStatus::Valid);
    assert_eq!(
        decode(&token, NOW + 604_800).unwrap().expiry,
        ExpiryStatus::Expired
    );
    assert!(verify(&format!("Bearer {token}\n"), s.key().public_key(), NOW).is_ok());

    let other = PublicKey::parse(OTHER_KEY).unwrap();
    assert_eq!(
        verify(&token, &other, NOW).unwrap_err(),
        ErrorKind::BadSignature
    );
    let mut tampered = token.clone();
    let claims_at = tampered.find('.').unwrap() + 5;
    tampered.replace_range(
        claims_at..=claims_at,
        if &token[claims_at..=claims_at] == "A" {
            "B"
        } else {
            "A"
        },
    );
    // This edit breaks the payload's JSON, so it fails before the signature check (the tampering
    // that reaches the signature check is `tampering_that_keeps_valid_json_fails_the_signature`).
    assert!(matches!(
        verify(&tampered, s.key().public_key(), NOW)
            .unwrap_err()
            .kind(),
        ErrorKind::MalformedToken { .. }
    ));

    let hs256 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assert_eq!(
        verify(hs256, s.key().public_key(), NOW).unwrap_err(),
        ErrorKind::UnsupportedAlgorithm {
            alg: "HS256".into()
        }
    );
    let alg_none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
    assert!(matches!(
        verify(alg_none, s.key().public_key(), NOW)
            .unwrap_err()
            .kind(),
        ErrorKind::UnsupportedAlgorithm { .. }
    ));
    for (bad, words) in [
        ("", "it is empty"),
        ("abc", "three parts"),
        ("a.b.c.d", "three parts"),
        ("!!!.e30.e30", "header is not base64url"),
        ("e30.bm90IGpzb24.e30", "payload is not a JSON object"),
        ("e30.e30.***", "signature is not base64url"),
    ] {
        let error = decode(bad, NOW).unwrap_err();
        assert!(error.to_string().contains(words), "{bad}: {error}");
    }
    let decoded = decode("e30.e30.e30", NOW).unwrap();
    assert_eq!(decoded.expiry, ExpiryStatus::NoExpiry);
    assert_eq!(decoded.header, serde_json::Map::<String, Value>::new());
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `decode` reads tokens up to 64 KiB (65 536 bytes) and refuses one byte more.
#[wasm_bindgen_test(unsupported = test)]
fn decode_reads_64_kib_tokens_and_refuses_one_byte_more() {
    // "e30." + payload + ".AAAA" is 65 536 bytes when the payload's base64url is 65 527 long:
    // 49 145 bytes of JSON (49 145 = 3 × 16 381 + 2 encodes to 4 × 16 381 + 3 characters).
    let json = format!(r#"{{"pad":"{}"}}"#, "x".repeat(49_145 - 10));
    assert_eq!(json.len(), 49_145);
    let longest = format!("e30.{}.AAAA", b64url(json.as_bytes()));
    assert_eq!(longest.len(), 65_536);
    let decoded = decode(&longest, NOW).expect("a 64 KiB token is read");
    assert_eq!(decoded.claims["pad"].as_str().map(str::len), Some(49_135));
    assert_eq!(decoded.signature, "AAAA");

    let error = decode(&format!("{longest}A"), NOW).unwrap_err();
    assert_eq!(
        error,
        ErrorKind::MalformedToken {
            detail: "it is far longer than any token".into()
        }
    );
}

/// A forger who edits the claims and keeps them valid JSON: another `sub`, a later `exp`,
/// another `aud`, the key ID moved to the header. Each forged token still decodes (so the edit
/// reaches the signature check) and fails exactly there, with `BadSignature`.
#[wasm_bindgen_test(unsupported = test)]
fn tampering_that_keeps_valid_json_fails_the_signature() {
    let s = signer();
    let public = s.key().public_key();
    let token = s
        .sign_playback_id("abc123", TokenType::Video, &SignOptions::default(), NOW)
        .unwrap()
        .token;
    assert!(verify(&token, public, NOW).is_ok());
    let parts: Vec<&str> = token.split('.').collect();
    let claims: Value = serde_json::from_str(&part(&token, 1)).unwrap();
    let later = NOW + 10 * 365 * 86_400;
    let edits: [(&str, Value); 4] = [
        ("sub", Value::from("someone-elses-id")),
        ("exp", Value::from(later)),
        ("aud", Value::from("t")),
        ("kid", Value::from("kid2")),
    ];
    let mut forgeries = Vec::new();
    for (name, value) in edits {
        let mut forged = claims.clone();
        forged[name] = value.clone();
        let payload = b64url(serde_json::to_string(&forged).unwrap().as_bytes());
        forgeries.push((name, value, format!("{}.{payload}.{}", parts[0], parts[2])));
    }
    // Both edits at once, and the header changed instead of the claims.
    let mut both = claims.clone();
    both["sub"] = Value::from("someone-elses-id");
    both["exp"] = Value::from(later);
    let payload = b64url(serde_json::to_string(&both).unwrap().as_bytes());
    forgeries.push((
        "exp",
        Value::from(later),
        format!("{}.{payload}.{}", parts[0], parts[2]),
    ));
    let header = b64url(br#"{"alg":"RS256","typ":"JWT","kid":"kid1"}"#);
    forgeries.push((
        "sub",
        Value::from("abc123"),
        format!("{header}.{}.{}", parts[1], parts[2]),
    ));
    for (name, value, forged) in forgeries {
        let decoded = decode(&forged, NOW).expect("the forgery is a well-formed JWT");
        assert_eq!(decoded.claims[name], value, "{forged}");
        assert_eq!(
            verify(&forged, public, NOW).unwrap_err(),
            ErrorKind::BadSignature,
            "{name}: {forged}"
        );
    }
    // The signature itself changed (one bit, in the last byte): the same error.
    let mut signature = parts[2].as_bytes().to_vec();
    let last = signature.len() - 2;
    signature[last] = if signature[last] == b'A' { b'Q' } else { b'A' };
    let flipped = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        String::from_utf8(signature).unwrap()
    );
    assert_eq!(
        verify(&flipped, public, NOW).unwrap_err(),
        ErrorKind::BadSignature
    );
}

/// `n` (big-endian bytes) in decimal.
fn decimal(bytes: &[u8]) -> String {
    let mut padded = vec![0u8; (4 - bytes.len() % 4) % 4];
    padded.extend_from_slice(bytes);
    let mut limbs: Vec<u32> = padded
        .chunks(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut groups = Vec::new();
    while limbs.iter().any(|&l| l != 0) {
        let mut rest = 0u64;
        for limb in &mut limbs {
            let current = (rest << 32) | u64::from(*limb);
            *limb = u32::try_from(current / 1_000_000_000).unwrap();
            rest = current % 1_000_000_000;
        }
        groups.push(rest);
    }
    let mut text = groups.pop().map_or("0".to_owned(), |g| g.to_string());
    for group in groups.iter().rev() {
        text += &format!("{group:09}");
    }
    text
}

/// Every way `Debug` could print a secret number: decimal, hex in both cases (with and without
/// leading zeros), and each 64-bit and 32-bit limb in hex (how bignum types print limbs).
fn printed_forms(bytes: &[u8]) -> Vec<String> {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![
        decimal(bytes),
        hex.clone(),
        hex.trim_start_matches('0').to_owned(),
    ];
    for limb_digits in [16, 8] {
        let mut end = hex.len();
        while end >= limb_digits {
            forms.push(hex[end - limb_digits..end].to_owned());
            end -= limb_digits;
        }
    }
    let upper: Vec<String> = forms.iter().map(|f| f.to_ascii_uppercase()).collect();
    forms.extend(upper);
    forms
}

fn leaked<'a>(debug: &str, secrets: &'a [(&'a str, Vec<String>)]) -> Option<&'a str> {
    secrets.iter().find_map(|(name, forms)| {
        forms
            .iter()
            .any(|form| debug.contains(form.as_str()))
            .then_some(*name)
    })
}

/// `Debug` of the key and of a `Signer` never prints d, p, q (or the CRT exponents) in any
/// form a bignum's `Debug` would use; the check itself finds them in crypto-bigint's `Debug`.
#[wasm_bindgen_test(unsupported = test)]
fn debug_prints_no_private_number_in_decimal_or_hex() {
    use base64::Engine;
    assert_eq!(
        decimal(&[1, 0, 0, 0, 0, 0, 0, 0, 0]),
        "18446744073709551616"
    );
    assert_eq!(decimal(&[0x3b, 0x9a, 0xca, 0x01]), "1000000001");
    let jwk: Value = serde_json::from_str(include_str!("fixtures/rsa2048.jwk.json")).unwrap();
    let secrets: Vec<(&str, Vec<String>)> = ["d", "p", "q", "dp", "dq", "qi"]
        .into_iter()
        .map(|name| {
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(jwk[name].as_str().unwrap())
                .unwrap();
            (name, printed_forms(&bytes))
        })
        .collect();
    let s = signer();
    for debug in [
        format!("{:?}", s.key()),
        format!("{:#?}", s.key()),
        format!("{s:?}"),
        format!("{s:#?}"),
    ] {
        assert!(debug.contains("[redacted]"), "{debug}");
        assert_eq!(leaked(&debug, &secrets), None, "{debug}");
    }
    // The check would catch a derived Debug: crypto-bigint prints d like this.
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::traits::PrivateKeyParts;
        let key =
            rsa::PrivateKey::from_pkcs1_pem(include_str!("fixtures/rsa2048.pkcs1.pem")).unwrap();
        for (name, number) in [
            ("d", key.d()),
            ("p", &key.primes()[0]),
            ("q", &key.primes()[1]),
        ] {
            for debug in [
                format!("{number:?}"),
                format!("{number:#?}"),
                format!("{number}"),
            ] {
                assert_eq!(leaked(&debug, &secrets), Some(name), "{debug}");
            }
        }
    }
}
