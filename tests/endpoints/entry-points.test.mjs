// The entry-point snippets of examples/README.md run as written, each in its runtime's own
// binary, from a folder with the packed package installed, with the fixture key in the
// environment.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { KEY, KEY_ID, addPackage, tarball, checkPrerequisites, findSecret, fixture, freePort, root } from './harness.mjs';
import { verifiedClaims } from './contract.mjs';

const run = promisify(execFile);
const bin = (name) => join(root, 'node_modules/.bin', name);
const readme = readFileSync(join(root, 'examples/README.md'), 'utf8');

/** The code block after `<!-- entry-point: name -->`. */
function snippet(name) {
  const after = readme.split(`<!-- entry-point: ${name} -->`)[1];
  assert.ok(after, `examples/README.md has an entry-point: ${name} snippet`);
  return after.match(/```(?:js|html)\n([\s\S]*?)```/)[1];
}

function checkVideoToken(output) {
  const token = output.trim();
  const claims = verifiedClaims(token);
  assert.equal(claims.aud, 'v');
  assert.equal(claims.sub, 'abc123');
  assert.equal(claims.kid, KEY_ID);
  const now = Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(claims.exp - (now + 3600)) <= 5, 'expiration 1h');
}

describe('entry points of the package per runtime (examples/README.md)', () => {
  let dir;
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, MUX_SIGNING_KEY: KEY_ID, MUX_PRIVATE_KEY: KEY, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

  before(() => {
    checkPrerequisites();
    dir = mkdtempSync(join(tmpdir(), 'entry-points-'));
    addPackage(dir);
    // As in a user's project, which names its dependency (Deno resolves only what is named).
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'jwt-signer': `file:${join(root, tarball())}` } }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases = {
    node: (file) => [process.execPath, [file]],
    deno: (file) => [bin('deno'), ['run', '--allow-env=MUX_SIGNING_KEY,MUX_PRIVATE_KEY', file]],
    bun: (file) => [bin('bun'), [file]],
  };
  for (const [name, command] of Object.entries(cases)) {
    test(`${name}: the snippet signs a video token`, async () => {
      const file = `sign-${name}.mjs`;
      writeFileSync(join(dir, file), snippet(name));
      const [cmd, args] = command(file);
      const { stdout, stderr } = await run(cmd, args, { cwd: dir, env, timeout: 20_000 });
      checkVideoToken(stdout);
      assert.equal(findSecret(stdout + stderr), null);
    });
  }

  test('the Node snippet runs unchanged in Bun', async () => {
    writeFileSync(join(dir, 'sign-node-in-bun.mjs'), snippet('node'));
    const { stdout } = await run(bin('bun'), ['sign-node-in-bun.mjs'], { cwd: dir, env, timeout: 20_000 });
    checkVideoToken(stdout);
  });

  test('workerd: the worker snippet, bundled as wrangler does, the .wasm a module', async () => {
    writeFileSync(join(dir, 'worker.mjs'), snippet('workerd'));
    execFileSync(bin('esbuild'), ['worker.mjs', '--bundle', '--format=esm', '--platform=neutral',
      '--conditions=workerd,worker,browser', '--main-fields=module,main', '--loader:.wasm=copy',
      '--asset-names=[name]', '--outdir=dist', '--log-level=error'], { cwd: dir });
    const port = await freePort();
    writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "jwt_signer_bg.wasm", wasm = embed "dist/jwt_signer_bg.wasm"),
  ],
  compatibilityDate = "2026-05-01",
  bindings = [
    (name = "MUX_SIGNING_KEY", fromEnvironment = "MUX_SIGNING_KEY"),
    (name = "MUX_PRIVATE_KEY", fromEnvironment = "MUX_PRIVATE_KEY"),
  ],
);
`);
    const child = execFile(bin('workerd'), ['serve', 'config.capnp'], { cwd: dir, env });
    try {
      let text;
      for (let i = 0; ; i++) {
        try {
          text = await (await fetch(`http://127.0.0.1:${port}/`)).text();
          break;
        } catch (error) {
          if (i > 300) throw error;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      checkVideoToken(text);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('browser: an import map in Chromium', async () => {
    const { chromium } = await import('playwright-core');
    writeFileSync(join(dir, 'index.html'), `<!doctype html><title>entry point</title><body>\n${snippet('browser')}</body>\n`);
    // A token from Node's crypto (OpenSSL), not from us: the page only decodes it.
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ kid: KEY_ID, sub: 'abc123', aud: 't', exp: 2000000000 })}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), fixture('rsa2048.pkcs8.pem')).toString('base64url')}`;
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript' };
    const server = createServer((req, res) => {
      const name = new URL(req.url, 'http://x').pathname.slice(1);
      const file = join(dir, name);
      if (!/^(index\.html|node_modules\/jwt-signer\/[\w.-]+)$/.test(name) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/index.html?token=${token}`);
      await page.waitForFunction(() => document.body.dataset.aud, null, { timeout: 15_000 });
      assert.equal(await page.evaluate(() => document.body.dataset.aud), 't');
    } finally {
      await browser.close();
      server.close();
    }
  });
});
