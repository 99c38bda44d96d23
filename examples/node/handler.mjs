// A Mux token endpoint: GET /tokens/{playbackId} -> tokens for Mux Player.
//
// The same file serves every runtime (Node, Deno, Bun, Cloudflare Workers): it speaks the web's
// Request and Response and knows nothing about how the wasm was loaded or how requests arrive.
// Each example folder carries a copy (`make examples` writes them from examples/handler.mjs,
// the one to edit in this repository), so one folder is all a team needs to copy.
//
// Replace `authorize` below with your own authentication; leave the rest as it is.
//
// Token cache. Viewer 10,000 of a playback ID gets the same tokens as viewer 1, so a handler
// signs the tokens for one key (playback ID, token set with the DRM flag, TOKEN_TTL_SECONDS)
// once and serves that answer to every AUTHORISED request until its `refreshAt`; the first
// request at or after `refreshAt` signs again. Authorisation (`authorize`, the allowlist) runs on
// every request before the cache is looked at. The cache lives in one handler, i.e. one Signer
// (one key): per process, per Worker isolate, never shared, gone with a new key. It is bounded
// by entries and by bytes (the answer's JSON text, its cache key and a fixed per-entry cost),
// least recently used evicted first. Minimum lifetime: an answer is served only while
// now < refreshAt = expiresAt - min(900 s, TTL / 4), so every token handed out, cached or not,
// has more than min(900 s, TTL / 4) left (at least 30 s at the smallest TTL). Only the body is
// cached; headers (CORS, `Cache-Control: no-store`) are made per request, as before.

import { tokenCache } from './token-cache.mjs';

/** Environment variables the endpoint reads (all strings; only the first three are required). */
export const ENV_NAMES = [
  'MUX_SIGNING_KEY', //       the signing key ID
  'MUX_PRIVATE_KEY', //       the private key: Mux's base64 PEM, a PEM, base64 DER or a JWK
  'API_TOKEN', //             the bearer token callers must send; unset = every request denied
  'ALLOWED_ORIGINS', //       optional: comma-separated origins allowed by CORS, e.g. https://app.example.com
  'ALLOWED_PLAYBACK_IDS', //  optional: comma-separated playback IDs; others are refused (403)
  'TOKEN_TTL_SECONDS', //     optional: token lifetime, 120..604800 seconds (default 3600)
  'TOKEN_CACHE_ENTRIES', //   optional: answers the token cache keeps, 0 (no cache)..1000000 (default 10000)
];

