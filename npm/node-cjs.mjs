// Source of node.cjs (`require('jwt-signer')`): esbuild bundles it, with the glue, as CommonJS,
// where __dirname is this package's folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from './jwt_signer.js';

initSync({ module: readFileSync(join(__dirname, 'jwt_signer_bg.wasm')) });

export * from './jwt_signer.js';
export { jwt } from './mux-jwt.js';
