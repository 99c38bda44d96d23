// The page's soak (part of `make soak`; its short form is tests/e2e/page-soak.test.mjs): the
// built page (dist/) in headless Chromium signs IDS playback IDs in Bulk, then all of them again
// with another expiration (every result is dropped and re-signed), on the pool's workers. After
// a warm-up list, after each pass, it reads every signer worker's wasm memory (KIND.memory,
// through the page's debug handles) and the page's JS heap, and fails when a worker's wasm
// memory grew after the warm-up (it never shrinks, so growth is what a leak looks like). Each
// pass's CSV is checked: every ID once, in order, a sample of tokens verified by Node's crypto
// with the expiration asked for.
//
//   node tests/soak/page-soak.mjs [--ids N]      (default 20000)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launch, serve, verifyInNode } from '../e2e/harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MiB = 1024 * 1024;
const SAMPLE = 50; // tokens verified per pass, spread over the list

const list = (n, prefix) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);

/** Pastes `ids` into Bulk (one input event) and waits for "N of N signed"; returns seconds. */
async function bulkPass(page, ids) {
  const started = Date.now();
  await page.evaluate((text) => {
    const box = document.getElementById('bulk-ids');
    box.value = text;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, ids.join('\n'));
  await page.waitForFunction((n) => document.getElementById('bulk-message').textContent.startsWith(`${n} of ${n} signed`),
    ids.length, { timeout: 0, polling: 500 });
  return (Date.now() - started) / 1000;
}

/** The wasm memory of every signer worker (by its thread's name), and the page's JS heap. */
async function memory(page) {
  return page.evaluate(async () => {
    const workers = {};
    for (const client of globalThis.jwtSignerClients) workers[client.name] = await client.wasmBytes();
    return { workers, heap: performance.memory?.usedJSHeapSize ?? null };
  });
}

/** The pass's CSV, checked against the list and the expiration: every ID once, in order, no
 * error, SAMPLE tokens verified by OpenSSL, each expiring `lifetime` seconds after a moment
 * within `[from, to]` (seconds: the pass's start and end). */
async function checkCsv(page, ids, { lifetime, from, to }) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#bulk-download')]);
  const lines = readFileSync(await download.path(), 'utf8').split('\r\n').filter(Boolean)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"')));
  if (lines[0].join() !== 'id,token,url,error,code') throw new Error(`unexpected CSV header: ${lines[0]}`);
  if (lines.length !== ids.length + 1) throw new Error(`${lines.length - 1} CSV rows for ${ids.length} IDs`);
  const step = Math.max(1, Math.floor(ids.length / SAMPLE));
  for (let i = 0; i < ids.length; i++) {
    const [id, token, , error] = lines[i + 1];
    if (id !== ids[i]) throw new Error(`CSV row ${i + 1} is ${id}, not ${ids[i]}`);
    if (error) throw new Error(`${id} failed: ${error}`);
    if (i % step === 0) {
      const claims = verifyInNode(token);
      const signedAt = claims.exp - lifetime;
      if (claims.sub !== id) throw new Error(`${id}: a token for ${claims.sub}`);
      if (signedAt < Math.floor(from) - 1 || signedAt > Math.ceil(to) + 1) throw new Error(`${id}: exp ${claims.exp} is not ${lifetime} s after the pass`);
    }
  }
}

/** Runs the soak; resolves to { rows, failures, poolSize }. `log` hears each stage as it ends. */
export async function pageSoak({ ids: count = 20_000, log = () => {} } = {}) {
  const browser = await launch();
  const site = await serve(`${root}dist/`);
  const rows = [];
  try {
    const page = await browser.context.newPage();
    await page.goto(site.url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#key-id', 'soak-key');
    await page.fill('#private-key', readFileSync(`${root}tests/fixtures/rsa2048-mux.txt`, 'utf8'));
    await page.waitForFunction(() => /thumbprint/.test(document.getElementById('key-message').textContent));
    // Two expirations, so that each pass's tokens can be told apart (and Bulk signs them all again).
    const expiries = [{ text: '7d', lifetime: 7 * 86_400 }, { text: '8d', lifetime: 8 * 86_400 }];
    const setExpiry = async ({ text }) => {
      await page.click('#tab-sign');
      await page.fill('#expiration', text);
      await page.click('#tab-bulk');
    };
    const now = () => Date.now() / 1000;
    const record = async (stage, seconds) => {
      const m = await memory(page);
      rows.push({ stage, seconds, ...m });
      const sizes = Object.entries(m.workers).map(([name, bytes]) => `${name} ${(bytes / MiB).toFixed(2)}`).join(', ');
      log(`page soak: ${stage}: ${seconds.toFixed(1)} s; wasm MiB: ${sizes}; page JS heap ${(m.heap / MiB).toFixed(1)} MiB`);
    };
    await setExpiry(expiries[0]);
    await record('warm-up (64 IDs)', await bulkPass(page, list(64, 'warm')));
    const ids = list(count, 'soak');
    let from = now();
    await record(`${count.toLocaleString('en')} IDs signed`, await bulkPass(page, ids));
    await checkCsv(page, ids, { ...expiries[0], from, to: now() });
    // Another expiration: showing Bulk again signs the whole list again.
    from = now();
    await setExpiry(expiries[1]);
    await page.waitForFunction((n) => document.getElementById('bulk-message').textContent.startsWith(`${n} of ${n} signed`),
      count, { timeout: 0, polling: 500 });
    await record(`the same ${count.toLocaleString('en')} IDs signed again (another expiration)`, now() - from);
    await checkCsv(page, ids, { ...expiries[1], from, to: now() });
    await page.close();
  } finally {
    await site.close();
    await browser.close();
  }
  const failures = [];
  const [warm, ...later] = rows;
  for (const [name, bytes] of Object.entries(warm.workers)) {
    const most = Math.max(...later.map((row) => row.workers[name] ?? 0));
    if (most > bytes) failures.push(`${name}'s wasm memory grew after the warm-up: ${(bytes / MiB).toFixed(2)} -> ${(most / MiB).toFixed(2)} MiB`);
  }
  const poolSize = Object.keys(warm.workers).filter((name) => name.startsWith('signer-pool-')).length;
  if (!poolSize) failures.push('no pool worker answered');
  return { rows, failures, poolSize };
}

/** The Markdown table of a run. */
export function soakTable({ rows }) {
  const names = Object.keys(rows[0].workers);
  const lines = [`| stage | seconds | ${names.map((n) => `${n} wasm MiB`).join(' | ')} | page JS heap MiB |`,
    `|---|---:|${names.map(() => '---:|').join('')}---:|`];
  for (const r of rows) {
    lines.push(`| ${r.stage} | ${r.seconds.toFixed(1)} | ${names.map((n) => (r.workers[n] / MiB).toFixed(2)).join(' | ')} | ${r.heap == null ? 'n/a' : (r.heap / MiB).toFixed(1)} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { ids: { type: 'string', default: '20000' } } });
  const result = await pageSoak({ ids: Number(values.ids), log: (line) => console.log(line) });
  console.log(soakTable(result));
  if (result.failures.length) {
    console.error(`page soak: FAILED\n  ${result.failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`page soak: ok (${result.poolSize} pool workers; no worker's wasm memory grew after the warm-up)`);
}
