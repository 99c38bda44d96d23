// Verification at scale: random claim sets for every token type (random known params with
// valid values, unicode, nested custom objects, unknown keys in random order), signed by our
// wasm package, then checked by three verifiers we did not write: Node's crypto (OpenSSL),
// `jose`, and PyJWT (in Python). Our signature bytes must equal OpenSSL's for the same input.
// Usage: node tests/scale/verify-at-scale.mjs [tokens per type for 2048-bit keys]
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign as opensslSign, verify as opensslVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactVerify, importSPKI } from 'jose';

const root = fileURLToPath(new URL('../../', import.meta.url));
const jwt = await import(`${root}pkg/jwt_signer.js`);
jwt.initSync({ module: readFileSync(`${root}pkg/jwt_signer_bg.wasm`) });

const perType = Number(process.argv[2] ?? 1000);
const keys = [
  { bits: 2048, private: 'rsa2048.pkcs1.pem', count: perType },
  { bits: 3072, private: 'rsa3072.pem', count: Math.ceil(perType / 10) },
  { bits: 4096, private: 'rsa4096.pem', count: Math.ceil(perType / 10) },
];
const TYPES = ['video', 'thumbnail', 'gif', 'storyboard', 'drm_license', 'stats', 'viewer_counts'];

/** A seeded PRNG, so any failure can be replayed. */
let seed = 20261128;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (a, b) => a + Math.floor(random() * (b - a + 1));
const chars = ['a', 'Z', '0', '_', '-', ' ', 'é', 'ß', '日本', '🎬', '"', '\\', '/', '\n', '\t', '\u2028', '<', '&'];
const text = () => Array.from({ length: int(0, 10) }, () => pick(chars)).join('');
function value(depth) {
  const kind = pick(depth > 2 ? ['s', 'n', 'b', 'z'] : ['s', 'n', 'f', 'b', 'z', 'o', 'a']);
  if (kind === 's') return text();
  if (kind === 'n') return int(-1e9, 1e9);
  if (kind === 'f') return Math.round(random() * 1e6) / 1e3;
  if (kind === 'b') return random() < 0.5;
  if (kind === 'z') return null;
  if (kind === 'a') return Array.from({ length: int(0, 3) }, () => value(depth + 1));
  return Object.fromEntries(Array.from({ length: int(0, 4) }, () => [text() || 'k', value(depth + 1)]));
}

/** Valid values for each documented param, from the core's own table. */
function knownParams(type) {
  if (type === 'viewer_counts') return {};
  const params = {};
  for (const spec of jwt.paramSpecs(type)) {
    if (random() < 0.6) continue;
    if (spec.kind === 'text') params[spec.name] = text() || 'x';
    if (spec.kind === 'boolean') params[spec.name] = pick([true, false, 'true', 'false']);
    if (spec.kind === 'choice') params[spec.name] = pick(spec.choices);
    if (spec.kind === 'integer') params[spec.name] = pick([int(spec.min, spec.max), String(int(spec.min, spec.max))]);
    if (spec.kind === 'number') params[spec.name] = pick([int(0, 100000), Math.round(random() * 1e5) / 100, String(int(0, 600))]);
  }
  if (type === 'gif' && 'start' in params && 'end' in params) params.end = Number(params.start) + 1;
  return params;
}

function randomParams(type) {
  const entries = Object.entries(knownParams(type));
  if (random() < 0.7) entries.push(['custom', Object.fromEntries(Array.from({ length: int(1, 4) }, () => [text() || 'c', value(1)]))]);
  for (let i = int(0, 3); i > 0; i--) entries.push([`x_${text()}`, value(1)]);
  // Random key order: the signer must keep whatever order it is given.
  entries.sort(() => random() - 0.5);
  return Object.fromEntries(entries);
}

/** The `aud` each type must carry, and the lifetime each `expiration` form means, in seconds. */
const AUD = { video: 'v', thumbnail: 't', gif: 'g', storyboard: 's', drm_license: 'd', stats: 'playback_id' };
const COUNTS_AUD = { video: 'video_id', asset: 'asset_id', playback: 'playback_id', live_stream: 'live_stream_id' };
/** Lifetimes of a day or more: far longer than any run, so no token expires before PyJWT looks. */
function randomExpiration() {
  const days = int(1, 90);
  return pick([
    ['7d', 7 * 86400],
    ['36h', 36 * 3600],
    [`${days} days`, days * 86400],
    [86400 * days, 86400 * days],
    ['2 weeks', 14 * 86400],
    ['1y', 365 * 86400],
  ]);
}

