#!/bin/sh
# The page with the tests-only trap (feature fault-injection) in target/dist-faults, for
# tests/e2e/recovery.test.mjs. Trunk takes cargo features from the <link> of index.html (its
# attributes override --features), so the build runs from a copy of index.html whose link adds
# the feature; the copy is removed afterwards. Never shipped.
set -eu
cd "$(dirname "$0")/.."
variant=index.faults.html
trap 'rm -f "$variant"' EXIT
sed 's/data-cargo-no-default-features/data-cargo-no-default-features data-cargo-features="fault-injection"/' index.html > "$variant"
grep -q 'data-cargo-features="fault-injection"' "$variant"
trunk build "$variant" --release --dist target/dist-faults
