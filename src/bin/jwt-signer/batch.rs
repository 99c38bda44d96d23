//! `sign --ids FILE|-`: one playback ID a line, signed on every core, written in input order as
//! it streams (CSV with the page's Bulk columns, or JSON Lines).
//!
//! A pipeline of bounded channels, so memory stays flat whatever the input's length: a reader
//! thread sends numbered lines to `jobs` signer threads, which send back each row already
//! written as text; the writer puts them back in order. The reader takes a permit per line and
//! the writer returns it once the row is out, so at most `WINDOW_PER_JOB × jobs` rows are ever
//! in flight, and the reorder buffer cannot grow behind one slow row.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::num::NonZeroUsize;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use jwt_signer::{
    check_params, player_url, signed_url, Error, Expiration, Field, Params, TokenType,
};
use serde_json::{json, Value};

use crate::args::SignArgs;
use crate::failure::{CliResult, Failure, INPUT_UNREADABLE, USAGE};
use crate::render::warn;
use crate::request::{token_types, Output, SignRequest};

/// Rows in flight per signer thread: enough that no thread waits on the writer.
const WINDOW_PER_JOB: usize = 64;
/// Bytes kept of one line: far past any ID (255 at most), so a longer line still fails as an
/// invalid ID, while a file with no newline at all is not read into memory whole.
const MAX_LINE: usize = 4096;
/// The page's Bulk CSV header (www/format.js, `bulkCsv`).
const CSV_COLUMNS: [&str; 5] = ["id", "token", "url", "error", "code"];

/// Where the IDs come from.
enum Source {
    Stdin,
    File(File),
}

/// `sign --ids`, validated: the sign request with its expiry resolved once, the input opened.
pub struct Batch {
    sign: SignRequest,
    types: Vec<TokenType>,
    source: Source,
    jobs: usize,
}

/// One input line to sign: its place among the IDs (`seq`) and in the file (`line`).
struct Job {
    seq: u64,
    line: u64,
    id: String,
}

/// One output row, already written as text.
struct Row {
    seq: u64,
    text: String,
    failed: bool,
}

