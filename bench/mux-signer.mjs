// The `@mux/mux-node` peer of the token endpoint: examples/node unchanged, except that the
// installed jwt-signer's entry is replaced by a Signer of the same shape that calls the official
// SDK (which imports the key into WebCrypto on every call); the facts the handler reads (the ID
// rule, the token types) still come from the real package. Used by bench/endpoints.mjs and
// bench/scale-endpoint.mjs as a `prepare` for startEndpoint.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../tests/endpoints/harness.mjs';

export const muxVersion = JSON.parse(readFileSync(join(root, 'node_modules/@mux/mux-node/package.json'), 'utf8')).version;
const muxSdk = pathToFileURL(join(root, 'node_modules/@mux/mux-node/index.mjs')).href;
const muxSigner = `import Mux from '${muxSdk}';
export { playbackIdRule, tokenTypes } from './real-index.mjs';
export class Signer {
  constructor(keyId, keySecret) {
    this.mux = new Mux({ tokenId: 'unused', tokenSecret: 'unused', jwtSigningKey: keyId, jwtPrivateKey: keySecret });
  }
  keyInfo() { return { bits: 2048, formatLabel: '@mux/mux-node' }; }
  signPlaybackId(id, { type, expiresAt }) {
    return this.mux.jwt.signPlaybackId(id, { type, expiration: expiresAt - Math.floor(Date.now() / 1000) });
  }
}
`;

/** startEndpoint's `prepare`: the copied example signs with @mux/mux-node. */
export function useMuxSigner(dir) {
  const entry = join(dir, 'node_modules/jwt-signer/index.mjs');
  renameSync(entry, join(dir, 'node_modules/jwt-signer/real-index.mjs'));
  writeFileSync(entry, muxSigner);
}

/** The SDK takes a duration and reads the clock itself, so its exp may be a second off expiresAt. */
export const MUX_EXP_TOLERANCE = 2;
