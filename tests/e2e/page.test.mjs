// The page (dist/ from `make build`) in Debian's Chromium, used as a person would: typing,
// choosing, clicking. Every token it shows is verified by Node's crypto (OpenSSL); the network
// and the browser's storage are watched; screenshots are written to docs/screenshots/.
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, serve } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const publicKey = createPublicKey(fixture('rsa2048.public.pem'));
const KEY_ID = 'page-key-id';
const PLAYBACK_ID = 'PagePlaybackId01';
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens the page served from dist/ under `prefix`, watching requests, console and CSP. */
async function open(prefix = '/') {
  const server = await serve(`${root}dist/`, prefix);
  const page = await browser.context.newPage();
  const watch = { requests: [], console: [], origin: new URL(server.url).origin };
  page.on('request', (r) => watch.requests.push(r.url()));
  page.on('console', (m) => watch.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => watch.console.push(`pageerror: ${e.message}`));
  // Injected by the driver, so the page's own CSP does not apply to it.
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: watch.origin });
  return {
    page, watch, server,
    close: async () => { await page.close(); await server.close(); },
  };
}

const tokenText = (page) => page.locator('#token').textContent();

/** Runs `action`, then waits for the Token output to show a new token, and returns it. */
async function newToken(page, action) {
  const before = await tokenText(page);
  await action();
  await page.waitForFunction((old) => {
    const text = document.getElementById('token').textContent;
    return text !== old && /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(text);
  }, before);
  return tokenText(page);
}

function verifyInNode(token, key = publicKey) {
  const [h, p, s] = token.split('.');
  assert.ok(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')), 'OpenSSL rejects the page\'s token');
  return JSON.parse(Buffer.from(p, 'base64url').toString());
}

async function enterKey(page, key) {
  await page.getByLabel('Signing key ID', { exact: true }).fill(KEY_ID);
  await page.getByLabel('Private key', { exact: true }).fill(key);
}

