#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS each (default 600) or, with FUZZ_RUNS, until it has
# executed that many inputs; FUZZ_JOBS targets at a time (default 2, this machine's cores).
# Seeded from tests/fixtures and started from the corpus kept in fuzz/corpus/<target>/, which is
# minimised afterwards (cargo fuzz cmin) so the repository keeps only inputs that add coverage.
# Prints the executions and findings of each. Crashes land in fuzz/artifacts/<target>/; each
# one found becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-2}
limit=(-max_total_time="$seconds")
[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
targets=(${FUZZ_TARGETS:-key_parse expiration params_json token sign})

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

# Seeds: every fixture for the key parser; known shapes for the others.
for t in "${targets[@]}"; do mkdir -p "fuzz/seeds/$t" "fuzz/corpus/$t"; done
cp tests/fixtures/*.pem tests/fixtures/*.txt tests/fixtures/*.b64 tests/fixtures/*.json fuzz/seeds/key_parse/
printf '%s\n' 7d '2 days' 10h '30 minutes' 1w 3600 @1798675200 2027-01-01T00:00:00Z '2027-01-01 02:00:00+02:00' 1798675200 |
  while read -r s; do printf '%s' "$s" > "fuzz/seeds/expiration/$(printf '%s' "$s" | md5sum | cut -c1-8)"; done
node -e '
  const fs = require("fs");
  const table = JSON.parse(fs.readFileSync("tests/fixtures/bad-inputs.json", "utf8")).cases;
  table.filter((c) => c.kind === "params" && typeof c.input === "string").forEach((c, i) => fs.writeFileSync(`fuzz/seeds/params_json/bad${i}`, c.input));
  table.filter((c) => c.kind === "token" && typeof c.input === "string").forEach((c, i) => fs.writeFileSync(`fuzz/seeds/token/bad${i}`, c.input));
  JSON.parse(fs.readFileSync("tests/fixtures/goldens.json", "utf8")).forEach((g) => fs.writeFileSync(`fuzz/seeds/token/${g.name}`, g.token));
  fs.writeFileSync("fuzz/seeds/params_json/thumbnail", JSON.stringify({ time: "14", width: 100, custom: { a: [1, true, null] } }));
  fs.writeFileSync("fuzz/seeds/sign/video", "abc123\nvideo\n7d\nclaims\n{}");
  fs.writeFileSync("fuzz/seeds/sign/gif", "abc123\ngif\n@1798675200\nheader\n{\"start\":1,\"end\":4,\"fps\":15}");
  fs.writeFileSync("fuzz/seeds/sign/counts", "ls1\nlive_stream\n1h\nboth\n{\"custom\":{\"x\":\"ü\"}}");
'

cd fuzz
cargo +nightly fuzz build --release >/dev/null
run() {
  local t=$1
  cargo +nightly fuzz run --release "$t" "corpus/$t" "seeds/$t" -- \
    "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    > "logs/$t.log" 2>&1 || true
}
mkdir -p logs
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  for t in "${targets[@]:i:jobs}"; do run "$t" & done
  wait
done
for t in "${targets[@]}"; do
  cargo +nightly fuzz cmin --release "$t" "corpus/$t" > "logs/$t.cmin.log" 2>&1
done
printf '%-12s %14s %10s %8s  %s\n' target executions exec/s corpus findings
for t in "${targets[@]}"; do
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo '?')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo '?')
  found=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  printf '%-12s %14s %10s %8s  %s\n' "$t" "$execs" "$speed" "$(ls "corpus/$t" | wc -l)" "$found"
done
