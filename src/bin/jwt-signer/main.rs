//! `jwt-signer`: the command-line adapter. Signs Mux playback tokens locally, a superset of the
//! official `mux sign`, with no network and no login. Errors: one line on stderr, exit code 2;
//! with `--json`, `{"error":{"code","field","message"}}` on stdout instead, exit code 2.
//!
//! Parse, then act (ripgrep's shape): clap reads the arguments (`args`), they are validated
//! once into a [`Request`] with the clock read once (`request`), which is then carried out
//! (`run`) and printed (`render`); `input` reads files and stdin, `failure` reports errors;
//! `batch` is `sign --ids`, which streams its rows to stdout as they are signed.

mod args;
mod batch;
mod failure;
mod input;
mod render;
mod request;
mod run;

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use jwt_signer::Field;

use crate::args::Cli;
use crate::failure::Failure;
use crate::request::Request;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && std::env::args_os().any(|a| a == "--json") => {
            let message = e.kind().as_str().unwrap_or("invalid arguments");
            Failure::new(
                failure::USAGE,
                Field::Options,
                format!("{message}: see --help"),
            )
            .report(true);
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let mut out = Vec::new();
    let json = cli.json;
    let result =
        Request::from_command(cli.command, json, now()).and_then(|request| request.run(&mut out));
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

/// The clock, read once per command.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
