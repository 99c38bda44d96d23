// The common contract of examples/*: one suite, run against each runtime by <runtime>.test.mjs.
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  API_TOKEN, KEY, KEY_ID, ORIGIN, PUBLIC_KEY, checkPrerequisites, findSecret, secretNeedles, startEndpoint,
} from './harness.mjs';
import { loadRun } from './load.mjs';

export const GOOD_ID = 'a4nOgmxGWg6gULfcBbAa00gXyfcwPnAFldF8RdsNyk8';
const OTHER_ID = 'abc123';
const NOT_ALLOWED_ID = 'notInTheAllowlist01';
const TTL = 1800;
/** The refresh margin: expiresAt - refreshAt, the least lifetime any answer's tokens have left. */
export const MARGIN = Math.min(900, Math.floor(TTL / 4));
const LOAD_REQUESTS = Number(process.env.ENDPOINT_LOAD_REQUESTS || 300);
const LOAD_CONCURRENCY = Number(process.env.ENDPOINT_LOAD_CONCURRENCY || 16);

export const ENV = {
  MUX_SIGNING_KEY: KEY_ID,
  MUX_PRIVATE_KEY: KEY,
  API_TOKEN,
  ALLOWED_ORIGINS: `${ORIGIN}, http://localhost:5173`,
  ALLOWED_PLAYBACK_IDS: `${GOOD_ID},${OTHER_ID}`,
  TOKEN_TTL_SECONDS: String(TTL),
};
const AUTH = { authorization: `Bearer ${API_TOKEN}` };
const needles = secretNeedles();

/** A token's header and claims, decoded with Buffer alone (no code of ours), and its parts. */
export function tokenParts(token) {
  assert.equal(typeof token, 'string');
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'a JWS compact token');
  return {
    parts,
    header: JSON.parse(Buffer.from(parts[0], 'base64url')),
    claims: JSON.parse(Buffer.from(parts[1], 'base64url')),
  };
}

/** Decodes and checks one token: RS256 signature by `publicKey` (the fixture's), then returns its claims. */
export function verifiedClaims(token, publicKey = PUBLIC_KEY) {
  const { parts, header, claims } = tokenParts(token);
  const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url'));
  assert.ok(ok, 'the signature verifies against the key\'s public key (tests/fixtures/)');
  assert.equal(header.alg, 'RS256');
  return claims;
}

/**
 * Checks a 200 body's shape and every token; returns the body. `maxAge`: how many seconds
 * before `now` the tokens may have been signed (a cached answer is as old as its first request).
 */
export function checkTokens(body, playbackId, { drm = false, now = Math.floor(Date.now() / 1000), expTolerance = 0, maxAge = 5, ttl = TTL, publicKey } = {}) {
  assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'playbackId', 'refreshAt', 'tokens']);
  assert.equal(body.playbackId, playbackId);
  assert.deepEqual(Object.keys(body.tokens).sort(),
    drm ? ['drm', 'playback', 'storyboard', 'thumbnail'] : ['playback', 'storyboard', 'thumbnail']);
  assert.ok(Number.isInteger(body.expiresAt) && Number.isInteger(body.refreshAt));
  assert.equal(body.expiresAt - body.refreshAt, Math.min(900, Math.floor(ttl / 4)), 'refreshAt is min(900 s, TTL / 4) before expiresAt');
  assert.ok(body.refreshAt > now, 'refreshAt is in the future: the tokens have more than the margin left');
  assert.ok(body.expiresAt <= now + ttl + 5, 'expiresAt is at most now + TOKEN_TTL_SECONDS');
  assert.ok(body.expiresAt >= now + ttl - maxAge, `expiresAt is now + TOKEN_TTL_SECONDS, signed at most ${maxAge} s ago`);
  const auds = { playback: 'v', thumbnail: 't', storyboard: 's', drm: 'd' };
  for (const [name, token] of Object.entries(body.tokens)) {
    const claims = verifiedClaims(token, publicKey);
    assert.equal(claims.aud, auds[name], `aud of the ${name} token`);
    assert.equal(claims.sub, playbackId, `sub of the ${name} token`);
    assert.equal(claims.kid, KEY_ID, `kid of the ${name} token`);
    if (expTolerance) assert.ok(Math.abs(claims.exp - body.expiresAt) <= expTolerance, `exp of the ${name} token`);
    else assert.equal(claims.exp, body.expiresAt, `exp of the ${name} token is expiresAt`);
  }
  return body;
}

