// The hosting recipes (hosting/): the three files carry the same headers for every file of
// dist/, their CSP is the page's own plus frame-ancestors (frame-ancestors alone for the
// single-file page, whose <meta> has the rest), and dist/ served by Debian's nginx and Caddy
// through exactly hosting/nginx.conf and hosting/Caddyfile sends every header on every file,
// and each precompressed file (.br, .gz) in place of its original when the browser accepts it;
// the bytes of a first visit on the wire are reported with and without those files; both pages
// sign a token in Chromium there and refuse to render inside a frame of another origin.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

/** A precompressed copy (scripts/precompress.mjs): served in place of its original, not by name. */
const isPrecompressed = (file) => /\.(br|gz)$/.test(file);

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

const pagePaths = () => ['/', ...distFiles().filter((file) => !isPrecompressed(file)).map((file) => `/${file}`)];

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

let scratch, browser;
// Each server serves two copies of dist/: as built (`base`), and without its .br and .gz files
// (`plain`: what a host sends without them).
const servers = {};
const children = [];

/** Starts `command`, waits until `url` answers; `log` collects its stderr for the error. */
async function startServer(command, args, url, env = process.env) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  for (let i = 0; ; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      if (i > 200 || child.exitCode !== null) throw new Error(`${command} did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** nginx with exactly hosting/nginx.conf's server block, once per root (`port`, `root`). */
async function startNginx(sites) {
  const blocks = sites.map(({ port, root: site }) => recipe('nginx.conf')
    .replace('listen 127.0.0.1:8080;', `listen 127.0.0.1:${port};`)
    .replace('root /srv/jwt-signer;', `root ${site};`)
    // The map is http-wide: once is enough.
    .replace(/^map [\s\S]*?^}\n/m, (map) => (site === sites[0].root ? map : '')));
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
${blocks.join('\n')}
}
`);
  await startServer('nginx', ['-p', scratch, '-c', join(scratch, 'nginx.conf')], `http://127.0.0.1:${sites[0].port}/`);
}

/** Caddy with exactly hosting/Caddyfile's site block, once per root; no admin API, no TLS,
 * its state in the scratch folder. */
async function startCaddy(sites) {
  const blocks = sites.map(({ port, root: site }) => recipe('Caddyfile')
    .replace('http://127.0.0.1:8080 {', `http://127.0.0.1:${port} {`)
    .replace('root * /srv/jwt-signer', `root * ${site}`));
  const file = join(scratch, 'Caddyfile');
  writeFileSync(file, `{\n\tadmin off\n\tauto_https off\n\tstorage file_system ${scratch}/caddy\n}\n${blocks.join('\n')}`);
  const home = join(scratch, 'caddy-home');
  mkdirSync(home);
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
  await startServer('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], `http://127.0.0.1:${sites[0].port}/`, env);
}

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jwt-signer-hosting-'));
  // nginx's workers run as an unprivileged user: serve world-readable copies of dist/, since
  // the checkout itself may sit in a private folder.
  const site = join(scratch, 'site');
  const plain = join(scratch, 'plain');
  cpSync(dist, site, { recursive: true });
  cpSync(dist, plain, { recursive: true, filter: (path) => !isPrecompressed(path) });
  chmodSync(scratch, 0o755);
  for (const [name, start] of [['nginx', startNginx], ['caddy', startCaddy]]) {
    const [built, bare] = [await freePort(), await freePort()];
    await start([{ port: built, root: site }, { port: bare, root: plain }]);
    servers[name] = { base: `http://127.0.0.1:${built}/`, plain: `http://127.0.0.1:${bare}/` };
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const child of children) if (child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
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

const TYPES = { '.html': /^text\/html/, '.js': /javascript/, '.wasm': /^application\/wasm$/, '.css': /^text\/css/ };
const typeOf = (path) => TYPES[path === '/' ? '.html' : path.slice(path.lastIndexOf('.'))];

/**
 * GET `url` as it comes off the wire (nothing decoded): { status, headers, body, wire }, where
 * `wire` counts the status line, the headers and the body in bytes (HTTP/1.1, no TLS).
 */
function rawGet(url, acceptEncoding = null) {
  return new Promise((resolve, reject) => {
    get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        let head = `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}\r\n`;
        for (let i = 0; i < res.rawHeaders.length; i += 2) head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
        resolve({ status: res.statusCode, headers: res.headers, body, wire: Buffer.byteLength(`${head}\r\n`) + body.length });
      });
    }).on('error', reject);
  });
}

const decoders = { br: brotliDecompressSync, gzip: gunzipSync };
/** What each server sends to a browser that accepts `br, gzip`: Debian's nginx has gzip_static
 * but no brotli module (hosting/nginx.conf), Caddy both, brotli first (hosting/Caddyfile). */
const PREFERRED = { nginx: 'gzip', caddy: 'br' };

