//! `jwt-signer sign --ids FILE|-`, the built binary: rows in input order on every thread count,
//! bad lines on their rows, the page's CSV, JSON Lines, and an input that streams.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use base64::Engine;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::Value;

mod common;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
/// A fixed `exp` (2033-05-18): with it, the same IDs give the same bytes on every run
/// (PKCS#1 v1.5 signatures are deterministic), whatever the clock.
const EXP: u64 = 2_000_000_000;
const AT_EXP: &str = "@2000000000";
const HEADER: &str = "\"id\",\"token\",\"url\",\"error\",\"code\"\r\n";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

fn key_env() -> Vec<(&'static str, String)> {
    vec![
        ("MUX_SIGNING_KEY", "cli-key-id".to_owned()),
        ("MUX_PRIVATE_KEY", fixture("rsa2048-mux.txt")),
    ]
}

/// `jwt-signer sign --ids - ARGS` with the fixture key, `stdin` as the list.
fn sign_ids(args: &[&str], stdin: &str) -> Output {
    let env = key_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut all = vec!["sign", "--ids", "-"];
    all.extend_from_slice(args);
    common::run_cli(&all, &env, stdin)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// RFC 4180, read independently of the CLI's writer; every field must be quoted (the page
/// quotes every cell) and every record end in CRLF.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let mut record = Vec::new();
        loop {
            assert_eq!(chars.next(), Some('"'), "an unquoted field in {text:?}");
            let mut field = String::new();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => panic!("an unterminated field in {text:?}"),
                }
            }
            record.push(field);
            match chars.next() {
                Some(',') => continue,
                Some('\r') => {
                    assert_eq!(chars.next(), Some('\n'), "a record not ended by CRLF");
                    break;
                }
                other => panic!("{other:?} after a field in {text:?}"),
            }
        }
        records.push(record);
    }
    records
}

/// The JSON Lines output, one value a line.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn claims(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Checks `token`'s RS256 signature with the `rsa` crate's PKCS#1 v1.5 verifier (not our
/// signing code) against the fixture's public key.
fn assert_verifies(token: &str) {
    let key = rsa::PublicKey::from_public_key_pem(&fixture("rsa2048.public.pem")).unwrap();
    let verifier = VerifyingKey::<sha2::Sha256>::new(key);
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .unwrap();
    let signature = Signature::try_from(bytes.as_slice()).unwrap();
    verifier
        .verify(signed.as_bytes(), &signature)
        .unwrap_or_else(|e| panic!("{token} does not verify: {e}"));
}

fn ids(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("id-{i:05}")).collect()
}

#[test]
fn rows_keep_the_input_order_on_four_threads() {
    let ids = ids(300);
    // Comments and blank lines between them, and spaces around some.
    let mut input = String::from("# catalogue\n\n");
    for (i, id) in ids.iter().enumerate() {
        match i % 7 {
            0 => input += &format!("  {id}\t\r\n"),
            3 => input += &format!("{id}\n# after {id}\n\n"),
            _ => input += &format!("{id}\n"),
        }
    }
    let out = sign_ids(&["--jobs", "4", "-e", AT_EXP], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    let records = parse_csv(&stdout(&out));
    assert_eq!(records[0], ["id", "token", "url", "error", "code"]);
    assert_eq!(records.len(), ids.len() + 1);
    for (record, id) in records[1..].iter().zip(&ids) {
        assert_eq!(&record[0], id);
        assert_eq!(claims(&record[1])["sub"], id.as_str());
        assert_eq!(
            record[2],
            format!("https://stream.mux.com/{id}.m3u8?token={}", record[1])
        );
        assert_eq!(record[3], "");
    }
}

#[test]
fn jobs_1_and_jobs_3_write_the_same_bytes() {
    let mut input = ids(120).join("\n");
    input += "\nb@d\n";
    for json in [false, true] {
        let run = |jobs: &str| {
            let mut args = vec!["--jobs", jobs, "-e", AT_EXP, "-t", "thumbnail"];
            if json {
                args.push("--json");
            }
            sign_ids(&args, &input)
        };
        let (one, three) = (run("1"), run("3"));
        assert_eq!(one.status.code(), Some(1), "{}", stderr(&one));
        assert_eq!(three.status.code(), Some(1), "{}", stderr(&three));
        assert!(one.stdout.len() > 120 * 500, "{}", stdout(&one));
        assert!(
            one.stdout == three.stdout,
            "--jobs 1 and --jobs 3 differ (json: {json})"
        );
    }
}

#[test]
fn a_relative_expiry_is_resolved_once_for_every_row() {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    // Enough rows that the run spans a second or more (~1.5 s here), so that a clock read per
    // row would give two values of `exp`.
    let before = now();
    let out = sign_ids(
        &["--jobs", "3", "-e", "1h", "--json"],
        &ids(3000).join("\n"),
    );
    let after = now();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&stdout(&out));
    assert_eq!(rows.len(), 3000);
    let exp = rows[0]["expires_at"].as_u64().unwrap();
    assert!((before + 3600..=after + 3600).contains(&exp), "{exp}");
    for row in &rows {
        assert_eq!(claims(row["token"].as_str().unwrap())["exp"], exp);
        assert_eq!(row["expires_at"], exp);
    }
}

