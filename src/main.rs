//! `jwt-signer`: the command-line adapter. Signs Mux playback tokens locally, a superset of the
//! official `mux sign`, with no network and no login. Errors: one line on stderr, exit code 2;
//! with `--json`, `{"error":{"code","field","message"}}` on stdout instead, exit code 2.
//!
//! The arguments are read by clap, then validated once into a [`Request`]; nothing re-parses
//! them later.

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Parser, Subcommand};
use jwt_signer::{
    decode, describe_expiry, diagnose, parse_params_json, player_url, signed_url, verify,
    DecodedToken, DiagnoseOptions, Diagnosis, Error, Expiration, Field, Finding, InputKind,
    KeyExportFormat, KidPlacement, Params, PublicKey, Severity, SignOptions, Signer, SigningKey,
    TokenType, ViewerCountsType,
};
use serde_json::{json, Value};
use zeroize::Zeroizing;

/// Sign Mux signed-playback tokens (RS256 JWTs) on this machine. No network, no login.
#[derive(Parser)]
#[command(name = "jwt-signer", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print JSON: the result, or {"error":{"code","field","message"}} on stdout on failure
    #[arg(long, global = true)]
    json: bool,
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
    /// Say why Mux would reject a signed URL, Mux Player URL or snippet, or token (exit 1 if it would)
    Diagnose {
        /// The URL, `<mux-player …>` snippet or token; - reads it from stdin
        input: String,
        /// File with the public key to check signatures with: PEM or JWK
        #[arg(long, value_name = "FILE")]
        public_key: Option<String>,
        /// File with the private key whose public half checks signatures; - reads stdin
        /// [default: the key text in $MUX_PRIVATE_KEY, if set]
        #[arg(long, value_name = "FILE")]
        key: Option<String>,
        /// The signing key ID the tokens should name [default: $MUX_SIGNING_KEY, if set]
        #[arg(long, value_name = "ID")]
        key_id: Option<String>,
        /// Check as if at this Unix time (seconds) [default: now]
        #[arg(long, value_name = "UNIX")]
        now: Option<u64>,
    },
    /// Key tools: `key convert --to FORMAT`
    Key {
        #[command(subcommand)]
        command: KeyCommand,
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

#[derive(Subcommand)]
enum KeyCommand {
    /// Write the configured private key in another format (secret output, except public-*)
    Convert {
        /// pkcs8-pem, pkcs1-pem, jwk, mux-base64, env (one line for a .env file), public-pem
        /// or public-jwk
        #[arg(long, value_name = "FORMAT")]
        to: String,
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
    /// Print only the token (a token set: one `name: token` line each)
    #[arg(long, conflicts_with = "json")]
    token_only: bool,
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

/// A failure as the CLI reports it: the core's code and field, or the CLI's own for what
/// only it reads (files, stdin, the environment).
struct Failure {
    code: &'static str,
    field: &'static str,
    message: String,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            code: error.code(),
            field: error.field().as_str(),
            message: error.to_string(),
        }
    }
}

impl Failure {
    fn new(code: &'static str, field: Field, message: String) -> Self {
        Failure {
            code,
            field: field.as_str(),
            message,
        }
    }

    fn output(message: io::Error) -> Self {
        Failure::new(
            "output_failed",
            Field::Options,
            format!("cannot write the output: {message}"),
        )
    }

    fn report(&self, json: bool) {
        if json {
            let error =
                json!({"error": {"code": self.code, "field": self.field, "message": self.message}});
            println!("{error}");
        } else {
            eprintln!("error: {}", self.message);
        }
    }
}

type CliResult<T> = Result<T, Failure>;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && std::env::args().any(|a| a == "--json") => {
            let message = e.kind().as_str().unwrap_or("invalid arguments");
            Failure::new("usage", Field::Options, format!("{message}: see --help")).report(true);
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let mut out = Vec::new();
    let json = cli.json;
    let result = Request::from_command(cli.command, json).and_then(|request| request.run(&mut out));
    let written = io::stdout().lock().write_all(&out);
    match (result, written) {
        (Err(failure), _) => {
            failure.report(json);
            ExitCode::from(2)
        }
        (Ok(false), Ok(())) => ExitCode::from(1),
        // A closed pipe (`| head`) is not an error worth a message.
        (Ok(_), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Ok(_), Err(e)) => {
            Failure::output(e).report(json);
            ExitCode::from(2)
        }
        (Ok(true), Ok(())) => ExitCode::SUCCESS,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// How a signed result is printed.
#[derive(Clone, Copy)]
enum Output {
    Text,
    TokenOnly,
    Json,
}

/// What to sign, validated: the key parsed, types and options read.
struct SignRequest {
    signer: Signer,
    id: String,
    options: SignOptions,
    /// The expiration as given, echoed in the JSON output.
    expiration: String,
    /// The clock, read once: the tokens and the expiry shown use the same second.
    now: u64,
    output: Output,
}

/// A command with every argument read and checked, ready to run.
enum Request {
    Sign {
        sign: SignRequest,
        types: Vec<TokenType>,
    },
    ViewerCounts {
        sign: SignRequest,
        id_type: ViewerCountsType,
    },
    Decode {
        token: String,
    },
    Verify {
        token: String,
        public_key: PublicKey,
    },
    PublicKey {
        public_key: PublicKey,
        key_id: Option<String>,
        jwk: bool,
    },
    ConvertKey {
        key: SigningKey,
        key_id: Option<String>,
        format: KeyExportFormat,
    },
    Diagnose {
        input: String,
        public_key: Option<PublicKey>,
        key_id: Option<String>,
        now: u64,
        json: bool,
    },
}

impl Request {
    fn from_command(command: Command, json: bool) -> CliResult<Self> {
        Ok(match command {
            Command::Sign(args) => Request::Sign {
                types: args
                    .types
                    .iter()
                    .map(|name| TokenType::parse(name))
                    .collect::<Result<_, _>>()?,
                sign: SignRequest::new(&args.playback_id, &args.options, json)?,
            },
            Command::ViewerCounts(args) => Request::ViewerCounts {
                id_type: ViewerCountsType::parse(&args.id_type)?,
                sign: SignRequest::new(&args.id, &args.options, json)?,
            },
            Command::Decode { token } => Request::Decode {
                token: read_arg(&token, Field::Token)?,
            },
            Command::Verify {
                token,
                public_key,
                key,
            } => Request::Verify {
                token: read_arg(&token, Field::Token)?,
                public_key: match public_key {
                    Some(path) => PublicKey::parse(&read_file(&path, Field::PublicKey)?)?,
                    None => PublicKey::from(&private_key(&key)?),
                },
            },
            Command::Diagnose {
                input,
                public_key,
                key,
                key_id,
                now: at,
            } => Request::Diagnose {
                json,
                now: at.unwrap_or_else(now),
                input: read_arg(&input, Field::Token)?,
                public_key: match (public_key, key) {
                    (Some(path), _) => {
                        Some(PublicKey::parse(&read_file(&path, Field::PublicKey)?)?)
                    }
                    (None, Some(path)) => {
                        let text = Zeroizing::new(read_file(&path, Field::KeySecret)?);
                        Some(PublicKey::from(&SigningKey::parse(&text)?))
                    }
                    (None, None) => match std::env::var("MUX_PRIVATE_KEY") {
                        Ok(text) => {
                            Some(PublicKey::from(&SigningKey::parse(&Zeroizing::new(text))?))
                        }
                        Err(_) => None,
                    },
                },
                key_id: key_id.or_else(|| std::env::var("MUX_SIGNING_KEY").ok()),
            },
            Command::Key {
                command: KeyCommand::Convert { to, key },
            } => Request::ConvertKey {
                format: KeyExportFormat::parse(&to)?,
                key_id: key_id(&key).ok(),
                key: private_key(&key)?,
            },
            Command::PublicKey { jwk, key } => Request::PublicKey {
                public_key: PublicKey::from(&private_key(&key)?),
                key_id: key_id(&key).ok(),
                jwk,
            },
        })
    }

    /// Runs the request; `Ok(false)` when it ran but found problems (`diagnose`: exit 1).
    fn run(self, out: &mut Vec<u8>) -> CliResult<bool> {
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
                        Failure::new("serialization_failed", Field::Options, e.to_string())
                    })?;
                    print_json(out, &value)?;
                } else {
                    out.write_all(checklist(&diagnosis).as_bytes())
                        .map_err(Failure::output)?;
                }
                return Ok(diagnosis.ok);
            }
            Request::Sign { sign, types } => sign.playback(&types, out),
            Request::ViewerCounts { sign, id_type } => sign.viewer_counts(id_type, out),
            Request::Decode { token } => print_json(out, &decoded_json(&decode(&token, now())?)),
            Request::Verify { token, public_key } => {
                let decoded = verify(&token, &public_key, now())?;
                let expiry = decoded.expires_at.map_or_else(
                    || "no expiry".to_owned(),
                    |exp| format!("expires {}", expiry_line(exp, now())),
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

/// A diagnosis as a checklist for people: each finding with its fix, then the verdict.
fn checklist(diagnosis: &Diagnosis) -> String {
    let mark = |finding: &Finding| match finding.severity {
        Severity::Error => "✗",
        Severity::Warning => "!",
        Severity::Info if finding.code == "summary" => "✓",
        Severity::Info => "·",
    };
    let line = |text: &mut String, indent: &str, finding: &Finding| {
        *text += &format!(
            "{indent}{} {}: {}\n",
            mark(finding),
            finding.code,
            finding.message
        );
        if !finding.fix.is_empty() {
            *text += &format!("{indent}    fix: {}\n", finding.fix);
        }
    };
    let kind = match diagnosis.input {
        InputKind::Url => "signed URL",
        InputKind::PlayerUrl => "Mux Player URL",
        InputKind::Snippet => "<mux-player> snippet",
        InputKind::Token => "token",
    };
    let mut text = match &diagnosis.playback_id {
        Some(id) => format!("{kind} · playback ID {id}\n"),
        None => format!("{kind}\n"),
    };
    for finding in &diagnosis.findings {
        line(&mut text, "", finding);
    }
    for token in &diagnosis.tokens {
        text += &format!("{}\n", token.role);
        for finding in &token.findings {
            line(&mut text, "  ", finding);
        }
    }
    let errors = diagnosis
        .findings
        .iter()
        .chain(diagnosis.tokens.iter().flat_map(|t| &t.findings))
        .filter(|f| f.severity == Severity::Error)
        .count();
    text += &if diagnosis.ok {
        "OK: nothing here that Mux would reject\n".to_owned()
    } else {
        format!("Mux would reject this: {errors} error(s)\n")
    };
    text
}

impl SignRequest {
    fn new(id: &str, o: &SignOptionArgs, json: bool) -> CliResult<Self> {
        Ok(SignRequest {
            signer: signer(&o.key)?,
            id: id.trim().to_owned(),
            options: sign_options(o)?,
            expiration: o.expiration.clone(),
            now: now(),
            output: match (json, o.token_only) {
                (true, _) => Output::Json,
                (false, true) => Output::TokenOnly,
                (false, false) => Output::Text,
            },
        })
    }

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

fn expiry_line(expires_at: u64, now: u64) -> String {
    let expiry = describe_expiry(expires_at, now);
    format!("{} ({})", expiry.iso, expiry.relative)
}

fn warn(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

fn sign_options(o: &SignOptionArgs) -> CliResult<SignOptions> {
    let expiration = Expiration::parse(&o.expiration)?;
    let mut params = match &o.params_json {
        Some(text) => parse_params_json(text)?,
        None => Params::new(),
    };
    for pair in &o.params {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            Failure::new(
                "params_invalid",
                Field::Params,
                format!("--param {pair:?} needs a value: write key=value"),
            )
        })?;
        params.insert(name.trim().to_owned(), Value::from(value));
    }
    let kid_in = KidPlacement::parse(&o.kid_in)?;
    Ok(SignOptions {
        expiration,
        params,
        kid_in,
    })
}

fn key_id(key: &KeyArgs) -> CliResult<String> {
    key.key_id
        .clone()
        .or_else(|| std::env::var("MUX_SIGNING_KEY").ok())
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            Failure::new(
                Error::MissingKeyId.code(),
                Field::KeyId,
                "no signing key ID: pass --key-id or set MUX_SIGNING_KEY".to_owned(),
            )
        })
}

fn private_key(key: &KeyArgs) -> CliResult<SigningKey> {
    // The key text is wiped from memory once parsed.
    let text = Zeroizing::new(match &key.key {
        Some(path) => read_file(path, Field::KeySecret)?,
        None => std::env::var("MUX_PRIVATE_KEY").map_err(|_| {
            Failure::new(
                Error::EmptyKey.code(),
                Field::KeySecret,
                "no private key: pass --key FILE (- for stdin) or set MUX_PRIVATE_KEY".to_owned(),
            )
        })?,
    });
    Ok(SigningKey::parse(&text)?)
}

fn signer(key: &KeyArgs) -> CliResult<Signer> {
    let key_id = key_id(key)?;
    Ok(Signer::from_key(&key_id, private_key(key)?)?)
}

/// A file's text; `-` is stdin.
fn read_file(path: &str, field: Field) -> CliResult<String> {
    let unreadable = |what: String| Failure::new("input_unreadable", field, what);
    if path == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| unreadable(format!("cannot read stdin: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| unreadable(format!("cannot read {path}: {e}")))
}

/// A positional value; `-` reads it from stdin.
fn read_arg(value: &str, field: Field) -> CliResult<String> {
    if value == "-" {
        read_file("-", field)
    } else {
        Ok(value.to_owned())
    }
}

fn decoded_json(decoded: &DecodedToken) -> Value {
    json!({
        "header": decoded.header,
        "claims": decoded.claims,
        "signature": decoded.signature,
        "expires_at": decoded.expires_at,
        "expires": decoded.expires_at.map(|exp| describe_expiry(exp, now()).iso),
        "expiry": decoded.expiry,
    })
}

fn print_json(out: &mut Vec<u8>, value: &Value) -> CliResult<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new("serialization_failed", Field::Options, e.to_string()))?;
    writeln!(out, "{text}").map_err(Failure::output)
}
