// The token endpoint per runtime: requests/s and p50/p99 latency from one load run each, next
// to @mux/mux-node signing in the same Node endpoint (examples/node with the SDK as its signer).
// Prints a Markdown table and writes it to bench/endpoints.md. Needs `make pkg` first.
//
//   node bench/endpoints.mjs [requests] [concurrency]     (default 2000 and 16)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ENV, GOOD_ID, checkTokens } from '../tests/endpoints/contract.mjs';
import { API_TOKEN, checkPrerequisites, root, startEndpoint } from '../tests/endpoints/harness.mjs';
import { loadRun, quantile } from '../tests/endpoints/load.mjs';
import { MUX_EXP_TOLERANCE, muxVersion, useMuxSigner } from './mux-signer.mjs';

const REQUESTS = Number(process.argv[2] || 2000);
const CONCURRENCY = Number(process.argv[3] || 16);
const WARMUP = 50;
const headers = { authorization: `Bearer ${API_TOKEN}` };

// Every request signs: the token cache (bench/scale-endpoint.mjs measures it) is off here.
const NO_CACHE = { ...ENV, TOKEN_CACHE_ENTRIES: '0' };

const ENDPOINTS = [
  { label: 'Node (node:http)', runtime: 'node' },
  { label: 'Cloudflare workerd', runtime: 'workerd' },
  { label: 'Deno (Deno.serve)', runtime: 'deno' },
  { label: 'Bun (node:http)', runtime: 'bun' },
  { label: '@mux/mux-node in the Node endpoint', runtime: 'node', expTolerance: MUX_EXP_TOLERANCE, prepare: useMuxSigner },
];

const checker = (expTolerance) => (status, text) => {
  if (status !== 200) return `status ${status}: ${text.slice(0, 200)}`;
  try {
    checkTokens(JSON.parse(text), GOOD_ID, { expTolerance });
  } catch (error) {
    return error.message;
  }
  return null;
};

function version(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return '?';
  }
}

checkPrerequisites();
const bin = (name) => join(root, 'node_modules/.bin', name);
const rows = [];
for (const endpoint of ENDPOINTS) {
  const server = await startEndpoint(endpoint.runtime, NO_CACHE, { prepare: endpoint.prepare });
  try {
    const url = `${server.url}/tokens/${GOOD_ID}`;
    const check = checker(endpoint.expTolerance ?? 0);
    await loadRun(url, { requests: WARMUP, concurrency: CONCURRENCY, headers, check });
    const run = await loadRun(url, { requests: REQUESTS, concurrency: CONCURRENCY, headers, check, deadlineMs: 600_000 });
    if (run.errors) throw new Error(`${endpoint.label}: ${run.errors} errors, first: ${run.firstError}`);
    const row = {
      label: endpoint.label,
      rps: REQUESTS / (run.elapsedMs / 1000),
      p50: quantile(run.latenciesMs, 0.5),
      p99: quantile(run.latenciesMs, 0.99),
    };
    rows.push(row);
    console.error(`${row.label}: ${row.rps.toFixed(1)} req/s, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms`);
  } finally {
    await server.stop();
  }
}

const best = Math.max(...rows.map((r) => r.rps));
const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const table = [
  '| endpoint | requests/s | p50 ms | p99 ms | × best requests/s |',
  '|---|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.label} | ${r.rps.toFixed(1)} | ${ms(r.p50)} | ${ms(r.p99)} | ${(r.rps / best).toFixed(2)} |`),
].join('\n');

const markdown = `### Token endpoint (examples/), per runtime

Run by \`node bench/endpoints.mjs ${REQUESTS} ${CONCURRENCY}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB;
Node ${process.version}, ${version(bin('workerd'), ['--version'])}, ${version(bin('deno'), ['--version']).split(' (')[0]}, Bun ${version(bin('bun'), ['--version'])}.
Each endpoint is the example folder started as in \`tests/endpoints/\`, one process on 127.0.0.1, answering
\`GET /tokens/{id}\` with three RS256 tokens (video, thumbnail, storyboard) for the fixture key; ${WARMUP} warm-up requests,
then ${REQUESTS} requests with ${CONCURRENCY} in flight over keep-alive connections from a Node client on the same machine.
Every answer is checked (status 200, three tokens verified by Node's crypto). Latency is per request, queueing included.
The token cache is off (\`TOKEN_CACHE_ENTRIES=0\`), so every request signs: this table compares signing per runtime.
The last row is the same Node endpoint with \`@mux/mux-node\` ${muxVersion} (WebCrypto, i.e. OpenSSL) as its signer.
These machines are shared and noisy: read the ratios, not the absolute numbers.

${table}
`;
writeFileSync(join(root, 'bench/endpoints.md'), markdown);
console.log(markdown);
