//! `jwt-signer`: the command-line adapter. Signs Mux playback tokens locally, a superset of the
//! official `mux sign`, with no network and no login. Errors: one line on stderr, exit code 2.

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Parser, Subcommand};
use jwt_signer::{
    decode, format_rfc3339, parse_params_json, player_url, signed_url, verify, Error, Expiration,
    KidPlacement, Params, PublicKey, SignOptions, Signer, SigningKey, TokenType, ViewerCountsType,
};
use serde_json::{json, Value};
use zeroize::Zeroizing;

/// Sign Mux signed-playback tokens (RS256 JWTs) on this machine. No network, no login.
#[derive(Parser)]
#[command(name = "jwt-signer", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a token for a playback ID (a superset of `mux sign`)
    Sign(SignArgs),
    /// Sign a viewer-counts token for a video, asset, playback or live stream ID
    ViewerCounts(CountsArgs),
    /// Show a token's header, claims and expiry, without checking its signature
    Decode {
        /// The token; - reads it from stdin
        token: String,
    },
    /// Check a token's signature against a public key (or the configured private key's)
    Verify {
        /// The token; - reads it from stdin
        token: String,
        /// File with the public key: PEM, JWK, or a private key; - reads stdin
        #[arg(long, value_name = "FILE")]
        public_key: Option<String>,
        #[command(flatten)]
        key: KeyArgs,
    },
    /// Print the public key of the configured private key
    PublicKey {
        /// Print a JWK (kid = the signing key ID) instead of PEM
        #[arg(long)]
        jwk: bool,
        #[command(flatten)]
        key: KeyArgs,
    },
}

#[derive(Args)]
struct KeyArgs {
    /// Signing key ID [default: $MUX_SIGNING_KEY]
    #[arg(long, value_name = "ID")]
    key_id: Option<String>,
    /// File with the private key (Mux base64, PEM, DER base64 or JWK); - reads stdin
    /// [default: the key text in $MUX_PRIVATE_KEY]
    #[arg(long, value_name = "FILE")]
    key: Option<String>,
}

#[derive(Args)]
struct SignOptionArgs {
    /// Duration (3600, 7d, 2 days, 10h, 1w), RFC 3339 date-time, or @unix-seconds
    #[arg(short, long, default_value = jwt_signer::DEFAULT_EXPIRATION)]
    expiration: String,
    /// A claim, as a string like the official CLI; repeatable; overrides --params-json
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Claims as a JSON object, applied before --param
    #[arg(long, value_name = "JSON")]
    params_json: Option<String>,
    /// Where the key ID goes: claims (as the official SDK), header or both
    #[arg(long, default_value = "claims")]
    kid_in: String,
    /// Print only the token
    #[arg(long, conflicts_with = "json")]
    token_only: bool,
    /// Print JSON: {playback_id, token, url, type, expiration, params, expires_at}
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    key: KeyArgs,
}

#[derive(Args)]
struct SignArgs {
    /// The signed playback ID
    playback_id: String,
    /// Token type: video, thumbnail, gif, storyboard, drm_license or stats; several
    /// (comma-separated or repeated) sign a set for Mux Player
    #[arg(
        short = 't',
        long = "type",
        default_value = "video",
        value_delimiter = ','
    )]
    types: Vec<String>,
    #[command(flatten)]
    options: SignOptionArgs,
}

