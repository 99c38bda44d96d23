// Parity with the official SDK: @mux/mux-node (from npm) and our wasm sign the same inputs at
// the same pinned clock; the tokens must be identical byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Mux from '@mux/mux-node';
import { readFileSync } from 'node:fs';
import jwt, { atClock, fixture, part } from './load.mjs';

const keyId = 'parity-key-id';
const keySecret = fixture('rsa2048-mux.txt');
const mux = new Mux({ tokenId: 'unused', tokenSecret: 'unused' });
const CLOCK = 1_764_000_123_456; // ms; the SDK and we both floor to seconds

const playbackCases = [];
for (const type of ['video', 'thumbnail', 'gif', 'storyboard', 'drm_license', 'stats']) {
  playbackCases.push({ type });
}
const paramSets = [
  { type: 'thumbnail', params: { time: '14', width: '100' } },
  { type: 'thumbnail', params: { width: 320, height: 180, fit_mode: 'smartcrop', time: 2.5 } },
  { type: 'gif', params: { start: '1', end: '4', fps: 15, width: 480 } },
  { type: 'video', params: { playback_restriction_id: 'rst1', custom: { session_id: 'ü-42', tags: ['a', 'b'], nested: { n: 1 } } } },
  { type: 'video', params: { b: '2', a: '1', '10': 'numeric keys first, like JSON.stringify', max_resolution: '720p' } },
  { type: 'storyboard', params: { asset_start_time: 10, asset_end_time: 60 } },
  { type: 'video', params: { sub: 'overridden', exp: 1, kid: 'overridden' } },
  // Numbers exactly as JSON.stringify writes them, and values it drops or converts.
  { type: 'video', params: { big: 1e21, sum: 0.1 + 0.2, negZero: -0, tiny: 5e-7, huge: 123456789012345680000, gone: undefined, when: new Date(0) } },
];
const expirations = [undefined, '7d', '2 days', '10h', '30 minutes', '1w', 3600, '120', ' 5 mins ', '1y', '2 years', '1 yr', '1e3', '0x10'];

async function both(fn) {
  return atClock(CLOCK, async () => [await fn(mux.jwt, true), await fn(jwt, false)]);
}

test('signPlaybackId: every type, param set and expiration form', async () => {
  let compared = 0;
  for (const base of [...playbackCases, ...paramSets]) {
    for (const expiration of expirations) {
      const options = { keyId, keySecret, ...base, ...(expiration === undefined ? {} : { expiration }) };
      const [theirs, ours] = await both((api) => api.signPlaybackId('parityPlaybackId01', { ...options, params: options.params && { ...options.params } }));
      assert.match(theirs, /^eyJ[\w-]+\.[\w-]+\.[\w-]{300,}$/);
      assert.equal(ours, theirs, JSON.stringify(options));
      compared++;
    }
  }
  assert.ok(compared >= 100, `compared ${compared}`);
});

test('signPlaybackId with a type array returns the same token set', async () => {
  const options = {
    keyId, keySecret, expiration: '1d', params: { custom: { user: 'u1' } },
    type: ['video', ['thumbnail', { time: '2' }], 'storyboard', 'drm_license', 'gif', 'stats'],
  };
  const [theirs, ours] = await both((api) => api.signPlaybackId('parityPlaybackId01', structuredClone(options)));
  assert.deepEqual(Object.keys(ours), Object.keys(theirs));
  assert.deepEqual(ours, theirs);
});

test('signDrmLicense and signViewerCounts match', async () => {
  for (const expiration of [undefined, '3h']) {
    const [a, b] = await both((api) => api.signDrmLicense('parityPlaybackId01', { keyId, keySecret, expiration }));
    assert.equal(b, a);
  }
  for (const type of [undefined, 'video', 'asset', 'playback', 'live_stream']) {
    const [a, b] = await both((api) => api.signViewerCounts('liveStream42', { keyId, keySecret, type }));
    assert.equal(b, a, String(type));
  }
});

test('every key format gives the SDK’s bytes (the SDK reads its PEM forms)', async () => {
  for (const name of ['rsa2048.pkcs1.pem', 'rsa2048.pkcs8.pem']) {
    const keySecret = fixture(name);
    const [a, b] = await both((api) => api.signPlaybackId('parityPlaybackId01', { keyId, keySecret, type: 'gif' }));
    assert.equal(b, a, name);
  }
});

