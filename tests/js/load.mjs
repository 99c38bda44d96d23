// Loads the wasm package built by `make pkg` the way the README tells Node users to.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const signer = await import(`${root}pkg/jwt_signer.js`);
signer.initSync({ module: readFileSync(`${root}pkg/jwt_signer_bg.wasm`) });

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
