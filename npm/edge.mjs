// Next.js's Edge runtime (route handlers and middleware): `?module` is its way to import a
// compiled WebAssembly.Module, as code generation from bytes is disallowed there too.
import wasm from './jwt_signer_bg.wasm?module';
import { initSync } from './jwt_signer.js';

initSync({ module: wasm });

export * from './jwt_signer.js';
export { jwt } from './mux-jwt.js';