// ---------------------------------------------------------------------------------------------
// The SDK's whole expiration grammar, side by side. The unit words come from the SDK's own
// parser (its `parseTimespan` regex in lib/jwt.mjs); every form is signed by both at the same
// clock. Where the SDK signs a whole, future exp before 9999 the tokens must be identical;
// everywhere else the outcome must be one of the documented divergences
// (docs/expiration-divergences.md, pasted into the README) or a refusal by both.

const root = new URL('../../', import.meta.url);
const sdkDir = new URL('node_modules/@mux/mux-node/', root);
const sdkVersion = JSON.parse(readFileSync(new URL('package.json', sdkDir), 'utf8')).version;
// The module the ESM import above loads (lib/jwt.js, for require, holds the same parser).
const sdkSource = readFileSync(new URL('lib/jwt.mjs', sdkDir), 'utf8');
const unitGroup = sdkSource.match(/\/\^\(\\d\+\)\\s\*\(([a-z?|]+)\)\$\//)?.[1];
/** The SDK's own regex, to tell its `N unit` forms from what it hands to Number(). */
const SDK_UNIT_RE = new RegExp(`^(\\d+)\\s*(${unitGroup})$`);
/** Every unit word, `seconds?` expanded to `second` and `seconds`. */
const UNITS = (unitGroup ?? '').split('|').flatMap((w) => (w.endsWith('?') ? [w.slice(0, -2), w.slice(0, -1)] : [w]));
const MAX_EXPIRY = 253_402_300_799; // 9999-12-31T23:59:59Z
const NOW = Math.floor(CLOCK / 1000);

/** Reads the divergence table: rows of [first cell, examples as JS values, our column]. */
function divergenceTable() {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const marker = '<!-- expiration-divergences';
  const text = readme.includes(marker) ? readme : readFileSync(new URL('docs/expiration-divergences.md', root), 'utf8');
  const lines = text.slice(text.indexOf(marker)).split('\n').slice(1);
  const rows = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const [first, sdk, ours] = line.split('|').slice(1, -1).map((c) => c.trim());
    const examples = [...first.slice(first.indexOf(':')).matchAll(/`([^`]*)`/g)].map(([, src]) => jsValue(src));
    rows.push({ first, sdk, ours, examples });
  }
  return rows;
}

/** A JS literal from the table: 'text' (with \u escapes), a number, NaN or Infinity. */
function jsValue(src) {
  if (src.startsWith("'")) return JSON.parse(`"${src.slice(1, -1).replace(/"/g, '\\"')}"`);
  const value = Number(src);
  assert.ok(!Number.isNaN(value) || src === 'NaN', `not a JS value in the table: ${src}`);
  return value;
}

/** The rows, in the table's order, each with the class of SDK outcome it documents. */
const ROWS = [
  ['a bare number', 'unix-time', 'refused'],
  ['not a whole number', 'fractional', 'refused'],
  ['not a number', 'non-finite', 'refused'],
  ['nothing, zero or negative', 'not-future', 'refused'],
  ['past the year 9999', 'too-far', 'refused'],
  ['units in capitals', 'capitals', 'as in lower case'],
  ['a date or a Unix time', 'date', 'that absolute expiry'],
];

const isDate = (text) => /^\d{4}-\d\d-\d\d[T ]/.test(text) || /^@\s*\d+$/.test(text);
const dateExp = (text) => (text.startsWith('@') ? Number(text.slice(1).trim()) : Date.parse(text.replace(' ', 'T')) / 1000);

/** Which documented class the SDK's outcome for `input` falls in ('same' = must match). */
function classify(input, sdk) {
  if (sdk.error) {
    if (typeof input === 'string') {
      const text = input.trim();
      if (SDK_UNIT_RE.test(text.toLowerCase())) return 'capitals';
      if (isDate(text)) return 'date';
    }
    return 'both-refuse';
  }
  const exp = sdk.claims.exp;
  if (exp === null) return 'non-finite';
  if (!Number.isInteger(exp)) return 'fractional';
  if (exp <= NOW) return 'not-future';
  if (exp > MAX_EXPIRY) return 'too-far';
  const unitForm = typeof input === 'string' && SDK_UNIT_RE.test(input.trim());
  if (!unitForm && exp - NOW >= 1e9) return 'unix-time';
  return 'same';
}

