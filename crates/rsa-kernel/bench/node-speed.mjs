// Median ms per RS256 token of a wasm-bindgen build of jwt-signer in Node, at 2048, 3072 and
// 4096 bits, beside node:crypto (OpenSSL) on the same signing input. Warm (V8 starts wasm in
// its baseline compiler), timed in batches of 5.
//
//   node crates/rsa-kernel/bench/node-speed.mjs <dir with jwt_signer.js and jwt_signer_bg.wasm> [signs]
//
// Build the directory as `make pkg` does (`cargo build --lib --profile wasm-release --target
// wasm32-unknown-unknown --no-default-features`, then `wasm-bindgen --target web`), or use pkg/.
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = path.resolve(process.argv[2] ?? 'pkg');
const SIGNS = Number(process.argv[3] ?? 100);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

function timeIt(op, signs = SIGNS, warmup = 20) {
  for (let i = 0; i < warmup; i++) op();
  const samples = [];
  for (let done = 0; done < signs; done += 5) {
    const t = performance.now();
    for (let i = 0; i < 5; i++) op();
    samples.push((performance.now() - t) / 5);
  }
  return median(samples);
}

const jwt = await import(pathToFileURL(path.join(dir, 'jwt_signer.js')).href);
jwt.initSync({ module: readFileSync(path.join(dir, 'jwt_signer_bg.wasm')) });
const EXP = 1_800_000_000;
console.log(`${dir}, Node ${process.version}, ${SIGNS} signs per row (median ms/token)`);
for (const [bits, file] of [[2048, 'rsa2048.pkcs8.pem'], [3072, 'rsa3072.pem'], [4096, 'rsa4096.pem']]) {
  const pem = fixture(file);
  const signer = new jwt.Signer('bench-key', pem);
  const token = signer.signPlaybackId('abc123', { type: 'video', expiresAt: EXP });
  const t = typeof token === 'string' ? token : token.token;
  const input = t.slice(0, t.lastIndexOf('.'));
  const key = createPrivateKey(pem);
  // Same bytes as OpenSSL (PKCS#1 v1.5 is deterministic).
  const openssl = cryptoSign('sha256', Buffer.from(input), key).toString('base64url');
  if (openssl !== t.slice(t.lastIndexOf('.') + 1)) throw new Error(`${bits}: signature differs from OpenSSL`);
  const ours = timeIt(() => signer.signPlaybackId('abc123', { type: 'video', expiresAt: EXP }), bits > 3000 ? SIGNS / 2 : SIGNS);
  const theirs = timeIt(() => cryptoSign('sha256', Buffer.from(input), key));
  console.log(`RSA-${bits}: jwt-signer ${ours.toFixed(2)} ms, node:crypto ${theirs.toFixed(3)} ms, ratio ${(ours / theirs).toFixed(1)}×`);
  signer.free?.();
}
