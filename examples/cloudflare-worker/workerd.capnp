# Runs the worker in workerd, the runtime of Cloudflare Workers, with the secrets taken from the
# environment. Started by serve-local.sh, which first bundles worker.mjs into dist/ as wrangler
# does (and sets the listening address).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .tokenEndpoint) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const tokenEndpoint :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "jwt_signer_bg.wasm", wasm = embed "dist/jwt_signer_bg.wasm"),
  ],
  compatibilityDate = "2026-05-01",
  bindings = [
    (name = "MUX_SIGNING_KEY", fromEnvironment = "MUX_SIGNING_KEY"),
    (name = "MUX_PRIVATE_KEY", fromEnvironment = "MUX_PRIVATE_KEY"),
    (name = "API_TOKEN", fromEnvironment = "API_TOKEN"),
    (name = "ALLOWED_ORIGINS", fromEnvironment = "ALLOWED_ORIGINS"),
    (name = "ALLOWED_PLAYBACK_IDS", fromEnvironment = "ALLOWED_PLAYBACK_IDS"),
    (name = "TOKEN_TTL_SECONDS", fromEnvironment = "TOKEN_TTL_SECONDS"),
    (name = "TOKEN_CACHE_ENTRIES", fromEnvironment = "TOKEN_CACHE_ENTRIES"),
  ],
);
