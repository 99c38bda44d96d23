// Hostile input at the JS API in Chromium: the table of bad inputs (tests/fixtures/
// bad-inputs.json) gets its exact messages, and a corpus of the nastiest values JavaScript can
// pass gets a JS Error every time — never a wasm trap — with the next good call still working.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openApiPage } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const table = JSON.parse(fixture('bad-inputs.json'));
let session, page;

/** Builds a case's input, as tests/bad_inputs.rs does. */
function input(spec) {
  if (typeof spec === 'string') return spec;
  if (spec.fixture) {
    let text = fixture(spec.fixture);
    if (spec.slice) text = text.slice(...spec.slice);
    if (spec.replace) text = text.replace(...spec.replace);
    return `${spec.prefix ?? ''}${text}${spec.suffix ?? ''}`;
  }
  if (spec.repeat) return spec.repeat.repeat(spec.times);
  if (spec.golden) return JSON.parse(fixture('goldens.json')).find((g) => g.name === spec.golden).token;
  if (spec.many_params) return JSON.stringify(Object.fromEntries(Array.from({ length: spec.many_params }, (_, i) => [`p${i}`, i])));
  if (spec.nested) return `${'{"a":'.repeat(spec.nested)}1${'}'.repeat(spec.nested)}`;
  throw new Error(`unknown input ${JSON.stringify(spec)}`);
}

before(async () => {
  session = await openApiPage(root);
  page = session.page;
});
after(async () => {
  await session?.close();
});

test('every case of the bad-input table gets its exact message from the JS API', async () => {
  const cases = table.cases
    .filter((c) => !(c.skip ?? []).includes('js'))
    .map((c) => ({ ...c, text: input(c.input), publicKey: c.public_key && fixture(c.public_key) }));
  const results = await page.evaluate(({ cases, key }) => {
    const signer = new jwt.Signer('kid', key);
    const run = {
      key: (c) => new jwt.Signer('kid', c.text),
      key_id: (c) => new jwt.Signer(c.text, key),
      id: (c) => signer.signPlaybackId(c.text, {}),
      type: (c) => signer.signPlaybackId('p1', { type: c.text }),
      counts_type: (c) => signer.signViewerCounts('p1', { type: c.text }),
      kid_in: (c) => signer.signPlaybackId('p1', { kidIn: c.text }),
      expiration: (c) => signer.signPlaybackId('p1', { expiration: c.text }),
      params: (c) => signer.signPlaybackId('p1', { type: c.type, params: JSON.parse(c.text) }),
      token: (c) => jwt.decodeToken(c.text),
      verify: (c) => jwt.verifyToken(c.text, c.publicKey),
    };
    return cases.map((c) => {
      try {
        run[c.kind](c);
        return { name: c.name, threw: false };
      } catch (error) {
        return {
          name: c.name, threw: true, isError: error instanceof Error,
          trap: error instanceof WebAssembly.RuntimeError, message: error.message,
          nextWorks: signer.signPlaybackId('p1', {}).startsWith('eyJ'),
        };
      }
    });
  }, { cases, key: fixture('rsa2048-mux.txt') });
  assert.ok(results.length >= 40, `${results.length} cases`);
  const misses = [];
  results.forEach((r, i) => {
    const c = cases[i];
    const ok = r.threw && r.isError && !r.trap && r.nextWorks
      && (c.message ? r.message === c.message : r.message.startsWith(c.message_prefix) && r.message.endsWith(c.message_suffix));
    if (!ok) misses.push(`${c.name}: ${JSON.stringify(r)}`);
  });
  assert.deepEqual(misses, []);
});

test('the nastiest values JavaScript can pass: always an Error, never a trap', async () => {
  const outcomes = await page.evaluate(({ key }) => {
    const deep = (n) => { let o = {}; const top = o; for (let i = 0; i < n; i++) { o.a = {}; o = o.a; } return top; };
    const circular = {}; circular.self = circular;
    const throwingGetter = { get keyId() { throw new Error('getter says no'); } };
    const manyParams = Object.fromEntries(Array.from({ length: 100000 }, (_, i) => [`p${i}`, i]));
    const huge = 'A'.repeat(10_000_000);
    const weird = [undefined, null, 0, -1, NaN, Infinity, 1e308, '', ' ', huge, '\u0000', '\ud800', '😀'.repeat(1000),
      true, [], [[]], {}, () => 1, Symbol('s'), 10n, new Date(), /re/, new Map([[1, 2]]), new Uint8Array(8),
      deep(100000), circular, throwingGetter, new Proxy({}, { ownKeys() { throw new Error('proxy'); } })];
    const signer = new jwt.Signer('kid', key);
    const calls = [];
    for (const v of weird) {
      calls.push(
        () => jwt.signPlaybackId(v, { keyId: 'kid', keySecret: key }),
        () => jwt.signPlaybackId('p1', v),
        () => jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: key, params: v }),
        () => jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: key, type: v }),
        () => jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: key, expiration: v }),
        () => jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: key, expiresAt: v }),
        () => jwt.signPlaybackId('p1', { keyId: v, keySecret: key }),
        () => jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: v }),
        () => jwt.signDrmLicense('p1', v),
        () => jwt.signViewerCounts(v, { keyId: 'kid', keySecret: key, type: v }),
        () => new jwt.Signer(v, v),
        () => signer.signPlaybackId('p1', { params: { custom: v } }),
        () => signer.signPlaybackId('p1', { type: [v, [v, v]] }),
        () => jwt.decodeToken(v),
        () => jwt.verifyToken(v, v),
        () => jwt.keyInfo(v),
        () => jwt.playerUrl('p1', v),
        () => jwt.checkParams('video', v),
        () => jwt.signedUrls(v, v, v),
        () => jwt.resolveExpiration(v),
      );
    }
    calls.push(() => signer.signPlaybackId('p1', { params: manyParams }));
    let errors = 0, returned = 0;
    const bad = [];
    for (const [i, call] of calls.entries()) {
      try {
        call();
        returned++;
      } catch (error) {
        errors++;
        if (!(error instanceof Error) || error instanceof WebAssembly.RuntimeError || !error.message) {
          bad.push(`${i}: ${String(error)}`);
        }
      }
      // After every call, good or bad, the module still signs.
      if (!signer.signPlaybackId('p1', {}).startsWith('eyJ')) bad.push(`${i}: module broken`);
    }
    return { calls: calls.length, errors, returned, bad };
  }, { key: fixture('rsa2048-mux.txt') });
  assert.deepEqual(outcomes.bad, []);
  assert.ok(outcomes.calls > 500, JSON.stringify(outcomes));
  assert.ok(outcomes.errors > outcomes.calls * 0.8, JSON.stringify(outcomes));
});