for (const server of ['nginx', 'caddy']) {
  test(`${server} serves every file of dist/ with every header of the recipe`, async () => {
    const files = distFiles();
    assert.ok(files.length >= 5, files.join(' '));
    for (const path of pagePaths()) {
      const response = await fetch(new URL(path.slice(1), servers[server].base));
      assert.equal(response.status, 200, path);
      const { nginx: expected } = headersFor(path);
      for (const [name, value] of Object.entries(expected)) assert.equal(response.headers.get(name), value, `${path}: ${name}`);
      const type = typeOf(path);
      if (type) assert.match(response.headers.get('content-type'), type, path);
    }
  });

  test(`${server} sends each precompressed file in place of its original, as accepted, with the same headers`, async () => {
    const compressed = distFiles().filter(isPrecompressed);
    const originals = [...new Set(compressed.map((file) => file.replace(/\.(br|gz)$/, '')))];
    assert.ok(originals.includes('index.html') && originals.includes('jwt-signer_bg.wasm') && originals.includes('www/worker.js'), originals.join(' '));
    for (const file of originals) {
      const path = `/${file}`;
      const original = readFileSync(join(dist, file));
      const identity = await rawGet(new URL(file, servers[server].base));
      assert.equal(identity.headers['content-encoding'], undefined, `${path} without Accept-Encoding`);
      assert.ok(identity.body.equals(original), path);
      for (const [accept, encoding] of [['br, gzip', PREFERRED[server]], ['gzip', 'gzip']]) {
        const sent = await rawGet(new URL(file, servers[server].base), accept);
        const what = `${path} with Accept-Encoding: ${accept}`;
        assert.equal(sent.status, 200, what);
        assert.equal(sent.headers['content-encoding'], encoding, what);
        assert.match(sent.headers.vary ?? '', /accept-encoding/i, what);
        // The very file of dist/, which decodes to the original.
        assert.ok(sent.body.equals(readFileSync(join(dist, `${file}${encoding === 'br' ? '.br' : '.gz'}`))), what);
        assert.ok(decoders[encoding](sent.body).equals(original), what);
        const { nginx: expected } = headersFor(path);
        for (const [name, value] of Object.entries(expected)) assert.equal(sent.headers[name.toLowerCase()], value, `${what}: ${name}`);
        assert.match(sent.headers['content-type'], typeOf(path), what);
      }
    }
  });
}

test('a first visit\'s bytes on the wire, with and without the precompressed files, per server', async (t) => {
  // What a first visit asks for: every request Chromium makes until each page is ready.
  const visits = {};
  for (const [name, path] of [['the page', ''], ['the single-file page', 'jwt-signer.html']]) {
    const page = await browser.context.newPage();
    const requested = [];
    page.on('request', (request) => requested.push(request.url()));
    try {
      await page.goto(servers.nginx.base + path);
      await page.waitForSelector('body[data-ready="true"]');
    } finally {
      await page.close();
    }
    visits[name] = requested.filter((url) => url.startsWith(servers.nginx.base)).map((url) => url.slice(servers.nginx.base.length));
    assert.ok(visits[name].length >= 1, name);
  }
  assert.ok(visits['the page'].includes('jwt-signer_bg.wasm'), visits['the page'].join(' '));
  const lines = ['| server | page | requests | bytes before (no .br/.gz) | bytes after | after / before |', '|---|---|---:|---:|---:|---:|'];
  for (const server of ['nginx', 'caddy']) {
    for (const [name, urls] of Object.entries(visits)) {
      const bytes = {};
      for (const variant of ['plain', 'base']) {
        bytes[variant] = 0;
        for (const url of urls) {
          const sent = await rawGet(new URL(url, servers[server][variant]), 'br, gzip');
          assert.equal(sent.status, 200, url);
          // Without the files neither server compresses (the recipes turn on no compression of
          // their own); with them, every file of the visit comes compressed.
          assert.equal(sent.headers['content-encoding'], variant === 'plain' ? undefined : PREFERRED[server], `${server} ${variant} /${url}`);
          bytes[variant] += sent.wire;
        }
      }
      lines.push(`| ${server} | ${name} | ${urls.length} | ${bytes.plain} | ${bytes.base} | ${(bytes.base / bytes.plain).toFixed(2)} |`);
      assert.ok(bytes.base < bytes.plain, `${server}, ${name}: ${bytes.base} bytes with the precompressed files, ${bytes.plain} without`);
    }
  }
  t.diagnostic('first visit, Accept-Encoding: br, gzip; bytes of the status lines, headers and bodies (HTTP/1.1, no TLS):');
  for (const line of lines) t.diagnostic(line);
});

for (const server of ['nginx', 'caddy']) for (const [name, path] of [['the page', ''], ['the single-file page', 'jwt-signer.html']]) test(`served by ${server}, ${name} signs a token that OpenSSL verifies`, async () => {
  const page = await browser.context.newPage();
  try {
    await page.goto(servers[server].base + path);
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
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe id="f" src="${servers.nginx.base}${path}"></iframe>`);
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
    assert.notEqual(child.url(), servers.nginx.base + path);
    assert.ok(console.some((line) => line.includes("frame-ancestors 'none'")), console.join('\n'));
  } finally {
    await page.close();
    framer.closeAllConnections();
    await new Promise((r) => framer.close(r));
  }
});
