#!/bin/sh
# Prints the median time per signature of every `benches/kernel.rs` function (criterion's
# estimates.json), in µs. Run after `cargo bench --bench kernel` in bench/native.
cd "$(dirname "$0")/target/criterion" || exit 1
for f in rsa-*/*/new/estimates.json; do
  group=${f%%/*}; rest=${f#*/}; name=${rest%%/new/*}
  median=$(sed -n 's/.*"median":{"confidence_interval":{[^}]*},"point_estimate":\([0-9.e+-]*\).*/\1/p' "$f")
  printf '%s\t%s\t%.0f µs\n' "$group" "$(cat "${f%/new/estimates.json}/new/benchmark.json" | sed -n 's/.*"function_id":"\([^"]*\)".*/\1/p')" "$(echo "$median / 1000" | bc -l)"
done
