// Starts the examples/ token endpoints for real, each in its runtime's own binary from
// node_modules/.bin, on 127.0.0.1 and a free port; stops them by process group.
//
// Every example is first copied, with the packed package installed into its node_modules/ as
// its package.json asks (`make pack`'s tarball), into a temporary
// folder and started from there: that proves a team can copy one folder and run it.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);

export const fixture = (name) => readFileSync(join(root, 'tests/fixtures', name), 'utf8');
export const KEY_ID = 'endpoint-test-kid';
export const KEY = fixture('rsa2048-mux.txt').trim(); // test-only key (tests/fixtures/README.md)
export const PUBLIC_KEY = fixture('rsa2048.public.pem');
export const API_TOKEN = 'test-api-token-7c1e0c55b1d2f0a9';
export const ORIGIN = 'https://app.example.test';

/** How each runtime starts its example; `cwd` is the copied example folder. */
export const RUNTIMES = {
  node: { example: 'node', command: () => [process.execPath, ['server.mjs']] },
  workerd: { example: 'cloudflare-worker', command: () => ['sh', ['serve-local.sh']] },
  deno: {
    example: 'deno',
    command: () => [bin('deno'), ['run', '--allow-read=.', '--allow-net=127.0.0.1',
      '--allow-env=MUX_SIGNING_KEY,MUX_PRIVATE_KEY,API_TOKEN,ALLOWED_ORIGINS,ALLOWED_PLAYBACK_IDS,TOKEN_TTL_SECONDS,TOKEN_CACHE_ENTRIES,HOST,PORT',
      'server.mjs']],
  },
  // Bun runs the Node example unchanged (node:http, node:fs).
  bun: { example: 'node', command: () => [bin('bun'), ['server.mjs']] },
  // The Node example on every core: one server.mjs per CPU (WORKERS) under node:cluster.
  'node-cluster': { example: 'node', command: () => [process.execPath, ['cluster.mjs']] },
};

/** The one tarball `make pack` wrote, as the examples' package.json files name it. */
export function tarball() {
  const files = existsSync(join(root, 'target/npm')) ? readdirSync(join(root, 'target/npm')).filter((f) => f.endsWith('.tgz')) : [];
  if (files.length !== 1) throw new Error(`target/npm/ holds ${files.length} tarballs, not one: run \`make pack\` first`);
  return `target/npm/${files[0]}`;
}

let installed; // a folder where the tarball was installed once for this run
/** Installs the package into `dir`/node_modules as `npm install` there would (from the tarball). */
export function addPackage(dir) {
  if (!installed) {
    installed = mkdtempSync(join(tmpdir(), 'jwt-signer-package-'));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', join(root, tarball())],
      { cwd: installed, stdio: 'ignore' });
    process.on('exit', () => rmSync(installed, { recursive: true, force: true }));
  }
  cpSync(join(installed, 'node_modules/jwt-signer'), join(dir, 'node_modules/jwt-signer'), { recursive: true });
}

/** Fails early, with what to do, when the package or a runtime binary is missing. */
export function checkPrerequisites() {
  tarball();
  for (const name of ['workerd', 'deno', 'bun']) {
    if (!existsSync(bin(name))) throw new Error(`node_modules/.bin/${name} is missing: run \`make setup\` (npm ci)`);
  }
}

/** pkg/ (built by `make pkg`), initialised: the JS API in this process, for in-process tests. */
export async function realPkg() {
  checkPrerequisites();
  const pkg = await import(pathToFileURL(join(root, 'pkg/jwt_signer.js')).href);
  pkg.initSync({ module: readFileSync(join(root, 'pkg/jwt_signer_bg.wasm')) });
  return pkg;
}

/** The package with its Signer replaced by `Signer` (a stand-in): what createHandler's `jwt` takes. */
export async function jwtWith(Signer) {
  return { ...(await realPkg()), Signer };
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Copies examples/<name> into a fresh temporary folder with the package installed; returns its path. */
export function copyExample(name) {
  const dir = mkdtempSync(join(tmpdir(), `endpoint-${name}-`));
  cpSync(join(root, 'examples', name), dir, { recursive: true });
  addPackage(dir);
  return dir;
}

/**
 * Starts a runtime's example with `env` (merged over a minimal environment) and waits until it
 * answers HTTP. Resolves to { url, port, output, stop, exited }; `output` collects every
 * stdout/stderr line. `prepare(dir)` may change the copied folder before the start.
 */
export async function startEndpoint(runtime, env, { waitReady = true, timeoutMs = 20_000, prepare } = {}) {
  const spec = RUNTIMES[runtime];
  const dir = copyExample(spec.example);
  prepare?.(dir);
  const port = await freePort();
  const [command, args] = spec.command();
  const child = spawn(command, args, {
    cwd: dir,
    detached: true, // its own process group, so stop() reaches the runtime behind a shell script
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      WORKERD: bin('workerd'),
      ESBUILD: bin('esbuild'),
      DENO_NO_UPDATE_CHECK: '1',
      DENO_NO_PROMPT: '1',
      NO_COLOR: '1',
      ...env,
    },
  });
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      output.push(...lines);
    });
    stream.on('end', () => rest && output.push(rest));
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  exited.then(() => { done = true; });

  const stop = async () => {
    if (!done) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  if (waitReady) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (done) {
        await stop();
        throw new Error(`${runtime} exited before answering:\n${output.join('\n')}`);
      }
      try {
        await (await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) })).arrayBuffer();
        break;
      } catch {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`${runtime} did not answer within ${timeoutMs} ms:\n${output.join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  return { runtime, url, port, output, stop, exited, pid: child.pid };
}

const WINDOW = 24; // 24 base64 characters are 18 bytes of the key: no token or message has them by chance

/**
 * Every 24-character stretch of the key's text (Mux's base64 of the PEM), of the PEM, of the
 * base64 inside the PEM, and of that base64 re-encoded as base64url: a leak of any part of the
 * key longer than ~24 characters, in any of these forms, contains one of them.
 */
export function secretNeedles(key = KEY) {
  const pem = Buffer.from(key, 'base64').toString('utf8');
  const pemBody = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const forms = [key, pemBody, Buffer.from(pemBody, 'base64').toString('base64url'), ...pem.split('\n')];
  const needles = new Set();
  for (const text of forms) {
    for (let i = 0; i + WINDOW <= text.length; i++) needles.add(text.slice(i, i + WINDOW));
  }
  // The PEM armour lines are public text; only key material counts.
  for (const needle of [...needles]) if (/-----|PRIVATE KEY/.test(needle)) needles.delete(needle);
  return needles;
}

/** The first stretch of the key found in `text`, or null. */
export function findSecret(text, needles = secretNeedles()) {
  for (let i = 0; i + WINDOW <= text.length; i++) {
    const piece = text.slice(i, i + WINDOW);
    if (needles.has(piece)) return piece;
  }
  return null;
}