describe('the page', () => {
  let session;
  before(async () => { session = await open('/'); });
  after(async () => { await session.close(); });

  test('every label the issue names is there', async () => {
    const { page } = session;
    for (const label of ['Signing key ID', 'Private key', 'Token type', 'Playback ID', 'Expiration']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
    }
    await page.getByLabel('Token type', { exact: true }).selectOption('viewer_counts');
    assert.equal(await page.getByLabel('ID', { exact: true }).count(), 1);
    assert.equal(await page.getByLabel('ID type', { exact: true }).count(), 1);
    await page.getByLabel('Token type', { exact: true }).selectOption('video');
    assert.equal(await page.locator('label[for="token"]').textContent(), 'Token');
    const key = page.getByLabel('Private key', { exact: true });
    for (const [name, value] of [['autocomplete', 'off'], ['spellcheck', 'false'], ['autocapitalize', 'off'], ['autocorrect', 'off']]) {
      assert.equal(await key.getAttribute(name), value, name);
    }
  });

  for (const [format, file, shown] of [['Mux base64 PEM', 'rsa2048-mux.txt', 'RSA 2048-bit · PKCS#1 · base64 PEM'], ['PKCS#8 PEM', 'rsa2048.pkcs8.pem', 'RSA 2048-bit · PKCS#8 · PEM']]) {
    test(`a ${format} key signs every token type, and OpenSSL verifies each`, async () => {
      const { page } = session;
      await page.getByRole('button', { name: 'Clear' }).click();
      await enterKey(page, fixture(file));
      assert.match(await page.locator('#key-message').textContent(), new RegExp(`^${shown} · thumbprint `));
      await newToken(page, () => page.getByLabel('Playback ID', { exact: true }).fill(PLAYBACK_ID));
      const types = { video: 'v', thumbnail: 't', gif: 'g', storyboard: 's', drm_license: 'd', stats: 'playback_id' };
      for (const [type, aud] of Object.entries(types)) {
        await page.getByLabel('Token type', { exact: true }).selectOption('video');
        const token = type === 'video' ? await tokenText(page) : await newToken(page, () => page.getByLabel('Token type', { exact: true }).selectOption(type));
        const claims = verifyInNode(token);
        assert.deepEqual([claims.kid, claims.sub, claims.aud], [KEY_ID, PLAYBACK_ID, aud], type);
        assert.ok(await page.locator('#verified').isVisible(), `badge for ${type}`);
        const decoded = JSON.parse(await page.locator('#decoded-payload').textContent());
        assert.deepEqual(decoded, claims);
      }
      const counts = await newToken(page, async () => {
        await page.getByLabel('Token type', { exact: true }).selectOption('viewer_counts');
        await page.getByLabel('ID type', { exact: true }).selectOption('live_stream');
      });
      assert.equal(verifyInNode(counts).aud, 'live_stream_id');
      assert.match(await page.locator('#urls').textContent(), /https:\/\/stats\.mux\.com\/counts\?token=/);
      const playback = await newToken(page, () => page.getByLabel('Token type', { exact: true }).selectOption('player_set'));
      assert.equal(verifyInNode(playback).aud, 'v');
      const rows = await page.locator('#urls output').allTextContents();
      assert.equal(verifyInNode(rows[0]).aud, 't');
      assert.equal(verifyInNode(rows[1]).aud, 's');
      assert.equal(rows[2], `https://player.mux.com/${PLAYBACK_ID}?playback-token=${playback}&thumbnail-token=${rows[0]}&storyboard-token=${rows[1]}`);
      assert.match(rows[3], /^<iframe src="https:\/\/player\.mux\.com\//);
    });
  }

  test('params, custom claims, kid placement and both kinds of expiry', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Clear' }).click();
    await enterKey(page, fixture('rsa2048-mux.txt'));
    await page.getByLabel('Playback ID', { exact: true }).fill(PLAYBACK_ID);
    await page.getByLabel('Token type', { exact: true }).selectOption('thumbnail');
    await page.getByLabel('time', { exact: true }).fill('14');
    await page.getByLabel('fit_mode', { exact: true }).selectOption('smartcrop');
    await page.getByLabel('Custom claims (JSON)', { exact: true }).fill('{"custom": {"session_id": "s-1"}}');
    const token = await newToken(page, () => page.getByLabel('Expiration', { exact: true }).fill('2h'));
    const claims = verifyInNode(token);
    assert.deepEqual(Object.keys(claims), ['time', 'fit_mode', 'custom', 'kid', 'sub', 'aud', 'exp']);
    assert.equal(claims.time, 14);
    assert.equal(claims.fit_mode, 'smartcrop');
    assert.deepEqual(claims.custom, { session_id: 's-1' });
    assert.ok(Math.abs(claims.exp - (Date.now() / 1000 + 7200)) < 5);
    assert.match(await page.locator('#expiry').textContent(), /^Expires .* \(in 2 hours\)$/);
    const header = await newToken(page, () => page.getByLabel('Key ID goes in', { exact: true }).selectOption('header'));
    assert.deepEqual(JSON.parse(await page.locator('#decoded-header').textContent()), { alg: 'RS256', typ: 'JWT', kid: KEY_ID });
    assert.equal(verifyInNode(header).kid, undefined);
    const at = await newToken(page, () => page.getByLabel('Or expires at', { exact: true }).fill('2031-03-04T05:06'));
    assert.equal(verifyInNode(at).exp, Math.floor(new Date('2031-03-04T05:06').getTime() / 1000));
    assert.ok(await page.getByLabel('Expiration', { exact: true }).isDisabled());
    await page.getByLabel('Or expires at', { exact: true }).fill('');
  });

  test('copy buttons put the right text on the clipboard', async () => {
    const { page } = session;
    await page.getByLabel('Token type', { exact: true }).selectOption('gif');
    const token = await tokenText(page);
    await page.locator('button[data-copy="token"]').click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    await page.locator('#urls button.copy').first().click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `https://image.mux.com/${PLAYBACK_ID}/animated.gif?token=${token}`);
  });

  test('bad inputs get their message next to the field, and the page keeps working', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Signing key ID', { exact: true }).fill(KEY_ID);
    await page.getByLabel('Playback ID', { exact: true }).fill(PLAYBACK_ID);
    const cases = [
      ['Private key', fixture('rsa2048.public.pem'), '#key-message', /this is a public key: paste the private key/],
      ['Private key', fixture('rsa2048-mux.txt').slice(0, 1200), '#key-message', /damaged or incomplete/],
      ['Private key', fixture('ec-p256.pem'), '#key-message', /EC \(elliptic-curve\)/],
      ['Private key', fixture('rsa1024.pem'), '#key-message', /only 1024 bits/],
      ['Expiration', '1798675200', '#expiration-message', /looks like a Unix time, not a duration/],
      ['Expiration', 'soon', '#expiration-message', /is not a duration or a date/],
      ['Playback ID', 'has space', '#playback-id-message', /has characters no Mux ID has/],
      ['Custom claims (JSON)', '{"custom": ', '#custom-claims-message', /not valid JSON/],
      ['Custom claims (JSON)', '{"rotate": 45}', '#custom-claims-message', /param "rotate" must be one of 90, 180, 270/],
    ];
    const good = { 'Private key': fixture('rsa2048-mux.txt'), Expiration: '7d', 'Playback ID': PLAYBACK_ID, 'Custom claims (JSON)': '' };
    await page.getByLabel('Token type', { exact: true }).selectOption('thumbnail');
    for (const [label, value, message, words] of cases) {
      await page.getByLabel(label, { exact: true }).fill(value);
      await page.waitForFunction((sel) => document.querySelector(sel).textContent !== '', message);
      assert.match(await page.locator(message).textContent(), words, `${label}=${value.slice(0, 30)}`);
      assert.match(await tokenText(page), /^Paste a key/, 'no stale token next to an error');
      const token = await newToken(page, () => page.getByLabel(label, { exact: true }).fill(good[label]));
      verifyInNode(token);
    }
    await page.getByLabel('Token type', { exact: true }).selectOption('gif');
    await page.getByLabel('width', { exact: true }).fill('2000');
    await page.waitForFunction(() => document.getElementById('param-width-message').textContent !== '');
    assert.match(await page.locator('#param-width-message').textContent(), /whole number from 1 to 640/);
    verifyInNode(await newToken(page, () => page.getByLabel('width', { exact: true }).fill('320')));
    await page.getByLabel('Signing key ID', { exact: true }).fill('');
    assert.match(await page.locator('#key-id-message').textContent(), /Enter the signing key ID/);
  });

  test('the Verify view decodes, checks the signature and the expiry', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Clear' }).click();
    await enterKey(page, fixture('rsa2048-mux.txt'));
    const token = await newToken(page, () => page.getByLabel('Playback ID', { exact: true }).fill(PLAYBACK_ID));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByLabel('Token to check', { exact: true }).fill(token);
    assert.match(await page.locator('#verify-result').textContent(), /^✓ Signature valid \(the signing key\) · expires /);
    await page.getByLabel(/^Public key/).fill(fixture('rsa2048.public.jwk.json'));
    assert.match(await page.locator('#verify-result').textContent(), /^✓ Signature valid \(the public key above\)/);
    assert.equal(JSON.parse(await page.locator('#verify-payload').textContent()).sub, PLAYBACK_ID);
    await page.getByLabel(/^Public key/).fill(fixture('rsa3072.pem'));
    assert.match(await page.locator('#verify-result').textContent(), /^✗ the signature does not match this public key/);
    await page.getByLabel('Token to check', { exact: true }).fill('not.a.token!');
    assert.match(await page.locator('#verify-result').textContent(), /^✗ this is not a JWT/);
    await page.getByRole('button', { name: 'Sign' }).click();
  });

  test('Bulk signs a list and offers a CSV made in the page', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Bulk' }).click();
    await page.getByLabel('Playback IDs, one per line', { exact: true }).fill('bulkA\n\nbulk B\nbulkC\n');
    assert.equal(await page.locator('#bulk-table tbody tr').count(), 3);
    assert.match(await page.locator('#bulk-message').textContent(), /^2 of 3 signed\./);
    assert.match(await page.locator('#bulk-download').getAttribute('href'), /^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'tokens.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], '"id","token","url"');
    assert.equal(lines.length, 3);
    for (const [line, id] of [[lines[1], 'bulkA'], [lines[2], 'bulkC']]) {
      const [csvId, token, url] = line.split(',').map((cell) => cell.slice(1, -1));
      assert.equal(csvId, id);
      assert.equal(verifyInNode(token).sub, id);
      assert.equal(url, `https://stream.mux.com/${id}.m3u8?token=${token}`);
    }
    assert.match(await page.locator('#bulk-table tbody tr').nth(1).textContent(), /has characters no Mux ID has/);
    await page.getByRole('button', { name: 'Sign' }).click();
  });

  test('the network: only the page’s own files; a cross-origin fetch is blocked by the CSP', async () => {
    const { page, watch } = session;
    assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'our own code violates no CSP rule');
    for (const url of watch.requests) {
      assert.ok(url.startsWith(`${watch.origin}/`) || url.startsWith('blob:') || url.startsWith('data:'), `request to ${url}`);
    }
    const outcome = await page.evaluate(() => fetch('http://127.0.0.2:9/steal').then(() => 'sent', () => 'blocked'));
    assert.equal(outcome, 'blocked');
    assert.deepEqual(await page.evaluate(() => window.cspViolations), ['connect-src http://127.0.0.2:9/steal']);
    assert.ok(!watch.requests.some((url) => url.includes('127.0.0.2')), 'the request never left');
  });

  test('nothing is stored and nothing is logged', async () => {
    const { page, watch } = session;
    const stored = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
      databases: (await indexedDB.databases()).length,
      caches: (await caches.keys()).length,
    }));
    assert.deepEqual(stored, { local: 0, session: 0, cookie: '', databases: 0, caches: 0 });
    assert.deepEqual(await browser.context.cookies(), []);
    // Chromium's remark that it ignores `integrity` on Trunk's wasm preload (crbug.com/981419)
    // is the browser's, not ours. The CSP test's blocked fetch logs its own refusal.
    const ours = watch.console.filter((m) => !m.includes('crbug.com/981419') && !m.includes('127.0.0.2'));
    assert.deepEqual(ours, []);
  });

  test('Clear empties every field and output', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Clear' }).click();
    await enterKey(page, fixture('rsa2048-mux.txt'));
    await newToken(page, () => page.getByLabel('Playback ID', { exact: true }).fill(PLAYBACK_ID));
    await page.getByRole('button', { name: 'Clear' }).click();
    for (const label of ['Signing key ID', 'Private key', 'Playback ID', 'Custom claims (JSON)']) {
      assert.equal(await page.getByLabel(label, { exact: true }).inputValue(), '', label);
    }
    assert.match(await tokenText(page), /^Paste a key/);
    assert.equal(await page.locator('#decoded-payload').textContent(), '');
    assert.equal(await page.locator('#key-message').textContent(), '');
  });

  test('a throwaway key, marked as not a Mux key, signs without freezing the page', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Clear' }).click();
    // Count animation frames while the key is made: a frozen page draws none.
    await page.evaluate(() => {
      window.frames_ = 0;
      const tick = () => { window.frames_++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    const token = await newToken(page, () => page.getByRole('button', { name: 'Try it without a Mux key' }).click());
    assert.match(await page.locator('#key-message').textContent(), /not a Mux key/);
    assert.ok(await page.evaluate(() => window.frames_) > 2);
    const pem = await page.getByLabel('Private key', { exact: true }).inputValue();
    const claims = verifyInNode(token, createPublicKey(pem));
    assert.equal(claims.kid, 'throwaway-demo-key');
  });

  test('the keyboard alone reaches every control, in reading order, with a visible focus', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator('#tab-sign').focus();
    const order = ['tab-sign'];
    for (let i = 0; i < 60 && order.at(-1) !== 'clear'; i++) {
      await page.keyboard.press('Tab');
      const here = await page.evaluate(() => {
        const el = document.activeElement;
        return { id: el.id, ring: getComputedStyle(el).outlineStyle !== 'none' };
      });
      assert.ok(here.ring, `no visible focus on #${here.id}`);
      // A date-time input takes several Tab presses, one per part of the date.
      if (here.id !== order.at(-1)) order.push(here.id);
    }
    const params = order.filter((id) => id.startsWith('param-'));
    assert.ok(params.length >= 5, order.join(' '));
    assert.deepEqual(order.filter((id) => !id.startsWith('param-')), ['tab-sign', 'tab-verify', 'tab-bulk', 'key-id',
      'private-key', 'demo-key', 'token-type', 'playback-id', 'expiration', 'expires-at', 'custom-claims', 'kid-in', 'clear']);
    assert.equal(order.indexOf(params[0]), order.indexOf('expires-at') + 1, 'the params follow the expiry');
    // Typing with the keyboard signs like pasting does.
    await page.getByLabel('Signing key ID', { exact: true }).focus();
    await page.keyboard.type(KEY_ID);
    await page.keyboard.press('Tab');
    await page.keyboard.insertText(fixture('rsa2048-mux.txt'));
    const token = await newToken(page, async () => {
      await page.getByLabel('Playback ID', { exact: true }).focus();
      await page.keyboard.type(PLAYBACK_ID);
    });
    verifyInNode(token);
  });

  test('screenshots: light, dark and 360 px wide', async () => {
    const { page } = session;
    mkdirSync(`${root}docs/screenshots`, { recursive: true });
    await page.getByLabel('Token type', { exact: true }).selectOption('thumbnail');
    await page.getByLabel('time', { exact: true }).fill('14');
    await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${root}docs/screenshots/light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${root}docs/screenshots/dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 360 px screen`);
    await page.screenshot({ path: `${root}docs/screenshots/mobile-360.png` });
  });
});

test('served under a subpath, the page still signs', async () => {
  const { page, watch, close } = await open('/tools/jwt/');
  try {
    await enterKey(page, fixture('rsa2048.pkcs1.pem'));
    const token = await newToken(page, () => page.getByLabel('Playback ID', { exact: true }).fill(PLAYBACK_ID));
    verifyInNode(token);
    for (const url of watch.requests) assert.ok(url.startsWith(`${watch.origin}/tools/jwt/`), url);
  } finally {
    await close();
  }
});
