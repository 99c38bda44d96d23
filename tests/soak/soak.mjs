// `make soak`: memory over a long life, in Node with --expose-gc. Signs TOKENS tokens from one
// Signer, then makes SIGNERS Signers and forgets them (the glue's FinalizationRegistry must
// reclaim their wasm memory), then makes SIGNERS more and frees each. Prints RSS and the
// WebAssembly.Memory size after each stage, and fails when the wasm memory grew after the
// warm-up (it never shrinks, so growth is what a leak looks like) or RSS ended more than 10%
// above its plateau (the RSS after the long signing stage, once V8's heap and code have grown
// to their working size).
//
//   node --expose-gc tests/soak/soak.mjs [--tokens N] [--signers N] [--no-reclaim]
//
// --no-reclaim removes FinalizationRegistry before the glue loads, as a glue built without it
// would be: the run must then fail (tests/soak/soak.test.mjs checks both ways).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setImmediate as tick } from 'node:timers/promises';

const { values: opts } = parseArgs({
  options: {
    tokens: { type: 'string', default: '1000000' },
    signers: { type: 'string', default: '100000' },
    'no-reclaim': { type: 'boolean', default: false },
  },
});
const TOKENS = Number(opts.tokens);
const SIGNERS = Number(opts.signers);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
if (opts['no-reclaim']) globalThis.FinalizationRegistry = undefined;

const root = fileURLToPath(new URL('../../', import.meta.url));
// The package's own glue and wasm (pkg/, `make pkg`), instantiated here so that the test can
// read the instance's memory; the glue's reclaiming is the package's.
const glue = await import(`${root}pkg/jwt_signer.js`);
const exports = glue.initSync({ module: readFileSync(`${root}pkg/jwt_signer_bg.wasm`) });
const KEY = readFileSync(`${root}tests/fixtures/rsa2048-mux.txt`, 'utf8');
const EXPIRES_AT = Math.floor(Date.now() / 1000) + 86_400;
const MiB = 1024 * 1024;

/** Collects garbage and lets the finalizers it queued run (they run as later tasks). */
async function settle() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await tick();
  }
}

const sample = async () => {
  await settle();
  return { rss: process.memoryUsage().rss, wasm: exports.memory.buffer.byteLength };
};

/** Signs `count` tokens from one Signer. */
async function signMany(signer, count) {
  for (let i = 0; i < count; i++) {
    signer.signPlaybackId(`soak${i % 1000}`, { type: 'video', expiresAt: EXPIRES_AT });
    if (i % 10_000 === 9_999) await tick();
  }
}

/** Makes `count` Signers, each signing once; frees each or forgets it. */
async function makeSigners(count, free) {
  for (let i = 0; i < count; i++) {
    const signer = new glue.Signer('soak-key', KEY);
    signer.signPlaybackId('soak', { type: 'thumbnail', expiresAt: EXPIRES_AT });
    if (free) signer.free();
    // Forgotten Signers are reclaimed only after a collection: give the collector its turns.
    if (i % 500 === 499) await settle();
  }
}

const rows = [];
const record = async (stage, work) => {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const { rss, wasm } = await sample();
  rows.push({ stage, seconds, rss, wasm });
  // Each stage as it ends (the long form runs for hours on a slow machine).
  console.log(`soak: ${stage}: ${seconds.toFixed(1)} s, RSS ${(rss / MiB).toFixed(1)} MiB, wasm memory ${(wasm / MiB).toFixed(2)} MiB`);
  return { rss, wasm };
};

const signer = new glue.Signer('soak-key', KEY);
// Warm-up: a little of every stage, so that the allocator reaches its working size.
const warmTokens = Math.min(2_000, TOKENS);
const warmSigners = Math.min(1_000, SIGNERS);
const warmed = await record(`warm-up (${warmTokens} tokens, ${warmSigners} Signers each way)`, async () => {
  await signMany(signer, warmTokens);
  await makeSigners(warmSigners, false);
  await makeSigners(warmSigners, true);
});
const plateau = await record(`${TOKENS.toLocaleString('en')} tokens from one Signer`, () => signMany(signer, TOKENS));
await record(`${SIGNERS.toLocaleString('en')} Signers made and forgotten`, () => makeSigners(SIGNERS, false));
const last = await record(`${SIGNERS.toLocaleString('en')} Signers made and freed`, () => makeSigners(SIGNERS, true));
signer.free();

console.log(`| stage | seconds | RSS MiB | wasm memory MiB |`);
console.log('|---|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.stage} | ${r.seconds.toFixed(1)} | ${(r.rss / MiB).toFixed(1)} | ${(r.wasm / MiB).toFixed(2)} |`);
}

const failures = [];
const maxWasm = Math.max(...rows.map((r) => r.wasm));
if (maxWasm > warmed.wasm) {
  failures.push(`wasm memory grew after the warm-up: ${(warmed.wasm / MiB).toFixed(2)} -> ${(maxWasm / MiB).toFixed(2)} MiB`);
}
if (last.rss > plateau.rss * 1.1) {
  failures.push(`RSS ended at ${(last.rss / MiB).toFixed(1)} MiB, more than 10% above its plateau of ${(plateau.rss / MiB).toFixed(1)} MiB`);
}
if (failures.length) {
  console.error(`soak: FAILED\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`soak: ok (wasm memory flat at ${(warmed.wasm / MiB).toFixed(2)} MiB after the warm-up; RSS within 10% of its plateau)`);
