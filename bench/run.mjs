// `make bench`: speed and size, each peer measured in the same run, medians and ratios.
// Writes BENCHMARKS.md. Absolute times on these shared 2-core machines are noise; ratios
// from one run are what to read.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import jsonwebtoken from 'jsonwebtoken';
import Mux from '@mux/mux-node';
import { launch, serve } from '../tests/e2e/harness.mjs';
import { bulkScale } from './scale-bulk.mjs';
import { cliScale } from './scale-cli.mjs';
import { coldStart } from './cold-start.mjs';
import { endpointScale } from './scale-endpoint.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = (name) => readFileSync(`${root}tests/fixtures/${name}`, 'utf8');
const PEM = fixture('rsa2048.pkcs8.pem');
const KEY_ID = 'bench-key';
const EXP = 1_800_000_000;
const SIGNS = Number(process.env.BENCH_SIGNS ?? 200);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const fmt = (ms) => (ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const out = [];
const log = (line = '') => { console.log(line); out.push(line); };

/** Median ms per op: `SIGNS` ops after warm-up, timed in batches of 5 (timer resolution). */
async function timeIt(op, { signs = SIGNS, warmup = 20 } = {}) {
  for (let i = 0; i < warmup; i++) await op();
  const samples = [];
  for (let done = 0; done < signs; done += 5) {
    const t = performance.now();
    for (let i = 0; i < 5; i++) await op();
    samples.push((performance.now() - t) / 5);
  }
  return median(samples);
}

function table(title, rows, baseline, per = 'token') {
  log(`### ${title}`);
  log('');
  log(`| implementation | median ms/${per} | × ${baseline} |`);
  log('|---|---:|---:|');
  const base = rows.find((r) => r.name === baseline).ms;
  for (const r of rows) log(`| ${r.name} | ${fmt(r.ms)} | ${(r.ms / base).toFixed(1)}× |`);
  log('');
}

// ---- browser ----
async function browserBench(browser, server) {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}bench/browser.html`);
  await page.waitForFunction(() => document.title === 'ready');
  const result = await page.evaluate(async ({ pem, keyId, exp, signs }) => {
    // The same median and timer as above, again: this function runs inside the page.
    const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[Math.floor((s.length - 1) / 2)] + s[Math.ceil((s.length - 1) / 2)]) / 2; };
    async function timeIt(op) {
      for (let i = 0; i < 20; i++) await op();
      const samples = [];
      for (let done = 0; done < signs; done += 5) {
        const t = performance.now();
        for (let i = 0; i < 5; i++) await op();
        samples.push((performance.now() - t) / 5);
      }
      return median(samples);
    }
    const header = JSON.stringify({ alg: 'RS256', typ: 'JWT' });
    const claims = JSON.stringify({ kid: keyId, sub: 'abc123', aud: 'v', exp });
    const b64u = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const utf8 = (s) => new TextEncoder().encode(s);
    const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
    const webKey = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    const signer = new jwt.Signer(keyId, pem);
    const rsKey = KEYUTIL.getKey(pem);
    const forgeKey = forge.pki.privateKeyFromPem(pem);
    const impls = {
      'jwt-signer (wasm)': () => signer.signPlaybackId('abc123', { type: 'video', expiresAt: exp }),
      'WebCrypto': async () => {
        const input = `${b64u(utf8(header))}.${b64u(utf8(claims))}`;
        const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', webKey, utf8(input)));
        return `${input}.${b64u(sig)}`;
      },
      'jsrsasign': () => KJUR.jws.JWS.sign('RS256', header, claims, rsKey),
      'node-forge': () => {
        const input = `${b64u(utf8(header))}.${b64u(utf8(claims))}`;
        const md = forge.md.sha256.create();
        md.update(input, 'utf8');
        return `${input}.${forge.util.encode64(forgeKey.sign(md)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
      },
    };
    // RS256 is deterministic: all four must produce the very same token.
    const tokens = await Promise.all(Object.values(impls).map((f) => f()));
    const same = tokens.every((t) => t === tokens[0]);
    const rows = [];
    for (const [name, op] of Object.entries(impls)) rows.push({ name, ms: await timeIt(op) });
    return { rows, same, userAgent: navigator.userAgent };
  }, { pem: PEM, keyId: KEY_ID, exp: EXP, signs: SIGNS });
  await page.close();
  return result;
}

