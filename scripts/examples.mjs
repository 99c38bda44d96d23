// examples/handler.mjs (and the token-cache.mjs it imports) are the one source of the token
// endpoint; each example folder carries a copy so that it can be copied alone. `make examples`
// writes the copies; `--check` (run by `make test-endpoints`) fails naming any that differs.
import { readFileSync, writeFileSync } from 'node:fs';

const FOLDERS = ['node', 'deno', 'cloudflare-worker'];
const FILES = ['handler.mjs', 'token-cache.mjs'];
const check = process.argv.includes('--check');
const stale = [];
for (const file of FILES) {
  const source = readFileSync(`examples/${file}`, 'utf8');
  for (const folder of FOLDERS) {
    const copy = `examples/${folder}/${file}`;
    let current = null;
    try { current = readFileSync(copy, 'utf8'); } catch { /* missing: stale */ }
    if (current === source) continue;
    if (check) stale.push(copy);
    else writeFileSync(copy, source);
  }
}
if (stale.length) {
  console.error(`examples: ${stale.join(', ')} differ from their source in examples/: edit that one, then run \`make examples\``);
  process.exit(1);
}
