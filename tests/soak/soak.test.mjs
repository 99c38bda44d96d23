// The soak test's short form (`make soak` runs the long one): memory stays flat, and the test
// that says so fails when the glue's reclaiming of forgotten Signers is taken away.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./soak.mjs', import.meta.url));
const soak = (...args) => spawnSync(process.execPath,
  ['--expose-gc', script, '--tokens', '3000', '--signers', '600', ...args],
  { encoding: 'utf8', timeout: 600_000 });

test('3,000 tokens and 1,200 Signers later, the wasm memory has not grown and RSS is back near its plateau', () => {
  const run = soak();
  process.stdout.write(run.stdout);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /soak: ok/);
});

test('without FinalizationRegistry, forgotten Signers leak and the soak test says so', () => {
  const run = soak('--no-reclaim');
  process.stdout.write(run.stdout);
  assert.equal(run.status, 1, `the soak passed without reclaiming:\n${run.stdout}${run.stderr}`);
  assert.match(run.stderr, /wasm memory grew after the warm-up/);
});
