// Scale on the command line: tokens/s for a list of 100,000 playback IDs (a catalogue's
// thumbnails), `jwt-signer sign --ids` on one thread and on every core, against the loops a team
// would otherwise write: one over `@mux/mux-node`'s `mux.jwt.signPlaybackId`, one over our JS
// API (pkg/). Each writes the same kind of list (ID, token, URL) to a file. Medians of 3 runs,
// the four alternated round by round so a busy machine slows them alike. The two loops sign
// the list's first 20,000 IDs (BENCH_SCALE_PEER_IDS): a loop's rate does not change with the
// list's length, and the whole list would take them 12 minutes a run on 2 cores. Needs
// `target/release/jwt-signer` (make cli) and pkg/ (make pkg).
//
//   node bench/scale-cli.mjs [ids]      (default 100000, or BENCH_SCALE_IDS)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Mux from '@mux/mux-node';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const KEY_ID = 'bench-key';
const EXP = 1_900_000_000;
const RUNS = 3;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/** A loop's output: CSV-like lines written in chunks, as a script would write its list. */
function lineWriter(path) {
  const fd = openSync(path, 'w');
  let chunk = [];
  return {
    add(line) {
      chunk.push(line);
      if (chunk.length === 1000) { writeSync(fd, chunk.join('')); chunk = []; }
    },
    close() { writeSync(fd, chunk.join('')); closeSync(fd); },
  };
}

export async function cliScale({ log, count = Number(process.env.BENCH_SCALE_IDS ?? 100_000), peerCount = Number(process.env.BENCH_SCALE_PEER_IDS ?? 20_000) }) {
  const bin = `${root}target/release/jwt-signer`;
  const cores = os.availableParallelism();
  const dir = mkdtempSync(`${os.tmpdir()}/jwt-signer-scale-`);
  const ids = Array.from({ length: count }, (_, i) => `id-${String(i).padStart(6, '0')}`);
  const peerIds = ids.slice(0, peerCount);
  const idsPath = `${dir}/ids.txt`;
  writeFileSync(idsPath, `${ids.join('\n')}\n`);
  const env = { ...process.env, MUX_SIGNING_KEY: KEY_ID, MUX_PRIVATE_KEY: fixture('rsa2048-mux.txt') };
  const pem = fixture('rsa2048.pkcs8.pem');

  const cli = (jobs) => () => {
    const outPath = `${dir}/cli-${jobs}.csv`;
    const fd = openSync(outPath, 'w');
    const run = spawnSync(bin, ['sign', '--ids', idsPath, '--jobs', String(jobs), '-e', `@${EXP}`], { env, stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    if (run.status !== 0) throw new Error(`jwt-signer --jobs ${jobs}: ${run.stderr}`);
    return outPath;
  };
  const mux = new Mux({ tokenId: 'x', tokenSecret: 'x' });
  const jwt = await import(`${root}pkg/jwt_signer.js`);
  jwt.initSync({ module: readFileSync(`${root}pkg/jwt_signer_bg.wasm`) });
  const signer = new jwt.Signer(KEY_ID, pem);
  const loop = (name, sign) => async () => {
    const outPath = `${dir}/${name}.csv`;
    const out = lineWriter(outPath);
    for (const id of peerIds) {
      const token = await sign(id);
      out.add(`${id},${token},https://stream.mux.com/${id}.m3u8?token=${token}\n`);
    }
    out.close();
    return outPath;
  };
  const impls = [
    { name: 'jwt-signer sign --ids, --jobs 1', run: cli(1), ids: count },
    { name: `jwt-signer sign --ids, --jobs ${cores} (all cores)`, run: cli(cores), ids: count },
    { name: 'Node loop over @mux/mux-node mux.jwt.signPlaybackId', run: loop('mux-node', (id) => mux.jwt.signPlaybackId(id, { keyId: KEY_ID, keySecret: pem, type: 'video', expiration: '7d' })), ids: peerIds.length },
    { name: 'Node loop over jwt-signer\'s JS API (pkg/, Signer)', run: loop('js-api', (id) => signer.signPlaybackId(id, { type: 'video', expiresAt: EXP })), ids: peerIds.length },
  ];
  const load = os.loadavg()[0];
  const seconds = impls.map(() => []);
  const digests = impls.map(() => new Set());
  try {
    for (let round = 0; round < RUNS; round++) {
      for (const [i, impl] of impls.entries()) {
        const t = performance.now();
        const outPath = await impl.run();
        seconds[i].push((performance.now() - t) / 1000);
        const text = readFileSync(outPath);
        const lines = text.toString('latin1').split('\n').length - 1;
        const expected = i < 2 ? impl.ids + 1 : impl.ids; // the CLI's CSV has a header
        if (lines !== expected) throw new Error(`${impl.name}: ${lines} lines, expected ${expected}`);
        if (i < 2) digests[i].add(createHash('sha256').update(text).digest('hex'));
        rmSync(outPath);
      }
    }
  } finally {
    signer.free();
    rmSync(dir, { recursive: true, force: true });
  }
  // The CLI's output is the same bytes on one thread and on all, in every run.
  const cliDigests = new Set([...digests[0], ...digests[1]]);
  if (cliDigests.size !== 1) throw new Error(`--jobs 1 and --jobs ${cores} wrote different CSVs`);

  const rates = seconds.map((s, i) => impls[i].ids / median(s));
  log(`### CLI at scale: ${count.toLocaleString('en')} IDs`);
  log('');
  log(`\`node bench/scale-cli.mjs\`: tokens/s from the median of ${RUNS} runs each (wall time, process start to exit for the CLI), alternated; ${cores} CPUs, load average ${load.toFixed(1)} at the start. The CLI wrote byte-identical CSVs on 1 and ${cores} threads.`);
  log('');
  log('| implementation | IDs signed | tokens/s | × --jobs 1 |');
  log('|---|---:|---:|---:|');
  for (const [i, impl] of impls.entries()) {
    log(`| ${impl.name} | ${impl.ids.toLocaleString('en')} | ${Math.round(rates[i]).toLocaleString('en')} | ${(rates[i] / rates[0]).toFixed(2)}× |`);
  }
  log('');
  return impls.map((impl, i) => ({ name: impl.name, tokensPerSecond: rates[i], seconds: seconds[i] }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? process.env.BENCH_SCALE_IDS ?? 100_000);
  await cliScale({ log: (line = '') => console.log(line), count });
}
