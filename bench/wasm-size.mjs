// Where the page's wasm bytes go, per crate (twiggy's job; twiggy itself is not installed on
// these machines). Builds the shipped module again with its function names kept: the same
// cargo output, wasm-bindgen, then wasm-opt with Trunk's flags (-Oz) plus -g for the name
// section. Each function body's size in the code section is charged to the crate its name
// starts with (see crateOf); functions without a Rust path for a name (memcpy, wasm-bindgen's
// shims) go to "(no crate)". Data is reported as one line. Prints a Markdown table.
//
//   node bench/wasm-size.mjs [path/to/jwt_signer.wasm]   (default: the wasm-release build)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const input = process.argv[2] ?? 'target/wasm32-unknown-unknown/wasm-release/jwt_signer.wasm';

/** The shipped module, with names: wasm-bindgen then wasm-opt -Oz -g (Trunk's data-wasm-opt="z"). */
function namedBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-size-'));
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', dir, input]);
    const out = join(dir, 'named.wasm');
    execFileSync('wasm-opt', ['-Oz', '-g', '--strip-dwarf', '--strip-producers', join(dir, 'jwt_signer_bg.wasm'), '-o', out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sections of a module, and per function (by index) its body size and name. */
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
  let data = 0;
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
        bodies.push(size);
        p += size;
      }
    } else if (id === 11) {
      data = length;
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
  return { functions: bodies.map((size, i) => ({ size, name: names.get(i + imports) ?? '' })), data };
}

/**
 * The crate a function belongs to, from its demangled name (wasm-bindgen and wasm-opt keep
 * names demangled): the first path's crate, `rsa` for `rsa::key::…` and for
 * `<rsa::key::RsaPrivateKey as core::…>::…`; drop glue (`core::ptr::drop_in_place<T>`) goes to
 * T's crate. Null for names that are not Rust paths.
 */
function crateOf(name) {
  const glue = name.match(/^core::ptr::drop_in_place<(.*)>::h[0-9a-f]{16}$/);
  const path = (glue ? glue[1] : name).replace(/^[<&*\s]+|^(?:impl|dyn|mut|const)\s+/g, '').replace(/^<+/, '');
  return path.match(/^([a-z_][a-z0-9_]*)::/)?.[1] ?? null;
}

const shipped = namedBuild();
const { functions, data } = parse(shipped);
const perCrate = new Map();
for (const { size, name } of functions) {
  const crate = crateOf(name) ?? '(no crate)';
  const entry = perCrate.get(crate) ?? { bytes: 0, functions: 0 };
  entry.bytes += size;
  entry.functions += 1;
  perCrate.set(crate, entry);
}
const code = functions.reduce((sum, f) => sum + f.size, 0);
const rows = [...perCrate].sort((a, b) => b[1].bytes - a[1].bytes);
console.log(`module with names ${(shipped.length / 1024).toFixed(0)} KB; code ${(code / 1024).toFixed(0)} KB; data ${(data / 1024).toFixed(0)} KB\n`);
console.log('| crate | code KB | share | functions |\n|---|---|---|---|');
for (const [crate, { bytes, functions: n }] of rows) {
  if (bytes / code < 0.005) continue;
  console.log(`| ${crate} | ${(bytes / 1024).toFixed(1)} | ${((100 * bytes) / code).toFixed(1)}% | ${n} |`);
}
const small = rows.filter(([, { bytes }]) => bytes / code < 0.005);
console.log(`| ${small.length} others | ${(small.reduce((s, [, e]) => s + e.bytes, 0) / 1024).toFixed(1)} | | |`);
