// The page's Diagnose view and the Sign view's key conversion (issue 11), in Debian's Chromium
// on dist/ from `make build`. Tokens are signed by the page itself and by Node's crypto; the
// findings come from the core, so this checks that the page shows them (mark, message, fix,
// verdict, decoded token) and which key it checks signatures with. The key conversion: the
// public halves shown, the private forms only when asked, and gone after Clear. Screenshots go
// to target/screenshots/ (SCREENSHOTS_DIR overrides, as in page.test.mjs).
import assert from 'node:assert/strict';
import { createPrivateKey, createSign } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, serve, textOf, traceMainThread } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const KEY_ID = 'diagnose-key-id';
const PLAYBACK_ID = 'DiagPlaybackId01';
const screenshots = (() => {
  const dir = process.env.SCREENSHOTS_DIR ?? 'target/screenshots';
  return isAbsolute(dir) ? dir : join(root, dir);
})();
const LONG_TASK_MS = 50;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Opens the page served from dist/, watching the console and the main thread's long tasks. */
async function open(prefix = '/') {
  const server = await serve(`${root}dist/`, prefix);
  const page = await browser.context.newPage();
  const watch = { console: [], origin: new URL(server.url).origin };
  page.on('console', (m) => watch.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => watch.console.push(`pageerror: ${e.message}`));
  page.on('worker', (worker) => worker.on('console', (m) => watch.console.push(`worker ${m.type()}: ${m.text()}`)));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: watch.origin });
  return { page, watch, close: async () => { await page.close(); await server.close(); } };
}

async function reset(page) {
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.getByRole('button', { name: 'Clear' }).click();
}

