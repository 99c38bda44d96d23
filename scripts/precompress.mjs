// Writes `.br` and `.gz` beside every text and wasm file of dist/, for hosts that serve a
// precompressed file in place of the original when the browser accepts it (nginx's
// `gzip_static`, Caddy's `file_server { precompressed }`: hosting/). Compressed once, at the
// highest settings, rather than on every request at the server's cheaper ones. Reproducible:
// fixed settings, and Node's gzip header has mtime 0, no file name and the OS byte of the
// platform (zlib's own); brotli has no header fields at all. SHA256SUMS is not compressed: it
// lists these files, so it is written after them.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** What gets compressed: text and wasm (dist/'s files, by name), not SHA256SUMS. */
const COMPRESSIBLE = /\.(html|js|css|wasm|svg|json|txt)$/;

/** The two encodings, as each file's suffix and its compressor. */
export const ENCODINGS = [
  { suffix: '.br', name: 'br', compress: (bytes) => brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_DEFAULT_WINDOW,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }) },
  { suffix: '.gz', name: 'gzip', compress: (bytes) => gzipSync(bytes, { level: 9, memLevel: 9, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY }) },
];

/** Whether `name` (a path in dist/) gets precompressed variants. */
export const compressible = (name) => COMPRESSIBLE.test(name);

/** The precompressed variants of `files` (paths in dist/): "index.html" → "index.html.br", …. */
export const precompressedNames = (files) => files.filter(compressible).flatMap((name) => ENCODINGS.map(({ suffix }) => name + suffix));

function filesUnder(dir, root = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

/** Writes every compressible file of `dist` again as `.br` and `.gz`. */
export function precompress(dist) {
  for (const name of filesUnder(dist).filter(compressible)) {
    const bytes = readFileSync(join(dist, name));
    for (const { suffix, compress } of ENCODINGS) writeFileSync(join(dist, name + suffix), compress(bytes));
  }
}
