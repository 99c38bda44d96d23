// tests/endpoints/hostile.mjs against each runtime's example: Node, Bun, Deno and workerd.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_TOKEN, checkPrerequisites, findSecret, secretNeedles, startEndpoint } from './harness.mjs';
import { ENV, GOOD_ID, verifiedClaims } from './contract.mjs';
import { KINDS, dechunk, pool, prng, rawRequest } from './hostile.mjs';

const needles = secretNeedles();
const AUTH = { authorization: `Bearer ${API_TOKEN}` };
const WIDTH = 32; // connections at once for the malformed requests

/** A well-formed request gets tokens that verify. */
async function stillServes(endpoint) {
  const response = await fetch(`${endpoint.url}/tokens/${GOOD_ID}`, { headers: AUTH });
  assert.equal(response.status, 200);
  const body = await response.json();
  for (const token of Object.values(body.tokens)) assert.equal(verifiedClaims(token).sub, GOOD_ID);
}

// HOSTILE_RUNTIMES=node,deno narrows the run while working on one.
const RUNTIMES = (process.env.HOSTILE_RUNTIMES ?? 'node,bun,deno,workerd').split(',');
for (const runtime of RUNTIMES) {
  describe(`hostile HTTP: ${runtime}`, { concurrency: false }, () => {
    let endpoint;
    before(async () => {
      checkPrerequisites();
      endpoint = await startEndpoint(runtime, { ...ENV, ALLOWED_PLAYBACK_IDS: '' });
    });
    after(() => endpoint?.stop());

    test('10,000 malformed requests: each a 4xx/5xx or a closed connection, never a token or the key', async () => {
      const random = prng(20261202);
      const jobs = [];
      for (const [kind, [count, make]] of Object.entries(KINDS)) {
        for (let i = 0; i < count; i++) {
          const bytes = make(random);
          jobs.push(async () => ({ kind, answer: await rawRequest(endpoint.port, bytes) }));
        }
      }
      assert.equal(jobs.length, 10_000);
      const results = await pool(jobs, WIDTH);
      const tally = {};
      for (const { kind, answer } of results) {
        const where = `${kind}: ${answer.head.slice(0, 120)}`;
        assert.notEqual(answer.closedBy, 'client timeout', `${where}: no answer and no close in 10 s`);
        const body = dechunk(answer.head, answer.body);
        assert.equal(findSecret(answer.head + body, needles), null, `${where}: the key's text`);
        if (answer.status !== null) {
          assert.ok(answer.status >= 400 && answer.status <= 599, `${where}: status ${answer.status}`);
          // On node:http (Node, Bun) the server's clientError handler answers what the parser
          // refuses, so every answer is coded JSON; Deno's and workerd's parsers answer those
          // themselves (a bare 400/414/431/501) before any code of ours runs.
          if (runtime === 'node' || runtime === 'bun') assert.match(answer.head, /content-type:\s*application\/json/i, where);
          if (/content-type:\s*application\/json/i.test(answer.head)) {
            const json = JSON.parse(body);
            assert.equal(typeof json.error?.code, 'string', `${where}: a JSON error without a code`);
            assert.ok(!('tokens' in json), `${where}: tokens`);
          }
        }
        const key = `${kind} → ${answer.status ?? 'closed'}${/application\/json/i.test(answer.head) ? ' json' : ''}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      console.log(`# ${runtime}: ${JSON.stringify(tally)}`);
      await stillServes(endpoint);
      assert.equal(endpoint.output.some((line) => findSecret(line, needles)), false, 'the key in the log');
    });

    test('slow clients (a byte a second) block nobody; Node answers them 408 at its headersTimeout', async () => {
      const slow = Array.from({ length: 3 }, () => rawRequest(endpoint.port,
        Buffer.from(`GET /tokens/${GOOD_ID} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${API_TOKEN}\r\n\r\n`),
        { bytesPerSecond: 1, timeoutMs: runtime === 'node' ? 15_000 : 8_000 }));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await stillServes(endpoint); // served while the slow ones trickle
      const answers = await Promise.all(slow);
      for (const answer of answers) {
        assert.equal(answer.status === null || answer.status >= 400, true, `slow client got ${answer.status}`);
        // Node's headersTimeout (examples/node/server.mjs) answers 408 before our 15 s.
        if (runtime === 'node') assert.equal(answer.status, 408, answer.head);
      }
      await stillServes(endpoint);
    });

    test('200 well-formed requests in flight at once all get valid tokens', async () => {
      const ids = Array.from({ length: 200 }, (_, i) => `burst${i}`);
      const bodies = await Promise.all(ids.map(async (id) => {
        const response = await fetch(`${endpoint.url}/tokens/${id}`, { headers: AUTH });
        assert.equal(response.status, 200, id);
        return response.json();
      }));
      bodies.forEach((body, i) => {
        assert.equal(body.playbackId, ids[i]);
        assert.equal(verifiedClaims(body.tokens.playback).sub, ids[i]);
      });
      const exitedEarly = await Promise.race([endpoint.exited.then(() => true), Promise.resolve(false)]);
      assert.equal(exitedEarly, false, `${runtime} exited`);
    });
  });
}
