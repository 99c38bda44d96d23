// The single-file page, dist/jwt-signer.html (scripts/single-file.mjs): opened straight from
// disk (file://) in Chromium with every network request blocked and every request counted, it
// signs (tokens verified by Node's crypto against the fixture's public key), verifies, signs in
// bulk with a CSV download, diagnoses, shows the key in other formats, makes a throwaway key,
// and states its version and wasm SHA-256 as dist/SHA256SUMS does. Served by a static host it
// works too.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixturePublicKey as publicKey, launch, serve, textOf, verifyInNode } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const file = pathToFileURL(`${root}dist/jwt-signer.html`).href;
const sums = Object.fromEntries(readFileSync(`${root}dist/SHA256SUMS`, 'utf8').trim().split('\n')
  .map((line) => line.split('  ').reverse()));
const crateVersion = readFileSync(`${root}Cargo.toml`, 'utf8').match(/^version = "([^"]+)"/m)[1];

let browser;
const requests = []; // every request the browser made, of any kind, from the page or its worker
const blocked = []; // every one that would have left the machine (all aborted)

before(async () => {
  browser = await launch();
  browser.context.on('request', (request) => requests.push(request.url()));
  // Only the file itself and the worker's blob: URL may load; anything else is aborted.
  await browser.context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === file || url.startsWith('blob:null/')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
});
after(async () => {
  await browser?.close();
});

/** Waits for a token other than `old` in the Sign view, and returns it. */
async function newToken(page, old = '') {
  await page.waitForFunction((previous) => {
    const text = document.getElementById('token').textContent.trim();
    return text !== previous && /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(text);
  }, old, { polling: 100 });
  return (await page.locator('#token').textContent()).trim();
}

test('from file://, with the network blocked, the single file does everything the page does and requests nothing', async () => {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', (m) => problems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(file);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

  // It states what it runs, as SHA256SUMS does.
  assert.equal(await page.locator('#build-version').textContent(), crateVersion);
  assert.equal(await page.locator('#build-wasm-sha256').textContent(), sums['jwt-signer_bg.wasm']);

  // Sign, with the fixture key; the token verifies against the fixture's public key.
  await page.getByLabel('Signing key ID', { exact: true }).fill('offline-key');
  await page.getByLabel('Private key', { exact: true }).fill(fixture('rsa2048-mux.txt'));
  await textOf(page, '#key-message', /thumbprint/);
  await page.getByLabel('Playback ID', { exact: true }).fill('OfflineId01');
  const token = await newToken(page);
  const claims = verifyInNode(token);
  assert.deepEqual([claims.sub, claims.aud, claims.kid], ['OfflineId01', 'v', 'offline-key']);

  // The key in other formats: the PKCS#8 shown is the fixture's key.
  await page.getByLabel('Show private key as…', { exact: true }).selectOption('pkcs8-pem');
  await page.getByRole('button', { name: 'Show private key' }).click();
  const pem = await textOf(page, '#export-private', /BEGIN PRIVATE KEY/);
  assert.equal(createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }), publicKey.export({ type: 'spki', format: 'pem' }));
  await page.getByRole('button', { name: 'Hide' }).click();

  // Verify.
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByLabel('Token to check', { exact: true }).fill(token);
  assert.match(await textOf(page, '#verify-result', /./), /^✓ Signature valid \(the signing key\)/);

  // Bulk, and its CSV download (a blob: URL made in the page).
  await page.getByRole('button', { name: 'Bulk' }).click();
  await page.getByLabel('Playback IDs, one per line', { exact: true }).fill('OfflineA\nOfflineB\na,b');
  assert.match(await textOf(page, '#bulk-message', /signed/), /^2 of 3 signed\.$/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
  assert.equal(lines[0], '"id","token","url","error","code"');
  for (const [index, id] of [[1, 'OfflineA'], [2, 'OfflineB']]) {
    const csvToken = lines[index].split(',')[1].replaceAll('"', '');
    assert.equal(verifyInNode(csvToken).sub, id);
  }
  assert.match(lines[3], /^"a,b","","",".*has characters no Mux ID has/);

  // Diagnose a signed URL, checked with the key.
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await page.getByLabel('URL or token to diagnose', { exact: true }).fill(`https://stream.mux.com/OfflineId01.m3u8?token=${token}`);
  await textOf(page, '#diagnose-verdict', /Mux/);
  assert.equal(await page.locator('#diagnose-verdict').getAttribute('data-ok'), 'true');

  // A throwaway key (WebCrypto in the worker): its token verifies against its own public PEM.
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.getByRole('button', { name: 'Try it without a Mux key' }).click();
  const demoToken = await newToken(page, token);
  const demoPublic = createPublicKey(await textOf(page, '#export-public-pem', /BEGIN PUBLIC KEY/));
  assert.equal(verifyInNode(demoToken, demoPublic).sub, 'OfflineId01');

  // The CSP allows no connection at all, from the page or (by inheritance) its worker.
  const fetched = await page.evaluate(() => fetch('http://127.0.0.1:9/').then(() => 'fetched', (e) => e.name));
  assert.equal(fetched, 'TypeError');
  assert.ok(problems.some((p) => p.includes("connect-src 'none'")), problems.join('\n'));

  // The file itself (and blob: URLs made in the page, which the driver may or may not report),
  // nothing else; no request was aborted, so none tried to leave the machine.
  assert.equal(requests[0], file);
  assert.deepEqual(requests.filter((url) => url !== file && !url.startsWith('blob:null/')), []);
  assert.deepEqual(blocked, []);
  assert.deepEqual(problems.filter((p) => !p.includes('127.0.0.1:9')), []);
  await page.close();
});

test('served by a static host, the single file signs too', async () => {
  const server = await serve(`${root}dist/`);
  await browser.context.unroute('**/*');
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.url}jwt-signer.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.getByLabel('Signing key ID', { exact: true }).fill('hosted-key');
    await page.getByLabel('Private key', { exact: true }).fill(fixture('rsa2048.pkcs8.pem'));
    await page.getByLabel('Playback ID', { exact: true }).fill('HostedId02');
    assert.equal(verifyInNode(await newToken(page)).sub, 'HostedId02');
    assert.equal(await page.locator('#build-wasm-sha256').textContent(), sums['jwt-signer_bg.wasm']);
  } finally {
    await page.close();
    await server.close();
  }
});
