// The page built by `make build` (dist/) loads its wasm from / and from a subpath, fetches only
// its own files, and logs nothing. (The full page and its tests are their own issue.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, serve } from './harness.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const prefix of ['/', '/tools/jwt/']) {
  test(`the page starts when served at ${prefix}`, async () => {
    const server = await serve(dist, prefix);
    const page = await browser.context.newPage();
    const requests = [];
    const console = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
    try {
      await page.goto(server.url);
      await page.waitForFunction(() => document.getElementById('status')?.textContent.startsWith('Ready'));
      const origin = new URL(server.url).origin;
      assert.ok(requests.length >= 4, requests.join('\n'));
      for (const url of requests) {
        assert.ok(url.startsWith(`${origin}${prefix}`), `request outside the page: ${url}`);
      }
      // Chromium notes that it ignores `integrity` on Trunk's wasm preload (crbug.com/981419);
      // that is the browser's remark, not our output. Anything else fails.
      assert.deepEqual(console.filter((m) => !m.includes('crbug.com/981419')), []);
    } finally {
      await page.close();
      await server.close();
    }
  });
}