/**
 * Asserts that two 200 bodies (each already checked by checkTokens) are the same answer but for
 * when they were signed: same fields, same token names, every token's header and claims equal
 * but for `exp`, which is each body's own expiresAt.
 */
export function sameButExp(a, b) {
  assert.deepEqual(Object.keys(a), Object.keys(b), 'the same fields in the same order');
  assert.equal(a.playbackId, b.playbackId);
  assert.equal(a.expiresAt - a.refreshAt, b.expiresAt - b.refreshAt);
  assert.deepEqual(Object.keys(a.tokens), Object.keys(b.tokens), 'the same tokens in the same order');
  for (const name of Object.keys(a.tokens)) {
    const [x, y] = [tokenParts(a.tokens[name]), tokenParts(b.tokens[name])];
    assert.deepEqual(x.header, y.header, `the ${name} token's header`);
    assert.deepEqual(Object.keys(x.claims), Object.keys(y.claims), `the ${name} token's claim names, in order`);
    assert.deepEqual({ ...x.claims, exp: 0 }, { ...y.claims, exp: 0 }, `the ${name} token's claims but exp`);
    assert.equal(x.claims.exp, a.expiresAt);
    assert.equal(y.claims.exp, b.expiresAt);
  }
}

/**
 * Runs the whole contract against one runtime's example: good requests, every error, CORS,
 * the allowlist, API_TOKEN unset, no key in any answer or log line, and a load run.
 */