const expOf = (token) => JSON.parse(part(token, 1)).exp;

/** Both signers on one `expiration` at the pinned clock: {token, claims} or {error}. */
async function sideBySide(expiration, signer) {
  const options = { keyId, keySecret, type: 'thumbnail', expiration };
  return atClock(CLOCK, async () => {
    let sdk;
    try {
      const token = await mux.jwt.signPlaybackId('parityPlaybackId01', { ...options });
      sdk = { token, claims: JSON.parse(part(token, 1)) };
    } catch (error) {
      sdk = { error };
    }
    let ours;
    try {
      ours = { token: signer.signPlaybackId('parityPlaybackId01', { type: 'thumbnail', expiration }) };
    } catch (error) {
      ours = { error };
    }
    return { sdk, ours };
  });
}

/** The error codes our refusal may carry, by the class of the SDK's outcome. */
const CODES = {
  'unix-time': ['expiration_looks_like_unix_time'],
  fractional: ['expiration_invalid'],
  'non-finite': ['expiration_invalid', 'expiration_too_far'],
  'not-future': ['expiration_not_future', 'expiration_invalid'],
  'too-far': ['expiration_too_far', 'expiration_looks_like_unix_time'],
  date: ['expiration_not_future'],
  'both-refuse': ['expiration_invalid', 'options_invalid'],
};

function assertRefused(ours, what, kind) {
  assert.ok(ours.error, `${what}: we signed ${ours.token && part(ours.token, 1)}`);
  assert.ok(ours.error instanceof Error, `${what}: not an Error: ${ours.error}`);
  assert.ok(!(ours.error instanceof WebAssembly.RuntimeError), `${what}: a wasm trap`);
  assert.ok(ours.error.message.length > 10, `${what}: no message`);
  assert.ok(CODES[kind].includes(ours.error.code), `${what}: code ${ours.error.code}, not one of ${CODES[kind]}: ${ours.error.message}`);
}

/** Checks our outcome against the class of the SDK's; returns the class. */
async function check(input, signer) {
  const what = `expiration ${typeof input === 'string' ? JSON.stringify(input) : String(input)}`;
  const { sdk, ours } = await sideBySide(input, signer);
  const kind = classify(input, sdk);
  if (kind === 'same') {
    assert.ok(!ours.error, `${what}: the SDK signs exp ${sdk.claims.exp}, we refuse: ${ours.error?.message}`);
    assert.equal(ours.token, sdk.token, `${what}: tokens differ`);
  } else if (kind === 'capitals') {
    // As the lower-case form: the SDK's token, or our refusal where that is a divergence.
    const lower = input.toLowerCase();
    const { sdk: lowerSdk } = await sideBySide(lower, signer);
    const lowerKind = classify(lower, lowerSdk);
    if (lowerKind === 'same') {
      assert.ok(!ours.error, `${what}: refused: ${ours.error?.message}`);
      assert.equal(ours.token, lowerSdk.token, `${what}: not the SDK's token for ${JSON.stringify(lower)}`);
    } else {
      assertRefused(ours, what, lowerKind);
    }
  } else if (kind === 'date') {
    const at = dateExp(input.trim());
    if (at > NOW) {
      assert.ok(!ours.error, `${what}: refused: ${ours.error?.message}`);
      assert.equal(expOf(ours.token), at, what);
    } else {
      assertRefused(ours, what, 'date');
    }
  } else {
    assertRefused(ours, `${what} (${kind}; the SDK: ${sdk.error ? 'throws' : `exp ${sdk.claims.exp}`})`, kind);
  }
  return kind;
}

