//! The validated command carried out: signing, checking, converting; output into a buffer.

use std::io::Write;

use jwt_signer::{
    decode, diagnose, player_url, signed_url, verify, DiagnoseOptions, ErrorKind, Field, Params,
    TokenType, ViewerCountsType,
};
use serde_json::{json, Value};

use crate::failure::{CliResult, Failure};
use crate::render::{checklist, decoded_json, expiry_line, print_json, warn};
use crate::request::{Output, Request, SignRequest};

impl Request {
    /// Runs the request; `Ok(false)` when it ran but found problems (`diagnose`: exit 1).
    pub fn run(self, out: &mut Vec<u8>) -> CliResult<bool> {
        let written = match self {
            Request::Diagnose {
                input,
                public_key,
                key_id,
                now,
                json,
            } => {
                let options = DiagnoseOptions {
                    public_key: public_key.as_ref(),
                    key_id: key_id.as_deref(),
                    now,
                };
                let diagnosis = diagnose(&input, &options);
                if json {
                    let value = serde_json::to_value(&diagnosis).map_err(|e| {
                        Failure::new(
                            ErrorKind::Serialization.code(),
                            Field::Options,
                            e.to_string(),
                        )
                    })?;
                    print_json(out, &value)?;
                } else {
                    out.write_all(checklist(&diagnosis).as_bytes())
                        .map_err(Failure::output)?;
                }
                return Ok(diagnosis.ok);
            }
            Request::Sign { sign, types } => sign.playback(&types, out),
            // Streams to stdout itself: the rows are not held in `out`.
            Request::SignIds(batch) => return batch.run(),
            Request::ViewerCounts { sign, id_type } => sign.viewer_counts(id_type, out),
            Request::Decode { token, now } => {
                print_json(out, &decoded_json(&decode(&token, now)?, now))
            }
            Request::Verify {
                token,
                public_key,
                now,
            } => {
                let decoded = verify(&token, &public_key, now)?;
                let expiry = decoded.expires_at.map_or_else(
                    || "no expiry".to_owned(),
                    |exp| format!("expires {}", expiry_line(exp, now)),
                );
                writeln!(out, "signature OK · {expiry}").map_err(Failure::output)
            }
            Request::PublicKey {
                public_key,
                key_id,
                jwk: true,
            } => print_json(out, &public_key.to_jwk(key_id.as_deref())),
            Request::PublicKey { public_key, .. } => {
                write!(out, "{}", public_key.to_pem()).map_err(Failure::output)
            }
            Request::ConvertKey {
                key,
                key_id,
                format,
            } => {
                let text = key.export(format, key_id.as_deref())?;
                out.write_all(text.as_bytes()).map_err(Failure::output)
            }
        };
        written.map(|()| true)
    }
}

impl SignRequest {
    fn playback(&self, types: &[TokenType], out: &mut Vec<u8>) -> CliResult<()> {
        let id = self.id.as_str();
        if let [token_type] = types[..] {
            let signed = self
                .signer
                .sign_playback_id(id, token_type, &self.options, self.now)?;
            warn(&signed.warnings);
            let url = signed_url(token_type, id, &signed.token);
            let token = Value::from(signed.token.as_str());
            let type_name = Value::from(token_type.name());
            return self.print(out, type_name, token, &url, signed.expires_at);
        }
        let entries: Vec<(TokenType, Params)> = types.iter().map(|&t| (t, Params::new())).collect();
        let set = self
            .signer
            .sign_token_set(id, &entries, &self.options, self.now)?;
        let expires_at = set
            .iter()
            .map(|(_, s)| s.expires_at)
            .next()
            .unwrap_or_default();
        for (_, signed) in set.iter() {
            warn(&signed.warnings);
        }
        let names: Value = types.iter().map(|t| t.name()).collect();
        let player = player_url(id, &set);
        if let Output::Json = self.output {
            let tokens = Value::Object(set.to_map());
            return self.print(out, names, tokens, &player, expires_at);
        }
        let mut text = String::new();
        for (token_type, signed) in set.iter() {
            text += &format!("{}: {}\n", token_type.token_key(), signed.token);
        }
        if let Output::Text = self.output {
            text += &format!(
                "Player URL: {player}\nExpires: {}\n",
                expiry_line(expires_at, self.now)
            );
        }
        out.write_all(text.as_bytes()).map_err(Failure::output)
    }

    fn viewer_counts(&self, id_type: ViewerCountsType, out: &mut Vec<u8>) -> CliResult<()> {
        let signed = self
            .signer
            .sign_viewer_counts(&self.id, id_type, &self.options, self.now)?;
        warn(&signed.warnings);
        let url = signed_url(TokenType::Stats, &self.id, &signed.token);
        let token = Value::from(signed.token.as_str());
        let type_name = Value::from(id_type.name());
        self.print(out, type_name, token, &url, signed.expires_at)
    }

    /// The one shape of every signed result: text, the token alone, or JSON (`token` for one
    /// token, `tokens` for a set).
    fn print(
        &self,
        out: &mut Vec<u8>,
        type_name: Value,
        token: Value,
        url: &str,
        expires_at: u64,
    ) -> CliResult<()> {
        let text = match (self.output, &token) {
            (Output::Json, _) => {
                let key = if token.is_object() { "tokens" } else { "token" };
                let mut result = json!({"playback_id": self.id});
                if let Value::Object(map) = &mut result {
                    map.insert(key.to_owned(), token);
                    map.insert("url".to_owned(), url.into());
                    map.insert("type".to_owned(), type_name);
                    map.insert("expiration".to_owned(), self.expiration.as_str().into());
                    map.insert(
                        "params".to_owned(),
                        Value::Object(self.options.params.clone()),
                    );
                    map.insert("expires_at".to_owned(), expires_at.into());
                }
                return print_json(out, &result);
            }
            (Output::TokenOnly, Value::String(token)) => format!("{token}\n"),
            (_, token) => format!(
                "Token: {}\nURL: {url}\nExpires: {}\n",
                token.as_str().unwrap_or_default(),
                expiry_line(expires_at, self.now)
            ),
        };
        out.write_all(text.as_bytes()).map_err(Failure::output)
    }
}
