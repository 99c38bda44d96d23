// What the per-runtime contract suites do not cover: the folders stay copyable and in step,
// and a key that cannot be used stops the endpoint without showing the key.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KEY, checkPrerequisites, findSecret, root, startEndpoint, tarball } from './harness.mjs';
import { ENV, GOOD_ID } from './contract.mjs';

const examples = join(root, 'examples');
const FOLDERS = ['node', 'deno', 'cloudflare-worker'];

describe('examples/ folders', () => {
  test('every folder carries the copy of examples/handler.mjs that `make examples` writes', () => {
    const source = readFileSync(join(examples, 'handler.mjs'), 'utf8');
    for (const folder of FOLDERS) {
      assert.equal(readFileSync(join(examples, folder, 'handler.mjs'), 'utf8'), source,
        `examples/${folder}/handler.mjs differs from examples/handler.mjs: edit that one, then run \`make examples\``);
    }
  });

  test('each folder depends on the package by name: the tarball `make pack` writes', () => {
    for (const folder of FOLDERS) {
      const manifest = JSON.parse(readFileSync(join(examples, folder, 'package.json'), 'utf8'));
      assert.deepEqual(manifest.dependencies, { 'jwt-signer': `file:../../${tarball()}` }, `examples/${folder}/package.json`);
      assert.ok(!existsSync(join(examples, folder, 'pkg')), `examples/${folder}/pkg: no link into the repository`);
    }
  });

  test('each folder has a README, and imports nothing from outside itself but the package', () => {
    for (const folder of FOLDERS) {
      assert.ok(existsSync(join(examples, folder, 'README.md')), `examples/${folder}/README.md`);
      for (const file of readdirSync(join(examples, folder))) {
        if (!/\.(mjs|js)$/.test(file) || !statSync(join(examples, folder, file)).isFile()) continue;
        const source = readFileSync(join(examples, folder, file), 'utf8');
        for (const [, specifier] of source.matchAll(/\bfrom\s+'([^']+)'/g)) {
          assert.ok(specifier.startsWith('./') || /^node:/.test(specifier) || specifier === 'jwt-signer' || specifier === 'cloudflare:workers',
            `${folder}/${file} imports ${specifier}`);
        }
      }
    }
  });

  test('the worker config lists every module of the bundle', () => {
    const capnp = readFileSync(join(examples, 'cloudflare-worker/workerd.capnp'), 'utf8');
    // serve-local.sh bundles worker.mjs (with handler.mjs and the package) into dist/ first.
    for (const module of ['dist/worker.js', 'dist/jwt_signer_bg.wasm']) {
      assert.ok(capnp.includes(`embed "${module}"`), `workerd.capnp embeds ${module}`);
    }
    const wrangler = readFileSync(join(examples, 'cloudflare-worker/wrangler.toml'), 'utf8');
    assert.match(wrangler, /^main = "worker\.mjs"$/m);
    assert.doesNotMatch(wrangler, /MUX_PRIVATE_KEY\s*=/, 'no secret in wrangler.toml');
  });
});

describe('a key that cannot be used', () => {
  // Half of the key: base64 of a PEM cut off in the middle. Its text must not be echoed.
  const damaged = KEY.slice(0, 1200);

  for (const runtime of ['node', 'deno', 'bun']) {
    test(`${runtime}: stops at start-up with one line saying why, without the key`, async () => {
      checkPrerequisites();
      const server = await startEndpoint(runtime, { ...ENV, MUX_PRIVATE_KEY: damaged }, { waitReady: false });
      const timer = setTimeout(() => server.stop(), 15_000);
      const { code } = await server.exited;
      clearTimeout(timer);
      await server.stop();
      assert.notEqual(code, 0, 'a non-zero exit');
      const log = server.output.join('\n');
      assert.match(log, /MUX_PRIVATE_KEY cannot be used/);
      assert.equal(findSecret(log), null, 'the key is in the output');
    });
  }

  test('node: stops when MUX_SIGNING_KEY or MUX_PRIVATE_KEY is unset', async () => {
    for (const unset of ['MUX_SIGNING_KEY', 'MUX_PRIVATE_KEY']) {
      const server = await startEndpoint('node', { ...ENV, [unset]: undefined }, { waitReady: false });
      const { code } = await server.exited;
      await server.stop();
      assert.notEqual(code, 0);
      assert.match(server.output.join('\n'), new RegExp(`${unset} is not set`));
    }
  });

  test('workerd: answers 500 without details, and the log does not show the key', async () => {
    checkPrerequisites();
    const server = await startEndpoint('workerd', { ...ENV, MUX_PRIVATE_KEY: damaged });
    try {
      const res = await fetch(`${server.url}/tokens/${GOOD_ID}`, { headers: { authorization: `Bearer ${ENV.API_TOKEN}` } });
      const text = await res.text();
      assert.equal(res.status, 500);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(JSON.parse(text), { error: { code: 'internal', message: 'the token endpoint is not configured' } });
      assert.equal(findSecret(text + [...res.headers].join('\n')), null);
    } finally {
      await server.stop();
    }
    const log = server.output.join('\n');
    assert.match(log, /MUX_PRIVATE_KEY cannot be used/);
    assert.equal(findSecret(log), null, 'the key is in the log');
  });
});
