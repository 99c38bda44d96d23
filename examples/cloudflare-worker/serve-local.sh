#!/bin/sh
# Runs the worker locally in workerd (the runtime of Cloudflare Workers) on 127.0.0.1:$PORT,
# with MUX_SIGNING_KEY, MUX_PRIVATE_KEY and API_TOKEN (and the optional settings) taken from
# the environment. workerd comes from `npm i -D workerd`, or set WORKERD to its path.
set -eu
cd "$(dirname "$0")"
[ -f pkg/jwt_signer_bg.wasm ] || { echo "serve-local: pkg/ is missing: copy jwt-signer's pkg/ here" >&2; exit 1; }
if [ -z "${WORKERD:-}" ]; then
  if [ -x node_modules/.bin/workerd ]; then WORKERD=node_modules/.bin/workerd
  elif command -v workerd >/dev/null 2>&1; then WORKERD=workerd
  else echo "serve-local: workerd not found: npm i -D workerd, or set WORKERD" >&2; exit 1
  fi
fi
echo "token endpoint: starting workerd on http://127.0.0.1:${PORT:-8787}"
exec "$WORKERD" serve workerd.capnp --socket-addr "http=127.0.0.1:${PORT:-8787}"
