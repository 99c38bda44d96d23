// Writes dist/SHA256SUMS: every other file of dist/, sorted by path, in `sha256sum` format, so
// that anyone can check a hosted copy against a build of their own (`sha256sum -c`, or the
// README's curl recipe). The page's footer shows the wasm's line.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Writes dist/SHA256SUMS for every file of `dist` but itself. */
export function writeChecksums(dist) {
  const lines = filesUnder(dist)
    .map((path) => relative(dist, path).split(sep).join('/'))
    .filter((name) => name !== 'SHA256SUMS')
    .sort()
    .map((name) => `${createHash('sha256').update(readFileSync(join(dist, name))).digest('hex')}  ${name}\n`);
  writeFileSync(join(dist, 'SHA256SUMS'), lines.join(''));
}