// ---- node ----
async function nodeBench() {
  const jwt = await import(`${root}pkg/jwt_signer.js`);
  jwt.initSync({ module: readFileSync(`${root}pkg/jwt_signer_bg.wasm`) });
  const signer = new jwt.Signer(KEY_ID, PEM);
  const keyObject = createPrivateKey(PEM);
  const mux = new Mux({ tokenId: 'x', tokenSecret: 'x' });
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const claims = { kid: KEY_ID, sub: 'abc123', aud: 'v', exp: EXP };
  const clock = (EXP - 7 * 86400) * 1000;
  const realNow = Date.now;
  const impls = {
    'jwt-signer (wasm in Node)': () => signer.signPlaybackId('abc123', { type: 'video', expiresAt: EXP }),
    'node:crypto (OpenSSL)': () => {
      const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${input}.${cryptoSign('sha256', Buffer.from(input), keyObject).toString('base64url')}`;
    },
    '@mux/mux-node': async () => {
      Date.now = () => clock;
      try {
        return await mux.jwt.signPlaybackId('abc123', { keyId: KEY_ID, keySecret: PEM, type: 'video' });
      } finally {
        Date.now = realNow;
      }
    },
    jsonwebtoken: () => jsonwebtoken.sign({ kid: KEY_ID, sub: 'abc123', aud: 'v', exp: EXP }, keyObject, { algorithm: 'RS256', noTimestamp: true }),
  };
  const tokens = await Promise.all(Object.values(impls).map((f) => f()));
  const rows = [];
  for (const [name, op] of Object.entries(impls)) rows.push({ name, ms: await timeIt(op) });
  signer.free();
  return { rows, same: tokens.every((t) => t === tokens[0]) };
}

// ---- native (criterion) and CLI ----
function nativeBench() {
  // criterion's output for `args`, and the rows of one of its groups in it ("rs256-2048":
  // signing; "key-2048": a key's set-up).
  const criterion = (args, env = process.env) => {
    const run = spawnSync('cargo', ['bench', '--bench', 'sign', '--', '--noplot', ...args], { cwd: `${root}bench/native`, encoding: 'utf8', env });
    if (run.status !== 0) throw new Error(`cargo bench failed:\n${run.stderr}`);
    return run.stdout;
  };
  const rowsOf = (output, group = 'rs256-2048') => {
    const rows = [];
    for (const m of output.matchAll(new RegExp(`${group}\\/(.+?)\\s*\\n?\\s*time:\\s*\\[\\S+ \\S+ (\\S+) (\\S+) \\S+ \\S+\\]`, 'g'))) {
      const unit = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000 }[m[3]];
      rows.push({ name: m[1].trim(), ms: Number(m[2]) * unit });
    }
    return rows;
  };
  const all = criterion([]);
  const rows = rowsOf(all);
  const keyRows = rowsOf(all, 'key-2048');
  // The portable code (what CPUs without AVX-512 IFMA run), with the IFMA code turned off.
  for (const row of rowsOf(criterion(['jwt-signer token'], { ...process.env, RSA_KERNEL_PORTABLE: '1' }))) {
    rows.splice(1, 0, { name: `${row.name} (portable code: RSA_KERNEL_PORTABLE=1)`, ms: row.ms });
  }
  // OpenSSL as CPUs without AVX-512 IFMA run it (its own switch, OPENSSL_ia32cap: the mask
  // clears CPUID leaf 7's IFMA bit, EBX bit 21): the peer of the portable row.
  for (const row of rowsOf(criterion(['openssl sign'], { ...process.env, OPENSSL_ia32cap: OPENSSL_WITHOUT_IFMA }))) {
    rows.push({ name: `${row.name} without IFMA (OPENSSL_ia32cap=${OPENSSL_WITHOUT_IFMA})`, ms: row.ms });
  }
  return { rows, keyRows };
}
const OPENSSL_WITHOUT_IFMA = ':~0x200000';

function cliBench(runs = 50) {
  const bin = `${root}target/release/jwt-signer`;
  const env = { ...process.env, MUX_SIGNING_KEY: KEY_ID, MUX_PRIVATE_KEY: fixture('rsa2048-mux.txt') };
  const times = [];
  for (let i = 0; i < runs + 5; i++) {
    const t = performance.now();
    const r = spawnSync(bin, ['sign', 'abc123', '--token-only'], { env });
    if (r.status !== 0) throw new Error(r.stderr.toString());
    if (i >= 5) times.push(performance.now() - t);
  }
  const opensslTimes = [];
  for (let i = 0; i < runs + 5; i++) {
    const t = performance.now();
    const r = spawnSync('openssl', ['dgst', '-sha256', '-sign', `${root}tests/fixtures/rsa2048.pkcs8.pem`], { input: 'eyJ.eyJ' });
    if (r.status !== 0) throw new Error(r.stderr.toString());
    if (i >= 5) opensslTimes.push(performance.now() - t);
  }
  return { cli: median(times), openssl: median(opensslTimes), runs };
}

// ---- opt-level study: the wasm built at each level, wasm-opt'd the same way, timed in Node ----
async function optLevels(levels = ['z', 's', '3']) {
  const rows = [];
  for (const level of levels) {
    const env = { ...process.env, CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL: level };
    const dir = `${os.tmpdir()}/jwt-signer-opt-${level}`;
    const steps = [
      ['cargo', ['build', '--lib', '--profile', 'wasm-release', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--quiet']],
      ['wasm-bindgen', ['--target', 'web', '--out-dir', dir, 'target/wasm32-unknown-unknown/wasm-release/jwt_signer.wasm']],
      ['wasm-opt', ['-Oz', '--low-memory-unused', '--strip-debug', '--strip-producers', `${dir}/jwt_signer_bg.wasm`, '-o', `${dir}/jwt_signer_bg.wasm`]],
    ];
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    }
    const bytes = readFileSync(`${dir}/jwt_signer_bg.wasm`);
    const jwt = await import(`${dir}/jwt_signer.js?level=${level}`);
    jwt.initSync({ module: bytes });
    const signer = new jwt.Signer(KEY_ID, PEM);
    const ms = await timeIt(() => signer.signPlaybackId('abc123', { type: 'video', expiresAt: EXP }), { signs: 100 });
    signer.free();
    rows.push({ level, ms, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  // Leave target/ as `make pkg` built it.
  spawnSync('cargo', ['build', '--lib', '--profile', 'wasm-release', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--quiet'], { cwd: root });
  return rows;
}

// ---- where the time goes: instruction counts (callgrind) of the CLI signing six tokens ----
function profile() {
  const file = `${os.tmpdir()}/jwt-signer-callgrind.out`;
  const env = { ...process.env, MUX_SIGNING_KEY: KEY_ID, MUX_PRIVATE_KEY: fixture('rsa2048-mux.txt') };
  const run = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${file}`, `${root}target/release/jwt-signer`,
    'sign', 'abc123', '-t', 'video,thumbnail,storyboard,gif,drm_license,stats', '--token-only'], { env, encoding: 'utf8' });
  if (run.status !== 0) return null;
  const annotated = spawnSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], { encoding: 'utf8' }).stdout;
  const cost = (pattern) => Math.max(0, ...annotated.split('\n').filter((l) => pattern.test(l)).map((l) => Number(l.trim().split(/\s/)[0].replace(/,/g, '')) || 0));
  const total = cost(/jwt_signer::jws::sign_compact/);
  const parts = [
    ['Montgomery exponentiations (rsa-kernel: the CRT halves and the s^e check)', cost(/rsa_kernel::pow::<impl [^>]*Modulus>::pow /)],
    ['a fresh blinding pair (one r^-1 mod n every 32 signatures)', cost(/invert_mod::<impl [^>]*BoxedUint>::invert_mod /)],
    ['SHA-256 of the signing input', cost(/sha2::sha256::compress256/)],
  ];
  // A renamed or inlined function would show as 0% and its cost as "everything else": stop.
  for (const [name, c] of parts) if (!(c > 0 && total > 0)) throw new Error(`callgrind: nothing matched for "${name}"`);
  const named = parts.reduce((sum, [, c]) => sum + c, 0);
  parts.push(['everything else: padding, base64url, JSON, claims, blinding updates', total - named]);
  return { total, parts };
}

