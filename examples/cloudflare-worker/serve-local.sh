#!/bin/sh
# Runs the worker locally in workerd (the runtime of Cloudflare Workers) on 127.0.0.1:$PORT,
# with MUX_SIGNING_KEY, MUX_PRIVATE_KEY and API_TOKEN (and the optional settings) taken from
# the environment. First bundles worker.mjs into dist/ as `wrangler deploy` does: esbuild with
# the `workerd` condition, the package's .wasm kept as a module for the platform to compile.
# Needs `npm install` here (jwt-signer, esbuild, workerd), or ESBUILD / WORKERD set to their paths.
set -eu
cd "$(dirname "$0")"
[ -f node_modules/jwt-signer/package.json ] || { echo "serve-local: jwt-signer is not installed: npm install" >&2; exit 1; }
tool() { # tool NAME OVERRIDE: the override, node_modules/.bin/NAME, or NAME on PATH
  if [ -n "$2" ]; then echo "$2"
  elif [ -x "node_modules/.bin/$1" ]; then echo "node_modules/.bin/$1"
  elif command -v "$1" >/dev/null 2>&1; then echo "$1"
  else echo "serve-local: $1 not found: npm install, or set $(echo "$1" | tr a-z A-Z)" >&2; exit 1
  fi
}
ESBUILD=$(tool esbuild "${ESBUILD:-}")
WORKERD=$(tool workerd "${WORKERD:-}")
"$ESBUILD" worker.mjs --bundle --format=esm --platform=neutral --conditions=workerd,worker,browser \
  --main-fields=module,main --loader:.wasm=copy --asset-names='[name]' --outdir=dist --log-level=warning
echo "token endpoint: starting workerd on http://127.0.0.1:${PORT:-8787}"
exec "$WORKERD" serve workerd.capnp --socket-addr "http=127.0.0.1:${PORT:-8787}"
