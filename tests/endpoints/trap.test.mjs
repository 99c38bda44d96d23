// A trap inside the signer's wasm, in every runtime's endpoint. The copied example's entry gets
// a test-only Signer whose call for the playback ID "trap-here" first aims its pointer past the
// end of the wasm memory, so the wasm really traps (an out-of-bounds read). The request that
// trapped must get a coded 500 without details; the package replaces its instance, the handler
// makes its Signer again, and the next requests get tokens that verify.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { API_TOKEN, checkPrerequisites, findSecret, secretNeedles, startEndpoint } from './harness.mjs';
import { ENV, verifiedClaims } from './contract.mjs';

const ENTRY = { node: 'server.mjs', bun: 'server.mjs', deno: 'server.mjs', workerd: 'worker.mjs' };
const IMPORT = "import * as jwt from 'jwt-signer';";
const TRAPPING = `import * as realJwt from 'jwt-signer';
// Test-only (tests/endpoints/trap.test.mjs): "trap-here" makes the wasm read out of bounds.
class Signer extends realJwt.Signer {
  signPlaybackId(id, options) {
    if (id === 'trap-here') this.__wbg_ptr = 0xfffffff0;
    return super.signPlaybackId(id, options);
  }
}
const jwt = { ...realJwt, Signer };`;
const AUTH = { authorization: `Bearer ${API_TOKEN}` };
const needles = secretNeedles();

for (const runtime of Object.keys(ENTRY)) {
  describe(`a trapped wasm instance: ${runtime}`, () => {
    let endpoint;
    before(async () => {
      checkPrerequisites();
      endpoint = await startEndpoint(runtime, { ...ENV, ALLOWED_PLAYBACK_IDS: '' }, {
        prepare(dir) {
          const file = join(dir, ENTRY[runtime]);
          const text = readFileSync(file, 'utf8');
          assert.ok(text.includes(IMPORT), `${ENTRY[runtime]} imports the package as jwt`);
          writeFileSync(file, text.replace(IMPORT, TRAPPING));
        },
      });
    });
    after(() => endpoint?.stop());

    test('the request that trapped gets a coded 500, the next ones valid tokens, three times over', async () => {
      for (let round = 0; round < 3; round++) {
        const trapped = await fetch(`${endpoint.url}/tokens/trap-here`, { headers: AUTH });
        const text = await trapped.text();
        assert.equal(trapped.status, 500, text);
        assert.equal(trapped.headers.get('cache-control'), 'no-store');
        assert.deepEqual(JSON.parse(text), { error: { code: 'internal', message: 'the token endpoint failed' } });
        // Fresh IDs, so that the cache cannot answer for the signer.
        for (const id of [`after${round}a`, `after${round}b`]) {
          const response = await fetch(`${endpoint.url}/tokens/${id}`, { headers: AUTH });
          assert.equal(response.status, 200, `${id} after trap ${round + 1}`);
          const body = await response.json();
          for (const token of Object.values(body.tokens)) assert.equal(verifiedClaims(token).sub, id);
        }
      }
      const log = endpoint.output.join('\n');
      assert.equal(log.match(/internal error \(wasm_trapped\)/g)?.length, 3, log);
      assert.equal(log.match(/started again/g)?.length, 3, log);
      assert.equal(findSecret(log, needles), null, 'the key in the log');
    });
  });
}
