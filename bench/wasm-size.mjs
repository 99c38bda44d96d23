// Where the page's wasm bytes go, per crate (twiggy's job, done here without it). Builds the
// shipped module again with its function names kept: the same cargo output, wasm-bindgen, then
// wasm-opt with Trunk's flags (-Oz --low-memory-unused) plus -g for the name section. Each
// function body's size in the code section is charged to the crate its name starts with (see
// crateOf); wasm-bindgen's export shims, into which wasm-opt inlines the exported functions'
// bodies, are one line; names that are no Rust path (memcpy) go to "(no crate)". Besides the
// raw bytes, each crate's gzip share: how much smaller the gzipped code and data get without
// its bodies (what it costs on the wire, given everything else). Data is one line. Prints a
// Markdown table.
//
//   node bench/wasm-size.mjs [path/to/jwt_signer.wasm]   (default: the wasm-release build)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const input = process.argv[2] ?? 'target/wasm32-unknown-unknown/wasm-release/jwt_signer.wasm';

/** The shipped module, with names: wasm-bindgen then wasm-opt -Oz -g (Trunk's data-wasm-opt="z"). */
function namedBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-size-'));
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', dir, input]);
    const out = join(dir, 'named.wasm');
    execFileSync('wasm-opt', ['-Oz', '--low-memory-unused', '-g', '--strip-dwarf', '--strip-producers', join(dir, 'jwt_signer_bg.wasm'), '-o', out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sections of a module: per function (by index) its body and name, and the data section. */
function parse(bytes) {
  let p = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const name = () => {
    const length = leb();
    p += length;
    return bytes.subarray(p - length, p).toString();
  };
  let imports = 0;
  const bodies = [];
  const names = new Map();
  let data = new Uint8Array(0);
  while (p < bytes.length) {
    const id = bytes[p++];
    const length = leb();
    const end = p + length;
    if (id === 2) { // imports: function imports take the first indices
      for (let n = leb(); n > 0; n--) {
        name();
        name();
        const kind = bytes[p++];
        if (kind === 0) { leb(); imports++; } else if (kind === 1) { p++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else { p += 2; }
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const size = leb();
        bodies.push(bytes.subarray(p, p + size));
        p += size;
      }
    } else if (id === 11) {
      data = bytes.subarray(p, end);
    } else if (id === 0 && name() === 'name') {
      while (p < end) {
        const sub = bytes[p++];
        const subEnd = leb() + p;
        if (sub === 1) for (let n = leb(); n > 0; n--) { const index = leb(); names.set(index, name()); }
        p = subEnd;
      }
    }
    p = end;
  }
  return { functions: bodies.map((body, i) => ({ body, name: names.get(i + imports) ?? '' })), data };
}

/**
 * The crate a function belongs to, from its demangled name (wasm-bindgen and wasm-opt keep
 * names demangled): the first path's crate, `rsa` for `rsa::key::…` and for
 * `<rsa::key::RsaPrivateKey as core::…>::…`; the trait's crate where the type is no path
 * (`<f64 as core::fmt::Display>::fmt`, `<T as der::Decode>::decode`); `core` for the methods of
 * primitive types (`<char>::…`); the standard library's `core[5930c85a…]` is `core`; drop glue
 * (`core::ptr::drop_in_place<T>`) goes to T's crate. Null for names that are not Rust paths.
 */
function crateOf(name) {
  if (/ shim$/.test(name)) return '(wasm-bindgen export shims, exports inlined)';
  const glue = name.match(/^core::ptr::drop_in_place<(.*)>::h[0-9a-f]{16}$/);
  const path = (glue ? glue[1] : name).replace(/\[[0-9a-f]{16}\]/g, '');
  if (/^<(?:bool|char|str|[iuf](?:8|16|32|64|128|size))>::/.test(path)) return 'core';
  const qualified = path.match(/^<(.*?) as ([a-z_][a-z0-9_]*)::/);
  const type = (qualified ? qualified[1] : path).replace(/^(?:[<&*[\s]|(?:impl|dyn|mut|const)\s)+/, '');
  return type.match(/^([a-z_][a-z0-9_]*)::/)?.[1] ?? qualified?.[2] ?? null;
}

const shipped = namedBuild();
const { functions, data } = parse(shipped);
const gzip = (parts) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
const perCrate = new Map();
for (const f of functions) {
  const crate = crateOf(f.name) ?? '(no crate)';
  const entry = perCrate.get(crate) ?? { bytes: 0, bodies: new Set() };
  entry.bytes += f.body.length;
  entry.bodies.add(f);
  perCrate.set(crate, entry);
}
const code = functions.reduce((sum, f) => sum + f.body.length, 0);
const whole = gzip([...functions.map((f) => f.body), data]);
const withoutCrate = ({ bodies }) => whole - gzip([...functions.filter((f) => !bodies.has(f)).map((f) => f.body), data]);
const kb = (bytes) => (bytes / 1024).toFixed(1);
const rows = [...perCrate].sort((a, b) => b[1].bytes - a[1].bytes);
console.log(`module with names ${(shipped.length / 1024).toFixed(0)} KB; code ${(code / 1024).toFixed(0)} KB; data ${(data.length / 1024).toFixed(0)} KB (${kb(whole - gzip(functions.map((f) => f.body)))} KB of the gzip)\n`);
console.log('| crate | code KB | share | gzip KB | functions |\n|---|---:|---:|---:|---:|');
for (const [crate, entry] of rows) {
  if (entry.bytes / code < 0.005) continue;
  console.log(`| ${crate} | ${kb(entry.bytes)} | ${((100 * entry.bytes) / code).toFixed(1)}% | ${kb(withoutCrate(entry))} | ${entry.bodies.size} |`);
}
const small = rows.filter(([, { bytes }]) => bytes / code < 0.005);
const smallBodies = new Set(small.flatMap(([, e]) => [...e.bodies]));
console.log(`| ${small.length} others | ${kb(small.reduce((s, [, e]) => s + e.bytes, 0))} | | ${kb(withoutCrate({ bodies: smallBodies }))} | ${smallBodies.size} |`);
