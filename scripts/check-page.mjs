// Checks that the built page keeps its strict Content-Security-Policy. The page has no inline
// script (Trunk's rust asset is built as a worker, which gets no injected loader), so the CSP
// needs no hash; this fails the build if an inline script comes back, if the CSP loses
// `worker-src 'self'`, or if the files the worker imports are missing. It also removes
// index.html's skipped main Rust link, which only keeps Trunk from adding a default app.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Checks dist/index.html (and fixes up what Trunk leaves); throws on a loosened page. */
export function checkPage(dist) {
  const file = join(dist, 'index.html');
  const fail = (why) => {
    throw new Error(`check-page: ${why} (${file})`);
  };
  // index.html's skipped main Rust link (it only stops Trunk adding a default app) stays in the
  // output as an inert <link>: remove it, and make sure nothing else of Trunk's is left.
  const html = readFileSync(file, 'utf8').replace(/[ \t]*<link\b[^>]*\bdata-trunk-skip\b[^>]*>\n?/, '');
  if (/\bdata-trunk\b/.test(html)) fail('a data-trunk element is left in the page');
  writeFileSync(file, html);
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
  if (inline.length) fail(`${inline.length} inline script(s): the CSP allows none; load scripts from files`);
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
  if (!csp) fail('no Content-Security-Policy meta tag');
  if (!csp.includes("worker-src 'self'")) fail("the CSP must say worker-src 'self'");
  if (/'unsafe-inline'|'unsafe-eval'|\*|sha256-|TRUNK_LOADER_HASH/.test(csp)) fail(`the CSP was loosened: ${csp}`);
  // The bundles are made from these (scripts/bundle.mjs): the worker imports the glue by fixed
  // name (www/worker.js); Trunk names a worker's files after the crate.
  for (const name of ['jwt-signer.js', 'jwt-signer_bg.wasm', 'www/worker.js', 'www/main.js']) {
    if (!existsSync(join(dist, name))) fail(`${name} is missing`);
  }
}
