// A bounded load run against a token endpoint: `requests` GETs, `concurrency` in flight at once,
// over keep-alive connections. Shared by the tests (0 errors) and bench/endpoints.mjs.
import { Agent, request } from 'node:http';

/**
 * Runs the load and resolves to { ok, errors, firstError, elapsedMs, latenciesMs (sorted) }.
 * `url` is one URL, or `(i) => url` for request i (0-based). `check(status, body, headers, i)`
 * returns an error string for a bad answer, or null.
 */
export async function loadRun(url, { requests, concurrency, headers = {}, check = () => null, deadlineMs = 120_000 }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs = [];
  let next = 0;
  let ok = 0;
  let errors = 0;
  let firstError = null;
  const deadline = Date.now() + deadlineMs;
  const fail = (message) => {
    errors += 1;
    firstError ??= message;
  };

  const one = (i) => new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = request(typeof url === 'function' ? url(i) : url, { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
        const problem = check(res.statusCode, Buffer.concat(chunks).toString('utf8'), res.headers, i);
        if (problem) fail(problem); else ok += 1;
        resolve();
      });
      res.on('error', (e) => { fail(e.message); resolve(); });
    });
    req.on('error', (e) => { fail(e.message); resolve(); });
    req.setTimeout(30_000, () => req.destroy(new Error('timed out after 30 s')));
    req.end();
  });

  const worker = async () => {
    while (next < requests) {
      if (Date.now() > deadline) {
        fail(`deadline of ${deadlineMs} ms passed after ${next} requests`);
        return;
      }
      next += 1;
      await one(next - 1);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = Date.now() - started;
  agent.destroy();
  latenciesMs.sort((a, b) => a - b);
  return { ok, errors, firstError, elapsedMs, latenciesMs };
}

/** The q-quantile (0..1) of sorted numbers, nearest rank. */
export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