async function enterKey(page, key = fixture('rsa2048-mux.txt')) {
  await page.getByLabel('Signing key ID', { exact: true }).fill(KEY_ID);
  await page.getByLabel('Private key', { exact: true }).fill(key);
  await textOf(page, '#key-message', /thumbprint/);
}

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A Mux-shaped token signed by Node's crypto with `pem` (the fixture key unless told). */
function nodeToken(claims, pem = fixture('rsa2048.pkcs8.pem')) {
  const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ kid: KEY_ID, sub: PLAYBACK_ID, aud: 'v', exp: Math.floor(Date.now() / 1000) + 86400, ...claims })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(pem, 'base64url')}`;
}

/**
 * Pastes `input` into the Diagnose view (after emptying it, so no earlier answer is read) and
 * waits for its verdict; returns what the page shows.
 */
async function diagnose(page, input) {
  await page.getByRole('button', { name: 'Diagnose' }).click();
  const box = page.getByLabel('URL or token to diagnose', { exact: true });
  await box.fill('');
  await page.waitForFunction(() => document.getElementById('diagnose-verdict').textContent === '', null, { polling: 50 });
  await box.fill(input);
  await textOf(page, '#diagnose-verdict', /Mux/);
  return page.evaluate(() => {
    const item = (li) => ({ code: li.dataset.code, severity: li.dataset.severity, mark: li.querySelector('.mark').textContent, text: li.textContent });
    return {
      verdict: document.getElementById('diagnose-verdict').textContent,
      ok: document.getElementById('diagnose-verdict').dataset.ok,
      key: document.getElementById('diagnose-key').textContent,
      findings: [...document.querySelectorAll('#diagnose-findings > li')].map(item),
      tokens: [...document.querySelectorAll('.diagnose-token')].map((block) => ({
        title: block.querySelector('h3').textContent,
        role: block.dataset.role,
        findings: [...block.querySelectorAll('li')].map(item),
        decoded: [...block.querySelectorAll('pre')].map((pre) => JSON.parse(pre.textContent)),
      })),
    };
  });
}
const findingsOf = (shown) => [...shown.findings, ...shown.tokens.flatMap((t) => t.findings)];
const codesOf = (shown) => findingsOf(shown).map((f) => f.code);
const findingOf = (shown, code) => findingsOf(shown).find((f) => f.code === code);

describe('the Diagnose view', () => {
  let session;
  before(async () => { session = await open(); });
  after(async () => {
    assert.deepEqual(session.watch.console, [], 'nothing is logged');
    await session.close();
  });

  test('no key in Sign: it says signatures are not checked, and shows a wrong-audience thumbnail URL\'s two errors with their fixes', async () => {
    const { page } = session;
    await reset(page);
    const url = `https://image.mux.com/${PLAYBACK_ID}/thumbnail.jpg?token=${nodeToken({})}&width=320`;
    const shown = await diagnose(page, url);
    assert.equal(shown.key, 'No key in Sign: signatures not checked.');
    assert.equal(shown.ok, 'false');
    assert.match(shown.verdict, /^✗ Mux would reject this: a signed URL for playback ID DiagPlaybackId01, 2 errors\.$/);
    for (const code of ['aud_mismatch', 'params_outside_token']) {
      const finding = findingOf(shown, code);
      assert.ok(finding, `${code} shown: ${codesOf(shown)}`);
      assert.equal(finding.severity, 'error');
      assert.equal(finding.mark, '✗');
      assert.match(finding.text, /Fix: \S/, `${code} has its fix`);
    }
    assert.match(findingOf(shown, 'aud_mismatch').text, /"t"/, 'says which audience the URL needs');
    assert.ok(codesOf(shown).includes('signature_not_checked'));
    assert.equal(shown.tokens.length, 1);
    assert.equal(shown.tokens[0].decoded[1].aud, 'v', 'the token is decoded');
    // The view also takes a key ID but no key: still nothing to check with.
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByLabel('Signing key ID', { exact: true }).fill(KEY_ID);
    assert.equal((await diagnose(page, url)).key, 'No key in Sign: signatures not checked.');
  });

  test('a URL signed by the page itself: verdict ok, a ✓ summary, checked with the key in Sign', async () => {
    const { page } = session;
    await reset(page);
    await enterKey(page);
    await page.getByLabel('Playback ID', { exact: true }).fill(PLAYBACK_ID);
    await page.waitForFunction(() => /^eyJ/.test(document.getElementById('token').textContent));
    const token = await page.locator('#token').textContent();
    const shown = await diagnose(page, `https://stream.mux.com/${PLAYBACK_ID}.m3u8?token=${token}`);
    assert.equal(shown.key, `Signatures checked with the key in Sign (key ID ${KEY_ID}).`);
    assert.equal(shown.ok, 'true');
    assert.match(shown.verdict, /^✓ Mux should accept this/);
    const all = [...shown.findings, ...shown.tokens.flatMap((t) => t.findings)];
    assert.deepEqual(all.filter((f) => f.severity === 'error'), []);
    const summary = findingOf(shown, 'summary');
    assert.equal(summary.mark, '✓');
    assert.match(summary.text, /DiagPlaybackId01/);
    assert.equal(shown.tokens[0].decoded[1].sub, PLAYBACK_ID);
    assert.equal(shown.tokens[0].decoded[0].alg, 'RS256');
    assert.match(shown.tokens[0].title, /video/);
  });

  test('with the key in Sign, a token signed by another key is signature_invalid', async () => {
    const { page } = session;
    await reset(page);
    await enterKey(page);
    const shown = await diagnose(page, `https://stream.mux.com/${PLAYBACK_ID}.m3u8?token=${nodeToken({}, fixture('rsa3072.pem'))}`);
    assert.match(shown.key, /^Signatures checked with the key in Sign/);
    const finding = findingOf(shown, 'signature_invalid');
    assert.ok(finding, codesOf(shown).join(' '));
    assert.equal(finding.mark, '✗');
    assert.match(finding.text, /Fix: \S/);
    assert.equal(shown.ok, 'false');
    // The same token signed by the Sign view's key passes: the key is what differs.
    assert.equal((await diagnose(page, `https://stream.mux.com/${PLAYBACK_ID}.m3u8?token=${nodeToken({})}`)).ok, 'true');
    // Clear drops the key: the view says so on the next diagnosis.
    await reset(page);
    assert.equal((await diagnose(page, nodeToken({}))).key, 'No key in Sign: signatures not checked.');
  });

  test('a <mux-player> snippet with a thumbnail token as playback-token: wrong_token_role, per token', async () => {
    const { page } = session;
    await reset(page);
    const snippet = `<mux-player\n  playback-id="${PLAYBACK_ID}"\n  playback-token="${nodeToken({ aud: 't' })}"\n  thumbnail-token="${nodeToken({ aud: 't' })}"\n></mux-player>`;
    const shown = await diagnose(page, snippet);
    assert.equal(shown.ok, 'false');
    assert.match(shown.verdict, /<mux-player> snippet/);
    const playback = shown.tokens.find((t) => /playback/.test(t.role));
    assert.ok(playback, shown.tokens.map((t) => t.role).join(' '));
    assert.ok(playback.findings.some((f) => f.code === 'wrong_token_role' && f.mark === '✗'), playback.findings.map((f) => f.code).join(' '));
    const thumbnail = shown.tokens.find((t) => /thumbnail/.test(t.role));
    assert.ok(!thumbnail.findings.some((f) => f.severity === 'error'), 'the thumbnail token is in its right place');
  });

  test('late answers are dropped, and no main-thread task over 50 ms while diagnosing', async (t) => {
    const { page } = session;
    await reset(page);
    await enterKey(page);
    await page.getByRole('button', { name: 'Diagnose' }).click();
    const box = page.getByLabel('URL or token to diagnose', { exact: true });
    const inputs = Array.from({ length: 12 }, (_, i) => `https://stream.mux.com/${PLAYBACK_ID}.m3u8?token=${nodeToken({ exp: Math.floor(Date.now() / 1000) + 3600 * (i + 1) })}`);
    const last = `https://image.mux.com/${PLAYBACK_ID}/thumbnail.jpg?token=${nodeToken({})}&width=320`;
    // The CPU of the main thread's longest task, as the page test measures it (traceMainThread).
    const longest = await traceMainThread(browser.context, page, async () => {
      for (const input of inputs) await box.fill(input); // typed faster than answered
      await box.fill(last);
      await textOf(page, '#diagnose-verdict', /reject/);
    });
    t.diagnostic(`13 inputs diagnosed: the longest main-thread task used ${longest.cpuMs.toFixed(0)} ms of CPU (${longest.wallMs.toFixed(0)} ms of wall time)`);
    assert.ok(longest.cpuMs <= LONG_TASK_MS, `a task used ${longest.cpuMs.toFixed(0)} ms of CPU while diagnosing`);
    await page.waitForTimeout(300);
    assert.match(await page.locator('#diagnose-verdict').textContent(), /reject/, 'the last input\'s answer stays');
  });
});

