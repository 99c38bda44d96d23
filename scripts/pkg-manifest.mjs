// Writes pkg/package.json for the wasm-bindgen output, with the crate's version.
import { readFileSync, writeFileSync } from 'node:fs';

const cargo = readFileSync('Cargo.toml', 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "(.*)"`, 'm'))[1];
const manifest = {
  name: 'jwt-signer',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  type: 'module',
  main: 'jwt_signer.js',
  types: 'jwt_signer.d.ts',
  files: ['jwt_signer.js', 'jwt_signer.d.ts', 'jwt_signer_bg.wasm', 'jwt_signer_bg.wasm.d.ts'],
  sideEffects: false,
  engines: { node: '>=20' },
};
writeFileSync('pkg/package.json', JSON.stringify(manifest, null, 2) + '\n');
