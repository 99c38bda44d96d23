// The JS API as JS sees it: option objects, results, thrown Errors, and the module still
// working after an error. Every token is verified by Node's crypto (OpenSSL), not by our code.
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { test } from 'node:test';
import jwt, { fixture, part } from './load.mjs';

const keyId = 'api-key-id';
const keySecret = fixture('rsa2048-mux.txt');
const publicKey = createPublicKey(fixture('rsa2048.public.pem'));

/** Verifies with OpenSSL through Node and returns the claims. */
function opensslVerify(token) {
  const [header, payload, signature] = token.split('.');
  const ok = cryptoVerify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  assert.ok(ok, `OpenSSL rejects ${token}`);
  assert.deepEqual(JSON.parse(part(token, 0)).alg, 'RS256');
  return JSON.parse(part(token, 1));
}

const now = () => Math.floor(Date.now() / 1000);

test('every token type verifies with OpenSSL and carries the right claims', () => {
  const auds = { video: 'v', thumbnail: 't', gif: 'g', storyboard: 's', drm_license: 'd', stats: 'playback_id' };
  for (const [type, aud] of Object.entries(auds)) {
    const claims = opensslVerify(jwt.signPlaybackId('playback1', { keyId, keySecret, type }));
    assert.deepEqual(Object.keys(claims), ['kid', 'sub', 'aud', 'exp']);
    assert.equal(claims.aud, aud);
    assert.equal(claims.sub, 'playback1');
    assert.equal(claims.kid, keyId);
    assert.ok(Math.abs(claims.exp - (now() + 7 * 86400)) <= 2);
  }
  const drm = opensslVerify(jwt.signDrmLicense('playback1', { keyId, keySecret }));
  assert.equal(drm.aud, 'd');
  const auds2 = { video: 'video_id', asset: 'asset_id', playback: 'playback_id', live_stream: 'live_stream_id' };
  for (const [type, aud] of Object.entries(auds2)) {
    assert.equal(opensslVerify(jwt.signViewerCounts('id1', { keyId, keySecret, type })).aud, aud);
  }
});

test('a Signer parses once and signs many; exports its public key', () => {
  const signer = new jwt.Signer(keyId, keySecret);
  assert.equal(signer.keyId, keyId);
  const info = signer.keyInfo();
  assert.deepEqual(info.format, { syntax: 'pkcs1', encoding: 'base64_pem' });
  assert.equal(info.formatLabel, 'PKCS#1 · base64 PEM');
  assert.equal(info.bits, 2048);
  // Node computes the same public key and JWK.
  assert.equal(signer.publicKeyPem(), fixture('rsa2048.public.pem'));
  const jwk = signer.publicJwk();
  const nodeJwk = publicKey.export({ format: 'jwk' });
  assert.deepEqual({ n: jwk.n, e: jwk.e, kty: jwk.kty }, { n: nodeJwk.n, e: nodeJwk.e, kty: nodeJwk.kty });
  assert.deepEqual([jwk.alg, jwk.use, jwk.kid], ['RS256', 'sig', keyId]);
  assert.equal(info.thumbprint, signer.thumbprint());
  const set = signer.signPlaybackId('p1', { type: ['video', ['thumbnail', { time: 3 }], 'storyboard'], expiration: '1h' });
  assert.deepEqual(Object.keys(set), ['playback-token', 'thumbnail-token', 'storyboard-token']);
  assert.equal(opensslVerify(set['thumbnail-token']).time, 3);
  assert.equal(signer.verify(set['playback-token']).claims.sub, 'p1');
  assert.equal(
    jwt.playerUrl('p1', set),
    `https://player.mux.com/p1?playback-token=${set['playback-token']}&thumbnail-token=${set['thumbnail-token']}&storyboard-token=${set['storyboard-token']}`,
  );
  signer.free();
  assert.throws(() => signer.thumbprint(), Error, 'a freed Signer is unusable');
});

test('options: expiresAt, kidIn, params order and types', () => {
  const at = now() + 3600;
  const byNumber = jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: at });
  assert.equal(opensslVerify(byNumber).exp, at);
  const iso = new Date(at * 1000).toISOString();
  assert.equal(opensslVerify(jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: iso })).exp, at);
  const header = jwt.signPlaybackId('p1', { keyId, keySecret, kidIn: 'header' });
  assert.equal(part(header, 0), `{"alg":"RS256","typ":"JWT","kid":"${keyId}"}`);
  assert.equal(opensslVerify(header).kid, undefined);
  const token = jwt.signPlaybackId('p1', { keyId, keySecret, type: 'thumbnail', params: { width: 100, time: '2', custom: { a: [1, true, null] } } });
  assert.match(part(token, 1), /^\{"width":100,"time":"2","custom":\{"a":\[1,true,null\]\},"kid":/);
  assert.equal(jwt.resolveExpiration({ expiration: '2h' }), now() + 7200);
  assert.deepEqual(jwt.checkParams('gif', { time: 1 }), ['param "time" is not a documented gif param: it is passed through as is']);
});

