// Writes dist/jwt-signer.html: the whole page in one file that works opened from disk (file://)
// with no network at all, or from any static host. From the built page:
// - the style goes inline in a <style>;
// - the page's script, bundled as for the served page (scripts/bundle.mjs) but not minified, so
//   the file can be read, goes inline in a <script> where index.html loads www/main.js;
// - the worker (its modules and the wasm-bindgen glue, bundled as a classic script) goes into an
//   inert <script type="text/plain" id="signer-worker-code"> just before it, preceded by the wasm
//   as base64; the page starts it from a blob: URL (www/signer-client.js) and the worker
//   compiles those bytes (www/worker.js), so nothing is fetched.
// Its CSP allows exactly that: the inline script and style by SHA-256, workers from blob: only,
// and no connection at all (connect-src 'none'). A worker made from a blob: URL runs under the
// page's own CSP, so the page's policy must also allow the worker to compile wasm
// ('wasm-unsafe-eval'); the served page (index.html) does without, as its worker has a URL.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePage, bundleWorker } from './bundle.mjs';

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Text that may sit inside a <script> or <style> element: nothing that would close it early. */
function inlinable(text, what) {
  if (/<\/(script|style)|<!--/i.test(text)) throw new Error(`single-file: ${what} contains </script, </style or <!--`);
  return text;
}

/** Replaces the one occurrence of `from` in `html`; throws if the page changed shape. */
function replaceOnce(html, from, to) {
  const parts = html.split(from);
  if (parts.length !== 2) throw new Error(`single-file: expected one ${from} in index.html, found ${parts.length - 1}`);
  return parts[0] + to + parts[1];
}

/** Builds dist/jwt-signer.html from the built dist/index.html and its files. */
export async function buildSingleFile(dist) {
  const style = inlinable(readFileSync(join(dist, 'www/style.css'), 'utf8'), 'www/style.css');
  const page = inlinable(await bundlePage(dist), 'the page bundle');
  const wasm = readFileSync(join(dist, 'jwt-signer_bg.wasm')).toString('base64');
  const worker = inlinable(`globalThis.JWT_SIGNER_INLINE_WASM = "${wasm}";\n${await bundleWorker(dist, { format: 'iife' })}`, 'the worker bundle');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(page)} 'wasm-unsafe-eval'`,
    'worker-src blob:',
    `style-src ${sha256(style)}`,
    'img-src data: blob:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  let html = readFileSync(join(dist, 'index.html'), 'utf8');
  html = html.replace(/(http-equiv="Content-Security-Policy" content=")[^"]*"/, `$1${csp}"`);
  html = replaceOnce(html, '<link rel="stylesheet" href="www/style.css">', `<style>${style}</style>`);
  // The worker's code first: the page's script runs where it stands and reads it at once.
  html = replaceOnce(html, '<script src="www/main.js"></script>',
    `<script type="text/plain" id="signer-worker-code">${worker}</script>\n  <script>${page}</script>`);
  // Nothing in the markup may refer to another file any more.
  const markup = html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, '');
  const leftover = markup.match(/\s(?:src|href)="(?!data:|#)[^"]*"/);
  if (leftover) throw new Error(`single-file: the page still refers to a file: ${leftover[0].trim()}`);
  writeFileSync(join(dist, 'jwt-signer.html'), html);
}