impl Batch {
    /// Reads the arguments of `sign --ids`; `now` is the clock, read once for every row.
    pub fn new(args: &SignArgs, path: &str, json: bool, now: u64) -> CliResult<Self> {
        if path == "-" && args.options.key.key.as_deref() == Some("-") {
            return Err(Failure::new(
                USAGE,
                Field::Options,
                "--ids - and --key - both read stdin: pass the key as a file or in MUX_PRIVATE_KEY"
                    .to_owned(),
            ));
        }
        let types = token_types(&args.types)?;
        let mut sign = SignRequest::new("", &args.options, json, now)?;
        // Every row shares one `exp`, whatever the threads' timing.
        sign.options.expiration = Expiration::At(sign.options.expiration.resolve(now)?);
        // The params are the same on every line: a wrong one fails the run, not each row, and
        // its warnings are printed once.
        let mut warnings = Vec::new();
        for &token_type in &types {
            for warning in check_params(Some(token_type), &sign.options.params)? {
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
        warn(&warnings);
        let source = match path {
            "-" => Source::Stdin,
            path => Source::File(File::open(path).map_err(|e| {
                Failure::new(
                    INPUT_UNREADABLE,
                    Field::PlaybackId,
                    format!("cannot read {path}: {e}"),
                )
            })?),
        };
        let jobs = match args.jobs {
            Some(jobs) => usize::from(jobs),
            None => thread::available_parallelism().map_or(1, NonZeroUsize::get),
        };
        Ok(Batch {
            sign,
            types,
            source,
            jobs,
        })
    }

    /// Signs every line and writes the rows to stdout; `Ok(false)` when a line failed (exit 1).
    pub fn run(self) -> CliResult<bool> {
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let json = matches!(self.sign.output, Output::Json);
        if !json {
            let header: Vec<String> = CSV_COLUMNS.iter().map(|c| csv_cell(c)).collect();
            if let Err(e) = write!(out, "{}\r\n", header.join(",")) {
                return written(Err(e), true);
            }
        }
        let progress = progress_bar();
        let window = self.jobs * WINDOW_PER_JOB;
        let (job_tx, job_rx) = sync_channel::<Job>(self.jobs * 4);
        let (row_tx, row_rx) = sync_channel::<Row>(self.jobs * 4);
        let (permit_tx, permit_rx) = sync_channel::<()>(window);
        for _ in 0..window {
            // Cannot fail: the channel holds exactly `window` and its receiver is alive.
            let _ = permit_tx.try_send(());
        }
        // Owned by the signer threads only, so that once they all stop the reader's next send
        // fails and it stops too.
        let job_rx = Arc::new(Mutex::new(job_rx));
        let reader: Box<dyn Read + Send> = match self.source {
            Source::Stdin => Box::new(io::stdin()),
            Source::File(file) => Box::new(file),
        };
        let (read, write) = thread::scope(|scope| {
            let reader = scope.spawn(move || read_ids(reader, &job_tx, &permit_rx));
            for _ in 0..self.jobs {
                let (jobs, rows) = (Arc::clone(&job_rx), row_tx.clone());
                let (sign, types) = (&self.sign, &self.types[..]);
                scope.spawn(move || sign_rows(sign, types, &jobs, &rows));
            }
            drop((row_tx, job_rx));
            let write = write_rows(&mut out, row_rx, permit_tx, &progress);
            (reader.join(), write)
        });
        progress.finish_and_clear();
        let read = read.unwrap_or_else(|_| Err(io::Error::other("the reader thread stopped")));
        match (write, read) {
            (Err(e), _) => written(Err(e), true),
            (Ok(_), Err(e)) => {
                // The rows read so far are out; the run still failed.
                let _ = out.flush();
                Err(Failure::new(
                    INPUT_UNREADABLE,
                    Field::PlaybackId,
                    format!("cannot read the IDs: {e}"),
                ))
            }
            (Ok(all_ok), Ok(())) => written(out.flush(), all_ok),
        }
    }
}

/// A write's outcome as the run's: a closed pipe (`| head`) ends the run quietly.
fn written(result: io::Result<()>, all_ok: bool) -> CliResult<bool> {
    match result {
        Ok(()) => Ok(all_ok),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(all_ok),
        Err(e) => Err(Failure::output(e)),
    }
}

/// A spinner with the count and rate on stderr, only when a person watches it.
fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {human_pos} IDs · {rate} · {elapsed}")
    {
        // Whole tokens per second (indicatif's {per_sec} prints four decimals).
        let rate = |state: &ProgressState, out: &mut dyn fmt::Write| {
            let _ = write!(out, "{:.0}/s", state.per_sec());
        };
        bar.set_style(style.with_key("rate", rate));
    }
    bar
}

/// The reader: each ID line numbered and sent, a permit taken first; comments and blank lines
/// skipped. Stops at the end of the input, or when the signers or the writer have stopped.
fn read_ids(
    input: Box<dyn Read + Send>,
    jobs: &SyncSender<Job>,
    permits: &Receiver<()>,
) -> io::Result<()> {
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let mut bytes = Vec::with_capacity(MAX_LINE);
    let (mut seq, mut line) = (0, 0);
    while read_line(&mut input, &mut bytes)? {
        line += 1;
        let text = String::from_utf8_lossy(&bytes);
        let id = text.trim();
        if id.is_empty() || id.starts_with('#') {
            continue;
        }
        let job = Job {
            seq,
            line,
            id: id.to_owned(),
        };
        if permits.recv().is_err() || jobs.send(job).is_err() {
            return Ok(());
        }
        seq += 1;
    }
    Ok(())
}

/// Reads one line into `line` (without its `\n`), keeping at most [`MAX_LINE`] bytes of it;
/// `false` at the end of the input.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    line.clear();
    let mut any = false;
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(any);
        }
        any = true;
        let (part, used, end) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (&buffer[..at], at + 1, true),
            None => (buffer, buffer.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(&part[..part.len().min(room)]);
        input.consume(used);
        if end {
            return Ok(true);
        }
    }
}

