// The token endpoint as a Cloudflare Worker (wrangler deploy; workerd locally: serve-local.sh).
// The package's `workerd` entry imports its .wasm as a module, which the platform compiles:
// Workers refuse to compile wasm from bytes at run time.
import * as jwt from 'jwt-signer';
import { createHandler } from './handler.mjs';

// Secrets arrive with the first request (`env`); the key is parsed then, once per isolate,
// and every later request reuses the same Signer.
let ready;

export default {
  async fetch(request, env) {
    ready ??= createHandler({ jwt, env }).catch((error) => {
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
