// The diagnosis table (tests/fixtures/diagnose.json) through the JS API in Chromium: every
// case's finding codes and verdict, as natively and through the CLI (tests/diagnose.rs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openApiPage } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const table = JSON.parse(fixture('diagnose.json'));
let session;

before(async () => {
  session = await openApiPage(root);
});
after(async () => {
  await session?.close();
});

test('every case of the diagnosis table gets its findings from the JS API', async () => {
  const cases = table.cases.map((c) => ({
    name: c.name, input: c.input, now: c.now,
    options: Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, k === 'keyId' ? v : fixture(v)])),
  }));
  const results = await session.page.evaluate((cases) => cases.map((c) => {
    const d = jwt.diagnose(c.input, { ...c.options, now: c.now });
    const codes = [...d.findings, ...d.tokens.flatMap((t) => t.findings)].map((f) => f.code).filter((code) => code !== 'signature_not_checked');
    return { codes, ok: d.ok };
  }), cases);
  const misses = [];
  table.cases.forEach((c, i) => {
    if (JSON.stringify(results[i]) !== JSON.stringify({ codes: c.codes, ok: c.ok })) misses.push(`${c.name}: got ${JSON.stringify(results[i])}`);
  });
  assert.equal(results.length, table.cases.length);
  assert.deepEqual(misses, []);
});

test('diagnose throws only for arguments of the wrong type, with a code', async () => {
  const outcomes = await session.page.evaluate(() => [
    () => jwt.diagnose(42),
    () => jwt.diagnose('x', 'not an object'),
    () => jwt.diagnose('x', { now: -1 }),
    () => jwt.diagnose('x', { publicKey: 'not a key' }),
    () => jwt.diagnose('', {}),
  ].map((call) => {
    try {
      const d = call();
      return { returned: d.ok, input: d.input };
    } catch (error) {
      return { code: error.code, field: error.field, isError: error instanceof Error };
    }
  }));
  assert.deepEqual(outcomes, [
    { code: 'options_invalid', field: 'token', isError: true },
    { code: 'options_invalid', field: 'options', isError: true },
    { code: 'options_invalid', field: 'options', isError: true },
    { code: 'public_key_invalid', field: 'publicKey', isError: true },
    { returned: false, input: 'token' },
  ]);
});