#[test]
fn bad_lines_are_reported_on_their_rows_and_the_run_goes_on() {
    let long = "a".repeat(256);
    let huge = "b".repeat(100_000); // past what a line keeps
    let input = format!("good-1\nb@d\n# skip\n{long}\ngood-2\n{huge}\n\"q\",x\ngood-3\n");
    let out = sign_ids(&["-e", AT_EXP, "--jobs", "2"], &input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let records = parse_csv(&stdout(&out));
    let column = |i: usize| -> Vec<&str> { records[1..].iter().map(|r| r[i].as_str()).collect() };
    let ids = column(0);
    assert_eq!(ids.len(), 7);
    assert_eq!(
        [ids[0], ids[1], ids[2], ids[3], ids[5], ids[6]],
        [
            "good-1",
            "b@d",
            long.as_str(),
            "good-2",
            "\"q\",x",
            "good-3"
        ]
    );
    // The huge line is kept cut short, still reported on its row.
    assert!(
        ids[4].starts_with("bbbb") && ids[4].len() < huge.len(),
        "{}",
        ids[4].len()
    );
    for (row, ok) in records[1..]
        .iter()
        .zip([true, false, false, true, false, false, true])
    {
        assert_eq!(row[3].is_empty(), ok, "{row:?}");
        assert_eq!(row[1].is_empty(), !ok, "{row:?}");
        if ok {
            assert_verifies(&row[1]);
        } else {
            // The core's message, naming the ID.
            assert!(row[3].contains("has characters no Mux ID has"), "{row:?}");
        }
    }

    // JSON Lines: the same rows, each failed one with its code and its line in the file.
    let out = sign_ids(&["-e", AT_EXP, "--jobs", "2", "--json"], &input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = json_lines(&stdout(&out));
    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 4, 5, 6, 7, 8]);
    for (row, ok) in rows
        .iter()
        .zip([true, false, false, true, false, false, true])
    {
        if ok {
            assert!(row.get("error").is_none(), "{row}");
            assert_verifies(row["token"].as_str().unwrap());
        } else {
            assert_eq!(row["error"]["code"], "id_invalid", "{row}");
            assert_eq!(row["error"]["field"], "playbackId", "{row}");
            assert!(row.get("token").is_none(), "{row}");
        }
    }
    assert_eq!(rows[1]["id"], "b@d");

    // All good: exit 0.
    let out = sign_ids(&["-e", AT_EXP], "good-1\ngood-2\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_empty_input_gives_the_header_alone() {
    for input in [
        "",
        "\n\n",
        "# only comments\n  # and an indented one\n   \n",
    ] {
        let out = sign_ids(&[], input);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), HEADER);
        let out = sign_ids(&["--json"], input);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

#[test]
fn a_file_and_stdin_give_the_same_rows() {
    let input = "abc\n# x\ndef\nb@d\n";
    let path = std::env::temp_dir().join(format!("jwt-signer-ids-{}.txt", std::process::id()));
    std::fs::write(&path, input).unwrap();
    let env = key_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let path_text = path.to_str().unwrap();
    let from_file = common::run_cli(&["sign", "--ids", path_text, "-e", AT_EXP], &env, "");
    std::fs::remove_file(&path).unwrap();
    let from_stdin = sign_ids(&["-e", AT_EXP], input);
    assert_eq!(from_file.status.code(), Some(1), "{}", stderr(&from_file));
    assert_eq!(parse_csv(&stdout(&from_file)).len(), 4);
    assert_eq!(stdout(&from_file), stdout(&from_stdin));
}

#[test]
fn tokens_verify_and_carry_the_options_of_sign() {
    let input = ids(20).join("\n");
    let out = sign_ids(
        &["-e", AT_EXP, "-t", "thumbnail", "-p", "time=14", "--json"],
        &input,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for (row, id) in json_lines(&stdout(&out)).iter().zip(ids(20)) {
        let token = row["token"].as_str().unwrap();
        assert_verifies(token);
        let c = claims(token);
        assert_eq!(
            (&c["sub"], &c["aud"], &c["exp"], &c["kid"], &c["time"]),
            (
                &Value::from(id.as_str()),
                &Value::from("t"),
                &Value::from(EXP),
                &Value::from("cli-key-id"),
                &Value::from("14")
            )
        );
        assert_eq!(row["expires_at"], EXP);
        assert_eq!(
            row["url"],
            format!("https://image.mux.com/{id}/thumbnail.jpg?token={token}")
        );
    }

    // A token set: every token in JSON; the CSV has the first and the Mux Player URL, as the
    // page's Bulk writes a player set.
    let args = ["-e", AT_EXP, "-t", "video,storyboard", "--kid-in", "header"];
    let out = sign_ids(&[&args[..], &["--json"]].concat(), "p1\np2\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = json_lines(&stdout(&out));
    for (row, id) in rows.iter().zip(["p1", "p2"]) {
        let video = row["tokens"]["playback-token"].as_str().unwrap();
        let storyboard = row["tokens"]["storyboard-token"].as_str().unwrap();
        for (token, aud) in [(video, "v"), (storyboard, "s")] {
            assert_verifies(token);
            let c = claims(token);
            assert_eq!(
                (&c["sub"], &c["aud"], &c["exp"]),
                (&id.into(), &aud.into(), &EXP.into())
            );
            assert!(c.get("kid").is_none(), "{c}");
        }
        assert_eq!(
            row["url"],
            format!(
                "https://player.mux.com/{id}?playback-token={video}&storyboard-token={storyboard}"
            )
        );
    }
    let out = sign_ids(&args, "p1\np2\n");
    let records = parse_csv(&stdout(&out));
    assert_eq!(
        records[1][1],
        rows[0]["tokens"]["playback-token"].as_str().unwrap()
    );
    assert_eq!(records[2][2], rows[1]["url"].as_str().unwrap());
}

/// IDs a spreadsheet would misread: quotes, commas, formula starts (a valid `-` ID is left as
/// it is, a failed one defused), for the CSV checks below.
const TRICKY: &str = "plain\nq\"uote\ncom,ma\n=SUM(A1)\n+1\n-ok-id\n-bad id\n@at\n\"\"\n";

#[test]
fn csv_cells_are_quoted_as_rfc_4180_and_failed_formulas_defused() {
    let csv = sign_ids(&["-e", AT_EXP], TRICKY);
    let json = sign_ids(&["-e", AT_EXP, "--json"], TRICKY);
    assert_eq!(csv.status.code(), Some(1), "{}", stderr(&csv));
    let records = parse_csv(&stdout(&csv));
    let rows = json_lines(&stdout(&json));
    assert_eq!(records.len(), rows.len() + 1);
    let shown: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        shown,
        [
            "plain",
            "q\"uote",
            "com,ma",
            "'=SUM(A1)",
            "'+1",
            "-ok-id",
            "'-bad id",
            "'@at",
            "\"\""
        ]
    );
    for (record, row) in records[1..].iter().zip(&rows) {
        assert_eq!(record[1], row["token"].as_str().unwrap_or(""));
        assert_eq!(record[2], row["url"].as_str().unwrap_or(""));
        assert_eq!(record[3], row["error"]["message"].as_str().unwrap_or(""));
        assert_eq!(record[4], row["error"]["code"].as_str().unwrap_or(""));
    }
}

/// Our CSV against the page's own writer (`bulkCsv` in www/format.js, run in Node) given the
/// same rows (read from our JSON Lines). Skipped, saying so, only without node.
#[test]
fn csv_equals_what_the_pages_writer_makes_of_the_same_rows() {
    const SCRIPT: &str = r#"
        import { readFileSync } from 'node:fs';
        import { pathToFileURL } from 'node:url';
        const { bulkCsv } = await import(pathToFileURL(process.argv[1]));
        const rows = readFileSync(0, 'utf8').split('\n').filter(Boolean).map((line) => {
          const { id, token, url, error } = JSON.parse(line);
          return { id, token, url, error: error?.message, code: error?.code };
        });
        process.stdout.write(bulkCsv(rows));
    "#;
    let input = format!("{TRICKY}{}\n", ids(30).join("\n"));
    let csv = sign_ids(&["-e", AT_EXP, "--jobs", "2"], &input);
    let json = sign_ids(&["-e", AT_EXP, "--jobs", "2", "--json"], &input);
    let format_js = concat!(env!("CARGO_MANIFEST_DIR"), "/www/format.js");
    let child = Command::new("node")
        .args(["--input-type=module", "-e", SCRIPT, format_js])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        // `make test` installs what it needs; a missing node fails rather than skips.
        Err(e) => panic!("cannot run node (the page's CSV writer runs in it): {e}"),
    };
    child.stdin.take().unwrap().write_all(&json.stdout).unwrap();
    let page = child.wait_with_output().unwrap();
    assert!(page.status.success(), "node: {}", stderr(&page));
    assert_eq!(parse_csv(&stdout(&page)).len(), 40);
    assert_eq!(stdout(&csv), stdout(&page));
}

#[test]
fn usage_errors_exit_2_before_any_row() {
    let out = sign_ids(&["--key", "-", "--json"], "abc\n");
    assert_eq!(out.status.code(), Some(2));
    let error: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(error["error"]["code"], "usage", "{error}");

    // A wrong param or a past expiry fails the run once, not each row.
    let out = sign_ids(&["-t", "thumbnail", "-p", "time=soon", "--json"], "a\nb\n");
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    let out = sign_ids(&["-e", "@1000000000"], "a\nb\n");
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");

    // --jobs belongs to --ids; --ids takes no playback ID.
    let env = key_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for args in [
        &["sign", "abc", "--jobs", "2"][..],
        &["sign", "abc", "--ids", "-"],
        &["sign", "--ids", "-", "--jobs", "0"],
        &["sign", "--ids", "-", "--token-only"],
    ] {
        let out = common::run_cli(args, &env, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
    }

    // A path that cannot be read as lines (a directory): exit 2 with input_unreadable.
    let out = common::run_cli(&["sign", "--ids", FIXTURES, "--json"], &env, "");
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let last = stdout(&out).lines().last().unwrap_or_default().to_owned();
    let error: Value = serde_json::from_str(&last).unwrap();
    assert_eq!(error["error"]["code"], "input_unreadable", "{error}");
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let out = sign_ids(&["-e", AT_EXP], &ids(40).join("\n"));
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
}

/// The first row comes out while stdin is still being written: the input is streamed, not read
/// whole. 200,000 lines cannot all fit in the pipe, the reader's buffer and the rows in flight
/// (some 15,000 lines at most), so a CLI that read to the end first could print no row before
/// the writer below had written every line.
#[test]
fn a_long_input_streams() {
    let env = key_env();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jwt-signer"))
        .args(["sign", "--ids", "-", "--jobs", "2", "-e", AT_EXP])
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let wrote_all = Arc::new(AtomicBool::new(false));
    let writer = {
        let wrote_all = Arc::clone(&wrote_all);
        std::thread::spawn(move || {
            let mut stdin = BufWriter::new(stdin);
            for i in 0..200_000 {
                if writeln!(stdin, "id-{i:06}").is_err() {
                    return;
                }
            }
            if stdin.flush().is_ok() {
                // Set before stdin closes, so a CLI that waited for the end sees it set.
                wrote_all.store(true, Ordering::SeqCst);
            }
        })
    };
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut header = String::new();
    out.read_line(&mut header).unwrap();
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let streamed = !wrote_all.load(Ordering::SeqCst);
    // Stop it: signing the rest would take minutes.
    child.kill().unwrap();
    child.wait().unwrap();
    drop(out);
    writer.join().unwrap();
    assert_eq!(header, HEADER);
    assert!(first.starts_with("\"id-000000\",\"eyJ"), "{first}");
    assert!(
        streamed,
        "the first row came only after all of stdin was written"
    );
}
