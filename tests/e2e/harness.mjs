// Test harness: a static file server on 127.0.0.1 (port chosen at run time) and Debian's
// Chromium driven by playwright-core (its own browser download cannot work here).
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.txt': 'text/plain', '.pem': 'text/plain',
};

/** Serves `root` under `prefix` (e.g. "/tools/jwt/"); resolves to { url, close }. */
export function serve(root, prefix = '/') {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(normalize(root))) return void res.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      // Closing drops the browser's kept-alive connections, or close() waits minutes for them.
      const close = () => new Promise((r) => {
        server.close(r);
        server.closeAllConnections();
      });
      resolve({ url: `http://127.0.0.1:${port}${prefix}`, close });
    });
  });
}

/** A fresh headless Chromium with its own empty profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'jwt-signer-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The public half of the fixture key the page tests sign with (tests/fixtures/rsa2048*). */
export const fixturePublicKey = createPublicKey(readFileSync(new URL('../fixtures/rsa2048.public.pem', import.meta.url), 'utf8'));

/** Verifies an RS256 token with Node's crypto (OpenSSL), not our code; returns its claims. */
export function verifyInNode(token, key = fixturePublicKey) {
  const [h, p, s] = token.split('.');
  assert.ok(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')), 'OpenSSL rejects the page\'s token');
  return JSON.parse(Buffer.from(p, 'base64url').toString());
}

/** Waits until the element's text matches `pattern` (the worker answers asynchronously), and
 * returns it. Polled every 100 ms, not every frame: the driver's own work stays out of the
 * pages' measurements. */
export async function textOf(page, selector, pattern, timeout = 30_000) {
  await page.waitForFunction(([sel, source, flags]) => new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source, pattern.flags], { timeout, polling: 100 });
  return page.locator(selector).textContent();
}

/** Chromium on tests/e2e/api.html: the `pkg/` module loaded as `window.jwt`, as the README shows. */
export async function openApiPage(root) {
  const server = await serve(root);
  const browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(`${server.url}tests/e2e/api.html`);
  await page.waitForFunction(() => document.title === 'ready');
  return {
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Builds a bad-input case's input from its description in tests/fixtures/bad-inputs.json
 * (see its "about"), as tests/bad_inputs.rs does; `fixture(name)` reads a fixture's text. */
export function badInput(spec, fixture) {
  if (typeof spec === 'string') return spec;
  if (spec.fixture) {
    let text = fixture(spec.fixture);
    if (spec.slice) text = text.slice(...spec.slice);
    if (spec.replace) text = text.replace(...spec.replace);
    return `${spec.prefix ?? ''}${text}${spec.suffix ?? ''}`;
  }
  if (spec.repeat) return spec.repeat.repeat(spec.times);
  if (spec.golden) return JSON.parse(fixture('goldens.json')).find((g) => g.name === spec.golden).token;
  if (spec.many_params) return JSON.stringify(Object.fromEntries(Array.from({ length: spec.many_params }, (_, i) => [`p${i}`, i])));
  if (spec.nested) return `${'{"a":'.repeat(spec.nested)}1${'}'.repeat(spec.nested)}`;
  throw new Error(`unknown input ${JSON.stringify(spec)}`);
}

/**
 * Runs `action` under Chromium's tracing and returns the main thread's longest task (the
 * renderer's CrRendererMain): `{ cpuMs, wallMs, editingMs }`.
 * - `cpuMs`: the most CPU time one task used for the page (its scripts, and Chromium's style,
 *   layout and paint for them), less the browser's own editing command in it: a paste into a
 *   textarea is a `textInput` event whose default action inserts the text and lays it out
 *   (30-50 ms of CPU for 1,000 lines on these machines). The event listeners and scripts that
 *   the command runs stay counted: the page's own handlers are never left out.
 * - `editingMs`: the most CPU one such editing command used, reported beside it.
 * - `wallMs`: the longest wall time of one task, which also counts the time the OS gave the
 *   thread's core to others: on a 2-core machine with more busy threads than cores, a task of
 *   20 ms of CPU can take 90 ms of wall time.
 */
export async function traceMainThread(context, page, action) {
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const finished = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' });
  try {
    await action();
  } finally {
    await cdp.send('Tracing.end');
    await finished;
    await cdp.detach();
  }
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts);
  const cpu = (e) => (e.tdur ?? 0) / 1000;
  // Each task the thread runs: its scheduler's top-level event.
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  if (!tasks.length) throw new Error('the trace holds no main-thread task');
  // The CPU of each editing command (a textInput event's default action: the page listens to
  // no textInput), less the listeners and scripts it ran, charged to the task it ran in.
  const editing = tasks.map(() => 0);
  for (const command of outermost(onMain.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'textInput'))) {
    const listeners = outermost(within(onMain, command).filter((e) => e.name === 'EventDispatch' || e.name === 'FunctionCall'));
    const i = tasks.findIndex((task) => command.ts >= task.ts && command.ts + command.dur <= task.ts + task.dur);
    if (i >= 0) editing[i] += cpu(command) - listeners.reduce((sum, e) => sum + cpu(e), 0);
  }
  return {
    cpuMs: Math.max(...tasks.map((task, i) => cpu(task) - editing[i])),
    editingMs: Math.max(...editing),
    wallMs: Math.max(...tasks.map((e) => e.dur / 1000)),
  };
}

/** The events (sorted by start) that lie inside `outer`, on its thread. */
const within = (events, outer) => events.filter((e) => e !== outer && e.ts >= outer.ts && e.ts + e.dur <= outer.ts + outer.dur);

/** Of events sorted by start, those not inside another of them. */
function outermost(events) {
  const kept = [];
  for (const e of events) if (!kept.length || e.ts >= kept.at(-1).ts + kept.at(-1).dur) kept.push(e);
  return kept;
}
