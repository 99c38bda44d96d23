//! The command validated: every argument read and checked once into a [`Request`], the clock
//! read once, the key parsed; nothing re-parses arguments later (ripgrep's LowArgs → HiArgs).

use jwt_signer::{
    parse_params_json, ErrorKind, Expiration, Field, KeyExportFormat, KidPlacement, Params,
    PublicKey, SignOptions, Signer, SigningKey, TokenType, ViewerCountsType,
};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::args::{Command, KeyArgs, KeyCommand, SignOptionArgs};
use crate::batch::Batch;
use crate::failure::{CliResult, Failure};
use crate::input::{private_key_from_env, read_arg, read_file};

/// The core's code for bad params, which a `--param` without `=` is too.
fn params_invalid() -> &'static str {
    ErrorKind::InvalidParams {
        detail: String::new(),
    }
    .code()
}

/// How a signed result is printed.
#[derive(Clone, Copy)]
pub enum Output {
    Text,
    TokenOnly,
    Json,
}

/// What to sign, validated: the key parsed, types and options read.
pub struct SignRequest {
    pub signer: Signer,
    pub id: String,
    pub options: SignOptions,
    /// The expiration as given, echoed in the JSON output.
    pub expiration: String,
    /// The clock, read once: the tokens and the expiry shown use the same second.
    pub now: u64,
    pub output: Output,
}

/// A command with every argument read and checked, ready to run.
pub enum Request {
    Sign {
        sign: SignRequest,
        types: Vec<TokenType>,
    },
    /// `sign --ids`: many IDs, streamed.
    SignIds(Batch),
    ViewerCounts {
        sign: SignRequest,
        id_type: ViewerCountsType,
    },
    Decode {
        token: String,
        now: u64,
    },
    Verify {
        token: String,
        public_key: PublicKey,
        now: u64,
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
    /// Reads and checks every argument; `now` is the command's one reading of the clock.
    pub fn from_command(command: Command, json: bool, now: u64) -> CliResult<Self> {
        Ok(match command {
            Command::Sign(args) => match &args.ids {
                Some(path) => Request::SignIds(Batch::new(&args, path, json, now)?),
                None => Request::Sign {
                    types: token_types(&args.types)?,
                    sign: SignRequest::new(
                        args.playback_id.as_deref().unwrap_or_default(),
                        &args.options,
                        json,
                        now,
                    )?,
                },
            },
            Command::ViewerCounts(args) => Request::ViewerCounts {
                id_type: ViewerCountsType::parse(&args.id_type)?,
                sign: SignRequest::new(&args.id, &args.options, json, now)?,
            },
            Command::Decode { token } => Request::Decode {
                token: read_arg(&token, Field::Token)?,
                now,
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
                now,
            },
            Command::Diagnose {
                input,
                public_key,
                key,
                key_id,
                now: at,
            } => Request::Diagnose {
                json,
                now: at.unwrap_or(now),
                input: read_arg(&input, Field::Token)?,
                public_key: match (public_key, key) {
                    (Some(path), _) => {
                        Some(PublicKey::parse(&read_file(&path, Field::PublicKey)?)?)
                    }
                    (None, Some(path)) => {
                        let text = Zeroizing::new(read_file(&path, Field::KeySecret)?);
                        Some(PublicKey::from(&SigningKey::parse(&text)?))
                    }
                    (None, None) => match private_key_from_env() {
                        Some(text) => Some(PublicKey::from(&SigningKey::parse(&text)?)),
                        None => None,
                    },
                },
                key_id,
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
}

impl SignRequest {
    pub fn new(id: &str, o: &SignOptionArgs, json: bool, now: u64) -> CliResult<Self> {
        Ok(SignRequest {
            signer: signer(&o.key)?,
            id: id.trim().to_owned(),
            options: sign_options(o)?,
            expiration: o.expiration.clone(),
            now,
            output: match (json, o.token_only) {
                (true, _) => Output::Json,
                (false, true) => Output::TokenOnly,
                (false, false) => Output::Text,
            },
        })
    }
}

/// `--type` as given: each name read.
pub fn token_types(names: &[String]) -> CliResult<Vec<TokenType>> {
    Ok(names
        .iter()
        .map(|name| TokenType::parse(name))
        .collect::<Result<_, _>>()?)
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
                params_invalid(),
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
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            Failure::new(
                ErrorKind::MissingKeyId.code(),
                Field::KeyId,
                "no signing key ID: pass --key-id or set MUX_SIGNING_KEY".to_owned(),
            )
        })
}

fn private_key(key: &KeyArgs) -> CliResult<SigningKey> {
    // The key text is wiped from memory once parsed.
    let text = match &key.key {
        Some(path) => Zeroizing::new(read_file(path, Field::KeySecret)?),
        None => private_key_from_env().ok_or_else(|| {
            Failure::new(
                ErrorKind::EmptyKey.code(),
                Field::KeySecret,
                "no private key: pass --key FILE (- for stdin) or set MUX_PRIVATE_KEY".to_owned(),
            )
        })?,
    };
    Ok(SigningKey::parse(&text)?)
}

fn signer(key: &KeyArgs) -> CliResult<Signer> {
    let key_id = key_id(key)?;
    Ok(Signer::from_key(&key_id, private_key(key)?)?)
}
