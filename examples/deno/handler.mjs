// A Mux token endpoint: GET /tokens/{playbackId} -> tokens for Mux Player.
//
// The same file serves every runtime (Node, Deno, Bun, Cloudflare Workers): it speaks the web's
// Request and Response and knows nothing about how the wasm was loaded or how requests arrive.
// Each example folder carries a copy (`make examples` writes them from examples/handler.mjs,
// the one to edit in this repository), so one folder is all a team needs to copy.
//
// Replace `authorize` below with your own authentication; leave the rest as it is.

/** Environment variables the endpoint reads (all strings; only the first three are required). */
export const ENV_NAMES = [
  'MUX_SIGNING_KEY', //       the signing key ID
  'MUX_PRIVATE_KEY', //       the private key: Mux's base64 PEM, a PEM, base64 DER or a JWK
  'API_TOKEN', //             the bearer token callers must send; unset = every request denied
  'ALLOWED_ORIGINS', //       optional: comma-separated origins allowed by CORS, e.g. https://app.example.com
  'ALLOWED_PLAYBACK_IDS', //  optional: comma-separated playback IDs; others are refused (403)
  'TOKEN_TTL_SECONDS', //     optional: token lifetime, 120..604800 seconds (default 3600)
];

/** Mux IDs use letters, digits, '-', '_', '.', '~'; real ones are ~44 characters. */
const PLAYBACK_ID = /^[A-Za-z0-9_~.-]{1,128}$/;
const TOKEN_TYPES = ['video', 'thumbnail', 'storyboard'];
const DEFAULT_TTL_SECONDS = 3600;

/**
 * Decides whether this request may have tokens for this playback ID. THE function to replace
 * with your own authentication (a session cookie, a JWT from your identity provider…); it may
 * be async. `playbackId` is already well-formed. The shipped version compares the bearer
 * token with API_TOKEN in constant time and denies everything when API_TOKEN is unset.
 *
 * @param {Request} request
 * @param {string} playbackId
 * @param {Record<string, string | undefined>} env  the environment (secrets for your own checks)
 * @returns {Promise<boolean>}
 */
export async function authorize(request, playbackId, env) {
  if (!env.API_TOKEN) return false;
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.get('authorization') ?? '');
  if (!match) return false;
  // Hashing both sides first makes the comparison independent of where they differ and of length.
  return timingSafeEqual(await sha256(match[1]), await sha256(env.API_TOKEN));
}

/**
 * Reads the environment and parses the key ONCE, and returns `handle(request) -> Response`.
 * Throws (without the key's text) when the key ID or key is missing or cannot be read.
 *
 * @param {{ Signer: any, env: Record<string, string | undefined>, log?: (line: string) => void }} options
 */
export async function createHandler({ Signer, env, log = (line) => console.log(line) }) {
  const config = readConfig(env);
  let signer;
  try {
    signer = new Signer(config.keyId, env.MUX_PRIVATE_KEY);
  } catch (error) {
    // The signer's messages describe the problem, never the key's text.
    throw new Error(`MUX_PRIVATE_KEY cannot be used: ${error?.message ?? 'unreadable'}`);
  }
  const info = signer.keyInfo();
  log(`token endpoint: signing key ${config.keyId}, RSA ${info.bits}-bit (${info.formatLabel})`);
  if (!env.API_TOKEN) log('token endpoint: API_TOKEN is not set, so every request is denied (401)');

  return async function handle(request) {
    try {
      return await route(request, signer, config, env);
    } catch (error) {
      // Log the kind of failure, answer without details.
      log(`token endpoint: internal error (${error?.code ?? error?.name ?? 'unknown'})`);
      return errorResponse(request, config, 500, 'internal', 'the token endpoint failed');
    }
  };
}

function readConfig(env) {
  const keyId = (env.MUX_SIGNING_KEY ?? '').trim();
  if (!keyId) throw new Error('MUX_SIGNING_KEY is not set: set it to the signing key ID');
  if (!(env.MUX_PRIVATE_KEY ?? '').trim()) throw new Error('MUX_PRIVATE_KEY is not set: set it to the private key');
  const list = (value) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const ttlText = (env.TOKEN_TTL_SECONDS ?? '').trim();
  const ttl = ttlText ? Number(ttlText) : DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 120 || ttl > 604800) {
    throw new Error('TOKEN_TTL_SECONDS must be a whole number of seconds from 120 to 604800');
  }
  const allowedIds = list(env.ALLOWED_PLAYBACK_IDS);
  return {
    keyId,
    ttl,
    allowedOrigins: new Set(list(env.ALLOWED_ORIGINS).map((o) => o.replace(/\/+$/, ''))),
    allowedIds: allowedIds.length ? new Set(allowedIds) : null,
  };
}

