// examples/handler.mjs is the one source of the token endpoint; each example folder carries a
// copy so that it can be copied alone. `make examples` writes the copies; `--check` (run by
// `make test-endpoints`) fails naming any copy that differs from the source.
import { readFileSync, writeFileSync } from 'node:fs';

const FOLDERS = ['node', 'deno', 'cloudflare-worker'];
const source = readFileSync('examples/handler.mjs', 'utf8');
const check = process.argv.includes('--check');
const stale = [];
for (const folder of FOLDERS) {
  const copy = `examples/${folder}/handler.mjs`;
  let current = null;
  try { current = readFileSync(copy, 'utf8'); } catch { /* missing: stale */ }
  if (current === source) continue;
  if (check) stale.push(copy);
  else writeFileSync(copy, source);
}
if (stale.length) {
  console.error(`examples: ${stale.join(', ')} differ from examples/handler.mjs: edit that one, then run \`make examples\``);
  process.exit(1);
}