test('errors throw a JS Error with our message, and the module keeps working', () => {
  const cases = [
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: '' }), /the private key is empty/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: fixture('rsa2048.public.pem') }), /this is a public key: paste the private key/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: fixture('ec-p256.pem') }), /EC \(elliptic-curve\) private key/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: fixture('rsa1024.pem') }), /only 1024 bits/],
    [() => jwt.signPlaybackId('p1', { keySecret }), /signing key ID is missing/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: 1798675200 }), /looks like a Unix time, not a duration/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: '3 fortnights' }), /is not a duration or a date/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: -5 }), /whole number of seconds/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: 1_000 }), /not in the future/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: Date.now() }), /beyond the year 9999.*milliseconds/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: '1h', expiresAt: now() + 60 }), /either a relative expiration or an absolute expiry/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiresIn: '1h' }), /invalid options: unknown field `expiresIn`/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, type: 'poster' }), /unknown token type "poster"/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, type: ['video', 7] }), /a type entry must be a name or \[name, params\]/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, type: 'thumbnail', params: { rotate: 45 } }), /param "rotate" must be one of 90, 180, 270, not 45/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, params: 'time=1' }), /params must be a JSON object: got a string/],
    [() => jwt.signPlaybackId('p 1', { keyId, keySecret }), /has characters no Mux ID has/],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, kidIn: 'footer' }), /unknown key ID placement/],
    [() => jwt.signViewerCounts('p1', { keyId, keySecret, type: 'channel' }), /unknown ID type "channel"/],
    [() => new jwt.Signer(keyId, 'not a key'), /this is not a private key/],
    [() => new jwt.Signer(keyId, keySecret).signPlaybackId('p1', { keyId }), /already holds its key/],
    [() => jwt.decodeToken('abc'), /three parts/],
    [() => jwt.verifyToken(jwt.signPlaybackId('p1', { keyId, keySecret }), fixture('rsa3072.pem')), /signature does not match/],
    [() => jwt.verifyToken('x.y.z', 'junk'), /public key cannot be read/],
    [() => jwt.signedUrl('video', 'p/1', 'T'), /has characters no Mux ID has/],
    [() => jwt.playerUrl('p1', { 'poster-token': 'T' }), /unknown token key "poster-token"/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (error) => {
      assert.ok(error instanceof Error, `not an Error: ${error}`);
      assert.ok(!(error instanceof WebAssembly.RuntimeError), 'a trap, not an error');
      assert.match(error.message, message);
      return true;
    }, `no error for ${message}`);
    // The module still works after each failure.
    opensslVerify(jwt.signPlaybackId('p1', { keyId, keySecret }));
  }
});

test('decodeToken, verifyToken and signed URLs', () => {
  const token = jwt.signPlaybackId('p1', { keyId, keySecret, type: 'gif' });
  const decoded = jwt.decodeToken(token);
  assert.deepEqual(decoded.header, { alg: 'RS256', typ: 'JWT' });
  assert.equal(decoded.claims.aud, 'g');
  assert.equal(decoded.expiry, 'valid');
  assert.equal(decoded.expiresAt, decoded.claims.exp);
  for (const key of [fixture('rsa2048.public.pem'), fixture('rsa2048.public.jwk.json'), keySecret]) {
    assert.equal(jwt.verifyToken(token, key).claims.sub, 'p1');
  }
  assert.equal(jwt.signedUrl('gif', 'p1', token), `https://image.mux.com/p1/animated.gif?token=${token}`);
  assert.deepEqual(jwt.signedUrls('gif', 'p1', 'T').map((u) => u.label), ['animated.gif', 'animated.webp']);
  assert.equal(jwt.keyInfo(fixture('rsa2048.jwk.json')).formatLabel, 'JWK');
});

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function rng(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

test('property: 300 random claim sets sign and verify with OpenSSL, claims intact', () => {
  const random = rng(20261128);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chars = ['a', 'Z', '9', '_', ' ', 'é', '日', '😀', '"', '\\', '\n', '</'];
  const str = () => Array.from({ length: Math.floor(random() * 12) }, () => pick(chars)).join('');
  const value = (depth) => {
    const kind = pick(depth > 2 ? ['s', 'n', 'b'] : ['s', 'n', 'b', 'o', 'a']);
    if (kind === 's') return str();
    if (kind === 'n') return Math.floor(random() * 1e9) - 5e8;
    if (kind === 'b') return random() < 0.5;
    if (kind === 'a') return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [`k${str()}`, value(depth + 1)]));
  };
  const signer = new jwt.Signer(keyId, keySecret);
  for (let i = 0; i < 300; i++) {
    const custom = value(0);
    const params = { [`x_${i}`]: str(), custom: typeof custom === 'object' && !Array.isArray(custom) ? custom : { v: custom } };
    const type = pick(['video', 'thumbnail', 'gif', 'storyboard', 'drm_license', 'stats']);
    const token = signer.signPlaybackId(`id${i}`, { type, params, expiration: `${1 + i}m` });
    const claims = opensslVerify(token);
    assert.deepEqual(claims, { ...params, kid: keyId, sub: `id${i}`, aud: claims.aud, exp: claims.exp }, `case ${i}`);
    assert.equal(part(token, 1), JSON.stringify(claims), `case ${i}: byte layout`);
  }
  signer.free();
});
