// The packed package, consumed as users consume it. `make pack` writes the tarball; this suite
// installs it (not pkg/) into target/consumers/, then builds and runs each app in apps/ with
// its own tool, on 127.0.0.1 or in headless Chromium, and verifies every token it produced with
// Node's crypto against the fixture's public key: the signature, and the claims against the
// inputs the app was given.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, serve, verifyInNode } from '../e2e/harness.mjs';
import { freePort } from '../endpoints/harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);
const work = join(root, 'target/consumers');
const KEY_ID = 'consumer-test-kid';
const KEY_SECRET = readFileSync(join(root, 'tests/fixtures/rsa2048-mux.txt'), 'utf8').trim(); // test-only key
const PLAYBACK_ID = 'consumerPlaybackId01';
const env = { ...process.env, KEY_ID, KEY_SECRET, PLAYBACK_ID };

/** The tokens an app printed: a thumbnail token and a video + storyboard set, each checked. */
function checkOutput(text) {
  const { token, tokens } = JSON.parse(text);
  const expected = [[token, 't'], [tokens['playback-token'], 'v'], [tokens['storyboard-token'], 's']];
  assert.deepEqual(Object.keys(tokens), ['playback-token', 'storyboard-token']);
  for (const [jwt, aud] of expected) {
    const claims = verifyInNode(jwt);
    assert.equal(JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url')).alg, 'RS256');
    assert.equal(claims.sub, PLAYBACK_ID);
    assert.equal(claims.aud, aud);
    assert.equal(claims.kid, KEY_ID);
    assert.ok(claims.exp > Date.now() / 1000, 'exp is in the future');
  }
  return expected.length;
}

const nodeBinary = (name) => join(root, 'tests/consumers/node-versions/node_modules', name, 'bin/node');

/** Runs a tool; on failure the error carries what it printed. */
function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { cwd: work, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000, ...options });
  } catch (error) {
    error.message += `\n${error.stdout ?? ''}${error.stderr ?? ''}`;
    throw error;
  }
}

before(() => {
  const tarballs = readdirSync(join(root, 'target/npm')).filter((f) => f.endsWith('.tgz'));
  assert.equal(tarballs.length, 1, `make pack writes exactly one tarball, found ${tarballs}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(join(root, 'tests/consumers/apps'), work, { recursive: true });
  writeFileSync(join(work, 'package.json'), '{ "private": true, "name": "consumers", "type": "module" }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', join(root, 'target/npm', tarballs[0])]);
});

describe('servers and scripts', () => {
  for (const node of ['node22', 'node24', 'node26']) {
    const binary = nodeBinary(node);
    test(`${node}: import (ESM)`, () => {
      assert.match(run(binary, ['--version']), new RegExp(`^v${node.slice(4)}\\.`));
      checkOutput(run(binary, ['node-esm/main.mjs']));
    });
    test(`${node}: require (CommonJS)`, () => checkOutput(run(binary, ['node-cjs/main.cjs'])));
    test(`${node}: the mux.jwt drop-in, key from MUX_SIGNING_KEY / MUX_PRIVATE_KEY`, () => {
      const sdkEnv = { ...env, KEY_ID: '', KEY_SECRET: '', MUX_SIGNING_KEY: KEY_ID, MUX_PRIVATE_KEY: KEY_SECRET };
      checkOutput(run(binary, ['drop-in/main.mjs'], { env: sdkEnv }));
    });
  }
  test('node 20 (the machine\'s): import and require', () => {
    checkOutput(run(process.execPath, ['node-esm/main.mjs']));
    checkOutput(run(process.execPath, ['node-cjs/main.cjs']));
  });
  test('bun: import and require', () => {
    checkOutput(run(bin('bun'), ['node-esm/main.mjs']));
    checkOutput(run(bin('bun'), ['node-cjs/main.cjs']));
  });
  test('deno: import from node_modules', () => {
    checkOutput(run(bin('deno'), ['run', '--quiet', '--allow-read', '--allow-env', 'node-esm/main.mjs']));
  });
  test('deno: npm: specifier', () => {
    checkOutput(run(bin('deno'), ['run', '--quiet', '--allow-read', '--allow-env', 'deno-npm/main.mjs']));
  });
  test('deno: the entry by a local path, and no permission but --allow-env', () => {
    checkOutput(run(bin('deno'), ['run', '--quiet', '--allow-env', 'deno-path/main.mjs']));
  });
  test('Cloudflare Workers: wrangler deploy --dry-run, its bundle served by workerd on 127.0.0.1', async () => {
    const out = join(work, 'workerd/out');
    writeFileSync(join(work, 'workerd/wrangler.toml'), 'name = "consumer"\nmain = "worker.mjs"\ncompatibility_date = "2026-05-01"\n');
    // wrangler needs Node >= 22.12: it runs on the Node 24 the suite installs.
    run(nodeBinary('node24'), [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', out],
      { cwd: join(work, 'workerd'), env: { ...env, WRANGLER_SEND_METRICS: 'false', CI: '1' } });
    const wasm = readdirSync(out).filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `wrangler keeps the wasm as a module of its own: ${readdirSync(out)}`);
    assert.match(readFileSync(join(out, 'worker.js'), 'utf8'), new RegExp(`from "\\./${wasm[0]}"`));
    const port = await freePort();
    const modules = ['(name = "worker.js", esModule = embed "out/worker.js")',
      `(name = "${wasm[0]}", wasm = embed "out/${wasm[0]}")`].join(', ');
    writeFileSync(join(work, 'workerd/config.capnp'), readFileSync(join(work, 'workerd/config.capnp.in'), 'utf8')
      .replace('PORT', String(port)).replace('MODULES', modules));
    const server = spawn(bin('workerd'), ['serve', 'config.capnp'], { cwd: join(work, 'workerd'), env, stdio: 'ignore', detached: true });
    try {
      checkOutput(await fetchWhenUp(`http://127.0.0.1:${port}/${PLAYBACK_ID}`));
    } finally {
      process.kill(-server.pid, 'SIGKILL');
    }
  });
});

