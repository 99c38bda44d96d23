// The token endpoint at scale (issue 22): requests/s and p50/p99 latency of examples/node with
// its token cache, without it (TOKEN_CACHE_ENTRIES=0), and the same endpoint signing with
// @mux/mux-node (no cache), under two loads — every playback ID distinct, and a Zipf (s = 1.1)
// draw over 10,000 IDs from a seeded PRNG — in one process (server.mjs) and one per core
// (cluster.mjs). Called by bench/run.mjs; prints one Markdown table through `log`.
//
//   node -e "import('./bench/scale-endpoint.mjs').then((m) => m.endpointScale({ log: console.log }))"
//   BENCH_SCALE_REQUESTS=2000 to shorten a trial run (the default is 20,000 per cell).
import { availableParallelism } from 'node:os';
import { ENV, MARGIN, checkTokens } from '../tests/endpoints/contract.mjs';
import { API_TOKEN, checkPrerequisites, startEndpoint } from '../tests/endpoints/harness.mjs';
import { loadRun, quantile } from '../tests/endpoints/load.mjs';
import { MUX_EXP_TOLERANCE, muxVersion, useMuxSigner } from './mux-signer.mjs';

const ZIPF_IDS = 10_000;
const ZIPF_S = 1.1;
const SEED = 22;
const WARMUP = 200;
const VERIFY_EVERY = 20; // every answer's shape and ID is checked; every 20th's signatures too
const TTL = Number(ENV.TOKEN_TTL_SECONDS);
const OPEN = { ...ENV, ALLOWED_PLAYBACK_IDS: undefined }; // any playback ID

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `n` draws of ranks 1..`ids` with P(k) ∝ k^-s, by inverting the cumulative distribution. */
export function zipfDraws(n, { ids = ZIPF_IDS, s = ZIPF_S, seed = SEED } = {}) {
  const cdf = new Float64Array(ids);
  let sum = 0;
  for (let k = 1; k <= ids; k++) cdf[k - 1] = sum += k ** -s;
  const random = prng(seed);
  return Array.from({ length: n }, () => {
    const u = random() * sum;
    let lo = 0;
    let hi = ids - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1; else hi = mid;
    }
    return lo + 1;
  });
}

