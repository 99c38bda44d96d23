//! A failure as the CLI reports it, and how: one line on stderr, or JSON on stdout.

use std::io;

use jwt_signer::{Error, Field};
use serde_json::json;

/// The CLI's own codes, for what only it reads or writes (files, stdin, arguments, stdout).
pub const USAGE: &str = "usage";
pub const INPUT_UNREADABLE: &str = "input_unreadable";
pub const OUTPUT_FAILED: &str = "output_failed";

/// A failure as the CLI reports it: the core's code and field, or the CLI's own for what
/// only it reads (files, stdin, the environment).
pub struct Failure {
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
    pub fn new(code: &'static str, field: Field, message: String) -> Self {
        Failure {
            code,
            field: field.as_str(),
            message,
        }
    }

    pub fn output(message: io::Error) -> Self {
        Failure::new(
            OUTPUT_FAILED,
            Field::Options,
            format!("cannot write the output: {message}"),
        )
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// `{"code","field","message"}`, as `--json` prints it under `error`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({"code": self.code, "field": self.field, "message": self.message})
    }

    pub fn report(&self, json: bool) {
        if json {
            let error =
                json!({"error": {"code": self.code, "field": self.field, "message": self.message}});
            println!("{error}");
        } else {
            eprintln!("error: {}", self.message);
        }
    }
}

pub type CliResult<T> = Result<T, Failure>;
