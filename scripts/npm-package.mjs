// Turns wasm-bindgen's `--target web` output in pkg/ into the npm package `jwt-signer`: one
// entry per kind of runtime (npm/*.mjs, chosen by the `exports` conditions below), the types,
// the registry README and the licences. `make pkg` runs it; `make pack` packs pkg/.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';

const pkg = (file) => `pkg/${file}`;
const cargo = readFileSync('Cargo.toml', 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "(.*)"`, 'm'))[1];

let glue = readFileSync(pkg('jwt_signer.js'), 'utf8');
/** Replaces the one `line` of the glue, or fails the build if it is not there exactly once. */
function patchGlue(line, replacement) {
  if (glue.split(line).length !== 2) throw new Error(`npm-package: expected one "${line}" in the glue`);
  glue = glue.replace(line, replacement);
}
// Next.js's Edge runtime hands over a WebAssembly.Module from another realm, which fails the
// glue's `instanceof` check and is then taken for bytes; accept any realm's Module.
patchGlue('if (!(module instanceof WebAssembly.Module)) {',
  "if (!(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) !== '[object WebAssembly.Module]') {");
// No entry calls the glue's async init without a module; its default, a URL beside the glue,
// would make Vite and webpack emit a second, unused copy of the wasm.
patchGlue("module_or_path = new URL('jwt_signer_bg.wasm', import.meta.url);",
  "throw new Error(\"jwt-signer: import the package ('jwt-signer'), which loads the wasm itself\");");
// A trap (WebAssembly.RuntimeError) leaves an instance's memory and allocator undefined, so
// nothing may run on it again: every export is guarded, a trap replaces the instance with a
// fresh one from the same module (npm/recover.js), and a Signer made on a replaced instance
// refuses to run (its pointer means nothing in the new memory) and is never freed into it.
patchGlue('    wasm = instance.exports;', '    wasm = __jwt_recover.guard(instance.exports);');
patchGlue('        this.__wbg_ptr = ret[0];\n        SignerFinalization.register(this, this.__wbg_ptr, this);',
  '        this.__wbg_ptr = ret[0];\n        this.__wbg_instance = wasmInstance;\n        SignerFinalization.register(this, { ptr: this.__wbg_ptr, instance: wasmInstance }, this);');
patchGlue('    : new FinalizationRegistry(ptr => wasm.__wbg_signer_free(ptr, 1));',
  '    : new FinalizationRegistry(({ ptr, instance }) => { if (instance === wasmInstance) __jwt_recover.quietly(() => wasm.__wbg_signer_free(ptr, 1)); });');
patchGlue('if (Symbol.dispose) Signer.prototype[Symbol.dispose] = Signer.prototype.free;',
  '__jwt_recover.guardMethods(Signer, () => SignerFinalization);\nif (Symbol.dispose) Signer.prototype[Symbol.dispose] = Signer.prototype.free;');
// At the top (after the types comment Deno reads): the class below is guarded as it is defined.
patchGlue('/* @ts-self-types="./jwt_signer.d.ts" */\n', [
  '/* @ts-self-types="./jwt_signer.d.ts" */',
  "import { recovery as __jwtRecovery } from './recover.js';",
  'const __jwt_recover = __jwtRecovery(',
  '  () => __wbg_finalize_init(new WebAssembly.Instance(wasmModule, __wbg_get_imports()), wasmModule),',
  '  () => wasmInstance);',
  '',
].join('\n'));
writeFileSync(pkg('jwt_signer.js'), glue);

// The wasm as base64 for index.mjs, so that no bundler needs an asset rule and no runtime a path.
const wasm = readFileSync(pkg('jwt_signer_bg.wasm'));
writeFileSync(pkg('jwt_signer_bg.wasm.base64.js'),
  `// jwt_signer_bg.wasm, base64 (written by scripts/npm-package.mjs).\nexport const wasmBase64 = '${wasm.toString('base64')}';\n`);

for (const file of ['index.mjs', 'workerd.mjs', 'edge.mjs', 'mux-jwt.js', 'recover.js', 'index.d.ts', 'README.md']) {
  copyFileSync(`npm/${file}`, pkg(file));
}
copyFileSync('LICENSE-MIT', pkg('LICENSE-MIT'));
copyFileSync('LICENSE-APACHE', pkg('LICENSE-APACHE'));

// `require('jwt-signer')`: the glue and the drop-in bundled as CommonJS (one file), with
// CommonJS copies of the declarations.
copyFileSync('npm/node-cjs.mjs', pkg('node-cjs.mjs'));
buildSync({
  entryPoints: [pkg('node-cjs.mjs')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: pkg('node.cjs'),
  logLevel: 'error',
  legalComments: 'none',
});
rmSync(pkg('node-cjs.mjs'));
// `Signer` declares `[Symbol.dispose]`: name the lib that types it, so that a project on an
// older `lib` (es2022) needs no `skipLibCheck`.
const declarations = readFileSync(pkg('jwt_signer.d.ts'), 'utf8');
const withLib = declarations.startsWith('/// <reference lib') ? declarations
  : `/// <reference lib="esnext.disposable" />\n${declarations}`;
writeFileSync(pkg('jwt_signer.d.ts'), withLib);
writeFileSync(pkg('jwt_signer.d.cts'), withLib);
writeFileSync(pkg('index.d.cts'), readFileSync('npm/index.d.ts', 'utf8').replaceAll("'./jwt_signer.js'", "'./jwt_signer.cjs'"));
// Its declarations would make TypeScript refuse the Workers' `import wasm from '….wasm'`.
rmSync(pkg('jwt_signer_bg.wasm.d.ts'), { force: true });

const esm = (entry) => ({ types: './index.d.ts', default: entry });
const manifest = {
  name: 'jwt-signer',
  version: field('version'),
  description: field('description'),
  keywords: ['mux', 'jwt', 'rs256', 'signed-playback', 'webassembly', 'cloudflare-workers', 'edge'],
  license: field('license'),
  type: 'module',
  exports: {
    '.': {
      workerd: esm('./workerd.mjs'),
      'edge-light': esm('./edge.mjs'),
      require: { types: './index.d.cts', default: './node.cjs' },
      // Named for the tools that look for them; all take the same entry.
      deno: esm('./index.mjs'),
      bun: esm('./index.mjs'),
      node: esm('./index.mjs'),
      browser: esm('./index.mjs'),
      import: esm('./index.mjs'),
      default: esm('./index.mjs'),
    },
    './package.json': './package.json',
  },
  main: './node.cjs',
  module: './index.mjs',
  types: './index.d.ts',
  files: [
    'index.mjs', 'edge.mjs', 'node.cjs', 'workerd.mjs', 'mux-jwt.js', 'recover.js',
    'jwt_signer.js', 'jwt_signer_bg.wasm', 'jwt_signer_bg.wasm.base64.js',
    'index.d.ts', 'index.d.cts', 'jwt_signer.d.ts', 'jwt_signer.d.cts',
    'README.md', 'LICENSE-MIT', 'LICENSE-APACHE',
  ],
  // The entries compile the wasm when imported: a bundler must keep them.
  sideEffects: ['./index.mjs', './edge.mjs', './node.cjs', './workerd.mjs'],
  engines: { node: '>=20' },
};
writeFileSync(pkg('package.json'), JSON.stringify(manifest, null, 2) + '\n');