// ---- where the time goes in the browser: Chromium's CPU profiler on a wasm build with names ----
async function wasmProfile(browser) {
  const dir = `${os.tmpdir()}/jwt-signer-profile`;
  const r = spawnSync('wasm-bindgen', ['--target', 'web', '--out-dir', `${dir}/pkg`, 'target/wasm32-unknown-unknown/wasm-release/jwt_signer.wasm'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wasm-bindgen failed: ${r.stderr}`);
  writeFileSync(`${dir}/index.html`, readFileSync(`${root}bench/browser.html`, 'utf8').replace(/<script src=[^>]*><\/script>\n/g, '').replaceAll('../pkg/', './pkg/'));
  const server = await serve(`${dir}/`);
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.title === 'ready');
  await page.evaluate((pem) => { window.s = new jwt.Signer('k', pem); for (let i = 0; i < 20; i++) s.signPlaybackId('abc', {}); }, PEM);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.evaluate(() => { for (let i = 0; i < 150; i++) s.signPlaybackId('abc', {}); });
  const { profile } = await cdp.send('Profiler.stop');
  await page.close();
  await server.close();
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const groups = [
    ['Montgomery multiplication and exponentiation (rsa-kernel)', /rsa_kernel|mont_mul|pow_fixed|pow_dyn|pow_slices|row_fixed|normalize|select_slices/i],
    ['a fresh blinding pair (r^-1 mod n, every 32 signatures)', /fresh_blinding|invert|safegcd|lincomb/i],
    ['SHA-256', /sha2|compress256/i],
    ['JSON, claims, base64url, allocation (Rust)', /serde|json|alloc|dlmalloc|memcpy|memset|jwt_signer|base64/i],
  ];
  const time = new Map(groups.map(([name]) => [name, 0]));
  let total = 0;
  let other = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const group = groups.find(([, pattern]) => pattern.test(byId.get(id)));
    if (group) time.set(group[0], time.get(group[0]) + dt);
    else other += dt;
  });
  return [...time, ['everything else: JS glue, the engine, idle', other]].map(([name, t]) => [name, (100 * t) / total]);
}

// ---- size ----
function sizes() {
  const files = [];
  const walk = (dir) => readdirSync(`${root}dist/${dir}`, { withFileTypes: true }).forEach((entry) => {
    const name = `${dir}${entry.name}`;
    if (entry.isDirectory()) walk(`${name}/`);
    else files.push(name);
  });
  walk('');
  // The page is what index.html loads: not the single-file copy of it, nor the checksums, nor
  // the precompressed copies (their sizes are the .gz and .br columns).
  return files.filter((name) => !['jwt-signer.html', 'SHA256SUMS'].includes(name) && !/\.(br|gz)$/.test(name)).sort().map((name) => {
    const bytes = readFileSync(`${root}dist/${name}`);
    const size = (suffix) => { try { return readFileSync(`${root}dist/${name}${suffix}`).length; } catch { return null; } };
    return { name: name.replace(/-[0-9a-f]{12,}(?=[._])/, '-HASH'), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, br: size('.br') };
  });
}

// ---- report ----
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const version = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim(); } catch { return 'n/a'; } };
log('# Benchmarks');
log('');
log(`Run by \`make bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
  `${version('rustc', ['--version'])}; Node ${process.version}; ${version('chromium', ['--version'])}; ${version('openssl', ['version'])}.`);
// A run with smaller counts says so at the top (each table also states its own counts).
const knobs = Object.entries(process.env).filter(([name]) => name.startsWith('BENCH_')).map(([name, value]) => `${name}=${value}`);
if (knobs.length) log(`Counts set for this run instead of the defaults (each table states its own): ${knobs.sort().join(' ')}.`);
log('RSA-2048 RS256 with the fixture key; median over ' + SIGNS + ' signs after 20 warm-up signs, in batches of 5. ' +
  'Every implementation in a table signs the same header and claims, and the run checks that they all produce the same token (RS256 is deterministic).');
log('These machines are shared and noisy: read the ratios, measured side by side in one run, not the absolute times.');
log('');

const browser = await launch();
const server = await serve(root);
try {
  const b = await browserBench(browser, server);
  if (!b.same) throw new Error('browser implementations disagree on the token');
  table('Browser: headless Chromium, one page', b.rows, 'WebCrypto');
  const shares = await wasmProfile(browser);
  log('### Where the time goes in the browser');
  log('');
  log('Chromium\'s CPU profiler (100 µs sampling) over 150 signs with `Signer`, on the same wasm with its function names kept.');
  log('');
  log('| part | share |');
  log('|---|---:|');
  for (const [name, share] of shares) log(`| ${name} | ${share.toFixed(1)}% |`);
  log('');
  const cold = await coldStart(browser);
  const [{ ready: coldReady, token: coldToken }] = cold.pages;
  log('### Cold start');
  log('');
  log(`Medians of ${cold.loads} fresh loads each, alternated, with the cache disabled, both moments taken in the page: navigation to the page ready (the form built and its first answer shown) **${fmt(coldReady)} ms**; navigation to the first token when key ID, key and playback ID are pasted (one input event each) as soon as the fields exist **${fmt(coldToken)} ms**.`);
  log('');
  log(`The floor under "ready", in the same run (bench/cold-floor/: the page's CSP, a module worker that instantiates an empty wasm module and answers the first message, nothing else): **${fmt(cold.floor)} ms**.`);
  log('');
  await bulkScale({ log, browser, server });
} finally {
  await browser.close();
  await server.close();
}

const n = await nodeBench();
if (!n.same) throw new Error('Node implementations disagree on the token');
table('Node', n.rows, 'node:crypto (OpenSSL)');

const { rows: native, keyRows } = nativeBench();
const ifma = (() => { try { return / avx512ifma( |$)/m.test(readFileSync('/proc/cpuinfo', 'utf8')); } catch { return false; } })();
table(`Native library (criterion, same process; this CPU ${ifma ? 'has' : 'lacks'} AVX-512 IFMA)`, native, 'openssl sign');
{
  const portable = native.find((r) => r.name.includes('RSA_KERNEL_PORTABLE'));
  const peer = native.find((r) => r.name.includes('OPENSSL_ia32cap'));
  if (ifma && portable && peer) {
    log(`Both without IFMA (what other CPUs run): jwt-signer's portable code ${fmt(portable.ms)} ms against OpenSSL's ${fmt(peer.ms)} ms, **${(portable.ms / peer.ms).toFixed(1)}×**.`);
    log('');
  }
}
table('Native key set-up (read, validated, ready to sign; criterion)', keyRows, 'openssl key parse', 'key');
const cli = cliBench();
log('### CLI, process start to exit');
log('');
log(`\`jwt-signer sign abc123 --token-only\`: **${fmt(cli.cli)} ms** median of ${cli.runs} runs; \`openssl dgst -sha256 -sign\` (a bare signature, no JWT): ${fmt(cli.openssl)} ms.`);
log('');
// `sign --ids` for 100,000 IDs on one thread and on all, against Node loops (bench/scale-cli.mjs).
await cliScale({ log });

const prof = profile();
if (prof) {
  log('### Where the time goes (native, instruction counts)');
  log('');
  log('`valgrind --tool=callgrind` of the CLI signing six tokens; shares of `sign_compact` (the whole token). valgrind\'s virtual CPU has no AVX-512, so this profiles the portable code (60-bit limbs), the path of CPUs without IFMA.');
  log('');
  log('| part | share |');
  log('|---|---:|');
  for (const [name, c] of prof.parts) log(`| ${name} | ${((100 * c) / prof.total).toFixed(1)}% |`);
  log('');
}

// The kernel's constant-time evidence: dudect-style fixed-vs-random timing, |t| per test.
const dudect = spawnSync('cargo', ['run', '--quiet', '--release', '-p', 'rsa-kernel', '--features', 'std', '--example', 'dudect', '20000'], { cwd: root, encoding: 'utf8' });
if (dudect.status !== 0) throw new Error(`dudect failed:\n${dudect.stderr}`);
log('### Constant time: dudect-style timing test of the kernel');
log('');
log('`cargo run --release -p rsa-kernel --features std --example dudect 20000`: a fixed secret against random ones, interleaved at random; Welch\'s |t| above about 4.5 would mean the two classes can be told apart by time (below it, nothing was detected with this many samples: evidence, not proof).');
log('');
log('```');
log(dudect.stdout.trim());
log('```');
log('');

const levels = await optLevels();
log('### wasm opt-level: size and speed together (Node, 100 signs each)');
log('');
log('| opt-level | wasm raw bytes | gzip -9 bytes | median ms/token |');
log('|---|---:|---:|---:|');
for (const r of levels) log(`| ${r.level}${r.level === 'z' ? ' (used)' : ''} | ${r.raw} | ${r.gzip} | ${fmt(r.ms)} |`);
log('');

const size = sizes();
log('### Size of the page (dist/), as transferred with gzip -9 and with dist/\'s own .br');
log('');
log('| file | raw bytes | gzip -9 bytes | .br bytes |');
log('|---|---:|---:|---:|');
for (const r of size) log(`| ${r.name} | ${r.raw} | ${r.gzip} | ${r.br ?? 'n/a'} |`);
log(`| **total** | **${size.reduce((a, r) => a + r.raw, 0)}** | **${size.reduce((a, r) => a + r.gzip, 0)}** | **${size.reduce((a, r) => a + (r.br ?? 0), 0)}** |`);
log('');
const single = readFileSync(`${root}dist/jwt-signer.html`);
log(`The single-file page, \`jwt-signer.html\` (the same page with the wasm inlined as base64): ${single.length} bytes, ${gzipSync(single, { level: 9 }).length} with gzip -9.`);
log('');
const floor = JSON.parse(execFileSync('node', [`${root}bench/size-floor.mjs`], { encoding: 'utf8' }));
const floorBytes = ({ wasmGzip, glueGzip }) => wasmGzip + glueGzip;
const ofGoal = (bytes) => `${((100 * bytes) / 80000).toFixed(0)}% of the 80,000-byte goal`;
log(`The floor under it (\`node bench/size-floor.mjs\`, bench/size-floor/): a wasm built as the page's with only the crates issue 9 keeps ` +
  `(the \`rsa\` crate's key reading and validation, \`pkcs1\`, \`pkcs8\`, \`sha2\`, \`base64\`, \`serde_json\`, \`wasm-bindgen\`), gzip -9 with its JS glue: ` +
  `reading and validating a PEM key and nothing else, ${floorBytes(floor.keyOnly).toLocaleString('en')} bytes (${ofGoal(floorBytes(floor.keyOnly))}); ` +
  `that and signing one token with the \`rsa\` crate's own signing, ${floorBytes(floor.signing).toLocaleString('en')} bytes (${ofGoal(floorBytes(floor.signing))}), ` +
  'before any HTML, CSS, page script or other feature.');
log('');
log('### Where the wasm\'s bytes go, per crate (`node bench/wasm-size.mjs`)');
log('');
log(execFileSync('node', [`${root}bench/wasm-size.mjs`], { encoding: 'utf8' }).trim());
log('');
// Token endpoints (examples/): requests/s and latency per runtime, from their own load run.
const requests = process.env.BENCH_ENDPOINT_REQUESTS ?? '2000';
execFileSync('node', [`${root}bench/endpoints.mjs`, requests, '16'], { stdio: ['ignore', 'inherit', 'inherit'] });
log(readFileSync(`${root}bench/endpoints.md`, 'utf8').trim());
log('');
// The endpoint at scale: with and without its token cache, one process and one per core.
await endpointScale({ log });
writeFileSync(`${root}BENCHMARKS.md`, out.join('\n'));
