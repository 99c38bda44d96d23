// Every runtime but Workers and Next.js's Edge runtime (which refuse to compile wasm from bytes:
// workerd.mjs, edge.mjs): Node, Deno, Bun, and browsers through any bundler or none. The wasm
// travels inside a module as base64, so no bundler needs a plugin, a loader or an asset rule and
// no runtime needs a file path, and it is compiled at import (synchronously: far under
// Chromium's 8 MB limit for that on a page's main thread), so every export works at once.
import { initSync } from './jwt_signer.js';
import { wasmBase64 } from './jwt_signer_bg.wasm.base64.js';

const text = atob(wasmBase64);
const bytes = new Uint8Array(text.length);
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
initSync({ module: bytes });

export * from './jwt_signer.js';
export { jwt } from './mux-jwt.js';
