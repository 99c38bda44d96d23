// Parity with the official SDK: @mux/mux-node (from npm) and our wasm sign the same inputs at
// the same pinned clock; the tokens must be identical byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Mux from '@mux/mux-node';
import jwt, { atClock, fixture } from './load.mjs';

const keyId = 'parity-key-id';
const keySecret = fixture('rsa2048-mux.txt');
const mux = new Mux({ tokenId: 'unused', tokenSecret: 'unused' });
const CLOCK = 1_764_000_123_456; // ms; the SDK and we both floor to seconds

const playbackCases = [];
for (const type of ['video', 'thumbnail', 'gif', 'storyboard', 'drm_license', 'stats']) {
  playbackCases.push({ type });
}
const paramSets = [
  { type: 'thumbnail', params: { time: '14', width: '100' } },
  { type: 'thumbnail', params: { width: 320, height: 180, fit_mode: 'smartcrop', time: 2.5 } },
  { type: 'gif', params: { start: '1', end: '4', fps: 15, width: 480 } },
  { type: 'video', params: { playback_restriction_id: 'rst1', custom: { session_id: 'ü-42', tags: ['a', 'b'], nested: { n: 1 } } } },
  { type: 'video', params: { b: '2', a: '1', '10': 'numeric keys first, like JSON.stringify', max_resolution: '720p' } },
  { type: 'storyboard', params: { asset_start_time: 10, asset_end_time: 60 } },
  { type: 'video', params: { sub: 'overridden', exp: 1, kid: 'overridden' } },
  // Numbers exactly as JSON.stringify writes them, and values it drops or converts.
  { type: 'video', params: { big: 1e21, sum: 0.1 + 0.2, negZero: -0, tiny: 5e-7, huge: 123456789012345680000, gone: undefined, when: new Date(0) } },
];
const expirations = [undefined, '7d', '2 days', '10h', '30 minutes', '1w', 3600, '120', ' 5 mins '];

async function both(fn) {
  return atClock(CLOCK, async () => [await fn(mux.jwt, true), await fn(jwt, false)]);
}

test('signPlaybackId: every type, param set and expiration form', async () => {
  let compared = 0;
  for (const base of [...playbackCases, ...paramSets]) {
    for (const expiration of expirations) {
      const options = { keyId, keySecret, ...base, ...(expiration === undefined ? {} : { expiration }) };
      const [theirs, ours] = await both((api) => api.signPlaybackId('parityPlaybackId01', { ...options, params: options.params && { ...options.params } }));
      assert.match(theirs, /^eyJ[\w-]+\.[\w-]+\.[\w-]{300,}$/);
      assert.equal(ours, theirs, JSON.stringify(options));
      compared++;
    }
  }
  assert.ok(compared >= 100, `compared ${compared}`);
});

test('signPlaybackId with a type array returns the same token set', async () => {
  const options = {
    keyId, keySecret, expiration: '1d', params: { custom: { user: 'u1' } },
    type: ['video', ['thumbnail', { time: '2' }], 'storyboard', 'drm_license', 'gif', 'stats'],
  };
  const [theirs, ours] = await both((api) => api.signPlaybackId('parityPlaybackId01', structuredClone(options)));
  assert.deepEqual(Object.keys(ours), Object.keys(theirs));
  assert.deepEqual(ours, theirs);
});

test('signDrmLicense and signViewerCounts match', async () => {
  for (const expiration of [undefined, '3h']) {
    const [a, b] = await both((api) => api.signDrmLicense('parityPlaybackId01', { keyId, keySecret, expiration }));
    assert.equal(b, a);
  }
  for (const type of [undefined, 'video', 'asset', 'playback', 'live_stream']) {
    const [a, b] = await both((api) => api.signViewerCounts('liveStream42', { keyId, keySecret, type }));
    assert.equal(b, a, String(type));
  }
});

test('every key format gives the SDK’s bytes (the SDK reads its PEM forms)', async () => {
  for (const name of ['rsa2048.pkcs1.pem', 'rsa2048.pkcs8.pem']) {
    const keySecret = fixture(name);
    const [a, b] = await both((api) => api.signPlaybackId('parityPlaybackId01', { keyId, keySecret, type: 'gif' }));
    assert.equal(b, a, name);
  }
});
