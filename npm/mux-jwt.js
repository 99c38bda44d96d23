// A drop-in for `mux.jwt` of @mux/mux-node: `import { jwt } from 'jwt-signer'` in place of
// `mux.jwt`, and the SDK's calls run unchanged (same names, options, results, and Promises).
import { signPlaybackId, signDrmLicense, signViewerCounts } from './jwt_signer.js';

/** The SDK's own fallback: keyId and keySecret default to MUX_SIGNING_KEY / MUX_PRIVATE_KEY. */
function withEnvKey(options) {
  const given = options ?? {};
  if (given.keyId !== undefined && given.keySecret !== undefined) return given;
  const env = readEnv();
  const keyed = { ...given };
  if (keyed.keyId === undefined && env.MUX_SIGNING_KEY) keyed.keyId = env.MUX_SIGNING_KEY;
  if (keyed.keySecret === undefined && env.MUX_PRIVATE_KEY) keyed.keySecret = env.MUX_PRIVATE_KEY;
  return keyed;
}

/** process.env where the runtime has it (Node, Bun, Next.js; Deno with --allow-env), else {}. */
function readEnv() {
  try {
    const env = globalThis.process?.env;
    return {
      MUX_SIGNING_KEY: env?.MUX_SIGNING_KEY,
      MUX_PRIVATE_KEY: env?.MUX_PRIVATE_KEY,
    };
  } catch {
    return {}; // Deno without --allow-env: no fallback, and the missing key is reported as such.
  }
}

// Async like the SDK's: a bad input rejects the Promise instead of throwing.
export const jwt = Object.freeze({
  async signPlaybackId(playbackId, options) {
    return signPlaybackId(playbackId, withEnvKey(options));
  },
  async signDrmLicense(playbackId, options) {
    return signDrmLicense(playbackId, withEnvKey(options));
  },
  async signViewerCounts(id, options) {
    return signViewerCounts(id, withEnvKey(options));
  },
});