describe('Next.js 16: route handlers (Node and Edge runtimes) and middleware', () => {
  // Turbopack is `next build`'s default; webpack is the other bundler it offers. Next 16.4.6's
  // webpack build fails for any Edge route handler, ours or an empty one ("ENOENT …
  // route_client-reference-manifest.js"), so that build leaves the Edge route out; middleware
  // runs on the Edge runtime in both.
  for (const bundler of ['turbopack', 'webpack']) {
    test(`next build (${bundler}), next start on 127.0.0.1`, async () => {
      const dir = join(work, `next-${bundler}`);
      cpSync(join(work, 'next'), dir, { recursive: true });
      const paths = ['api/node', 'api/edge', 'mw'];
      if (bundler === 'webpack') {
        rmSync(join(dir, 'app/api/edge'), { recursive: true });
        paths.splice(1, 1);
      }
      const nextEnv = { ...env, NEXT_TELEMETRY_DISABLED: '1' };
      run(bin('next'), ['build', `--${bundler}`], { cwd: dir, env: nextEnv });
      const port = await freePort();
      const server = spawn(bin('next'), ['start', '-p', String(port), '-H', '127.0.0.1'], { cwd: dir, env: nextEnv, stdio: 'ignore', detached: true });
      try {
        for (const path of paths) checkOutput(await fetchWhenUp(`http://127.0.0.1:${port}/${path}/${PLAYBACK_ID}`));
      } finally {
        process.kill(-server.pid, 'SIGKILL');
      }
    });
  }
});

