// The JS API as JS sees it: option objects, results, thrown Errors, and the module still
// working after an error. Every token is verified by Node's crypto (OpenSSL), not by our code.
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import jwt, { atClock, fixture, part } from './load.mjs';

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

/** A pinned clock (ms), so every expected `exp` is computed from the inputs exactly. */
const CLOCK = 1_795_000_000_999;
const NOW = Math.floor(CLOCK / 1000);

test('every token type verifies with OpenSSL and carries the right claims', async () => {
  const auds = { video: 'v', thumbnail: 't', gif: 'g', storyboard: 's', drm_license: 'd', stats: 'playback_id' };
  await atClock(CLOCK, () => {
    for (const [type, aud] of Object.entries(auds)) {
      const claims = opensslVerify(jwt.signPlaybackId('playback1', { keyId, keySecret, type }));
      assert.deepEqual(claims, { kid: keyId, sub: 'playback1', aud, exp: NOW + 7 * 86400 }, type);
    }
    assert.deepEqual(opensslVerify(jwt.signDrmLicense('playback1', { keyId, keySecret, expiration: '90m' })), {
      kid: keyId, sub: 'playback1', aud: 'd', exp: NOW + 5400,
    });
    const auds2 = { video: 'video_id', asset: 'asset_id', playback: 'playback_id', live_stream: 'live_stream_id' };
    for (const [type, aud] of Object.entries(auds2)) {
      assert.deepEqual(opensslVerify(jwt.signViewerCounts('id1', { keyId, keySecret, type, expiration: '1y' })), {
        kid: keyId, sub: 'id1', aud, exp: NOW + 365 * 86400,
      }, type);
    }
  });
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

test('options: expiresAt, kidIn, params order and types', async () => {
  const at = now() + 3600;
  const byNumber = jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: at });
  assert.equal(opensslVerify(byNumber).exp, at);
  const iso = new Date(at * 1000).toISOString();
  assert.equal(opensslVerify(jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: iso })).exp, at);
  // RFC 3339 with an offset: the instant it names, exactly.
  for (const [expiresAt, exp] of [
    ['2099-01-01T02:00:00+02:00', 4_070_908_800],
    ['2099-01-01T00:00:00-05:30', 4_070_928_600],
    ['2099-01-01T00:00:00.999Z', 4_070_908_800],
    [4_070_908_800, 4_070_908_800],
  ]) {
    assert.equal(opensslVerify(jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt })).exp, exp, String(expiresAt));
    assert.equal(jwt.resolveExpiration({ expiresAt }), exp, String(expiresAt));
  }
  const both = jwt.signPlaybackId('p1', { keyId, keySecret, kidIn: 'both' });
  assert.equal(part(both, 0), `{"alg":"RS256","typ":"JWT","kid":"${keyId}"}`);
  assert.deepEqual(Object.keys(opensslVerify(both)), ['kid', 'sub', 'aud', 'exp']);
  assert.equal(opensslVerify(both).kid, keyId);
  const inClaims = jwt.signPlaybackId('p1', { keyId, keySecret, kidIn: 'claims' });
  assert.equal(part(inClaims, 0), '{"alg":"RS256","typ":"JWT"}');
  const header = jwt.signPlaybackId('p1', { keyId, keySecret, kidIn: 'header' });
  assert.equal(part(header, 0), `{"alg":"RS256","typ":"JWT","kid":"${keyId}"}`);
  assert.equal(opensslVerify(header).kid, undefined);
  const token = jwt.signPlaybackId('p1', { keyId, keySecret, type: 'thumbnail', params: { width: 100, time: '2', custom: { a: [1, true, null] } } });
  assert.match(part(token, 1), /^\{"width":100,"time":"2","custom":\{"a":\[1,true,null\]\},"kid":/);
  // One clock for the call and the expectation (two reads can straddle a second).
  await atClock(CLOCK, () => assert.equal(jwt.resolveExpiration({ expiration: '2h' }), NOW + 7200));
  assert.deepEqual(jwt.checkParams('gif', { time: 1 }), ['param "time" is not a documented gif param: it is passed through as is']);
});

