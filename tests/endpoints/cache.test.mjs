// The token cache of handler.mjs, in-process: here the clock can be moved (the `now` option)
// and 100,000 IDs are cheap. The real Signer (pkg/) where tokens are compared and verified with
// Node's crypto against the fixtures' public keys; stand-in Signers that count their calls where
// only the cache's bookkeeping is under test. The contract (contract.mjs) checks the same cache
// over HTTP in every runtime.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { createHandler } from '../../examples/handler.mjs';
import { API_TOKEN, ORIGIN, PUBLIC_KEY, fixture, jwtWith, realPkg } from './harness.mjs';
import { ENV, GOOD_ID, MARGIN, checkTokens, sameButExp, verifiedClaims } from './contract.mjs';

const TTL = Number(ENV.TOKEN_TTL_SECONDS);
const T0 = 1_900_000_000; // Unix seconds: the tests' clock starts here
const AUTH = { authorization: `Bearer ${API_TOKEN}` };
const OPEN = { ...ENV, ALLOWED_PLAYBACK_IDS: undefined }; // any playback ID
const quiet = () => {};
const NAMES = { video: 'playback-token', thumbnail: 'thumbnail-token', storyboard: 'storyboard-token', drm_license: 'drm-token' };

let pkg;
const realSigner = async () => (pkg ??= await realPkg()).Signer;

/** A clock the tests set: `clock.t` in Unix seconds, `clock.now()` in ms as Date.now. */
const clockAt = (t) => ({ t, now() { return this.t * 1000; } });

/** `Base` with its signPlaybackId calls counted in `.signs`. */
function counted(Base) {
  const Counted = class extends Base {
    signPlaybackId(...args) {
      Counted.signs += 1;
      return super.signPlaybackId(...args);
    }
  };
  Counted.signs = 0;
  return Counted;
}

/** A stand-in Signer: tokens that name the ID, type and exp, padded by `pad(id)` characters. */
const fakeSigner = (pad = () => 0) => class {
  keyInfo() { return { bits: 2048, formatLabel: 'stand-in' }; }
  signPlaybackId(id, { type, expiresAt }) {
    return Object.fromEntries(type.map((t) => [NAMES[t], `${t}.${id}.${expiresAt}.${'x'.repeat(pad(id))}`]));
  }
};

async function handler(Signer, { env = OPEN, clock = clockAt(T0), cache } = {}) {
  return createHandler({ jwt: await jwtWith(Signer), env, log: quiet, now: () => clock.now(), ...(cache === undefined ? {} : { cache }) });
}

async function get(handle, path = `/tokens/${GOOD_ID}`, headers = AUTH) {
  const res = await handle(new Request(`http://127.0.0.1${path}`, { headers }));
  const text = await res.text();
  assert.equal(res.headers.get('cache-control'), 'no-store', `Cache-Control on ${path}`);
  return { res, text, body: res.status === 200 ? JSON.parse(text) : null };
}

describe('token cache with the real Signer', () => {
  test('a cached answer equals a fresh one but for exp (video, thumbnail, storyboard; and with DRM)', async () => {
    const Signer = await realSigner();
    const clock = clockAt(T0);
    const cached = await handler(Signer, { clock });
    const uncached = await handler(Signer, { clock, cache: false });
    for (const [path, drm] of [[`/tokens/${GOOD_ID}`, false], [`/tokens/${GOOD_ID}?drm=1`, true]]) {
      clock.t = T0;
      const first = await get(cached, path);
      checkTokens(first.body, GOOD_ID, { now: T0, maxAge: 0, drm });
      clock.t = T0 + 100;
      const again = await get(cached, path);
      assert.equal(again.text, first.text, 'served from the cache');
      const fresh = await get(uncached, path);
      checkTokens(fresh.body, GOOD_ID, { now: clock.t, maxAge: 0, drm });
      checkTokens(again.body, GOOD_ID, { now: clock.t, maxAge: 100, drm });
      assert.equal(fresh.body.expiresAt, again.body.expiresAt + 100);
      sameButExp(again.body, fresh.body);
    }
  });

  test('never served at or past refreshAt: signed anew there, every answer with more than the margin left', async () => {
    const Signer = counted(await realSigner());
    const clock = clockAt(T0);
    const handle = await handler(Signer, { clock });
    const first = await get(handle);
    clock.t = first.body.refreshAt - 1;
    assert.equal((await get(handle)).text, first.text, 'one second before refreshAt: cached');
    clock.t = first.body.refreshAt;
    const renewed = await get(handle);
    checkTokens(renewed.body, GOOD_ID, { now: clock.t, maxAge: 0 });
    assert.equal(renewed.body.expiresAt, first.body.refreshAt + TTL, 'at refreshAt: signed at that second');
    assert.equal(Signer.signs, 2);

    // Walk the clock over three lifetimes in steps that fall on no boundary: a new signing
    // exactly when the last answer's refreshAt has come, the cached text otherwise.
    const walker = counted(await realSigner());
    const walked = await handler(walker, { clock });
    let last = null;
    let expected = 0;
    for (let t = T0; t < T0 + 3 * TTL; t += 97) {
      clock.t = t;
      const a = await get(walked);
      if (!last || t >= last.body.refreshAt) {
        expected += 1;
        assert.equal(a.body.expiresAt, t + TTL, `t=${t}: signed anew`);
        for (const token of Object.values(a.body.tokens)) verifiedClaims(token);
        last = a;
      } else {
        assert.equal(a.text, last.text, `t=${t}: cached`);
      }
      assert.ok(t < a.body.refreshAt && a.body.expiresAt - t > MARGIN, `t=${t}: more than ${MARGIN} s left`);
    }
    assert.equal(walker.signs, expected);
    assert.ok(expected >= 4, 'the walk crossed several refreshes');
  });

  test('a key change empties it: a new handler with another key serves tokens only that key verifies', async () => {
    const Signer = await realSigner();
    const clock = clockAt(T0);
    const otherPem = fixture('rsa3072.pem');
    const otherPublic = createPublicKey(otherPem).export({ type: 'spki', format: 'pem' });
    const before = await handler(Signer, { clock });
    const old = await get(before);
    const after = await handler(Signer, { clock, env: { ...OPEN, MUX_PRIVATE_KEY: otherPem } });
    assert.equal(after.cacheStats().entries, 0, 'a new handler starts empty');
    const renewed = await get(after);
    checkTokens(renewed.body, GOOD_ID, { now: T0, maxAge: 0, publicKey: otherPublic });
    for (const token of Object.values(renewed.body.tokens)) {
      assert.throws(() => verifiedClaims(token, PUBLIC_KEY), /signature verifies/, 'the old key must not verify it');
    }
    assert.notEqual(renewed.text, old.text);
    sameButExp(old.body, renewed.body); // same claims and header, other signature
  });
});