/** The grammar, generated: every unit word, spacing, case and number form, and non-strings. */
function grammar() {
  const forms = [];
  const spaces = ['', ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0', '\u1680', '\u2003', '\u200a', '\u202f', '\u205f', '\u3000', '\ufeff', '\u2028', '\u2029', '\u0085', '\u200b', '\u180e'];
  for (const unit of UNITS) {
    for (const space of spaces) forms.push(`7${space}${unit}`);
    for (const n of ['0', '1', '007', '30', '365', '1000', '8035', '8036', '99999999999999', '99999999999999999999']) {
      forms.push(`${n}${unit}`, `${n} ${unit}`);
    }
    forms.push(`2 ${unit.toUpperCase()}`, `2${unit[0].toUpperCase()}${unit.slice(1)}`);
    forms.push(`-1${unit}`, `+1${unit}`, `1.5${unit}`, `1e1${unit}`, `0x1${unit}`, `${unit}`, `1${unit}s`, `1 ${unit} ${unit}`);
  }
  for (const space of spaces) forms.push(`${space}7d${space}`, `${space}3600${space}`, `${space}1e3`);
  forms.push(
    '', ' ', '0', '-0', '+0', '1', '60', '+60', '60.', '.5e2', '1e3', '1E3', '6E+1', '600e-1', '1.5', '1.0', '0.5', '2.5e-1', '1e-7',
    '0x10', '0X1f', '0b101', '0B11', '0o17', '0O17', '-5', '-3600', '+0x10', '-0x10', '0x', '0b2', '0o8', 'Infinity', '+Infinity',
    '-Infinity', 'infinity', 'inf', '1e400', '-1e400', '1e-400', 'NaN', 'nan', '1_000', '1,5', '1e9', '999999999', '1000000000',
    '1798675200', '1798675200000', '1.7986752e9', '0x3B9ACA00', '1.0000000000000001', '59.99999999999999999', '00.5', '010',
    '99999999999999', '18446744073709551616', '1e', 'e5', '.', '+', '-', '..5', '5 s s', '1.5h', '1 d ay', '7 fortnights',
    'soon', '1y2d', '1 mo', 'ms', '1ms', '\u0663d', '\uff13d', '1 d\u0301', '7 DAYS', '7 Days', 'P7D', '7d ago',
    '2099-01-01T00:00:00Z', '2099-01-01T02:00:00+02:00', '2099-01-01 00:00:00Z', '@4070908800', '@ 4070908800',
    '2020-01-01T00:00:00Z', '@1000',
  );
  forms.push(
    undefined, null, 0, -0, 1, 60, 3600, 1.5, 0.5, -5, -0.5, NaN, Infinity, -Infinity, 1e9, 999999999, 2 ** 53, 1e21,
    Number.MAX_VALUE, Number.MIN_VALUE, true, false, {}, [], [60], { seconds: 60 },
  );
  return forms;
}

test(`the SDK's whole expiration grammar (@mux/mux-node ${sdkVersion}): the same exp or a documented divergence`, async () => {
  assert.equal(sdkVersion, '15.3.0', 'the SDK changed: re-read its parser and this table');
  assert.ok(unitGroup, "the SDK's parseTimespan regex was not found in lib/jwt.mjs");
  assert.deepEqual(UNITS.filter((u) => u.length === 1), ['s', 'm', 'h', 'd', 'w', 'y']);
  const signer = new jwt.Signer(keyId, keySecret);
  const counts = {};
  const failures = [];
  try {
    for (const input of grammar()) {
      try {
        const kind = await check(input, signer);
        counts[kind] = (counts[kind] ?? 0) + 1;
      } catch (error) {
        failures.push(error.message.split('\n')[0]);
      }
    }
  } finally {
    signer.free();
  }
  assert.deepEqual(failures, [], `${failures.length} forms differ from the SDK without a documented reason`);
  // Every documented class turns up in the sweep, and most forms are simply the same.
  for (const [, kind] of ROWS) assert.ok(counts[kind] > 0, `no form of the grammar is "${kind}"`);
  assert.ok(counts.same > 500, `only ${counts.same} identical`);
  console.log(`expiration grammar: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
});

test('the divergence table is true: each example, through the SDK and ours', async () => {
  const rows = divergenceTable();
  assert.equal(rows.length, ROWS.length, 'the table’s rows');
  for (const [i, [first]] of ROWS.entries()) assert.ok(rows[i].first.startsWith(first), `row ${i + 1}: ${rows[i].first}`);
  const signer = new jwt.Signer(keyId, keySecret);
  try {
    for (const [i, row] of rows.entries()) {
      const [, kind, oursSays] = ROWS[i];
      assert.ok(row.ours.startsWith(oursSays), `row ${i + 1}: ours says "${row.ours}"`);
      assert.ok(row.examples.length >= 3, `row ${i + 1} has ${row.examples.length} examples`);
      for (const example of row.examples) {
        assert.equal(await check(example, signer), kind, `row ${i + 1} (${row.first}): ${String(example)}`);
      }
    }
  } finally {
    signer.free();
  }
});