test('errors throw a JS Error with a code, a field and a message, and the module keeps working', () => {
  // Each failure by its stable code and the option it concerns, never by message text.
  const cases = [
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: '' }), 'key_missing', 'keySecret'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: fixture('rsa2048.public.pem') }), 'key_is_public', 'keySecret'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: fixture('ec-p256.pem') }), 'key_unsupported_type', 'keySecret'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret: fixture('rsa1024.pem') }), 'key_too_small', 'keySecret'],
    [() => jwt.signPlaybackId('p1', { keySecret }), 'key_id_missing', 'keyId'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: 1798675200 }), 'expiration_looks_like_unix_time', 'expiration'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: '3 fortnights' }), 'expiration_invalid', 'expiration'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: -5 }), 'expiration_invalid', 'expiration'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: 1_000 }), 'expiration_not_future', 'expiresAt'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: Date.now() }), 'expiration_too_far', 'expiresAt'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiration: '1h', expiresAt: now() + 60 }), 'expiration_conflict', 'expiration'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, expiresIn: '1h' }), 'options_invalid', 'options'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, type: 'poster' }), 'type_unknown', 'type'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, type: ['video', 7] }), 'options_invalid', 'type'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, type: 'thumbnail', params: { rotate: 45 } }), 'param_invalid', 'params'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, params: 'time=1' }), 'params_invalid', 'params'],
    [() => jwt.signPlaybackId('p 1', { keyId, keySecret }), 'id_invalid', 'playbackId'],
    [() => jwt.signPlaybackId('p1', { keyId, keySecret, kidIn: 'footer' }), 'kid_in_unknown', 'kidIn'],
    [() => jwt.signViewerCounts('p1', { keyId, keySecret, type: 'channel' }), 'viewer_counts_type_unknown', 'type'],
    [() => new jwt.Signer(keyId, 'not a key'), 'key_not_a_key', 'keySecret'],
    [() => new jwt.Signer(keyId, keySecret).signPlaybackId('p1', { keyId }), 'options_invalid', 'options'],
    [() => jwt.decodeToken('abc'), 'token_malformed', 'token'],
    [() => jwt.verifyToken(jwt.signPlaybackId('p1', { keyId, keySecret }), fixture('rsa3072.pem')), 'signature_invalid', 'token'],
    [() => jwt.verifyToken('x.y.z', 'junk'), 'public_key_invalid', 'publicKey'],
    [() => jwt.signedUrl('video', 'p/1', 'T'), 'id_invalid', 'playbackId'],
    [() => jwt.playerUrl('p1', { 'poster-token': 'T' }), 'options_invalid', 'token'],
  ];
  for (const [call, code, field] of cases) {
    assert.throws(call, (error) => {
      assert.ok(error instanceof Error, `not an Error: ${error}`);
      assert.ok(!(error instanceof WebAssembly.RuntimeError), 'a trap, not an error');
      assert.deepEqual([error.code, error.field], [code, field], error.message);
      assert.ok(error.message.length > 20, `no message for ${code}`);
      return true;
    }, `no error for ${call}`);
    // The module still works after each failure.
    opensslVerify(jwt.signPlaybackId('p1', { keyId, keySecret }));
  }
});

