// Trunk post-build hook: Trunk's wasm loader is an inline module script, so the page's
// Content-Security-Policy allows exactly that script by its SHA-256, filled in here.
// Fails the build if the placeholder or the loader is missing, so the CSP cannot go stale.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
const html = readFileSync(file, 'utf8');
const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (inline.length === 0 || !html.includes('TRUNK_LOADER_HASH')) {
  console.error(`csp-hash: expected Trunk's inline loader and the TRUNK_LOADER_HASH placeholder in ${file}`);
  process.exit(1);
}
const hashes = inline.map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
writeFileSync(file, html.replace('TRUNK_LOADER_HASH', hashes.join(' ')));
