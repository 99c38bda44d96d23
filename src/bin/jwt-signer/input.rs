//! What the CLI reads besides its arguments: files, stdin, and the private key's variable.

use std::io::{self, Read};

use jwt_signer::Field;
use zeroize::Zeroizing;

use crate::failure::{CliResult, Failure, INPUT_UNREADABLE};

/// `MUX_PRIVATE_KEY`'s text, wiped when dropped. Read here rather than by clap's `env`: it holds
/// the key itself, where `--key` takes a file's path.
pub fn private_key_from_env() -> Option<Zeroizing<String>> {
    std::env::var("MUX_PRIVATE_KEY").ok().map(Zeroizing::new)
}

/// A file's text; `-` is stdin.
pub fn read_file(path: &str, field: Field) -> CliResult<String> {
    let unreadable = |what: String| Failure::new(INPUT_UNREADABLE, field, what);
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
pub fn read_arg(value: &str, field: Field) -> CliResult<String> {
    if value == "-" {
        read_file("-", field)
    } else {
        Ok(value.to_owned())
    }
}
