// The JS API in Debian's Chromium: the package from `make pkg` loaded by a plain page, tokens
// checked by the browser's own WebCrypto (not our code), errors thrown as JS Errors, and the
// same bytes as @mux/mux-node computes in Node at the same clock.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Mux from '@mux/mux-node';
import { openApiPage } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const keyId = 'browser-key-id';
const keySecret = fixture('rsa2048-mux.txt');
let session, page;

before(async () => {
  session = await openApiPage(root);
  page = session.page;
});
after(async () => {
  await session?.close();
});

test('every type signed in Chromium verifies with WebCrypto', async () => {
  const results = await page.evaluate(async ({ keyId, keySecret, spkiPem }) => {
    const der = Uint8Array.from(atob(spkiPem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('spki', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    const b64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const tokens = [
      ...['video', 'thumbnail', 'gif', 'storyboard', 'drm_license', 'stats'].map((type) => jwt.signPlaybackId('p1', { keyId, keySecret, type })),
      jwt.signDrmLicense('p1', { keyId, keySecret }),
      ...['video', 'asset', 'playback', 'live_stream'].map((type) => jwt.signViewerCounts('id1', { keyId, keySecret, type })),
    ];
    const out = [];
    for (const token of tokens) {
      const [h, p, s] = token.split('.');
      const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, b64(s), new TextEncoder().encode(`${h}.${p}`));
      out.push({ ok, aud: JSON.parse(new TextDecoder().decode(b64(p))).aud });
    }
    return out;
  }, { keyId, keySecret, spkiPem: fixture('rsa2048.public.pem') });
  assert.deepEqual(results.map((r) => r.aud), ['v', 't', 'g', 's', 'd', 'playback_id', 'd', 'video_id', 'asset_id', 'playback_id', 'live_stream_id']);
  assert.ok(results.every((r) => r.ok), JSON.stringify(results));
});

test('the browser gives the same bytes as @mux/mux-node in Node at the same clock', async () => {
  const clock = 1_765_432_100_000;
  const options = { keyId, keySecret, type: ['video', ['thumbnail', { time: '5' }], 'storyboard'], expiration: '2 days', params: { custom: { s: 'ü' } } };
  const ours = await page.evaluate(({ clock, options }) => {
    const realNow = Date.now;
    Date.now = () => clock;
    try {
      return jwt.signPlaybackId('p1', options);
    } finally {
      Date.now = realNow;
    }
  }, { clock, options });
  const realNow = Date.now;
  Date.now = () => clock;
  try {
    const theirs = await new Mux({ tokenId: 'x', tokenSecret: 'x' }).jwt.signPlaybackId('p1', structuredClone(options));
    assert.deepEqual(ours, theirs);
  } finally {
    Date.now = realNow;
  }
});

test('failures throw Errors with our messages and codes; the module keeps working', async () => {
  const outcomes = await page.evaluate(({ keyId, keySecret, publicPem }) => {
    const bad = [
      () => jwt.signPlaybackId('p1', { keyId, keySecret: publicPem }),
      () => jwt.signPlaybackId('p1', { keyId, keySecret: keySecret.slice(0, 900) }),
      () => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: 1798675200 }),
      () => jwt.signPlaybackId('p1', { keyId, keySecret, type: 'thumbnail', params: { fit_mode: 'zoom' } }),
      () => jwt.signPlaybackId('p1', 'not an object'),
      () => jwt.signPlaybackId('p1'),
      () => jwt.decodeToken('a.b'),
      () => new jwt.Signer('', keySecret),
    ];
    return bad.map((call) => {
      try {
        call();
        return { threw: false };
      } catch (error) {
        const next = jwt.signPlaybackId('p1', { keyId, keySecret });
        return { threw: true, isError: error instanceof Error, trap: error instanceof WebAssembly.RuntimeError, message: error.message, code: error.code, field: error.field, nextWorks: next.startsWith('eyJ') };
      }
    });
  }, { keyId, keySecret, publicPem: fixture('rsa2048.public.pem') });
  const expected = [
    /this is a public key/, /damaged or incomplete/, /looks like a Unix time/, /param "fit_mode" must be one of/,
    /options must be an object/, /signing key ID is missing/, /three parts/, /signing key ID is missing/,
  ];
  const codes = [
    ['key_is_public', 'keySecret'], ['key_damaged', 'keySecret'], ['expiration_looks_like_unix_time', 'expiration'],
    ['param_invalid', 'params'], ['options_invalid', 'options'], ['key_id_missing', 'keyId'], ['token_malformed', 'token'],
    ['key_id_missing', 'keyId'],
  ];
  outcomes.forEach((o, i) => {
    assert.ok(o.threw && o.isError && !o.trap && o.nextWorks, JSON.stringify(o));
    assert.match(o.message, expected[i]);
    assert.deepEqual([o.code, o.field], codes[i], JSON.stringify(o));
  });
});
