// Cloudflare Workers (wrangler, workerd): the platform compiles the imported .wasm itself, as
// it refuses to compile wasm from bytes at run time.
import wasm from './jwt_signer_bg.wasm';
import { initSync } from './jwt_signer.js';

initSync({ module: wasm });

export * from './jwt_signer.js';
export { jwt } from './mux-jwt.js';