test('decodeToken, verifyToken and signed URLs', async () => {
  const expiresAt = 4_070_908_800;
  const token = jwt.signPlaybackId('p1', { keyId, keySecret, type: 'gif', expiresAt });
  const decoded = jwt.decodeToken(token);
  // Everything compared with the inputs, not with another part of the same answer.
  assert.deepEqual(decoded.header, { alg: 'RS256', typ: 'JWT' });
  assert.deepEqual(decoded.claims, { kid: keyId, sub: 'p1', aud: 'g', exp: expiresAt });
  assert.equal(decoded.expiresAt, expiresAt);
  assert.equal(decoded.expiry, 'valid');
  assert.equal(decoded.signature, token.split('.')[2]);
  // Expired and expiry-less tokens, decoded at a clock after exp.
  const soon = now() + 60;
  const short = jwt.signPlaybackId('p1', { keyId, keySecret, expiresAt: soon });
  await atClock((soon + 1) * 1000, () => assert.equal(jwt.decodeToken(short).expiry, 'expired'));
  assert.equal(jwt.decodeToken('e30.e30.e30').expiry, 'no_expiry');
  for (const key of [fixture('rsa2048.public.pem'), fixture('rsa2048.public.jwk.json'), keySecret]) {
    const verified = jwt.verifyToken(token, key);
    assert.deepEqual(verified.claims, { kid: keyId, sub: 'p1', aud: 'g', exp: expiresAt });
    assert.equal(verified.expiresAt, expiresAt);
  }
  assert.equal(jwt.signedUrl('gif', 'p1', token), `https://image.mux.com/p1/animated.gif?token=${token}`);
  assert.deepEqual(jwt.signedUrls('gif', 'p1', 'T').map((u) => u.label), ['animated.gif', 'animated.webp']);
  assert.equal(jwt.keyInfo(fixture('rsa2048.jwk.json')).formatLabel, 'JWK');
});

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function rng(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

test('property: 300 random claim sets sign and verify with OpenSSL, claims intact', async () => {
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
  const auds = { video: 'v', thumbnail: 't', gif: 'g', storyboard: 's', drm_license: 'd', stats: 'playback_id' };
  const signer = new jwt.Signer(keyId, keySecret);
  for (let i = 0; i < 300; i++) {
    const custom = value(0);
    const params = { [`x_${i}`]: str(), custom: typeof custom === 'object' && !Array.isArray(custom) ? custom : { v: custom } };
    const type = pick(Object.keys(auds));
    const token = await atClock(CLOCK, () => signer.signPlaybackId(`id${i}`, { type, params, expiration: `${1 + i}m` }));
    const claims = opensslVerify(token);
    // Everything expected comes from the inputs: the type's aud, the clock plus the minutes.
    const expected = { ...params, kid: keyId, sub: `id${i}`, aud: auds[type], exp: NOW + (1 + i) * 60 };
    assert.deepEqual(claims, expected, `case ${i}`);
    assert.equal(part(token, 1), JSON.stringify(expected), `case ${i}: byte layout`);
  }
  signer.free();
});

/** The signature error, by its stable code (not `token_malformed`: the edit kept valid JSON). */
function isSignatureError(error) {
  assert.ok(error instanceof Error && !(error instanceof WebAssembly.RuntimeError), `not an Error: ${error}`);
  assert.deepEqual([error.code, error.field], ['signature_invalid', 'token'], error.message);
  return true;
}

test('tampering that keeps valid JSON fails at the signature, with every kind of key', () => {
  const expiresAt = 4_070_908_800;
  const token = jwt.signPlaybackId('p1', { keyId, keySecret, type: 'video', expiresAt });
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(part(token, 1));
  const encode = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const forgeries = {
    'another sub': `${header}.${encode({ ...claims, sub: 'someone-else' })}.${signature}`,
    'a later exp': `${header}.${encode({ ...claims, exp: expiresAt + 86400 })}.${signature}`,
    'another aud': `${header}.${encode({ ...claims, aud: 't' })}.${signature}`,
    'kid in the header': `${encode({ alg: 'RS256', typ: 'JWT', kid: keyId })}.${payload}.${signature}`,
  };
  const signer = new jwt.Signer(keyId, keySecret);
  const keys = { 'public PEM': fixture('rsa2048.public.pem'), 'public JWK': fixture('rsa2048.public.jwk.json'), 'private key': keySecret };
  for (const [edit, forged] of Object.entries(forgeries)) {
    // Still a JWT whose claims decode: the edit reaches the signature check.
    assert.notDeepEqual(jwt.decodeToken(forged), jwt.decodeToken(token), edit);
    for (const [name, key] of Object.entries(keys)) {
      assert.equal(jwt.verifyToken(token, key).claims.exp, expiresAt, name);
      assert.throws(() => jwt.verifyToken(forged, key), isSignatureError, `${edit}, ${name}`);
    }
    assert.throws(() => signer.verify(forged), isSignatureError, `${edit}, Signer.verify`);
    // Node's crypto agrees it is forged.
    const [h, p, s] = forged.split('.');
    assert.equal(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url')), false, edit);
  }
  signer.free();
});

test('version() is the crate version of Cargo.toml and package.json', () => {
  const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8').match(/^version = "([^"]+)"/m)[1];
  const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8')).version;
  assert.equal(jwt.version(), cargo);
  assert.equal(pkg, cargo);
});
