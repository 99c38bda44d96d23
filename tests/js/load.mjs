// Loads the package `make pkg` built through its entry (pkg/index.mjs, what `import 'jwt-signer'`
// resolves to in Node), which compiles the wasm at import.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const signer = await import(`${root}pkg/index.mjs`);

export default signer;
export const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');

/** Runs `fn` with Date.now() pinned to `ms`, for byte-for-byte comparisons. */
export async function atClock(ms, fn) {
  const realNow = Date.now;
  Date.now = () => ms;
  try {
    return await fn();
  } finally {
    Date.now = realNow;
  }
}

/** The JSON text of a token part. */
export const part = (token, i) => Buffer.from(token.split('.')[i], 'base64url').toString();
