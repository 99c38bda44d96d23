// The floor under the page's size (issue 9's ≤ 80 KB): bench/size-floor/ is the least a page's
// wasm can hold with the crates the issue keeps (see its src/lib.rs), built twice: reading and
// validating a key only, and that plus signing one token. Each is built as the page's wasm is
// (opt-level "z", LTO, wasm-bindgen, wasm-opt with Trunk's flags, the root's Cargo.lock so the
// crate versions are the page's) and checked against Node's crypto (so nothing was optimised
// away): the key's size as OpenSSL made it, the token verifying with its public key. Prints the
// gzip -9 sizes as JSON.
//
//   node bench/size-floor.mjs
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../', import.meta.url));
const crate = join(root, 'bench/size-floor');
const pem = readFileSync(join(root, 'tests/fixtures/rsa2048.pkcs8.pem'), 'utf8');
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** The floor built with `features` (cargo arguments): its gzip sizes, and its module to check. */
async function build(name, features) {
  execFileSync('cargo', ['build', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', ...features], { cwd: crate, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), `size-floor-${name}-`));
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', dir, join(crate, 'target/wasm32-unknown-unknown/release/size_floor.wasm')]);
    const wasm = join(dir, 'size_floor_bg.wasm');
    execFileSync('wasm-opt', ['-Oz', '--low-memory-unused', '--strip-debug', '--strip-producers', wasm, '-o', wasm]);
    const bytes = readFileSync(wasm);
    const module = await import(join(dir, 'size_floor.js'));
    await module.default({ module_or_path: bytes });
    return { module, wasmGzip: gzip(bytes), glueGzip: gzip(readFileSync(join(dir, 'size_floor.js'))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

copyFileSync(join(root, 'Cargo.lock'), join(crate, 'Cargo.lock'));
const keyOnly = await build('key', ['--no-default-features']);
const keyBits = createPublicKey(pem).asymmetricKeyDetails.modulusLength;
if (keyOnly.module.read_key(pem) !== keyBits) throw new Error('the key-only floor misread the fixture key');

const signing = await build('sign', []);
const [header, claims, signature] = signing.module.sign(pem, 'floor-key', 'abc123', 1_800_000_000n).split('.');
if (!verify('sha256', Buffer.from(`${header}.${claims}`), createPublicKey(pem), Buffer.from(signature, 'base64url'))) {
  throw new Error('the signing floor signed a token that does not verify');
}

const sizes = ({ wasmGzip, glueGzip }) => ({ wasmGzip, glueGzip });
console.log(JSON.stringify({ keyOnly: sizes(keyOnly), signing: sizes(signing) }));