describe('token cache bookkeeping (stand-in Signers)', () => {
  test('100,000 distinct IDs: entries and bytes never over the bounds, the most recent ones kept', async () => {
    const maxEntries = 2000;
    const maxBytes = 2 ** 20;
    const N = 100_000;
    const id = (i) => `id-${i}`;
    // Small answers for the first half (the entry bound binds), large ones after (the byte bound binds).
    const Signer = counted(fakeSigner((playbackId) => (Number(playbackId.slice(3)) < N / 2 ? 0 : 1200)));
    const handle = await handler(Signer, { cache: { maxEntries, maxBytes } });
    const texts = [];
    let largest = 0;
    for (let i = 0; i < N; i++) {
      const { res, text } = await get(handle, `/tokens/${id(i)}`);
      assert.equal(res.status, 200);
      texts.push(text.length);
      largest = Math.max(largest, text.length);
      const { entries, bytes } = handle.cacheStats();
      if (entries > maxEntries || bytes > maxBytes) assert.fail(`after ${i + 1} IDs: ${entries} entries, ${bytes} bytes`);
      if (i === N / 2 - 1) assert.equal(entries, maxEntries, 'small answers: the entry bound binds');
    }
    const stats = handle.cacheStats();
    assert.equal(Signer.signs, N);
    assert.ok(stats.entries < maxEntries, 'large answers: the byte bound binds first');
    assert.ok(stats.bytes > maxBytes - 2 * largest, 'and the bytes are used up to it');
    // The bytes counted are at least the answers' own text.
    const kept = texts.slice(N - stats.entries).reduce((a, b) => a + b, 0);
    assert.ok(stats.bytes >= kept, `${stats.bytes} bytes counted for ${kept} bytes of answers`);
    assert.equal(stats.evictions, N - stats.entries);
    // Held: exactly the most recent `entries` IDs (hits, no signing); the one before was evicted.
    for (let i = N - stats.entries; i < N; i++) await get(handle, `/tokens/${id(i)}`);
    assert.equal(Signer.signs, N, 'the most recent IDs are served from the cache');
    await get(handle, `/tokens/${id(N - stats.entries - 1)}`);
    assert.equal(Signer.signs, N + 1, 'the least recent one was evicted');
  });

  test('least recently used first: a hit keeps an entry, the oldest untouched one goes', async () => {
    const Signer = counted(fakeSigner());
    const handle = await handler(Signer, { cache: { maxEntries: 3 } });
    for (const id of ['A', 'B', 'C', 'A', 'D']) await get(handle, `/tokens/${id}`); // D evicts B, not A
    assert.equal(Signer.signs, 4);
    await get(handle, '/tokens/A');
    assert.equal(Signer.signs, 4, 'A was kept');
    await get(handle, '/tokens/B');
    assert.equal(Signer.signs, 5, 'B was evicted');
    assert.equal(handle.cacheStats().entries, 3);
  });

  test('authorisation runs first: refused requests never reach the cache nor get its tokens', async () => {
    const Signer = counted(fakeSigner());
    const handle = await handler(Signer, { env: { ...ENV, ALLOWED_PLAYBACK_IDS: GOOD_ID } });
    await get(handle); // cached
    const before = handle.cacheStats();
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${API_TOKEN}x` }]) {
      const { res, text } = await get(handle, `/tokens/${GOOD_ID}`, headers);
      assert.equal(res.status, 401);
      assert.deepEqual(Object.keys(JSON.parse(text)), ['error']);
      assert.ok(!text.includes(GOOD_ID), 'no token in a refused answer');
    }
    assert.equal((await get(handle, '/tokens/other')).res.status, 403);
    assert.deepEqual(handle.cacheStats(), before, 'no lookup, no entry');
    assert.equal(Signer.signs, 1);
  });

  test('the key holds the token set: ?drm=1 and without it are separate entries', async () => {
    const Signer = counted(fakeSigner());
    const handle = await handler(Signer);
    const withDrm = await get(handle, `/tokens/${GOOD_ID}?drm=1`);
    const without = await get(handle, `/tokens/${GOOD_ID}`);
    const zero = await get(handle, `/tokens/${GOOD_ID}?drm=0`);
    assert.deepEqual(Object.keys(withDrm.body.tokens), ['playback', 'thumbnail', 'storyboard', 'drm']);
    assert.deepEqual(Object.keys(without.body.tokens), ['playback', 'thumbnail', 'storyboard']);
    assert.equal(zero.text, without.text, 'drm=0 is the same request as no drm');
    assert.equal(Signer.signs, 2);
  });

  test('headers are made per request: CORS follows each Origin, no-store on every cached answer', async () => {
    const handle = await handler(fakeSigner());
    const a = await get(handle, `/tokens/${GOOD_ID}`, { ...AUTH, origin: ORIGIN });
    const b = await get(handle, `/tokens/${GOOD_ID}`, { ...AUTH, origin: 'https://evil.example' });
    const c = await get(handle, `/tokens/${GOOD_ID}`, { ...AUTH, origin: 'http://localhost:5173' });
    assert.equal(handle.cacheStats().hits, 2);
    assert.equal(a.res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(b.res.headers.get('access-control-allow-origin'), null);
    assert.equal(c.res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(c.res.headers.get('content-type'), /^application\/json/);
    assert.equal(a.text, c.text);
  });

  test('concurrent misses for one key share one signing', async () => {
    let signs = 0;
    const slow = class extends fakeSigner() {
      async signPlaybackId(...args) {
        signs += 1;
        await new Promise((r) => setTimeout(r, 20));
        return super.signPlaybackId(...args);
      }
    };
    const handle = await handler(slow);
    const answers = await Promise.all(Array.from({ length: 16 }, () => get(handle)));
    assert.equal(signs, 1);
    assert.ok(answers.every((a) => a.res.status === 200 && a.text === answers[0].text));
  });

  test('a failed signing is not kept: the next request signs again', async () => {
    let calls = 0;
    const flaky = class extends fakeSigner() {
      signPlaybackId(...args) {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('bad id'), { code: 'id_invalid' });
        return super.signPlaybackId(...args);
      }
    };
    const handle = await handler(flaky);
    assert.equal((await get(handle)).res.status, 400);
    assert.equal(handle.cacheStats().entries, 0);
    assert.equal((await get(handle)).res.status, 200);
    assert.equal((await get(handle)).res.status, 200);
    assert.equal(calls, 2);
  });

  test('off: cache false, maxEntries 0 or TOKEN_CACHE_ENTRIES=0 sign every request; bad bounds refused', async () => {
    for (const options of [{ cache: false }, { cache: { maxEntries: 0 } }, { env: { ...OPEN, TOKEN_CACHE_ENTRIES: '0' } }]) {
      const Signer = counted(fakeSigner());
      const handle = await handler(Signer, options);
      for (let i = 0; i < 3; i++) await get(handle);
      assert.equal(Signer.signs, 3, JSON.stringify(options));
      assert.equal(handle.cacheStats(), null);
    }
    const defaults = (await handler(fakeSigner())).cacheStats();
    assert.deepEqual([defaults.maxEntries, defaults.maxBytes], [10_000, 32 * 2 ** 20]);
    assert.equal((await handler(fakeSigner(), { env: { ...OPEN, TOKEN_CACHE_ENTRIES: ' 5 ' } })).cacheStats().maxEntries, 5);
    for (const value of ['-1', '1.5', 'ten', '1000001']) {
      await assert.rejects(handler(fakeSigner(), { env: { ...OPEN, TOKEN_CACHE_ENTRIES: value } }), /^Error: TOKEN_CACHE_ENTRIES must be/);
    }
    for (const cache of [{ maxEntries: -1 }, { maxEntries: 2.5 }, { maxBytes: -1 }, { maxBytes: 'big' }, 'yes', null]) {
      await assert.rejects(handler(fakeSigner(), { cache }), /^Error: cache/, JSON.stringify(cache));
    }
  });
});
