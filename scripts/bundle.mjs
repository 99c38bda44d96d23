// The page's two scripts, each bundled by esbuild from the built dist/ into one file: the page
// (www/main.js with the views, the worker bridge and the helpers it imports) and the signer's
// worker (www/worker.js with protocol.js and Trunk's wasm-bindgen glue, jwt-signer.js). A cold
// load then fetches one script for the page and one for its worker instead of a waterfall of
// ES module imports. The sources in www/ stay as they are; only dist/ gets the bundles.
//
// The served page gets them minified, in place of the modules they were built from (same
// names, so index.html, the worker's URL and the hosting recipes' paths are unchanged); the
// unbundled modules and the glue then leave dist/, which keeps exactly SERVED_FILES. The
// single-file page (scripts/single-file.mjs) inlines the same bundles, unminified (readable).
// esbuild's output depends only on its input and options: the build stays reproducible.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';

/** What dist/ holds after the build, every file of it (SHA256SUMS covers the others), beside
 * the .br and .gz of each but SHA256SUMS (scripts/precompress.mjs). */
export const SERVED_FILES = [
  'SHA256SUMS',
  'index.html',
  'jwt-signer.html',
  'jwt-signer_bg.wasm',
  'www/main.js',
  'www/style.css',
  'www/worker.js',
];

/**
 * `entry` (a path under `dist`) with everything it imports, as one script's text: an ES module,
 * or a classic script (`iife`). The page is a classic script, so that it can run from <head>
 * before the body is parsed (a module always waits for the whole page); so is the single-file
 * page's worker, the only kind Chromium starts from a blob: URL made in a file:// page. A
 * classic script has no import.meta: `importMetaUrl` says what stands for its URL.
 */
export async function bundle(dist, entry, { format = 'esm', importMetaUrl = null, minify = false } = {}) {
  const result = await build({
    absWorkingDir: dist,
    entryPoints: [entry],
    bundle: true,
    format,
    define: importMetaUrl ? { 'import.meta.url': importMetaUrl } : {},
    target: 'es2022',
    minify,
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** The page's script: document.currentScript is its <script> element while it first runs. */
export const bundlePage = (dist, options = {}) =>
  bundle(dist, 'www/main.js', { format: 'iife', importMetaUrl: 'document.currentScript.src', ...options });

/** The worker's script: a module for the served page, a classic script for the single file. */
export const bundleWorker = (dist, { format = 'esm', ...options } = {}) =>
  bundle(dist, 'www/worker.js', { format, importMetaUrl: format === 'iife' ? 'self.location.href' : null, ...options });

function filesUnder(dir, root = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

/** Bundles the served page's two scripts (the sources must still be in `dist`); resolves to
 * a function that writes them over their entry modules and removes what they replace. */
export async function servedBundles(dist) {
  const page = await bundlePage(dist, { minify: true });
  const worker = await bundleWorker(dist, { minify: true });
  return function write() {
    writeFileSync(join(dist, 'www/main.js'), page);
    writeFileSync(join(dist, 'www/worker.js'), worker);
    for (const file of filesUnder(dist)) {
      if (!SERVED_FILES.includes(file)) rmSync(join(dist, file));
    }
    for (const dir of readdirSync(join(dist, 'www'))) {
      const path = join(dist, 'www', dir);
      if (statSync(path).isDirectory()) rmSync(path, { recursive: true });
    }
  };
}

/** Throws unless `dist` holds exactly `expected` (SERVED_FILES, and what the build adds to
 * them: their precompressed copies, scripts/precompress.mjs). */
export function checkServedFiles(dist, expected = SERVED_FILES) {
  const files = filesUnder(dist).sort();
  if (files.join('\n') !== [...expected].sort().join('\n')) {
    throw new Error(`bundle: dist/ should hold exactly ${expected.join(', ')}; it holds ${files.join(', ')}`);
  }
}
