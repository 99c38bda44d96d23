//! The command line as clap reads it: every subcommand and flag, with the help text.

use clap::{Args, Parser, Subcommand};

/// Sign Mux signed-playback tokens (RS256 JWTs) on this machine. No network, no login.
#[derive(Parser)]
#[command(name = "jwt-signer", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print JSON: the result, or {"error":{"code","field","message"}} on stdout on failure
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum Command {
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
        /// The signing key ID the tokens should name
        #[arg(
            long,
            value_name = "ID",
            env = "MUX_SIGNING_KEY",
            hide_env_values = true
        )]
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
pub enum KeyCommand {
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
pub struct KeyArgs {
    /// Signing key ID
    #[arg(
        long,
        value_name = "ID",
        env = "MUX_SIGNING_KEY",
        hide_env_values = true
    )]
    pub key_id: Option<String>,
    /// File with the private key (Mux base64, PEM, DER base64 or JWK); - reads stdin
    /// [default: the key text in $MUX_PRIVATE_KEY]
    #[arg(long, value_name = "FILE")]
    pub key: Option<String>,
}

#[derive(Args)]
pub struct SignOptionArgs {
    /// Duration (3600, 7d, 2 days, 10h, 1w), RFC 3339 date-time, or @unix-seconds
    #[arg(short, long, default_value = jwt_signer::DEFAULT_EXPIRATION)]
    pub expiration: String,
    /// A claim, as a string like the official CLI; repeatable; overrides --params-json
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Claims as a JSON object, applied before --param
    #[arg(long, value_name = "JSON")]
    pub params_json: Option<String>,
    /// Where the key ID goes: claims (as the official SDK), header or both
    #[arg(long, default_value = "claims")]
    pub kid_in: String,
    /// Print only the token (a token set: one `name: token` line each)
    #[arg(long, conflicts_with = "json")]
    pub token_only: bool,
    #[command(flatten)]
    pub key: KeyArgs,
}

#[derive(Args)]
pub struct SignArgs {
    /// The signed playback ID
    #[arg(required_unless_present = "ids")]
    pub playback_id: Option<String>,
    /// Sign every playback ID in FILE, one a line (# comments and blank lines skipped; - reads
    /// stdin): CSV id,token,url,error,code in input order, or JSON Lines with --json; exit 1 if a
    /// line failed
    #[arg(long, value_name = "FILE", conflicts_with_all = ["playback_id", "token_only"])]
    pub ids: Option<String>,
    /// Threads signing --ids [default: the CPUs available]
    #[arg(long, value_name = "N", conflicts_with = "playback_id", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Token type: video, thumbnail, gif, storyboard, drm_license or stats; several
    /// (comma-separated or repeated) sign a set for Mux Player
    #[arg(
        short = 't',
        long = "type",
        default_value = "video",
        value_delimiter = ','
    )]
    pub types: Vec<String>,
    #[command(flatten)]
    pub options: SignOptionArgs,
}

#[derive(Args)]
pub struct CountsArgs {
    /// The ID to count viewers of
    pub id: String,
    /// What the ID is: video, asset, playback or live_stream
    #[arg(short = 't', long = "type", default_value = "video")]
    pub id_type: String,
    #[command(flatten)]
    pub options: SignOptionArgs,
}
