// handler.mjs in-process, with stand-in Signers, for the paths a real key cannot reach: a
// signer that throws (500 without details, or 400 when the error is about the playback ID),
// the real JS API's error for a bad ID, and the start-up checks of the environment.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHandler } from '../../examples/handler.mjs';
import { API_TOKEN, KEY, findSecret, jwtWith, realPkg } from './harness.mjs';
import { ENV, GOOD_ID } from './contract.mjs';

/** A Signer whose signPlaybackId throws `error`. */
const throwing = (error) => class {
  keyInfo() { return { bits: 2048, formatLabel: 'stand-in' }; }
  signPlaybackId() { throw error; }
};
const request = (path = `/tokens/${GOOD_ID}`, headers = { authorization: `Bearer ${API_TOKEN}` }) =>
  new Request(`http://127.0.0.1${path}`, { headers });

async function answer(Signer, env = ENV) {
  const log = [];
  const handle = await createHandler({ jwt: await jwtWith(Signer), env, log: (line) => log.push(line) });
  const res = await handle(request());
  return { res, text: await res.text(), log };
}

describe('handler.mjs when the signer throws', () => {
  test('a failure with the key in its message: 500 internal, no details, the log names only its kind', async () => {
    const error = Object.assign(new Error(`boom ${KEY}`), { code: 'signing_failed' });
    const { res, text, log } = await answer(throwing(error));
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(JSON.parse(text), { error: { code: 'internal', message: 'the token endpoint failed' } });
    assert.equal(findSecret(text), null);
    assert.ok(log.some((line) => line.includes('signing_failed')));
    assert.equal(findSecret(log.join('\n')), null, 'the log carries the key');
    assert.ok(!log.join('\n').includes('boom'), 'the message is not logged');
  });

  test('a plain Error without .code (as the JS API threw before error codes): 500', async () => {
    const { res, text } = await answer(throwing(new TypeError('ID "x" has characters no Mux ID has')));
    assert.equal(res.status, 500);
    assert.equal(JSON.parse(text).error.code, 'internal');
  });

  test('an error about the playback ID (.code id_invalid / id_missing, or .field playbackId): 400', async () => {
    for (const props of [{ code: 'id_invalid' }, { code: 'id_missing' }, { code: 'whatever', field: 'playbackId' }]) {
      const { res, text } = await answer(throwing(Object.assign(new Error('bad id'), props)));
      assert.equal(res.status, 400, JSON.stringify(props));
      assert.equal(JSON.parse(text).error.code, 'invalid_playback_id');
    }
    // The real JS API's error for a bad ID (a Signer that passes it a malformed ID on purpose).
    const { Signer } = await realPkg();
    const passingBadId = class extends Signer {
      signPlaybackId(id, options) { return super.signPlaybackId('bad id!', options); }
    };
    const real = await answer(passingBadId);
    assert.equal(real.res.status, 400);
    assert.equal(JSON.parse(real.text).error.code, 'invalid_playback_id');
    // …but not a key-ID problem, which is the server's configuration.
    const { res } = await answer(throwing(Object.assign(new Error('bad'), { code: 'key_id_invalid', field: 'keyId' })));
    assert.equal(res.status, 500);
  });
});

describe('handler.mjs at start-up', () => {
  const ok = class { keyInfo() { return { bits: 2048, formatLabel: 'stand-in' }; } };

  test('the key is parsed once: one Signer for many requests', async () => {
    let made = 0;
    let signed = 0;
    const counting = class {
      constructor(keyId, keySecret) {
        made += 1;
        assert.equal(keyId, ENV.MUX_SIGNING_KEY);
        assert.equal(keySecret, ENV.MUX_PRIVATE_KEY);
      }
      keyInfo() { return { bits: 2048, formatLabel: 'stand-in' }; }
      signPlaybackId(id, { type }) {
        signed += 1;
        const names = { video: 'playback-token', thumbnail: 'thumbnail-token', storyboard: 'storyboard-token' };
        return Object.fromEntries(type.map((t) => [names[t], `token-${t}`]));
      }
    };
    // (no cache, so that every request reaches the Signer: cache.test.mjs tests the cache)
    const handle = await createHandler({ jwt: await jwtWith(counting), env: ENV, log: () => {}, cache: false });
    for (let i = 0; i < 5; i++) assert.equal((await handle(request())).status, 200);
    assert.equal(made, 1);
    assert.equal(signed, 5);
  });

  test('a key the Signer refuses: one error naming the variable, without the key', async () => {
    const refusing = class { constructor() { throw Object.assign(new Error('the private key is damaged or incomplete'), { code: 'key_damaged' }); } };
    await assert.rejects(createHandler({ jwt: await jwtWith(refusing), env: ENV, log: () => {} }), (error) => {
      assert.match(error.message, /^MUX_PRIVATE_KEY cannot be used: the private key is damaged/);
      assert.equal(findSecret(error.message), null);
      return true;
    });
  });

  test('TOKEN_TTL_SECONDS out of range or not a number: refused', async () => {
    for (const ttl of ['0', '119', '604801', '1h', '3600.5', '-5']) {
      await assert.rejects(createHandler({ jwt: await jwtWith(ok), env: { ...ENV, TOKEN_TTL_SECONDS: ttl }, log: () => {} }), /TOKEN_TTL_SECONDS/);
    }
  });

  test('API_TOKEN unset: says so at start-up', async () => {
    const log = [];
    await createHandler({ jwt: await jwtWith(ok), env: { ...ENV, API_TOKEN: undefined }, log: (line) => log.push(line) });
    assert.ok(log.some((line) => /API_TOKEN is not set/.test(line)));
  });
});
