// The hosting recipes (hosting/): the three files carry the same headers for every file of
// dist/, their CSP is the page's own plus frame-ancestors (frame-ancestors alone for the
// single-file page, whose <meta> has the rest), and dist/ served by Debian's nginx through
// exactly hosting/nginx.conf sends every header on every file; both pages sign a token in
// Chromium there and refuse to render inside a frame of another origin.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, verifyInNode } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const recipe = (name) => readFileSync(join(root, 'hosting', name), 'utf8');

/** The files of dist/, as paths from its root ("index.html", "www/main.js", …). */
function distFiles(dir = dist) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? distFiles(path) : [relative(dist, path)];
  });
}

/**
 * The headers each recipe sets for `path` ("/", "/www/main.js", …), as { name: value }:
 * _headers' rules that match (`*` matches anything; the hosts join one header's values from
 * several rules with ", "), nginx's add_header lines with its map resolved for the path, and
 * Caddy's header block plus its header lines whose path matcher matches.
 */
function headersFor(path) {
  const pages = {};
  let matches = false;
  for (const line of recipe('_headers').split('\n')) {
    if (/^\//.test(line)) {
      const pattern = new RegExp(`^${line.trim().split('*').map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&')).join('.*')}$`);
      matches = pattern.test(path);
    } else if (matches && /^\s+[A-Za-z-]+: /.test(line)) {
      const [name, value] = line.trim().split(/: (.*)/s);
      pages[name] = pages[name] ? `${pages[name]}, ${value}` : value;
    }
  }
  const conf = recipe('nginx.conf');
  const map = Object.fromEntries([...conf.split(/map \$uri \$jwt_signer_csp \{/)[1].split('}')[0]
    .matchAll(/^\s+(\S+) "([^"]*)";$/gm)].map((m) => [m[1], m[2]]));
  const nginx = Object.fromEntries([...conf.matchAll(/add_header ([A-Za-z-]+) (?:"([^"]*)"|(\$jwt_signer_csp)) always;/g)]
    .map((m) => [m[1], m[3] ? (map[path] ?? map.default) : m[2]]));
  const caddyfile = recipe('Caddyfile');
  const block = caddyfile.split('header {')[1].split('}')[0];
  const caddy = Object.fromEntries([...block.matchAll(/^\s+([A-Za-z-]+) "([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
  const matchers = Object.fromEntries([...caddyfile.matchAll(/^\s+@(\w+) (not )?path (\S+)$/gm)]
    .map((m) => [m[1], (m[3] === path) !== Boolean(m[2])]));
  for (const [, matcher, name, value] of caddyfile.matchAll(/^\s+header @(\w+) ([A-Za-z-]+) "([^"]*)"$/gm)) {
    if (matchers[matcher]) caddy[name] = value;
  }
  return { pages, nginx, caddy };
}

const pagePaths = () => ['/', ...distFiles().map((file) => `/${file}`)];

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

let nginx, scratch, base, browser;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jwt-signer-nginx-'));
  const port = await freePort();
  // nginx's workers run as an unprivileged user: serve a world-readable copy of dist/, since
  // the checkout itself may sit in a private folder.
  const site = join(scratch, 'site');
  cpSync(dist, site, { recursive: true });
  chmodSync(scratch, 0o755);
  const server = recipe('nginx.conf')
    .replace('listen 127.0.0.1:8080;', `listen 127.0.0.1:${port};`)
    .replace('root /srv/jwt-signer;', `root ${site};`);
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(scratch, dir));
  writeFileSync(join(scratch, 'nginx.conf'), `daemon off;
pid ${scratch}/nginx.pid;
error_log stderr;
worker_processes 1;
events {}
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${scratch}/body;
  proxy_temp_path ${scratch}/proxy;
  fastcgi_temp_path ${scratch}/fastcgi;
  uwsgi_temp_path ${scratch}/uwsgi;
  scgi_temp_path ${scratch}/scgi;
${server}
}
`);
  nginx = spawn('nginx', ['-p', scratch, '-c', join(scratch, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  nginx.stderr.on('data', (d) => { stderr += d; });
  base = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try {
      await fetch(base);
      break;
    } catch {
      if (i > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (nginx?.exitCode === null) process.kill(-nginx.pid, 'SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
});

test('for every file of dist/ the three recipes set the same headers; the CSP is the page\'s own plus frame-ancestors and wasm for the worker', () => {
  const meta = readFileSync(join(dist, 'index.html'), 'utf8').match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  // A worker takes its CSP from its script's response headers, not from the page's <meta>: the
  // header must allow it to compile wasm. The page itself stays without: both policies apply
  // to the document, and its <meta> has no 'wasm-unsafe-eval'.
  assert.doesNotMatch(meta, /wasm-unsafe-eval/);
  const worker = meta.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'");
  const paths = pagePaths();
  assert.ok(paths.includes('/jwt-signer.html') && paths.includes('/www/worker.js') && paths.includes('/SHA256SUMS'), paths.join(' '));
  for (const path of paths) {
    const { pages, nginx: n, caddy } = headersFor(path);
    assert.deepEqual(pages, n, `_headers and nginx.conf differ for ${path}`);
    assert.deepEqual(caddy, n, `Caddyfile and nginx.conf differ for ${path}`);
    // The single file's <meta> has the hashes of its inline code: its header adds frame-ancestors only.
    assert.equal(n['Content-Security-Policy'], path === '/jwt-signer.html' ? "frame-ancestors 'none'" : `${worker}; frame-ancestors 'none'`, path);
    for (const name of ['X-Frame-Options', 'X-Content-Type-Options', 'Referrer-Policy', 'Cache-Control']) assert.ok(n[name], `${path}: ${name}`);
  }
});

test('nginx serves every file of dist/ with every header of the recipe', async () => {
  const files = distFiles();
  assert.ok(files.length >= 5, files.join(' '));
  const types = { '.html': /^text\/html/, '.js': /javascript/, '.wasm': /^application\/wasm$/, '.css': /^text\/css/ };
  for (const path of pagePaths()) {
    const response = await fetch(new URL(path.slice(1), base));
    assert.equal(response.status, 200, path);
    const { nginx: expected } = headersFor(path);
    for (const [name, value] of Object.entries(expected)) assert.equal(response.headers.get(name), value, `${path}: ${name}`);
    const type = types[path.slice(path.lastIndexOf('.'))];
    if (type) assert.match(response.headers.get('content-type'), type, path);
  }
});

for (const [name, path] of [['the page', ''], ['the single-file page', 'jwt-signer.html']]) test(`served by nginx, ${name} signs a token that OpenSSL verifies`, async () => {
  const page = await browser.context.newPage();
  try {
    await page.goto(base + path);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#key-id', 'hosted-key');
    await page.fill('#private-key', readFileSync(join(root, 'tests/fixtures/rsa2048-mux.txt'), 'utf8'));
    await page.fill('#playback-id', 'HostedId01');
    await page.waitForFunction(() => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(document.querySelector('#token').textContent.trim()));
    const token = (await page.textContent('#token')).trim();
    assert.equal(verifyInNode(token).sub, 'HostedId01');
  } finally {
    await page.close();
  }
});

for (const [name, path] of [['the page', ''], ['the single-file page', 'jwt-signer.html']]) test(`framed by another origin, ${name} refuses to render`, async () => {
  const framer = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe id="f" src="${base}${path}"></iframe>`);
  });
  await new Promise((r) => framer.listen(0, '127.0.0.1', r));
  const page = await browser.context.newPage();
  const console = [];
  page.on('console', (m) => console.push(m.text()));
  try {
    await page.goto(`http://127.0.0.1:${framer.address().port}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(1500);
    const child = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(child, 'the iframe exists');
    // Blocked: Chromium puts its own error page in the frame; the signer never starts there.
    const ready = await Promise.race([
      child.evaluate(() => document.body?.dataset.ready ?? null).catch(() => null),
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 2000)),
    ]);
    assert.notEqual(ready, 'true');
    assert.notEqual(child.url(), base + path);
    assert.ok(console.some((line) => line.includes("frame-ancestors 'none'")), console.join('\n'));
  } finally {
    await page.close();
    framer.closeAllConnections();
    await new Promise((r) => framer.close(r));
  }
});
