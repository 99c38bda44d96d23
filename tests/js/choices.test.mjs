// The lists of choices the page builds its <select>s from (viewerCountsTypes, kidPlacements,
// keyExportFormats, tokenTypes' labels) say what the core then does: each name is one the
// signer takes, and what the list claims about it (the aud, where the kid goes, whether a
// format is secret) is checked against the tokens and keys the signer writes, read by Node.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import jwt, { fixture } from './load.mjs';

const key = fixture('rsa2048-mux.txt');
const signer = new jwt.Signer('kid-1', key);
const part = (token, i) => JSON.parse(Buffer.from(token.split('.')[i], 'base64url'));

test('viewerCountsTypes: the SDK\'s four names, video first, each signing the aud it lists', () => {
  const types = jwt.viewerCountsTypes();
  assert.deepEqual(types.map((t) => t.name), ['video', 'asset', 'playback', 'live_stream']);
  for (const { name, aud, label } of types) {
    assert.equal(part(signer.signViewerCounts('abc123', { type: name }), 1).aud, aud, name);
    assert.ok(label.length > 0);
  }
  assert.equal(part(signer.signViewerCounts('abc123'), 1).aud, types[0].aud, 'the first is the default');
});

test('kidPlacements: claims first (the default), then header and both, each doing what it says', () => {
  const placements = jwt.kidPlacements();
  assert.deepEqual(placements.map((p) => p.name), ['claims', 'header', 'both']);
  const where = (kidIn) => {
    const token = signer.signPlaybackId('abc123', kidIn ? { kidIn } : {});
    return [part(token, 0).kid, part(token, 1).kid];
  };
  assert.deepEqual(where(undefined), where(placements[0].name));
  assert.deepEqual(where('claims'), [undefined, 'kid-1']);
  assert.deepEqual(where('header'), ['kid-1', undefined]);
  assert.deepEqual(where('both'), ['kid-1', 'kid-1']);
});

test('keyExportFormats: every format exportKey writes, secret exactly when the text holds the private key', () => {
  const formats = jwt.keyExportFormats();
  assert.deepEqual(formats.map((f) => f.name),
    ['pkcs8-pem', 'pkcs1-pem', 'jwk', 'mux-base64', 'env', 'public-pem', 'public-jwk']);
  for (const { name, secret, encoding, title } of formats) {
    const text = signer.exportKey(name);
    const body = encoding === 'env' ? text.slice(text.indexOf('=') + 1).trim() : text;
    const pem = encoding === 'base64' || encoding === 'env' ? Buffer.from(body, 'base64').toString() : body;
    // Node decides what the text is: a private key parses as one, a public key only as public.
    const asPrivate = () => createPrivateKey(encoding === 'jwk' ? { key: JSON.parse(pem), format: 'jwk' } : pem);
    if (secret) assert.equal(asPrivate().type, 'private', name);
    else {
      assert.throws(asPrivate, undefined, `${name} is not a private key`);
      assert.equal(createPublicKey(encoding === 'jwk' ? { key: JSON.parse(pem), format: 'jwk' } : pem).type, 'public');
    }
    assert.ok(title.length > 0);
  }
});

test('tokenTypes carry a label for every type', () => {
  for (const type of jwt.tokenTypes()) assert.ok(typeof type.label === 'string' && type.label.length > 0, type.name);
});

test('playbackIdRule: its pattern accepts exactly the IDs the signer signs, character by character and at the length limit', () => {
  const rule = jwt.playbackIdRule();
  const pattern = new RegExp(rule.pattern);
  const signs = (id) => {
    try {
      signer.signPlaybackId(id, { type: 'video' });
      return true;
    } catch (error) {
      assert.equal(error.field, 'playbackId', `${JSON.stringify(id)}: ${error.code}`);
      return false;
    }
  };
  const inner = [];
  for (let code = 0; code < 0x180; code++) inner.push(String.fromCodePoint(code));
  inner.push('\u{1F600}', '\u2028', '%2F');
  let accepted = 0;
  for (const c of inner) {
    const id = `a${c}b`; // inside the ID, so trimming never applies
    assert.equal(pattern.test(id), signs(id), JSON.stringify(id));
    if (signs(id)) accepted++;
  }
  assert.equal(accepted, 62 + 4, 'letters, digits and - _ . ~');
  assert.equal(rule.maxLength, 255);
  for (const length of [1, rule.maxLength, rule.maxLength + 1]) {
    const id = 'x'.repeat(length);
    assert.equal(pattern.test(id), signs(id), `length ${length}`);
  }
  assert.equal(pattern.test(''), false);
});

test('tokenTypes: the player slots name exactly the tokens playerUrl carries, video the one it needs', () => {
  const types = jwt.tokenTypes();
  const tokens = Object.fromEntries(types.map((t) => [t.tokenKey, `tok-${t.name}`]));
  const query = new URL(jwt.playerUrl('abc', tokens)).searchParams;
  assert.deepEqual([...query.keys()], types.filter((t) => t.player !== null).map((t) => t.tokenKey));
  assert.deepEqual(types.filter((t) => t.player === 'required').map((t) => t.name), ['video']);
  assert.deepEqual(types.filter((t) => t.player === 'drm').map((t) => t.name), ['drm_license']);
  assert.deepEqual(types.filter((t) => t.playerSet).map((t) => t.name),
    types.filter((t) => t.player === 'required' || t.player === 'default').map((t) => t.name));
});
