// Bulk at scale (issue 22): the built page (dist/) signs BULK_IDS playback IDs in Chromium with
// one worker and with its pool (one worker per core the browser reports, www/signer-pool.js),
// a fresh page per run (Bulk keeps what it signed), the runs alternated; medians of RUNS.
// Timed in the page: from the list's one input event (a paste) to Bulk's "N of N signed"
// (the CSV made): what the person waits for.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const IDS = Number(process.env.BENCH_BULK_IDS ?? 10_000);
const RUNS = 3;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/** One run: ms from the paste to "N of N signed", and the pool's size, on a fresh page with
 * navigator.hardwareConcurrency set to `cores` (null: the browser's own). */
async function bulkOnce(browser, url, cores) {
  const page = await browser.context.newPage();
  try {
    if (cores) await page.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), cores);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#key-id', 'bench-key');
    await page.fill('#private-key', readFileSync(`${root}tests/fixtures/rsa2048-mux.txt`, 'utf8'));
    await page.waitForFunction(() => /thumbprint/.test(document.getElementById('key-message').textContent));
    await page.click('#tab-bulk');
    // A short list first: the pool's workers load their wasm and get the key outside the timing.
    const ids = (n, prefix) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`).join('\n');
    await page.fill('#bulk-ids', ids(32, 'warm'));
    await page.waitForFunction(() => /^32 of 32 signed/.test(document.getElementById('bulk-message').textContent));
    const ms = await page.evaluate(({ list, n }) => new Promise((resolve) => {
      const message = document.getElementById('bulk-message');
      const box = document.getElementById('bulk-ids');
      const started = performance.now();
      new MutationObserver((_, observer) => {
        if (message.textContent.startsWith(`${n} of ${n} signed`)) {
          observer.disconnect();
          resolve(performance.now() - started);
        }
      }).observe(message, { childList: true, characterData: true, subtree: true });
      box.value = list;
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }), { list: ids(IDS, 'bulk'), n: IDS });
    const workers = await Promise.all(page.workers().map((worker) => worker.evaluate(() => self.name)));
    return { ms, pool: workers.filter((name) => name.startsWith('signer-pool-')).length };
  } finally {
    await page.close();
  }
}

/** Prints the table: IDs/s with one worker and with the pool, and their ratio. `server` serves
 * the checkout (the page from dist/), `browser` is the harness's Chromium. */
export async function bulkScale({ log, browser, server }) {
  const url = `${server.url}dist/`;
  const times = { one: [], pool: [] };
  let poolSize = null;
  for (let run = 0; run < RUNS; run++) {
    const one = await bulkOnce(browser, url, 1);
    if (one.pool !== 1) throw new Error(`the one-worker run had a pool of ${one.pool}`);
    times.one.push(one.ms);
    const pool = await bulkOnce(browser, url, null);
    poolSize = pool.pool;
    times.pool.push(pool.ms);
  }
  const rate = (ms) => IDS / (ms / 1000);
  const [one, pool] = [median(times.one), median(times.pool)];
  log('### Bulk at scale: the page\'s pool of signer workers');
  log('');
  log(`${IDS.toLocaleString('en')} playback IDs pasted into Bulk (headless Chromium, the built page), from the paste to "all signed" with the CSV made; a fresh page per run, runs alternated, medians of ${RUNS}. The pool has one worker per core the browser reports (at most 8): ${poolSize} here.`);
  log('');
  log('| Bulk | workers | median s | IDs/s | × 1 worker |');
  log('|---|---:|---:|---:|---:|');
  log(`| one worker | 1 | ${(one / 1000).toFixed(1)} | ${rate(one).toFixed(0)} | 1.0× |`);
  log(`| the pool | ${poolSize} | ${(pool / 1000).toFixed(1)} | ${rate(pool).toFixed(0)} | ${(one / pool).toFixed(2)}× |`);
  log('');
  return { one, pool, poolSize, ratio: one / pool };
}
