// The page's soak in its short form (`make soak` runs it with 20,000 IDs): Bulk signs a list
// twice on the pool's workers, and no worker's wasm memory grows after the warm-up
// (tests/soak/page-soak.mjs; with a 1 KiB leak per call put into the core, it fails).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageSoak, soakTable } from '../soak/page-soak.mjs';

test('Bulk signs 2,000 IDs twice in the page; no signer worker\'s wasm memory grows after the warm-up', async () => {
  const result = await pageSoak({ ids: 2_000, log: (line) => console.log(line) });
  console.log(soakTable(result));
  assert.ok(result.poolSize >= 1, 'no pool worker');
  assert.deepEqual(result.failures, []);
});