/// A signer thread: takes lines until there are none, sends each row's text.
fn sign_rows(
    sign: &SignRequest,
    types: &[TokenType],
    jobs: &Mutex<Receiver<Job>>,
    rows: &SyncSender<Row>,
) {
    let json = matches!(sign.output, Output::Json);
    loop {
        // A poisoned lock means another signer panicked: stop, the scope reports it.
        let job = match jobs.lock().map(|jobs| jobs.recv()) {
            Ok(Ok(job)) => job,
            _ => return,
        };
        let (text, failed) = match sign_one(sign, types, &job.id) {
            Ok(signed) if json => (signed.json_line(&job), false),
            Ok(signed) => (signed.csv_line(&job.id), false),
            Err(error) if json => (error_json_line(&job, error), true),
            Err(error) => (error_csv_line(&job.id, error), true),
        };
        let row = Row {
            seq: job.seq,
            text,
            failed,
        };
        if rows.send(row).is_err() {
            return;
        }
    }
}

/// What one ID signed to: the token (the set's first), its URL (a set's: the Mux Player URL)
/// and, for a set, every token.
struct Signed {
    token: String,
    url: String,
    tokens: Option<serde_json::Map<String, Value>>,
    expires_at: u64,
}

fn sign_one(sign: &SignRequest, types: &[TokenType], id: &str) -> Result<Signed, Error> {
    let (signer, options, now) = (&sign.signer, &sign.options, sign.now);
    if let [token_type] = types[..] {
        let signed = signer.sign_playback_id(id, token_type, options, now)?;
        return Ok(Signed {
            url: signed_url(token_type, id, &signed.token),
            token: signed.token,
            tokens: None,
            expires_at: signed.expires_at,
        });
    }
    let entries: Vec<(TokenType, Params)> = types.iter().map(|&t| (t, Params::new())).collect();
    let set = signer.sign_token_set(id, &entries, options, now)?;
    let (token, expires_at) = set
        .iter()
        .next()
        .map(|(_, s)| (s.token.clone(), s.expires_at))
        .unwrap_or_default();
    Ok(Signed {
        url: player_url(id, &set),
        token,
        tokens: Some(set.to_map()),
        expires_at,
    })
}

impl Signed {
    fn csv_line(&self, id: &str) -> String {
        csv_line([id, &self.token, &self.url, "", ""])
    }

    fn json_line(&self, job: &Job) -> String {
        let mut line = json!({"line": job.line, "id": job.id});
        if let Value::Object(map) = &mut line {
            match &self.tokens {
                Some(tokens) => map.insert("tokens".to_owned(), Value::Object(tokens.clone())),
                None => map.insert("token".to_owned(), self.token.as_str().into()),
            };
            map.insert("url".to_owned(), self.url.as_str().into());
            map.insert("expires_at".to_owned(), self.expires_at.into());
        }
        format!("{line}\n")
    }
}

fn error_json_line(job: &Job, error: Error) -> String {
    let error = Failure::from(error);
    let line = json!({"line": job.line, "id": job.id, "error": error.to_json()});
    format!("{line}\n")
}

/// A failed row as the page writes it: the message in `error`, its code in `code`, and an ID a
/// spreadsheet would run
/// as a formula defused with a leading apostrophe (only a failed ID can start so).
fn error_csv_line(id: &str, error: Error) -> String {
    let error = Failure::from(error);
    let formula = id.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let shown = if formula {
        format!("'{id}")
    } else {
        id.to_owned()
    };
    csv_line([&shown, "", "", error.message(), error.code()])
}

fn csv_line(cells: [&str; 5]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    format!("{}\r\n", cells.join(","))
}

/// One CSV cell as the page writes it: always quoted, quotes doubled (RFC 4180).
fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The writer: rows back in input order, a permit returned for each; flushed whenever it waits,
/// so rows appear as they are signed. `Ok(false)` when a row failed.
fn write_rows(
    out: &mut impl Write,
    rows: Receiver<Row>,
    permits: SyncSender<()>,
    progress: &ProgressBar,
) -> io::Result<bool> {
    let mut pending = BTreeMap::new();
    let (mut next, mut all_ok) = (0u64, true);
    loop {
        let row = match rows.try_recv() {
            Ok(row) => row,
            Err(TryRecvError::Empty) => {
                out.flush()?;
                match rows.recv() {
                    Ok(row) => row,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        pending.insert(row.seq, row);
        while let Some(row) = pending.remove(&next) {
            out.write_all(row.text.as_bytes())?;
            all_ok &= !row.failed;
            next += 1;
            progress.inc(1);
            // Fails only once the reader has stopped, when no more permits are wanted.
            let _ = permits.send(());
        }
    }
    Ok(all_ok)
}