const DEFAULT_TTL_SECONDS = 3600;
/** The cache's bounds unless `createHandler({ cache })` or TOKEN_CACHE_ENTRIES say otherwise. */
const CACHE_DEFAULTS = { maxEntries: 10_000, maxBytes: 32 * 2 ** 20 };
const MAX_CACHE_ENTRIES = 1_000_000;

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
 * `jwt`: the package (`import * as jwt from 'jwt-signer'`): its Signer, and Mux's facts as the
 * signer knows them (the playback-ID rule, Mux Player's token set), so that this file keeps no
 * list of its own. `cache`: `{ maxEntries, maxBytes }` (each optional; maxEntries 0 = no cache)
 * or `false`; `now`: the clock in milliseconds (tests move it). `handle.cacheStats()` reports
 * the cache ({ entries, bytes, maxEntries, maxBytes, hits, misses, evictions }), or null.
 *
 * @param {{ jwt: { Signer: any, playbackIdRule: () => { maxLength: number, pattern: string },
 *   tokenTypes: () => Array<{ name: string, tokenKey: string, playerSet: boolean, player: string | null }> },
 *   env: Record<string, string | undefined>, log?: (line: string) => void,
 *   cache?: false | { maxEntries?: number, maxBytes?: number }, now?: () => number }} options
 */
export async function createHandler({ jwt, env, log = (line) => console.log(line), cache = {}, now = Date.now }) {
  const config = { ...readConfig(env), ...muxFacts(jwt) };
  const limits = cacheLimits(cache, config.cacheEntries);
  const makeSigner = () => {
    try {
      return new jwt.Signer(config.keyId, env.MUX_PRIVATE_KEY);
    } catch (error) {
      // The signer's messages describe the problem, never the key's text.
      throw new Error(`MUX_PRIVATE_KEY cannot be used: ${error?.message ?? 'unreadable'}`);
    }
  };
  let signer = makeSigner();
  const info = signer.keyInfo();
  log(`token endpoint: signing key ${config.keyId}, RSA ${info.bits}-bit (${info.formatLabel})`);
  if (!env.API_TOKEN) log('token endpoint: API_TOKEN is not set, so every request is denied (401)');
  // One cache per handler, so per Signer: tokens of another key can never be served from it.
  const answers = limits ? tokenCache(limits) : null;

  async function handle(request) {
    try {
      return await route(request, { signer, config, env, answers, now });
    } catch (error) {
      // Log the kind of failure, answer without details.
      log(`token endpoint: internal error (${error?.code ?? error?.name ?? 'unknown'})`);
      if (error?.code === 'wasm_trapped' || error?.code === 'signer_stale') {
        // The package replaced its trapped WebAssembly instance; the Signer made on the old one
        // must be made again (the key is parsed anew; cached answers stay valid: same key).
        signer = makeSigner();
        log('token endpoint: the signer stopped on a trap and was started again');
      }
      return errorResponse(request, config, 500, 'internal', 'the token endpoint failed');
    }
  }
  handle.cacheStats = () => answers?.stats() ?? null;
  return handle;
}

/**
 * What the signer says about Mux: the playback-ID rule, and Mux Player's token set with the
 * answer's name for each token (`playback-token` -> `playback`) and the DRM one.
 */
function muxFacts(jwt) {
  const rule = jwt.playbackIdRule();
  const types = jwt.tokenTypes();
  const answerName = (type) => type.tokenKey.replace(/-token$/, '');
  const drm = types.find((t) => t.player === 'drm');
  return {
    idRule: { pattern: new RegExp(rule.pattern), maxLength: rule.maxLength },
    playerTypes: types.filter((t) => t.playerSet).map((t) => ({ name: t.name, tokenKey: t.tokenKey, as: answerName(t) })),
    drmType: { name: drm.name, tokenKey: drm.tokenKey, as: answerName(drm) },
  };
}

/** The cache's bounds from the `cache` option over TOKEN_CACHE_ENTRIES over the defaults; null = off. */
function cacheLimits(cache, envEntries) {
  if (cache === false) return null;
  if (cache === null || typeof cache !== 'object') throw new Error('cache must be false or { maxEntries, maxBytes }');
  const maxEntries = cache.maxEntries ?? envEntries ?? CACHE_DEFAULTS.maxEntries;
  const maxBytes = cache.maxBytes ?? CACHE_DEFAULTS.maxBytes;
  if (!Number.isInteger(maxEntries) || maxEntries < 0 || maxEntries > MAX_CACHE_ENTRIES) {
    throw new Error(`cache.maxEntries must be a whole number from 0 (no cache) to ${MAX_CACHE_ENTRIES}`);
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new Error('cache.maxBytes must be a whole number of bytes');
  return maxEntries && maxBytes ? { maxEntries, maxBytes } : null;
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
  const cacheText = (env.TOKEN_CACHE_ENTRIES ?? '').trim();
  const cacheEntries = cacheText ? Number(cacheText) : null;
  if (cacheText && (!Number.isInteger(cacheEntries) || cacheEntries < 0 || cacheEntries > MAX_CACHE_ENTRIES)) {
    throw new Error(`TOKEN_CACHE_ENTRIES must be a whole number from 0 (no cache) to ${MAX_CACHE_ENTRIES}`);
  }
  const allowedIds = list(env.ALLOWED_PLAYBACK_IDS);
  return {
    keyId,
    ttl,
    cacheEntries,
    allowedOrigins: new Set(list(env.ALLOWED_ORIGINS).map((o) => o.replace(/\/+$/, ''))),
    allowedIds: allowedIds.length ? new Set(allowedIds) : null,
  };
}

async function route(request, { signer, config, env, answers, now }) {
  const url = new URL(request.url);
  const match = /^\/tokens\/([^/]*)$/.exec(url.pathname);
  if (!match) return errorResponse(request, config, 404, 'not_found', 'no such path: use GET /tokens/{playbackId}');
  if (request.method === 'OPTIONS') return preflight(request, config);
  if (request.method !== 'GET') {
    return errorResponse(request, config, 405, 'method_not_allowed', 'use GET', { allow: 'GET, OPTIONS' });
  }
  const playbackId = match[1];
  if (!config.idRule.pattern.test(playbackId)) {
    return errorResponse(request, config, 400, 'invalid_playback_id',
      `a playback ID is 1 to ${config.idRule.maxLength} letters, digits, '-', '_', '.' or '~'`);
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

  // Authorised: only now may the cache answer.
  const types = drm === '1' ? [...config.playerTypes, config.drmType] : config.playerTypes;
  const nowSec = Math.floor(now() / 1000);
  const sign = () => signAnswer(signer, playbackId, types, config.ttl, Math.floor(now() / 1000));
  let answer;
  try {
    // Everything that goes into the tokens is in the key ('|' and ',' occur in no ID or type).
    answer = answers
      ? await answers.get(`${playbackId}|${types.map((t) => t.name).join(',')}|drm=${drm === '1' ? 1 : 0}|ttl=${config.ttl}`, nowSec, sign)
      : await sign();
  } catch (error) {
    if (isIdError(error)) {
      return errorResponse(request, config, 400, 'invalid_playback_id', 'this is not a Mux playback ID');
    }
    throw error;
  }
  const headers = baseHeaders(request, config);
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(answer.text, { status: 200, headers });
}

/** Signs the tokens for one request at `nowSec`: { text (the 200 body's JSON), refreshAt }. */
async function signAnswer(signer, playbackId, types, ttl, nowSec) {
  const expiresAt = nowSec + ttl;
  // Ask again a quarter of the lifetime (at most 15 minutes) before the tokens expire.
  const refreshAt = expiresAt - Math.min(900, Math.floor(ttl / 4));
  // (await: a Signer with the same method that returns a Promise also fits here)
  const signed = await signer.signPlaybackId(playbackId, { type: types.map((t) => t.name), expiresAt });
  // { playback, thumbnail, storyboard[, drm] }: each token under its Mux Player name.
  const tokens = Object.fromEntries(types.map((t) => [t.as, signed[t.tokenKey]]));
  return { text: JSON.stringify({ playbackId, tokens, expiresAt, refreshAt }), refreshAt };
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
