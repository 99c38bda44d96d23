// Hostile input at the JS API in Chromium: the table of bad inputs (tests/fixtures/
// bad-inputs.json) gets its exact messages, codes and fields, and a corpus of the nastiest
// values JavaScript can pass either throws a JS Error with a code (never a wasm trap) or
// returns a result that is checked against the inputs — tokens verified by Node's crypto —
// with the next good call still working.
import assert from 'node:assert/strict';
import { createPublicKey, verify as rsaVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { badInput, openApiPage } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const table = JSON.parse(fixture('bad-inputs.json'));
let session, page;

/** Builds a case's input (see harness.mjs). */
const input = (spec) => badInput(spec, fixture);

before(async () => {
  session = await openApiPage(root);
  page = session.page;
});
after(async () => {
  await session?.close();
});

test('every case of the bad-input table gets its exact message, code and field from the JS API', async () => {
  const cases = table.cases
    .filter((c) => !(c.skip ?? []).includes('js'))
    .map((c) => ({ ...c, text: input(c.input), publicKey: c.public_key && fixture(c.public_key) }));
  const evaluated = await page.evaluate(({ cases, key }) => {
    const signer = new jwt.Signer('kid', key);
    const number = (text) => Number(text);
    const run = {
      key: (c) => new jwt.Signer('kid', c.text),
      key_id: (c) => new jwt.Signer(c.text, key),
      id: (c) => signer.signPlaybackId(c.text, {}),
      type: (c) => signer.signPlaybackId('p1', { type: c.text }),
      counts_type: (c) => signer.signViewerCounts('p1', { type: c.text }),
      kid_in: (c) => signer.signPlaybackId('p1', { kidIn: c.text }),
      expiration: (c) => signer.signPlaybackId('p1', { expiration: c.text }),
      expiration_number: (c) => signer.signPlaybackId('p1', { expiration: number(c.text) }),
      // An invalid Date is what a form's empty date-time input often becomes.
      expires_at_number: (c) => signer.signPlaybackId('p1', { expiresAt: new Date(number(c.text)) }),
      params: (c) => signer.signPlaybackId('p1', { type: c.type, params: JSON.parse(c.text) }),
      token: (c) => jwt.decodeToken(c.text),
      verify: (c) => jwt.verifyToken(c.text, c.publicKey),
    };
    const outcome = (call) => {
      try {
        call();
        return { threw: false };
      } catch (error) {
        return {
          threw: true, isError: error instanceof Error, trap: error instanceof WebAssembly.RuntimeError,
          message: error.message, code: error.code, field: error.field,
          nextWorks: signer.signPlaybackId('p1', {}).startsWith('eyJ'),
        };
      }
    };
    const ran = cases.map((c) => {
      const result = { name: c.name, ...outcome(() => run[c.kind](c)) };
      // A key also arrives through the module functions' options: the same error, whatever its
      // size (a 10 MB key was once refused as "options are 10485792 bytes as JSON").
      if (c.kind === 'key') result.viaOptions = outcome(() => jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: c.text }));
      return result;
    });
    return { ran, kinds: Object.fromEntries(Object.keys(run).map((k) => [k, true])) };
  }, { cases, key: fixture('rsa2048-mux.txt') });
  const { ran: results, kinds } = evaluated;
  // Every case ran, through a known kind: a renamed kind fails here instead of checking none.
  assert.equal(results.length, cases.length);
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  for (const c of cases) assert.ok(c.kind in kinds, `${c.name}: unknown kind ${c.kind}`);
  const misses = [];
  const matches = (c, r) => r.threw && r.isError && !r.trap && r.nextWorks && r.code === c.code && r.field === c.field
    && (c.message ? r.message === c.message : r.message.startsWith(c.message_prefix) && r.message.endsWith(c.message_suffix));
  results.forEach((r, i) => {
    const c = cases[i];
    if (!matches(c, r)) misses.push(`${c.name}: ${JSON.stringify(r)}`);
    if (r.viaOptions && !matches(c, r.viaOptions)) misses.push(`${c.name} (keySecret option): ${JSON.stringify(r.viaOptions)}`);
  });
  assert.deepEqual(misses, []);
});

