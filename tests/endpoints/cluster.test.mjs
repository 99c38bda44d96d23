// examples/node/cluster.mjs, started for real: one server.mjs per worker on one port, every
// answer's tokens verified, a stop that ends them all, and a bad key that stops the cluster
// at start-up instead of restarting workers for ever. (The whole contract runs against
// server.mjs in node.test.mjs; each worker is that same server.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_TOKEN, KEY, checkPrerequisites, findSecret, startEndpoint } from './harness.mjs';
import { ENV, MARGIN, checkTokens } from './contract.mjs';
import { loadRun } from './load.mjs';

const WORKERS = 2;
const OPEN = { ...ENV, ALLOWED_PLAYBACK_IDS: undefined, WORKERS: String(WORKERS) };

/** Whether a process (or, for -pgid, any process of a group) still runs. */
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('node:cluster (examples/node/cluster.mjs)', () => {
  test(`${WORKERS} workers on one port: 400 requests over 40 IDs, 16 at a time, every token verified; stop ends them all`, async () => {
    checkPrerequisites();
    const server = await startEndpoint('node-cluster', OPEN);
    try {
      // Every worker says so when its key is parsed and again when it listens.
      const deadline = Date.now() + 10_000;
      while (server.output.filter((l) => /listening on/.test(l)).length < WORKERS && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(server.output.filter((l) => /^token endpoint: signing key /.test(l)).length, WORKERS, server.output.join('\n'));
      assert.equal(server.output.filter((l) => /listening on/.test(l)).length, WORKERS);
      const id = (i) => `cluster-${i % 40}`;
      const run = await loadRun((i) => `${server.url}/tokens/${id(i)}`, {
        requests: 400,
        concurrency: 16,
        headers: { authorization: `Bearer ${API_TOKEN}` },
        deadlineMs: 120_000,
        check: (status, text, headers, i) => {
          if (status !== 200) return `status ${status}: ${text}`;
          if (headers['cache-control'] !== 'no-store') return 'no Cache-Control: no-store';
          try {
            checkTokens(JSON.parse(text), id(i), { maxAge: Number(ENV.TOKEN_TTL_SECONDS) - MARGIN });
          } catch (error) {
            return `request ${i}: ${error.message}`;
          }
          return null;
        },
      });
      assert.equal(run.errors, 0, run.firstError ?? '');
      assert.equal(run.ok, 400);
    } finally {
      await server.stop();
    }
    // The workers share the primary's process group: none of it is left.
    assert.ok(!alive(-server.pid), 'no process of the cluster is left');
  });

  test('a key that cannot be used: the cluster stops at start-up with a non-zero exit, without the key', async () => {
    checkPrerequisites();
    const server = await startEndpoint('node-cluster', { ...OPEN, MUX_PRIVATE_KEY: KEY.slice(0, 1200) }, { waitReady: false });
    const timer = setTimeout(() => server.stop(), 15_000);
    const { code } = await server.exited;
    clearTimeout(timer);
    await server.stop();
    assert.notEqual(code, 0);
    const log = server.output.join('\n');
    assert.match(log, /MUX_PRIVATE_KEY cannot be used/);
    assert.match(log, /a worker stopped at start-up/);
    assert.equal(findSecret(log), null, 'the key is in the output');
  });
});