/** Signs with Date.now() pinned, so the expected `exp` is the clock plus the lifetime, exactly. */
const CLOCK = Date.now();
function atClock(fn) {
  const realNow = Date.now;
  Date.now = () => CLOCK;
  try {
    return fn();
  } finally {
    Date.now = realNow;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'jwt-signer-scale-'));
const lines = [];
const counts = { signed: 0, openssl: 0, opensslBytes: 0, jose: 0 };
const started = Date.now();
try {
  for (const key of keys) {
    const pem = readFileSync(`${root}tests/fixtures/${key.private}`, 'utf8');
    const privateKey = createPrivateKey(pem);
    const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
    const publicFile = join(dir, `public-${key.bits}.pem`);
    writeFileSync(publicFile, publicPem);
    const joseKey = await importSPKI(publicPem, 'RS256');
    const signer = new jwt.Signer('scale-key', pem);
    for (const type of TYPES) {
      for (let i = 0; i < key.count; i++) {
        const params = randomParams(type);
        const id = `id${int(0, 1e6)}${pick(['', '-a', '_b', '.c', '~d'])}`;
        const [expiration, lifetime] = randomExpiration();
        const countsType = pick(Object.keys(COUNTS_AUD));
        const kidIn = pick(['claims', 'claims', 'header', 'both']);
        const token = atClock(() => (type === 'viewer_counts'
          ? signer.signViewerCounts(id, { type: countsType, params, expiration })
          : signer.signPlaybackId(id, { type, params, expiration, kidIn })));
        counts.signed++;
        // What the inputs ask for, built without reading the token.
        const kidInClaims = type === 'viewer_counts' || kidIn !== 'header';
        const expected = {
          ...JSON.parse(JSON.stringify(params)),
          ...(kidInClaims ? { kid: 'scale-key' } : {}),
          sub: id,
          aud: type === 'viewer_counts' ? COUNTS_AUD[countsType] : AUD[type],
          exp: Math.floor(CLOCK / 1000) + lifetime,
        };
        const kidInHeader = type !== 'viewer_counts' && kidIn !== 'claims';
        const expectedHeader = { alg: 'RS256', typ: 'JWT', ...(kidInHeader ? { kid: 'scale-key' } : {}) };
        const [h, p, s] = token.split('.');
        const input = Buffer.from(`${h}.${p}`);
        const signature = Buffer.from(s, 'base64url');
        assert.ok(opensslVerify('sha256', input, publicPem, signature), `OpenSSL rejects ${type} #${i}`);
        counts.openssl++;
        assert.ok(opensslSign('sha256', input, privateKey).equals(signature), `bytes differ from OpenSSL's: ${type} #${i}`);
        counts.opensslBytes++;
        const { payload, protectedHeader } = await compactVerify(token, joseKey);
        const claims = JSON.parse(new TextDecoder().decode(payload));
        assert.deepEqual(claims, expected, `jose's claims are not the inputs: ${type} #${i}`);
        assert.deepEqual(protectedHeader, expectedHeader, `jose's header: ${type} #${i}`);
        counts.jose++;
        // The params come first, in the order given, then the signer's own claims.
        assert.deepEqual(Object.keys(claims), Object.keys(expected), `claim order: ${type} #${i}`);
        lines.push(JSON.stringify({ token, key: publicFile, claims: expected }));
      }
    }
    signer.free();
  }
  const file = join(dir, 'tokens.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const python = process.env.PYTHON ?? `${root}.venv/bin/python`;
  const pyjwt = execFileSync(python, [`${root}tests/scale/pyjwt_verify.py`, file], { encoding: 'utf8' }).trim();
  // Every count, PyJWT's too: each signed token checked by each verifier, none left out.
  assert.equal(pyjwt, `pyjwt: ${counts.signed} passed, 0 failed`);
  assert.equal(lines.length, counts.signed);
  const expectedCount = keys.reduce((n, k) => n + k.count * TYPES.length, 0);
  for (const [name, n] of Object.entries(counts)) assert.equal(n, expectedCount, `${name} checked ${n} of ${expectedCount}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`signed ${counts.signed} tokens (${TYPES.length} types; ${keys.map((k) => `${k.count}/type at ${k.bits} bits`).join(', ')}) in ${seconds} s`);
  console.log(`openssl (node:crypto) verified ${counts.openssl}; signature bytes equal OpenSSL's: ${counts.opensslBytes}; jose verified ${counts.jose}; ${pyjwt}`);
  console.log(`${counts.openssl + counts.opensslBytes + counts.jose + counts.signed + counts.signed} passed (PyJWT's ${counts.signed} included), 0 failed`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