test('the .d.ts lists the ErrorCode union and every case has one of its codes', () => {
  // That the union equals the core's Error::CODES is a Rust test (src/error.rs).
  const dts = readFileSync(`${root}pkg/jwt_signer.d.ts`, 'utf8');
  const union = dts.match(/export type ErrorCode =([^;]*);/);
  assert.ok(union, 'ErrorCode union in pkg/jwt_signer.d.ts');
  const listed = [...union[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.ok(listed.length > 0);
  for (const c of table.cases) assert.ok(listed.includes(c.code), `${c.name}: ${c.code}`);
});

/** Checks a token returned by a hostile call against what its inputs asked for. */
function checkToken(token, expect, publicKey) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return `not a token: ${JSON.stringify(token)}`;
  const signed = rsaVerify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url'));
  if (!signed) return 'signature does not verify';
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  if (claims.sub !== expect.sub) return `sub ${claims.sub}, want ${expect.sub}`;
  if (claims.aud !== expect.aud) return `aud ${claims.aud}, want ${expect.aud}`;
  if (claims.kid !== 'kid') return `kid ${claims.kid}`;
  const exp = expect.exp ?? expect.now + expect.seconds;
  if (claims.exp < exp || claims.exp > exp + 2) return `exp ${claims.exp}, want ${exp}`;
  for (const [name, value] of Object.entries(expect.params ?? {})) {
    if (JSON.stringify(claims[name]) !== JSON.stringify(value)) return `claim ${name} ${JSON.stringify(claims[name])}, want ${JSON.stringify(value)}`;
  }
  return null;
}

test('the nastiest values JavaScript can pass: an Error with a code, or a result checked against the inputs', async () => {
  const outcomes = await page.evaluate(({ key }) => {
    const deep = (n) => { let o = {}; const top = o; for (let i = 0; i < n; i++) { o.a = {}; o = o.a; } return top; };
    const circular = {}; circular.self = circular;
    const throwingGetter = { get keyId() { throw new Error('getter says no'); } };
    const manyParams = Object.fromEntries(Array.from({ length: 100000 }, (_, i) => [`p${i}`, i]));
    const huge = 'A'.repeat(10_000_000);
    const weird = [undefined, null, 0, -1, NaN, Infinity, 1e308, 1.5, '', ' ', huge, '\u0000', '\ud800', '😀'.repeat(1000),
      true, [], [[]], {}, () => 1, Symbol('s'), 10n, new Date(), new Date(NaN), /re/, new Map([[1, 2]]), new Uint8Array(8),
      deep(100000), circular, throwingGetter, new Proxy({}, { ownKeys() { throw new Error('proxy'); } })];
    const signer = new jwt.Signer('kid', key);
    const k = { keyId: 'kid', keySecret: key };
    // What a successful call must have produced, worked out from the inputs alone.
    const plain = (v) => { try { return JSON.parse(JSON.stringify(v) ?? 'null'); } catch { return undefined; } };
    const isObject = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
    const seconds = (v) => (v === undefined || v === null ? 7 * 86400 : typeof v === 'number' ? v : undefined);
    const absolute = (v) => (v instanceof Date ? Math.floor(v.getTime() / 1000) : typeof v === 'number' ? v : undefined);
    const token = (extra) => ({ kind: 'token', sub: 'p1', aud: 'v', seconds: 7 * 86400, ...extra });
    const calls = [];
    for (const v of weird) {
      calls.push(
        [() => jwt.signPlaybackId(v, k), token({ sub: typeof v === 'string' ? v.trim() : undefined })],
        [() => jwt.signPlaybackId('p1', v), { kind: 'never' }],
        [() => jwt.signPlaybackId('p1', { ...k, params: v }), token({ params: isObject(plain(v)) ? plain(v) : undefined })],
        [() => jwt.signPlaybackId('p1', { ...k, type: v }), v === undefined || v === null ? token() : Array.isArray(v) && v.length === 0 ? { kind: 'value', value: {} } : { kind: 'never' }],
        [() => jwt.signPlaybackId('p1', { ...k, expiration: v }), token({ seconds: seconds(v) })],
        [() => jwt.signPlaybackId('p1', { ...k, expiresAt: v }), v === undefined || v === null ? token() : token({ exp: absolute(v) })],
        [() => jwt.signPlaybackId('p1', { keyId: v, keySecret: key }), { kind: 'never' }],
        [() => jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: v }), { kind: 'never' }],
        [() => jwt.signDrmLicense('p1', v), { kind: 'never' }],
        [() => jwt.signViewerCounts(v, { ...k, type: v }), { kind: 'never' }],
        [() => new jwt.Signer(v, v), { kind: 'never' }],
        [() => signer.signPlaybackId('p1', { params: { custom: v } }), token({ params: plain({ custom: v }) })],
        [() => signer.signPlaybackId('p1', { type: [v, [v, v]] }), { kind: 'never' }],
        [() => jwt.decodeToken(v), { kind: 'never' }],
        [() => jwt.verifyToken(v, v), { kind: 'never' }],
        [() => jwt.keyInfo(v), { kind: 'never' }],
        [() => jwt.playerUrl('p1', v), { kind: 'value', value: 'https://player.mux.com/p1' }],
        [() => jwt.checkParams('video', v), { kind: 'warnings', names: isObject(plain(v)) ? Object.keys(plain(v)) : [] }],
        [() => jwt.signedUrls(v, v, v), { kind: 'never' }],
        [() => jwt.resolveExpiration(v), { kind: 'exp', seconds: 7 * 86400 }],
        [() => jwt.describeExpiry(v, v), Number.isSafeInteger(v) && v >= 0 ? { kind: 'expiry', exp: v } : { kind: 'never' }],
        [() => jwt.parseParams(v), { kind: 'never' }],
        [() => jwt.diagnose(v, v), { kind: 'never' }],
        [() => jwt.diagnose(typeof v === 'string' ? v : 'x', { now: v }), { kind: 'rejected' }],
        [() => signer.exportKey(v), { kind: 'never' }],
        [() => jwt.signedUrl(v, v, v), { kind: 'never' }],
        [() => signer.verify(v), { kind: 'never' }],
        [() => signer.signDrmLicense('p1', v), token({ aud: 'd' })],
        [() => signer.signViewerCounts('p1', v), token({ aud: 'video_id' })],
        [() => jwt.paramSpecs(v), v === undefined || v === null ? { kind: 'specs' } : { kind: 'never' }],
      );
    }
    calls.push([() => signer.signPlaybackId('p1', { params: manyParams }), { kind: 'never' }]);
    const outcomes = [];
    for (const [i, [call, expect]] of calls.entries()) {
      // The clock just before the call: the expected exp is relative to it.
      const o = { i, expect, now: Math.floor(Date.now() / 1000) };
      try {
        const result = call();
        o.returned = typeof result === 'object' && result !== null && !Array.isArray(result) ? JSON.parse(JSON.stringify(result)) : result;
        if (result instanceof jwt.Signer) o.returned = 'Signer';
      } catch (error) {
        o.error = { isError: error instanceof Error, trap: error instanceof WebAssembly.RuntimeError, message: error?.message, code: error?.code, field: error?.field };
      }
      // After every call, good or bad, the module still signs.
      o.nextWorks = signer.signPlaybackId('p1', {}).startsWith('eyJ');
      outcomes.push(o);
    }
    // As text, one outcome at a time: Playwright's own serializer gives up on this many.
    return outcomes.map((o) => JSON.stringify(o));
  }, { key: fixture('rsa2048-mux.txt') }).then((texts) => texts.map((text) => JSON.parse(text)));
  const publicKey = createPublicKey(fixture('rsa2048.public.pem'));
  const bad = [];
  let errors = 0, returned = 0;
  for (const o of outcomes) {
    if (!o.nextWorks) bad.push(`${o.i}: module broken`);
    if (o.error) {
      errors++;
      const e = o.error;
      if (!e.isError || e.trap || !e.message || !e.code || !e.field) bad.push(`${o.i}: ${JSON.stringify(e)}`);
      continue;
    }
    returned++;
    const { expect } = o;
    let problem = null;
    if (expect.kind === 'never') problem = 'returned, but these inputs cannot be valid';
    else if (expect.kind === 'token') problem = checkToken(o.returned, { ...expect, now: o.now }, publicKey);
    else if (expect.kind === 'value') problem = JSON.stringify(o.returned) === JSON.stringify(expect.value) ? null : `got ${JSON.stringify(o.returned)}`;
    else if (expect.kind === 'expiry') problem = o.returned.expiresAt === expect.exp && o.returned.expired === (expect.exp <= o.now) && o.returned.iso === new Date(expect.exp * 1000).toISOString().replace('.000Z', 'Z') ? null : `got ${JSON.stringify(o.returned)}`;
    else if (expect.kind === 'rejected') problem = o.returned.ok === false && o.returned.tokens.every((t) => t.findings.some((f) => f.severity === 'error')) ? null : `diagnosis ${JSON.stringify(o.returned).slice(0, 200)}`;
    else if (expect.kind === 'specs') problem = Array.isArray(o.returned) && o.returned.length > 0 && o.returned.every((spec) => spec.name && spec.kind) ? null : `specs ${JSON.stringify(o.returned)}`;
    else if (expect.kind === 'exp') problem = Math.abs(o.returned - (o.now + expect.seconds)) <= 2 ? null : `exp ${o.returned}`;
    else if (expect.kind === 'warnings') problem = o.returned.length === expect.names.length && expect.names.every((n, j) => o.returned[j].includes(`"${n}"`)) ? null : `warnings ${JSON.stringify(o.returned)} for ${JSON.stringify(expect.names)}`;
    if (problem) bad.push(`${o.i}: ${problem} (${JSON.stringify(expect).slice(0, 200)})`);
  }
  assert.deepEqual(bad, []);
  assert.ok(outcomes.length > 600, `${outcomes.length} calls`);
  // Both sides are exercised: most calls fail, and a fair number succeed and are checked.
  assert.ok(errors > outcomes.length * 0.7, `${errors} errors of ${outcomes.length}`);
  assert.ok(returned >= 30, `${returned} checked results`);
  console.log(`hostile corpus: ${outcomes.length} calls, ${errors} errors with a code, ${returned} results checked`);
});