async function route(request, signer, config, env) {
  const url = new URL(request.url);
  const match = /^\/tokens\/([^/]*)$/.exec(url.pathname);
  if (!match) return errorResponse(request, config, 404, 'not_found', 'no such path: use GET /tokens/{playbackId}');
  if (request.method === 'OPTIONS') return preflight(request, config);
  if (request.method !== 'GET') {
    return errorResponse(request, config, 405, 'method_not_allowed', 'use GET', { allow: 'GET, OPTIONS' });
  }
  const playbackId = match[1];
  if (!PLAYBACK_ID.test(playbackId)) {
    return errorResponse(request, config, 400, 'invalid_playback_id',
      "a playback ID is 1 to 128 letters, digits, '-', '_', '.' or '~'");
  }
  const drm = url.searchParams.get('drm');
  if (drm !== null && drm !== '0' && drm !== '1') {
    return errorResponse(request, config, 400, 'invalid_query', 'drm must be 0 or 1');
  }
  if (!(await authorize(request, playbackId, env))) {
    return errorResponse(request, config, 401, 'unauthorized', 'missing or wrong credentials',
      { 'www-authenticate': 'Bearer' });
  }
  if (config.allowedIds && !config.allowedIds.has(playbackId)) {
    return errorResponse(request, config, 403, 'forbidden', 'this playback ID is not served here');
  }

  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + config.ttl;
  // Ask again a quarter of the lifetime (at most 15 minutes) before the tokens expire.
  const refreshAt = expiresAt - Math.min(900, Math.floor(config.ttl / 4));
  const types = drm === '1' ? [...TOKEN_TYPES, 'drm_license'] : TOKEN_TYPES;
  let signed;
  try {
    // (await: a Signer with the same method that returns a Promise also fits here)
    signed = await signer.signPlaybackId(playbackId, { type: types, expiresAt });
  } catch (error) {
    if (isIdError(error)) {
      return errorResponse(request, config, 400, 'invalid_playback_id', 'this is not a Mux playback ID');
    }
    throw error;
  }
  const tokens = {
    playback: signed['playback-token'],
    thumbnail: signed['thumbnail-token'],
    storyboard: signed['storyboard-token'],
  };
  if (drm === '1') tokens.drm = signed['drm-token'];
  return jsonResponse(request, config, 200, { playbackId, tokens, expiresAt, refreshAt });
}

/** A playback-ID problem the signer found (`.code`/`.field` on the JS API's errors). */
function isIdError(error) {
  return error?.code === 'id_invalid' || error?.code === 'id_missing' || error?.field === 'playbackId';
}

function preflight(request, config) {
  const headers = baseHeaders(request, config);
  if (headers.has('access-control-allow-origin')) {
    headers.set('access-control-allow-methods', 'GET, OPTIONS');
    headers.set('access-control-allow-headers', 'authorization');
    headers.set('access-control-max-age', '600');
  }
  return new Response(null, { status: 204, headers });
}

/** Cache-Control: no-store on every answer; CORS only for a configured origin. */
function baseHeaders(request, config) {
  const headers = new Headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  if (config.allowedOrigins.size) {
    headers.set('vary', 'Origin');
    const origin = request.headers.get('origin');
    if (origin && config.allowedOrigins.has(origin)) headers.set('access-control-allow-origin', origin);
    // An `authorize` that reads a session cookie also needs, for browsers on those origins:
    // headers.set('access-control-allow-credentials', 'true') — and `credentials: 'include'` in fetch.
  }
  return headers;
}

function jsonResponse(request, config, status, body, extra = {}) {
  const headers = baseHeaders(request, config);
  headers.set('content-type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(JSON.stringify(body), { status, headers });
}

function errorResponse(request, config, status, code, message, extra) {
  return jsonResponse(request, config, status, { error: { code, message } }, extra);
}

async function sha256(text) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Compares two SHA-256 digests without an early exit (the digests hide the lengths). */
function timingSafeEqual(a, b) {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