#[derive(Args)]
struct CountsArgs {
    /// The ID to count viewers of
    id: String,
    /// What the ID is: video, asset, playback or live_stream
    #[arg(short = 't', long = "type", default_value = "video")]
    id_type: String,
    #[command(flatten)]
    options: SignOptionArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Vec::new();
    let result = run(cli.command, &mut out);
    let written = io::stdout().lock().write_all(&out);
    match (result, written) {
        (Err(message), _) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        // A closed pipe (`| head`) is not an error worth a message.
        (Ok(()), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Ok(()), Err(e)) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::from(2)
        }
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn run(command: Command, out: &mut Vec<u8>) -> Result<(), String> {
    match command {
        Command::Sign(args) => sign(&args, out),
        Command::ViewerCounts(args) => viewer_counts(&args, out),
        Command::Decode { token } => {
            let token = read_arg(&token)?;
            let decoded = decode(&token, now()).map_err(|e| e.to_string())?;
            print_json(out, &decoded_json(&decoded))
        }
        Command::Verify {
            token,
            public_key,
            key,
        } => {
            let token = read_arg(&token)?;
            let public_key = match public_key {
                Some(path) => PublicKey::parse(&read_file(&path)?).map_err(|e| e.to_string())?,
                None => private_key(&key)?.public_key().clone(),
            };
            let decoded = verify(&token, &public_key, now()).map_err(|e| e.to_string())?;
            let expiry = decoded.expires_at.map_or_else(
                || "no expiry".to_owned(),
                |exp| format!("expires {} ({})", format_rfc3339(exp), relative(exp, now())),
            );
            writeln!(out, "signature OK · {expiry}").map_err(|e| e.to_string())
        }
        Command::PublicKey { jwk, key } => {
            let public = private_key(&key)?.public_key().clone();
            if jwk {
                let key_id = key_id(&key).ok();
                print_json(out, &public.to_jwk(key_id.as_deref()))
            } else {
                write!(out, "{}", public.to_pem()).map_err(|e| e.to_string())
            }
        }
    }
}

fn sign(args: &SignArgs, out: &mut Vec<u8>) -> Result<(), String> {
    let o = &args.options;
    let signer = signer(&o.key)?;
    let options = sign_options(o)?;
    let id = args.playback_id.trim();
    let types = args
        .types
        .iter()
        .map(|name| TokenType::parse(name))
        .collect::<Result<Vec<_>, Error>>()
        .map_err(|e| e.to_string())?;
    if let [token_type] = types[..] {
        let signed = signer
            .sign_playback_id(id, token_type, &options, now())
            .map_err(|e| e.to_string())?;
        warn(&signed.warnings);
        let url = signed_url(token_type, id, &signed.token);
        return print_signed(
            out,
            o,
            id,
            token_type.name(),
            &signed.token,
            &url,
            signed.expires_at,
        );
    }
    let entries: Vec<(TokenType, Params)> = types.iter().map(|&t| (t, Params::new())).collect();
    let set = signer
        .sign_token_set(id, &entries, &options, now())
        .map_err(|e| e.to_string())?;
    let expires_at = set
        .iter()
        .map(|(_, s)| s.expires_at)
        .next()
        .unwrap_or_default();
    for (_, signed) in set.iter() {
        warn(&signed.warnings);
    }
    let player = player_url(id, &set);
    if o.json {
        return print_json(
            out,
            &json!({
                "playback_id": id, "tokens": set.to_map(), "url": player, "type": args.types,
                "expiration": o.expiration, "params": options.params, "expires_at": expires_at,
            }),
        );
    }
    let mut text = String::new();
    for (token_type, signed) in set.iter() {
        text += &format!("{}: {}\n", token_type.token_key(), signed.token);
    }
    if !o.token_only {
        text += &format!(
            "Player URL: {player}\nExpires: {}\n",
            expiry_line(expires_at)
        );
    }
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())
}

fn viewer_counts(args: &CountsArgs, out: &mut Vec<u8>) -> Result<(), String> {
    let o = &args.options;
    let signer = signer(&o.key)?;
    let options = sign_options(o)?;
    let id_type = ViewerCountsType::parse(&args.id_type).map_err(|e| e.to_string())?;
    let id = args.id.trim();
    let signed = signer
        .sign_viewer_counts(id, id_type, &options, now())
        .map_err(|e| e.to_string())?;
    warn(&signed.warnings);
    let url = signed_url(TokenType::Stats, id, &signed.token);
    print_signed(
        out,
        o,
        id,
        id_type.name(),
        &signed.token,
        &url,
        signed.expires_at,
    )
}