describe('key conversion in the Sign view', () => {
  let session;
  before(async () => { session = await open(); });
  after(async () => {
    assert.deepEqual(session.watch.console, [], 'nothing is logged');
    await session.close();
  });

  const html = (page) => page.evaluate(() => document.documentElement.outerHTML);
  const privatePkcs8 = fixture('rsa2048.pkcs8.pem').trim();
  const privatePkcs1 = fixture('rsa2048.pkcs1.pem').trim();
  const body = (pem) => pem.split('\n').filter((line) => !line.startsWith('-----')).join('');

  test('the public halves are shown; no private form is in the DOM until asked', async () => {
    const { page } = session;
    await reset(page);
    assert.equal(await page.locator('#key-export').isHidden(), true, 'nothing without a key');
    await enterKey(page);
    await textOf(page, '#export-public-pem', /BEGIN PUBLIC KEY/);
    assert.equal((await page.locator('#export-public-pem').textContent()).trim(), fixture('rsa2048.public.pem').trim());
    const jwk = JSON.parse(await page.locator('#export-public-jwk').textContent());
    assert.equal(jwk.kty, 'RSA');
    assert.equal(jwk.d, undefined);
    assert.equal(jwk.n, JSON.parse(fixture('rsa2048.public.jwk.json')).n);
    const text = await html(page);
    assert.ok(!text.includes(body(privatePkcs8).slice(0, 64)), 'no PKCS#8');
    assert.ok(!text.includes(body(privatePkcs1).slice(0, 64)), 'no PKCS#1');
    assert.ok(!/PRIVATE KEY-----/.test(text));
    assert.ok(!text.includes(JSON.parse(fixture('rsa2048.jwk.json')).d.slice(0, 40)), 'no private JWK');
    assert.equal(await page.locator('#export-private-field').isHidden(), true);
  });

  test('"Show private key as…" PKCS#8: it imports into Node\'s crypto and signs the same bytes; each other form on request', async () => {
    const { page } = session;
    await reset(page);
    await enterKey(page);
    await page.getByLabel('Show private key as…', { exact: true }).selectOption('pkcs8-pem');
    await page.getByRole('button', { name: 'Show private key' }).click();
    const pkcs8 = await textOf(page, '#export-private', /BEGIN PRIVATE KEY/);
    const data = Buffer.from('the same bytes');
    const signWith = (pem) => createSign('RSA-SHA256').update(data).sign(createPrivateKey(pem), 'base64');
    assert.equal(signWith(pkcs8), signWith(privatePkcs8));
    assert.equal(pkcs8.trim(), privatePkcs8);
    await page.getByLabel('Show private key as…', { exact: true }).selectOption('pkcs1-pem');
    assert.equal(await page.locator('#export-private').textContent(), '', 'changing the form hides the shown one');
    await page.getByRole('button', { name: 'Show private key' }).click();
    assert.equal((await textOf(page, '#export-private', /BEGIN RSA PRIVATE KEY/)).trim(), privatePkcs1);
    await page.getByLabel('Show private key as…', { exact: true }).selectOption('jwk');
    await page.getByRole('button', { name: 'Show private key' }).click();
    const jwk = JSON.parse(await textOf(page, '#export-private', /"d"/));
    assert.equal(signWith(createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' })), signWith(privatePkcs8));
    await page.getByLabel('Show private key as…', { exact: true }).selectOption('env');
    await page.getByRole('button', { name: 'Show private key' }).click();
    const env = await textOf(page, '#export-private', /\S/);
    assert.ok(!env.trim().includes('\n'), 'one line');
    await page.getByRole('button', { name: 'Hide' }).click();
    assert.equal(await page.locator('#export-private').textContent(), '');
  });

  test('a key change hides the private form; Clear wipes every form', async () => {
    const { page } = session;
    await reset(page);
    await enterKey(page);
    await page.getByRole('button', { name: 'Show private key' }).click();
    await textOf(page, '#export-private', /BEGIN PRIVATE KEY/);
    await page.getByLabel('Private key', { exact: true }).fill(fixture('rsa3072.pem'));
    await textOf(page, '#key-message', /3072/);
    assert.equal(await page.locator('#export-private').textContent(), '');
    assert.equal(await page.locator('#export-private-field').isHidden(), true);
    assert.notEqual((await page.locator('#export-public-pem').textContent()).trim(), fixture('rsa2048.public.pem').trim());
    await page.getByRole('button', { name: 'Show private key' }).click();
    await textOf(page, '#export-private', /BEGIN PRIVATE KEY/);
    await page.getByRole('button', { name: 'Clear' }).click();
    const state = await page.evaluate(() => ({
      texts: ['export-public-pem', 'export-public-jwk', 'export-private'].map((id) => document.getElementById(id).textContent),
      hidden: [document.getElementById('key-export').hidden, document.getElementById('export-private-field').hidden],
      format: document.getElementById('export-format').value,
      html: document.documentElement.outerHTML,
    }));
    assert.deepEqual(state.texts, ['', '', '']);
    assert.deepEqual(state.hidden, [true, true]);
    assert.equal(state.format, 'pkcs8-pem');
    assert.ok(!/PRIVATE KEY-----|PUBLIC KEY-----/.test(state.html));
  });
});

// `make screenshots` runs the tests named 'screenshots' with SCREENSHOTS_DIR=docs/screenshots: only
// diagnose.png goes there; the 360 px and key-conversion views stay in target/screenshots/.
test('screenshots: Diagnose with a failing URL, wide and 360 px', async () => {
  const { page, close } = await open();
  try {
    const local = join(root, 'target/screenshots');
    mkdirSync(screenshots, { recursive: true });
    mkdirSync(local, { recursive: true });
    await enterKey(page);
    await page.setViewportSize({ width: 1280, height: 1000 });
    await diagnose(page, `https://image.mux.com/${PLAYBACK_ID}/thumbnail.jpg?token=${nodeToken({})}&width=320`);
    // The start of the URL in view (filling leaves the textarea scrolled to its end).
    await page.evaluate(() => { document.activeElement?.blur(); document.getElementById('diagnose-input').scrollTop = 0; window.scrollTo(0, 0); });
    await page.screenshot({ path: join(screenshots, 'diagnose.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 360 px screen`);
    await page.screenshot({ path: join(local, 'diagnose-360.png'), fullPage: true });
    // The Sign view with its key in other formats, for a look (not in docs/).
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.evaluate(() => document.getElementById('key-export').scrollIntoView());
    await page.screenshot({ path: join(local, 'key-export.png') });
  } finally {
    await close();
  }
});
