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

/** Decodes and checks one token: RS256 signature by the fixture key, then returns its parts. */
export function verifiedClaims(token) {
  assert.equal(typeof token, 'string');
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'a JWS compact token');
  const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), PUBLIC_KEY, Buffer.from(parts[2], 'base64url'));
  assert.ok(ok, 'the signature verifies against tests/fixtures/rsa2048.public.pem');
  const header = JSON.parse(Buffer.from(parts[0], 'base64url'));
  assert.equal(header.alg, 'RS256');
  return JSON.parse(Buffer.from(parts[1], 'base64url'));
}

/** Checks a 200 body's shape and every token; returns the body. */
export function checkTokens(body, playbackId, { drm = false, now = Math.floor(Date.now() / 1000), expTolerance = 0 } = {}) {
  assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'playbackId', 'refreshAt', 'tokens']);
  assert.equal(body.playbackId, playbackId);
  assert.deepEqual(Object.keys(body.tokens).sort(),
    drm ? ['drm', 'playback', 'storyboard', 'thumbnail'] : ['playback', 'storyboard', 'thumbnail']);
  assert.ok(Number.isInteger(body.expiresAt) && Number.isInteger(body.refreshAt));
  assert.ok(body.refreshAt < body.expiresAt, 'refreshAt is before expiresAt');
  assert.ok(body.refreshAt > now, 'refreshAt is in the future');
  assert.ok(Math.abs(body.expiresAt - (now + TTL)) <= 5, 'expiresAt is now + TOKEN_TTL_SECONDS');
  const auds = { playback: 'v', thumbnail: 't', storyboard: 's', drm: 'd' };
  for (const [name, token] of Object.entries(body.tokens)) {
    const claims = verifiedClaims(token);
    assert.equal(claims.aud, auds[name], `aud of the ${name} token`);
    assert.equal(claims.sub, playbackId, `sub of the ${name} token`);
    assert.equal(claims.kid, KEY_ID, `kid of the ${name} token`);
    if (expTolerance) assert.ok(Math.abs(claims.exp - body.expiresAt) <= expTolerance, `exp of the ${name} token`);
    else assert.equal(claims.exp, body.expiresAt, `exp of the ${name} token is expiresAt`);
  }
  return body;
}

/**
 * Runs the whole contract against one runtime's example: good requests, every error, CORS,
 * the allowlist, API_TOKEN unset, no key in any answer or log line, and a load run.
 */
export function describeEndpoint(runtime) {
  describe(`${runtime} endpoint`, () => {
    let server;
    let denyAll; // the same example with API_TOKEN unset
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
      [server, denyAll] = await Promise.all([
        startEndpoint(runtime, ENV),
        startEndpoint(runtime, { ...ENV, API_TOKEN: undefined }),
      ]);
    });

    after(async () => {
      await Promise.all([server?.stop(), denyAll?.stop()]);
    });

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

    test('400 for a malformed playback ID', async () => {
      for (const id of ['bad!id', '%3Cscript%3E', 'a%20b', 'x'.repeat(129), '%00', 'abc%2Fdef', '']) {
        await expectError(`/tokens/${id}`, 400, 'invalid_playback_id', { headers: AUTH });
      }
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
            checkTokens(JSON.parse(text), GOOD_ID);
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
      const logs = [...server.output, ...denyAll.output];
      for (const line of logs) assert.equal(findSecret(line, needles), null, `a log line carries the key: ${line.slice(0, 40)}…`);
      assert.ok(!logs.some((line) => line.includes(API_TOKEN)), 'API_TOKEN is never logged');
    });
  });
}