fn print_signed(
    out: &mut Vec<u8>,
    o: &SignOptionArgs,
    id: &str,
    type_name: &str,
    token: &str,
    url: &str,
    expires_at: u64,
) -> Result<(), String> {
    if o.json {
        let params = sign_options(o)?.params;
        return print_json(
            out,
            &json!({
                "playback_id": id, "token": token, "url": url, "type": type_name,
                "expiration": o.expiration, "params": params, "expires_at": expires_at,
            }),
        );
    }
    let text = if o.token_only {
        format!("{token}\n")
    } else {
        format!(
            "Token: {token}\nURL: {url}\nExpires: {}\n",
            expiry_line(expires_at)
        )
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())
}

fn expiry_line(expires_at: u64) -> String {
    format!(
        "{} ({})",
        format_rfc3339(expires_at),
        relative(expires_at, now())
    )
}

/// "in 7 days", "2 hours ago": the unit that reads best.
fn relative(at: u64, now: u64) -> String {
    let (seconds, future) = if at >= now {
        (at - now, true)
    } else {
        (now - at, false)
    };
    let (n, unit) = match seconds {
        s if s < 120 => (s, "second"),
        s if s < 7_200 => (s / 60, "minute"),
        s if s < 172_800 => (s / 3_600, "hour"),
        s => (s / 86_400, "day"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if future {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

fn warn(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

fn sign_options(o: &SignOptionArgs) -> Result<SignOptions, String> {
    let expiration = Expiration::parse(&o.expiration).map_err(|e| e.to_string())?;
    let mut params = match &o.params_json {
        Some(text) => parse_params_json(text).map_err(|e| e.to_string())?,
        None => Params::new(),
    };
    for pair in &o.params {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--param {pair:?} needs a value: write key=value"))?;
        params.insert(name.trim().to_owned(), Value::from(value));
    }
    let kid_in = KidPlacement::parse(&o.kid_in).map_err(|e| e.to_string())?;
    Ok(SignOptions {
        expiration,
        params,
        kid_in,
    })
}

fn key_id(key: &KeyArgs) -> Result<String, String> {
    key.key_id
        .clone()
        .or_else(|| std::env::var("MUX_SIGNING_KEY").ok())
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| "no signing key ID: pass --key-id or set MUX_SIGNING_KEY".to_owned())
}

fn private_key(key: &KeyArgs) -> Result<SigningKey, String> {
    // The key text is wiped from memory once parsed.
    let text = Zeroizing::new(match &key.key {
        Some(path) => read_file(path)?,
        None => std::env::var("MUX_PRIVATE_KEY").map_err(|_| {
            "no private key: pass --key FILE (- for stdin) or set MUX_PRIVATE_KEY".to_owned()
        })?,
    });
    SigningKey::parse(&text).map_err(|e| e.to_string())
}

fn signer(key: &KeyArgs) -> Result<Signer, String> {
    let key_id = key_id(key)?;
    Signer::from_key(&key_id, private_key(key)?).map_err(|e| e.to_string())
}

/// A file's text; `-` is stdin.
fn read_file(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// A positional value; `-` reads it from stdin.
fn read_arg(value: &str) -> Result<String, String> {
    if value == "-" {
        read_file("-")
    } else {
        Ok(value.to_owned())
    }
}

fn decoded_json(decoded: &jwt_signer::DecodedToken) -> Value {
    json!({
        "header": decoded.header,
        "claims": decoded.claims,
        "signature": decoded.signature,
        "expires_at": decoded.expires_at,
        "expires": decoded.expires_at.map(format_rfc3339),
        "expiry": decoded.expiry,
    })
}

fn print_json(out: &mut Vec<u8>, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    writeln!(out, "{text}").map_err(|e| e.to_string())
}