test('after free(): every method, and a second free(), throws an Error (never a trap)', async () => {
  const outcomes = await page.evaluate(({ key }) => {
    const signer = new jwt.Signer('kid', key);
    signer.free();
    const methods = {
      keyId: () => signer.keyId,
      signPlaybackId: () => signer.signPlaybackId('p1', {}),
      signDrmLicense: () => signer.signDrmLicense('p1', {}),
      signViewerCounts: () => signer.signViewerCounts('p1', {}),
      publicKeyPem: () => signer.publicKeyPem(),
      publicJwk: () => signer.publicJwk(),
      thumbprint: () => signer.thumbprint(),
      keyInfo: () => signer.keyInfo(),
      verify: () => signer.verify('a.b.c'),
      'free again': () => signer.free(),
    };
    const out = {};
    for (const [name, call] of Object.entries(methods)) {
      try {
        call();
        out[name] = { threw: false };
      } catch (error) {
        out[name] = { threw: true, isError: error instanceof Error, trap: error instanceof WebAssembly.RuntimeError, message: error.message };
      }
    }
    out.nextWorks = jwt.signPlaybackId('p1', { keyId: 'kid', keySecret: key }).startsWith('eyJ');
    return out;
  }, { key: fixture('rsa2048-mux.txt') });
  assert.equal(outcomes.nextWorks, true);
  for (const [name, o] of Object.entries(outcomes)) {
    if (name === 'nextWorks') continue;
    assert.ok(o.threw && o.isError && !o.trap && o.message, `${name}: ${JSON.stringify(o)}`);
  }
});
