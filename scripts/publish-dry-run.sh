#!/usr/bin/env bash
# `cargo publish --workspace --dry-run`: both crates packaged and built from their packages, the
# signer against the packaged rsa-kernel. Cargo unpacks that local overlay registry's crates
# into $CARGO_HOME/registry/src/-<hash>/ once and then reuses them by name and version, so a
# second run from the same folder would build against the first run's kernel sources: remove
# those copies of this workspace's own crates first.
set -euo pipefail
cd "$(dirname "$0")/.."
home=${CARGO_HOME:-$HOME/.cargo}
rm -rf "$home"/registry/src/-*/rsa-kernel-* "$home"/registry/src/-*/jwt-signer-* target/package
cargo publish --workspace --dry-run --allow-dirty --quiet