export function describeEndpoint(runtime) {
  describe(`${runtime} endpoint`, () => {
    let server;
    let denyAll; // the same example with API_TOKEN unset
    let noCache; // the same example with TOKEN_CACHE_ENTRIES=0: signs every request
    let startedAt; // Unix seconds before the first request: no cached answer is older
    const seen = []; // every response's status line, headers and body, checked for the key

    /** fetch + a record of the whole answer; every answer must carry Cache-Control: no-store. */
    async function call(path, init = {}) {
      const res = await fetch(`${init.base ?? server.url}${path}`, { ...init, redirect: 'manual' });
      const text = await res.text();
      seen.push(`${res.status} ${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`);
      assert.equal(res.headers.get('cache-control'), 'no-store', `Cache-Control on ${init.method ?? 'GET'} ${path}`);
      return { res, text, json: () => JSON.parse(text) };
    }

    async function expectError(path, status, code, init) {
      const { res, json, text } = await call(path, init);
      assert.equal(res.status, status, `${init?.method ?? 'GET'} ${path}: ${text}`);
      if (init?.method === 'HEAD') return res;
      assert.match(res.headers.get('content-type'), /^application\/json/);
      const body = json();
      assert.deepEqual(Object.keys(body), ['error']);
      assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
      assert.equal(body.error.code, code);
      assert.equal(typeof body.error.message, 'string');
      return res;
    }

    before(async () => {
      checkPrerequisites();
      [server, denyAll, noCache] = await Promise.all([
        startEndpoint(runtime, ENV),
        startEndpoint(runtime, { ...ENV, API_TOKEN: undefined }),
        startEndpoint(runtime, { ...ENV, TOKEN_CACHE_ENTRIES: '0' }),
      ]);
      startedAt = Math.floor(Date.now() / 1000);
    });

    after(async () => {
      await Promise.all([server?.stop(), denyAll?.stop(), noCache?.stop()]);
    });

    /** A 200 answer's text and body, checked; `maxAge` from the suite's start (it may be cached). */
    async function tokensFrom(base, path) {
      const { res, text, json } = await call(path, { headers: AUTH, base });
      assert.equal(res.status, 200, text);
      const now = Math.floor(Date.now() / 1000);
      return { text, body: checkTokens(json(), GOOD_ID, { now, maxAge: now - startedAt + 1 }) };
    }

    test('a good request: three tokens signed by the key, right aud, sub, kid and exp', async () => {
      const { res, json } = await call(`/tokens/${GOOD_ID}`, { headers: AUTH });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      checkTokens(json(), GOOD_ID);
    });

    test('?drm=1 adds a DRM license token (aud d); drm=0 does not', async () => {
      const withDrm = await call(`/tokens/${OTHER_ID}?drm=1`, { headers: AUTH });
      assert.equal(withDrm.res.status, 200);
      checkTokens(withDrm.json(), OTHER_ID, { drm: true });
      const without = await call(`/tokens/${OTHER_ID}?drm=0`, { headers: AUTH });
      checkTokens(without.json(), OTHER_ID);
      await expectError(`/tokens/${OTHER_ID}?drm=yes`, 400, 'invalid_query', { headers: AUTH });
    });

    test('the cache: a repeated request gets the first answer byte for byte; a fresh one differs only in exp', async () => {
      const first = await tokensFrom(server.url, `/tokens/${GOOD_ID}`);
      // Wait (at most a second) until a fresh signing would give another exp, so that equal
      // answers can only come from the cache.
      const signedAt = first.body.expiresAt - TTL;
      while (Math.floor(Date.now() / 1000) <= signedAt) await new Promise((r) => setTimeout(r, 50));
      const again = await tokensFrom(server.url, `/tokens/${GOOD_ID}`);
      assert.equal(again.text, first.text, 'the cached answer is the first one');
      const fresh = await tokensFrom(noCache.url, `/tokens/${GOOD_ID}`);
      assert.ok(fresh.body.expiresAt > again.body.expiresAt, 'the endpoint without a cache signed anew');
      sameButExp(again.body, fresh.body);
    });

    test('the cache answers only authorised requests: 401 and 403 as before, without tokens', async () => {
      await tokensFrom(server.url, `/tokens/${GOOD_ID}`); // cached now, if it was not before
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${API_TOKEN}` }]) {
        const res = await expectError(`/tokens/${GOOD_ID}`, 401, 'unauthorized', { headers });
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      }
      await expectError(`/tokens/${GOOD_ID}`, 401, 'unauthorized', { headers: AUTH, base: denyAll.url });
      await expectError(`/tokens/${NOT_ALLOWED_ID}`, 403, 'forbidden', { headers: AUTH });
      assert.ok(!seen.some((answer) => /^40[13] /.test(answer) && answer.includes('eyJ')), 'a refused answer carries a token');
    });

    test('401 without a token, with a wrong one, a prefix of it, or another scheme', async () => {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${API_TOKEN}x`,
        `Bearer ${API_TOKEN.slice(0, -1)}`, `Basic ${API_TOKEN}`, API_TOKEN, 'Bearer ', `Bearer ${API_TOKEN} extra`]) {
        const headers = authorization === undefined ? {} : { authorization };
        const res = await expectError(`/tokens/${GOOD_ID}`, 401, 'unauthorized', { headers });
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      }
      // The scheme is case-insensitive (RFC 9110 §11.1).
      assert.equal((await call(`/tokens/${GOOD_ID}`, { headers: { authorization: `bearer ${API_TOKEN}` } })).res.status, 200);
    });

    test('API_TOKEN unset: every request is denied, whatever it sends', async () => {
      for (const authorization of [undefined, 'Bearer ', 'Bearer undefined', 'Bearer null', `Bearer ${API_TOKEN}`]) {
        const headers = authorization === undefined ? {} : { authorization };
        await expectError(`/tokens/${GOOD_ID}`, 401, 'unauthorized', { headers, base: denyAll.url });
      }
    });

    test('400 for a malformed playback ID (the signer\'s rule: 1 to 255 URL-safe characters)', async () => {
      for (const id of ['bad!id', '%3Cscript%3E', 'a%20b', 'x'.repeat(256), '%00', 'abc%2Fdef', '']) {
        await expectError(`/tokens/${id}`, 400, 'invalid_playback_id', { headers: AUTH });
      }
      // At the limit it is well-formed: refused only by the allowlist.
      await expectError(`/tokens/${'x'.repeat(255)}`, 403, 'forbidden', { headers: AUTH });
    });

    test('403 for a well-formed playback ID outside ALLOWED_PLAYBACK_IDS', async () => {
      await expectError(`/tokens/${NOT_ALLOWED_ID}`, 403, 'forbidden', { headers: AUTH });
      // …and still 401 first for a caller without the token.
      await expectError(`/tokens/${NOT_ALLOWED_ID}`, 401, 'unauthorized');
    });

    test('404 for other paths', async () => {
      for (const path of ['/', '/tokens', `/tokens/${GOOD_ID}/extra`, '/token/abc', '/favicon.ico', `/TOKENS/${GOOD_ID}`]) {
        await expectError(path, 404, 'not_found', { headers: AUTH });
      }
    });

    test('405 for other methods, with Allow', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const res = await expectError(`/tokens/${GOOD_ID}`, 405, 'method_not_allowed', { method, headers: AUTH });
        assert.equal(res.headers.get('allow'), 'GET, OPTIONS');
      }
      const head = await expectError(`/tokens/${GOOD_ID}`, 405, null, { method: 'HEAD', headers: AUTH });
      assert.equal(head.headers.get('allow'), 'GET, OPTIONS');
    });

    test('CORS only for configured origins, preflight included', async () => {
      const allowed = await call(`/tokens/${GOOD_ID}`, { headers: { ...AUTH, origin: ORIGIN } });
      assert.equal(allowed.res.status, 200);
      assert.equal(allowed.res.headers.get('access-control-allow-origin'), ORIGIN);
      assert.match(allowed.res.headers.get('vary') ?? '', /origin/i);
      const second = await call(`/tokens/${GOOD_ID}`, { headers: { ...AUTH, origin: 'http://localhost:5173' } });
      assert.equal(second.res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
      for (const origin of ['https://evil.example', `${ORIGIN}.evil.example`, 'null', ORIGIN.replace('https', 'http')]) {
        const other = await call(`/tokens/${GOOD_ID}`, { headers: { ...AUTH, origin } });
        assert.equal(other.res.status, 200);
        assert.equal(other.res.headers.get('access-control-allow-origin'), null, origin);
      }
      // Errors carry CORS too, so a browser app can read why it was refused.
      const denied = await expectError(`/tokens/${GOOD_ID}`, 401, 'unauthorized', { headers: { origin: ORIGIN } });
      assert.equal(denied.headers.get('access-control-allow-origin'), ORIGIN);

      const preflight = { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } };
      const ok = await call(`/tokens/${GOOD_ID}`, preflight);
      assert.equal(ok.res.status, 204);
      assert.equal(ok.res.headers.get('access-control-allow-origin'), ORIGIN);
      assert.match(ok.res.headers.get('access-control-allow-methods'), /\bGET\b/);
      assert.match(ok.res.headers.get('access-control-allow-headers'), /authorization/i);
      const refused = await call(`/tokens/${GOOD_ID}`, { ...preflight, headers: { ...preflight.headers, origin: 'https://evil.example' } });
      assert.equal(refused.res.headers.get('access-control-allow-origin'), null);
      assert.equal(refused.res.headers.get('access-control-allow-methods'), null);
    });

    test(`load: ${LOAD_REQUESTS} requests, ${LOAD_CONCURRENCY} at a time, 0 errors, every token verified`, async (t) => {
      let i = 0;
      const run = await loadRun(`${server.url}/tokens/${GOOD_ID}`, {
        requests: LOAD_REQUESTS,
        concurrency: LOAD_CONCURRENCY,
        headers: AUTH,
        deadlineMs: 60_000,
        check: (status, text, headers) => {
          i += 1;
          if (status !== 200) return `status ${status}: ${text}`;
          if (headers['cache-control'] !== 'no-store') return 'no Cache-Control: no-store';
          if (findSecret(text, needles)) return 'the key is in a response';
          try {
            const now = Math.floor(Date.now() / 1000);
            checkTokens(JSON.parse(text), GOOD_ID, { now, maxAge: now - startedAt + 1 });
          } catch (error) {
            return `request ${i}: ${error.message}`;
          }
          return null;
        },
      });
      assert.equal(run.errors, 0, run.firstError ?? '');
      assert.equal(run.ok, LOAD_REQUESTS);
      t.diagnostic(`${runtime}: ${(LOAD_REQUESTS / (run.elapsedMs / 1000)).toFixed(1)} requests/s over ${run.elapsedMs} ms`);
    });

    test('the key never appears in a response (status, headers, body) or a log line', async () => {
      assert.ok(seen.length > 20, 'the tests above recorded their answers');
      for (const answer of seen) assert.equal(findSecret(answer, needles), null, 'a response carries the key');
      const logs = [...server.output, ...denyAll.output, ...noCache.output];
      for (const line of logs) assert.equal(findSecret(line, needles), null, `a log line carries the key: ${line.slice(0, 40)}…`);
      assert.ok(!logs.some((line) => line.includes(API_TOKEN)), 'API_TOKEN is never logged');
    });
  });
}
