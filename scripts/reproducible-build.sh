#!/usr/bin/env bash
# Checks that the page's build is reproducible: builds dist/ again from a fresh copy of the
# checkout (its files as git sees them) in another folder, with an empty cargo target folder,
# and compares it byte for byte with dist/ from `make build`. Both must list the same files
# with the same SHA-256 (dist/SHA256SUMS); a difference names the file.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[ -f dist/SHA256SUMS ] || { echo "reproducible-build: run make build first" >&2; exit 1; }
(cd dist && sha256sum --quiet -c SHA256SUMS) || { echo "reproducible-build: dist/ does not match its own SHA256SUMS" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/checkout"
# Tracked and new (not ignored) files, as they are now; npm's packages are shared, not copied.
git ls-files -z --cached --others --exclude-standard |
  tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$scratch/checkout"
ln -s "$repo/node_modules" "$scratch/checkout/node_modules"

echo "reproducible-build: building again in $scratch (clean target folder)"
(cd "$scratch/checkout" && PATH="$repo/node_modules/.bin:$PATH" CARGO_TARGET_DIR="$scratch/target" \
  trunk build --release > "$scratch/build.log" 2>&1) || { tail -30 "$scratch/build.log" >&2; exit 1; }

again="$scratch/checkout/dist"
if ! diff <(cd dist && find . -type f | sort) <(cd "$again" && find . -type f | sort) >&2; then
  echo "reproducible-build: the two builds have different files" >&2
  exit 1
fi
if ! (cd "$again" && sha256sum --quiet -c "$repo/dist/SHA256SUMS") >&2; then
  echo "reproducible-build: the files above differ between the two builds" >&2
  exit 1
fi
cmp dist/SHA256SUMS "$again/SHA256SUMS"
echo "reproducible-build: $(wc -l < dist/SHA256SUMS) files (SHA256SUMS) identical in both builds"
