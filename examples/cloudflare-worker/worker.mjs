// The token endpoint as a Cloudflare Worker (wrangler deploy; workerd locally: serve-local.sh).
// Workers refuse to compile wasm from bytes at run time, so the .wasm is imported as a module
// (already compiled by the platform) and instantiated with initSync.
import wasmModule from './pkg/jwt_signer_bg.wasm';
import { initSync, Signer } from './pkg/jwt_signer.js';
import { createHandler } from './handler.mjs';

initSync({ module: wasmModule });

// Secrets arrive with the first request (`env`); the key is parsed then, once per isolate,
// and every later request reuses the same Signer.
let ready;

export default {
  async fetch(request, env) {
    ready ??= createHandler({ Signer, env }).catch((error) => {
      console.error(`token endpoint: ${error.message}`);
      return null;
    });
    const handle = await ready;
    if (!handle) {
      return new Response('{"error":{"code":"internal","message":"the token endpoint is not configured"}}', {
        status: 500,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
    return handle(request);
  },
};
