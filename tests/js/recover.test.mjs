// A trap inside the wasm (here a real one: a Signer's pointer aimed past the end of the
// instance's memory, so the next call reads out of bounds) must not poison the module: the call
// that trapped throws a coded error, the instance is replaced, Signers made before refuse to run
// (their pointers mean nothing in the new memory), and everything made after signs tokens that
// Node's crypto verifies.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import jwt, { fixture } from './load.mjs';

const key = fixture('rsa2048-mux.txt');
const publicKey = createPublicKey(fixture('rsa2048.public.pem'));
const verifies = (token) => {
  const [header, claims, signature] = token.split('.');
  return verify('sha256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'));
};
const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
const expiresAt = Math.floor(Date.now() / 1000) + 3600;

/** Makes the next call on `signer` trap: its pointer aimed past the end of the wasm memory. */
function aimPastMemory(signer) {
  signer.__wbg_ptr = 0xffff_fff0;
}

test('a trap throws wasm_trapped, old Signers then throw signer_stale, and new ones sign valid tokens', () => {
  const before = new jwt.Signer('kid-before', key);
  assert.ok(verifies(before.signPlaybackId('pb1', { type: 'video', expiresAt })));

  const victim = new jwt.Signer('kid-victim', key);
  aimPastMemory(victim);
  assert.throws(() => victim.signPlaybackId('pb1', { type: 'video', expiresAt }), (error) => {
    assert.equal(error.code, 'wasm_trapped');
    assert.ok(error.cause instanceof WebAssembly.RuntimeError, 'the trap is the cause');
    assert.doesNotMatch(error.message, /PRIVATE|MII/);
    return true;
  });

  for (const signer of [before, victim]) {
    assert.throws(() => signer.signPlaybackId('pb1', { type: 'video', expiresAt }), { code: 'signer_stale' });
    assert.throws(() => signer.keyInfo(), { code: 'signer_stale' });
    signer.free(); // frees nothing in the new instance, throws nothing
  }

  const after = new jwt.Signer('kid-after', key);
  const token = after.signPlaybackId('pb2', { type: 'thumbnail', expiresAt });
  assert.ok(verifies(token));
  assert.deepEqual(claimsOf(token), { kid: 'kid-after', sub: 'pb2', aud: 't', exp: expiresAt });
  // The module's functions run on the new instance too.
  const direct = jwt.signPlaybackId('pb3', { keyId: 'kid-x', keySecret: key, type: 'video', expiresAt });
  assert.ok(verifies(direct));
  assert.equal(claimsOf(direct).sub, 'pb3');
  after.free();
});

test('recovery repeats: ten traps in a row, each followed by a valid token', () => {
  for (let i = 0; i < 10; i++) {
    const signer = new jwt.Signer('kid-loop', key);
    aimPastMemory(signer);
    assert.throws(() => signer.signPlaybackId(`pb${i}`, { type: 'video', expiresAt }), { code: 'wasm_trapped' });
    const fresh = new jwt.Signer('kid-loop', key);
    const token = fresh.signPlaybackId(`pb${i}`, { type: 'video', expiresAt });
    assert.ok(verifies(token));
    assert.equal(claimsOf(token).sub, `pb${i}`);
    fresh.free();
  }
});

test('bad input is still an ordinary coded error, not a trap: the instance is kept', () => {
  const signer = new jwt.Signer('kid-1', key);
  assert.throws(() => signer.signPlaybackId('a b', { type: 'video' }), { code: 'id_invalid' });
  // Had the instance been replaced, this Signer would now be stale.
  assert.ok(verifies(signer.signPlaybackId('ok', { type: 'video', expiresAt })));
  signer.free();
});