const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export async function endpointScale({ log, requests = Number(process.env.BENCH_SCALE_REQUESTS || 20_000), concurrency = 16 }) {
  checkPrerequisites();
  const cores = availableParallelism();
  const zipf = zipfDraws(requests);
  const warm = zipfDraws(requests, { seed: SEED + 1 });
  const zipfLabel = `Zipf s=${ZIPF_S} over ${ZIPF_IDS.toLocaleString('en')}`;
  const loads = [
    { label: 'all distinct', id: (i) => `distinct-${i}` },
    { label: zipfLabel, id: (i) => `zipf-${zipf[i]}` },
    // A process that has been up a while: the same draw after another draw of the same size
    // (seed + 1) has filled the cache. Without a cache this is the Zipf row above, so only the
    // cached endpoint runs it, and its ratio is to the mux-node endpoint's Zipf row.
    { label: `${zipfLabel}, cache warmed by another draw`, id: (i) => `zipf-${zipf[i]}`, warmId: (i) => `zipf-${warm[i]}`, warmRequests: requests, cachedOnly: true, peer: zipfLabel },
  ];
  const endpoints = [
    { label: 'jwt-signer, cache', env: OPEN, cached: true },
    { label: 'jwt-signer, no cache', env: { ...OPEN, TOKEN_CACHE_ENTRIES: '0' } },
    { label: `@mux/mux-node ${muxVersion}, no cache`, env: { ...OPEN, TOKEN_CACHE_ENTRIES: '0' }, prepare: useMuxSigner, mux: true },
  ];
  const modes = [
    { label: '1 (server.mjs)', runtime: 'node', env: {} },
    { label: `${cores} (cluster.mjs)`, runtime: 'node-cluster', env: { WORKERS: String(cores) } },
  ];
  const headers = { authorization: `Bearer ${API_TOKEN}` };
  const rows = [];
  for (const mode of modes) {
    for (const endpoint of endpoints) {
      for (const load of loads) {
        if (load.cachedOnly && !endpoint.cached) continue;
        const server = await startEndpoint(mode.runtime, { ...endpoint.env, ...mode.env }, { prepare: endpoint.prepare });
        try {
          const expTolerance = endpoint.mux ? MUX_EXP_TOLERANCE : 0;
          const check = (id) => (status, text, _headers, i) => {
            if (status !== 200) return `status ${status}: ${text.slice(0, 200)}`;
            try {
              const body = JSON.parse(text);
              if (body.playbackId !== id(i)) return `request ${i}: tokens for ${body.playbackId}, not ${id(i)}`;
              // A cached answer may be as old as TTL - margin (it is served until refreshAt).
              if (i % VERIFY_EVERY === 0) checkTokens(body, id(i), { expTolerance, maxAge: TTL - MARGIN });
            } catch (error) {
              return `request ${i}: ${error.message}`;
            }
            return null;
          };
          // Warm-up on IDs of its own, so the measured run starts with an empty cache (but for
          // the warmed load, whose warm-up is its other draw).
          const warmId = load.warmId ?? ((i) => `warmup-${i}`);
          await loadRun((i) => `${server.url}/tokens/${warmId(i)}`, {
            requests: load.warmRequests ?? WARMUP, concurrency, headers, check: check(warmId), deadlineMs: 1_800_000,
          });
          const run = await loadRun((i) => `${server.url}/tokens/${load.id(i)}`, {
            requests, concurrency, headers, check: check(load.id), deadlineMs: 1_800_000,
          });
          if (run.errors) throw new Error(`${endpoint.label}, ${load.label}, ${mode.label}: ${run.errors} errors, first: ${run.firstError}`);
          const row = {
            endpoint: endpoint.label, mux: !!endpoint.mux, load: load.label, peerLoad: load.peer ?? load.label, mode: mode.label,
            rps: requests / (run.elapsedMs / 1000), p50: quantile(run.latenciesMs, 0.5), p99: quantile(run.latenciesMs, 0.99),
          };
          rows.push(row);
          console.error(`scale: ${row.endpoint} | ${row.mode} | ${row.load}: ${row.rps.toFixed(1)} req/s, p50 ${ms(row.p50)} ms, p99 ${ms(row.p99)} ms`);
        } finally {
          await server.stop();
        }
      }
    }
  }

  const peer = (r) => rows.find((p) => p.mux && p.load === r.peerLoad && p.mode === r.mode);
  const distinctZipf = new Set(zipf).size;
  log('### Token endpoint at scale: the cache and every core (`bench/scale-endpoint.mjs`)');
  log('');
  log(`examples/node as the tests start it, on 127.0.0.1: ${requests.toLocaleString('en')} requests per cell, ${concurrency} in flight over ` +
    `keep-alive connections from a Node client on the same ${cores}-core machine, after ${WARMUP} warm-up requests on other IDs (each cell ` +
    'starts a new endpoint). Loads: every request a new playback ID; or a Zipf ' +
    `(s = ${ZIPF_S}) draw over ${ZIPF_IDS.toLocaleString('en')} IDs (mulberry32, seed ${SEED}; ${distinctZipf.toLocaleString('en')} distinct IDs among ` +
    `the ${requests.toLocaleString('en')}), with the cache starting empty, or (cached endpoint only) after another ` +
    `${requests.toLocaleString('en')}-request draw (seed ${SEED + 1}) has warmed it, as in a process that has been up a while. Processes: one \`server.mjs\`, or \`cluster.mjs\` with one worker per core (each with its own ` +
    `cache). Every answer is checked for status 200 and its playback ID, every ${VERIFY_EVERY}th also has its three tokens verified ` +
    'by Node\'s crypto. The last column divides by the `@mux/mux-node` endpoint (the same examples/node, signing with the SDK, ' +
    'no cache) under the same load and processes. Shared, noisy machine: read the ratios.');
  log('');
  log('| endpoint | processes | load | requests/s | p50 ms | p99 ms | × @mux/mux-node requests/s |');
  log('|---|---|---|---:|---:|---:|---:|');
  for (const r of rows) {
    log(`| ${r.endpoint} | ${r.mode} | ${r.load} | ${r.rps.toFixed(1)} | ${ms(r.p50)} | ${ms(r.p99)} | ${(r.rps / peer(r).rps).toFixed(2)} |`);
  }
  log('');
  return rows;
}