describe('browsers', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  /** Serves `dir` and reads what the app wrote into #out, with no request outside 127.0.0.1. */
  async function inChromium(dir, path = 'index.html') {
    const server = await serve(dir);
    const page = await browser.context.newPage();
    const outside = [];
    await page.route('**/*', (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.addInitScript((input) => { window.CONSUMER_INPUT = input; },
      { keyId: KEY_ID, keySecret: KEY_SECRET, playbackId: PLAYBACK_ID });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(server.url + path);
      await page.waitForFunction(() => document.querySelector('#out')?.textContent, null, { timeout: 30_000 });
      const text = await page.textContent('#out');
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
      assert.doesNotMatch(text, /^ERROR/);
      return text;
    } finally {
      await page.close();
      await server.close();
    }
  }

  /** The browser app with its page, in a folder of its own for one tool. */
  function appFor(tool) {
    const dir = join(work, `browser-${tool}`);
    cpSync(join(work, 'browser'), dir, { recursive: true });
    return dir;
  }

  test('vite build', async () => {
    const dir = appFor('vite');
    run(bin('vite'), ['build', '--logLevel', 'error'], { cwd: dir });
    const assets = readdirSync(join(dir, 'dist/assets'));
    assert.ok(!assets.some((f) => f.endsWith('.wasm')), `no stray wasm asset: ${assets}`);
    checkOutput(await inChromium(join(dir, 'dist')));
  });
  test('webpack 5 (no config file)', async () => {
    const dir = appFor('webpack');
    run(bin('webpack'), ['--mode', 'production', '--entry', './main.js', '--output-path', 'dist'], { cwd: dir });
    cpSync(join(dir, 'index.html'), join(dir, 'dist/index.html'));
    checkOutput(await inChromium(join(dir, 'dist')));
  });
  test('esbuild', async () => {
    const dir = appFor('esbuild');
    run(bin('esbuild'), ['main.js', '--bundle', '--format=esm', '--outfile=dist/main.js', '--log-level=error'], { cwd: dir });
    cpSync(join(dir, 'index.html'), join(dir, 'dist/index.html'));
    checkOutput(await inChromium(join(dir, 'dist')));
  });
  test('rollup (with @rollup/plugin-node-resolve, which every Rollup app that imports a package has)', async () => {
    const dir = appFor('rollup');
    writeFileSync(join(dir, 'rollup.config.mjs'),
      "import { nodeResolve } from '@rollup/plugin-node-resolve';\n" +
      "export default { input: 'main.js', output: { dir: 'dist', format: 'es' }, plugins: [nodeResolve({ browser: true })] };\n");
    run(bin('rollup'), ['-c', '--silent'], { cwd: dir });
    cpSync(join(dir, 'index.html'), join(dir, 'dist/index.html'));
    checkOutput(await inChromium(join(dir, 'dist')));
  });
  test('a plain <script type="module"> with an import map, no bundler', async () => {
    const dir = appFor('plain');
    writeFileSync(join(dir, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace('<script type="module"',
      '<script type="importmap">{ "imports": { "jwt-signer": "../node_modules/jwt-signer/index.mjs" } }</script>\n<script type="module"'));
    checkOutput(await inChromium(work, 'browser-plain/index.html'));
  });
});

test("the README's JS example runs as written and prints what its comments say", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const example = readme.split('<!-- readme-test: node -->')[1].match(/```js\n([\s\S]*?)```/)[1];
  writeFileSync(join(work, 'readme-example.mjs'), example);
  const output = run(process.execPath, ['readme-example.mjs'], {
    env: { PATH: process.env.PATH, MUX_SIGNING_KEY: 'readme-key', MUX_PRIVATE_KEY: KEY_SECRET },
  });
  const lines = output.trim().split('\n');
  assert.match(lines[0], /^https:\/\/image\.mux\.com\/abc123\/thumbnail\.jpg\?token=eyJ/);
  assert.equal(verifyInNode(lines[0].split('token=')[1]).sub, 'abc123');
  assert.equal(lines[1], "[ 'playback-token', 'thumbnail-token', 'storyboard-token' ]");
  assert.equal(lines[2], 'live_stream_id');
  assert.equal(lines[3], 'PKCS#1 · base64 PEM');
  assert.equal(lines[4], '3');
  assert.equal(lines[5], 'id_invalid playbackId');
});

describe('types', () => {
  for (const mode of ['node16', 'nodenext', 'bundler']) {
    test(`TypeScript strict, moduleResolution ${mode}: no cast needed`, () => {
      run(bin('tsc'), ['-p', `tsconfig.${mode}.json`], { cwd: join(work, 'types') });
    });
  }
});

async function fetchWhenUp(url, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return text;
    } catch (error) {
      if (Date.now() > deadline || error.code === 'ERR_ASSERTION') throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
