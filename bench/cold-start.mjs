// Cold start: navigation → the page ready, and → its first token after one paste of a key, with
// the cache disabled, both moments taken in the page; beside them the floor under "ready"
// (bench/cold-floor/: the page's CSP and a module worker that instantiates an empty wasm module
// and answers the first message, nothing else). The three kinds of load are alternated, so a
// busy machine slows them alike. Called by bench/run.mjs for dist/; on its own it compares
// built pages side by side (an A/B of a change to the page: build each into its own copy of
// dist/ first; docs/cold-start.md has what such runs found):
//
//   node bench/cold-start.mjs [loads] [dist ...]      (default 20 loads each, dist/)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { launch, serve } from '../tests/e2e/harness.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const KEY_ID = 'bench-key';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/**
 * Medians of `loads` loads of each kind, alternated: each of `dists` (built pages) left alone
 * (navigation → ready: the form built and its first, keyless answer shown) and with key ID,
 * key and playback ID pasted, one input event each, as soon as the fields exist (navigation →
 * that key's first token), and the floor page (navigation → its worker's first answer).
 * Resolves to { floor, loads, pages: [{ dist, ready, token }] }.
 */
export async function coldStart(browser, { loads = 20, dists = [`${root}dist/`] } = {}) {
  const floorDir = mkdtempSync(`${os.tmpdir()}/jwt-signer-cold-floor-`);
  cpSync(`${root}bench/cold-floor/`, floorDir, { recursive: true });
  writeFileSync(`${floorDir}/module.wasm`, Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
  const csp = readFileSync(`${dists[0]}/index.html`, 'utf8').match(/<meta http-equiv="Content-Security-Policy"[^>]*>/)[0];
  const floorPage = `${floorDir}/index.html`;
  writeFileSync(floorPage, readFileSync(floorPage, 'utf8').replace("<!-- the page's CSP -->", csp));
  const sites = [];
  for (const dist of dists) sites.push(await serve(dist.endsWith('/') ? dist : `${dist}/`));
  const floorSite = await serve(`${floorDir}/`);
  const key = readFileSync(`${root}tests/fixtures/rsa2048-mux.txt`, 'utf8');
  const floor = [];
  const pages = dists.map((dist) => ({ dist, ready: [], token: [] }));
  try {
    for (let i = 0; i < loads; i++) {
      floor.push(await loadOnce(browser, floorSite.url, null));
      for (const [n, site] of sites.entries()) {
        pages[n].ready.push(await loadOnce(browser, site.url, null));
        pages[n].token.push(await loadOnce(browser, site.url, { keyId: KEY_ID, keyText: key }));
      }
    }
  } finally {
    for (const site of [...sites, floorSite]) await site.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
  return { floor: median(floor), loads, pages: pages.map(({ dist, ready, token }) => ({ dist, ready: median(ready), token: median(token) })) };
}

/** One fresh load of `url` with the cache disabled: ms from navigation to the page's ready
 * (body[data-ready]), or to its first token when `paste` ({ keyId, keyText }) is given. */
async function loadOnce(browser, url, paste) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // The page reports its moment through a CDP binding, so the driver evaluates nothing in
  // the page while it loads: Playwright's own injected script (which `waitForFunction` or
  // `evaluate` would bring) took 19–26 ms of the main thread in the middle of a load
  // (seen in a Chromium trace), time no real visitor's page spends.
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.addBinding', { name: 'reportColdStart' });
  const reported = new Promise((resolve) => cdp.on('Runtime.bindingCalled', (e) => {
    if (e.name === 'reportColdStart') resolve(Number(e.payload));
  }));
  // The moment is taken in the page as it happens: read afterwards, it would include the
  // driver's polling and round trip (about 50 ms here).
  await page.addInitScript((paste) => {
    const report = window.reportColdStart;
    if (paste) {
      document.addEventListener('DOMContentLoaded', () => {
        for (const [id, value] of [['key-id', paste.keyId], ['private-key', paste.keyText], ['playback-id', 'abc123']]) {
          const field = document.getElementById(id);
          field.value = value;
          field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
        }
      });
    }
    new MutationObserver((_, observer) => {
      const token = document.getElementById('token');
      const done = paste ? token && /^eyJ/.test(token.textContent) : document.body?.dataset.ready === 'true';
      if (done) {
        observer.disconnect();
        report(String(performance.now()));
      }
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-ready'] });
  }, paste);
  await page.goto(url, { waitUntil: 'commit' });
  const ms = await reported;
  await page.close();
  return ms;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [loads = '20', ...dists] = process.argv.slice(2);
  const browser = await launch();
  try {
    const result = await coldStart(browser, { loads: Number(loads), ...(dists.length ? { dists } : {}) });
    console.log(`floor ${result.floor.toFixed(1)} ms (medians of ${result.loads} loads of each kind, alternated)`);
    for (const { dist, ready, token } of result.pages) {
      console.log(`${dist}: ready ${ready.toFixed(1)} ms (${(ready / result.floor).toFixed(2)}× the floor), first token ${token.toFixed(1)} ms (${(token / result.floor).toFixed(2)}×)`);
    }
  } finally {
    await browser.close();
  }
}
