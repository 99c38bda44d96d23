// Signer.exportKey: every format imports into independent libraries — Node's crypto
// (OpenSSL), WebCrypto and jose — and signs there the very bytes our signer signs.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign as rsaSign, webcrypto } from 'node:crypto';
import { test } from 'node:test';
import * as jose from 'jose';
import jwt, { fixture } from './load.mjs';

const key = fixture('rsa2048-mux.txt');
const signer = new jwt.Signer('kid-1', key);
const token = signer.signPlaybackId('abc123', { expiresAt: 4102444800 });
const [header, payload, signature] = token.split('.');
const input = Buffer.from(`${header}.${payload}`);

test('PEM and JWK exports import into Node\'s crypto and sign the same bytes', () => {
  for (const [format, options] of [
    ['pkcs8-pem', {}], ['pkcs1-pem', {}], ['jwk', { format: 'jwk' }],
  ]) {
    const text = signer.exportKey(format);
    const imported = createPrivateKey(options.format === 'jwk' ? { key: JSON.parse(text), format: 'jwk' } : text);
    assert.equal(rsaSign('sha256', input, imported).toString('base64url'), signature, format);
  }
  const mux = signer.exportKey('mux-base64').trim();
  assert.equal(mux, key.replace(/\s/g, ''));
  assert.equal(signer.exportKey('env'), `MUX_PRIVATE_KEY=${mux}\n`);
  const publicPem = createPublicKey(signer.exportKey('public-pem'));
  const publicJwk = createPublicKey({ key: JSON.parse(signer.exportKey('public-jwk')), format: 'jwk' });
  assert.ok(publicPem.equals(publicJwk));
  assert.ok(publicPem.equals(createPublicKey(fixture('rsa2048.public.pem'))));
});

test('the PKCS#8 and JWK exports import into WebCrypto and jose', async () => {
  const pkcs8 = signer.exportKey('pkcs8-pem');
  const der = Buffer.from(pkcs8.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  for (const imported of [
    await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']),
    await webcrypto.subtle.importKey('jwk', JSON.parse(signer.exportKey('jwk')), algorithm, false, ['sign']),
  ]) {
    const bytes = Buffer.from(await webcrypto.subtle.sign(algorithm, imported, input));
    assert.equal(bytes.toString('base64url'), signature);
  }
  const viaJose = await new jose.CompactSign(Buffer.from(payload, 'base64url'))
    .setProtectedHeader(JSON.parse(Buffer.from(header, 'base64url')))
    .sign(await jose.importPKCS8(pkcs8, 'RS256'));
  assert.equal(viaJose, token);
  const fromJwk = await jose.importJWK(JSON.parse(signer.exportKey('jwk')), 'RS256');
  const verified = await jose.jwtVerify(token, await jose.importSPKI(signer.exportKey('public-pem'), 'RS256'));
  assert.equal(verified.payload.sub, 'abc123');
  assert.ok(fromJwk);
});

test('an unknown format throws key_format_unknown', () => {
  assert.throws(() => signer.exportKey('der'), (error) => error.code === 'key_format_unknown' && error.field === 'options');
  assert.throws(() => signer.exportKey(42), (error) => error.code === 'options_invalid');
});
