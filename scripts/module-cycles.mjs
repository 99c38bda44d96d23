#!/usr/bin/env node
// Builds the graph of `crate::` references between the library's modules (src/**/*.rs, not
// src/bin or src/main.rs) and exits 1 printing a cycle if there is one. No dependencies.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const src = new URL('../src/', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(src, path);
    if (rel === 'bin' || rel === 'main.rs') continue;
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.rs')) files.push(rel);
  }
})(src);

// A file's module path: lib.rs is the root, a/mod.rs is a, a/b.rs is a::b.
const moduleOf = (rel) => rel.replace(/\.rs$/, '').replace(/(^|\/)(mod|lib)$/, '').split('/').filter(Boolean).join('::') || 'crate';
const modules = new Set(files.map(moduleOf));
// The longest known module a path names (crate::a::b::Item → a::b); top-level items → crate.
const target = (segments) => {
  for (let n = segments.length; n > 0; n--) {
    const m = segments.slice(0, n).join('::');
    if (modules.has(m)) return m;
  }
  return reexports.get(segments[0]) ?? 'crate';
};

// The crate root's re-exports (`pub use a::{X, Y};` in lib.rs): `crate::X` depends on `a`.
const reexports = new Map();
const lib = readFileSync(join(src, 'lib.rs'), 'utf8').replace(/\/\/.*$/gm, '');
for (const m of lib.matchAll(/\bpub use ([A-Za-z_]\w*)::(\{)?/g)) {
  const items = m[2] ? expand(lib, m.index + m[0].length) : [[lib.slice(m.index + m[0].length).match(/^\w+/)[0]]];
  for (const path of items) reexports.set(path[path.length - 1], m[1]);
}

/** The paths in a use tree's braces, `text` read from just after its `{`: `a::{B, c::D}, E`. */
function expand(text, at) {
  const paths = [];
  let prefix = [];
  const stack = [];
  let word = '';
  const flush = () => {
    if (word) paths.push([...prefix, word]);
    word = '';
  };
  for (let i = at; i < text.length; i++) {
    const ch = text[i];
    if (/\w/.test(ch)) word += ch;
    else if (ch === ':' && text[i + 1] === ':') {
      prefix = [...prefix, word];
      word = '';
      i++;
    } else if (ch === '{') {
      stack.push(prefix.length);
    } else if (ch === ',' || ch === '}') {
      flush();
      if (ch === '}') {
        if (!stack.length) break;
        prefix = prefix.slice(0, stack.pop());
      }
      // After a `,`, drop the path segments of the finished item back to the enclosing brace.
      prefix = prefix.slice(0, stack.length ? stack[stack.length - 1] : 0);
    }
  }
  return paths.filter((p) => p.every(Boolean) && p[p.length - 1] !== 'self' ? true : p.length > 1).map((p) => (p[p.length - 1] === 'self' ? p.slice(0, -1) : p));
}

const edges = new Map([...modules].map((m) => [m, new Set()]));
for (const rel of files) {
  const from = moduleOf(rel);
  // Code only: drop line comments (docs name paths in links that are no dependency).
  const text = readFileSync(join(src, rel), 'utf8').replace(/\/\/.*$/gm, '');
  const add = (segments) => {
    const to = target(segments);
    // A module reaching into its own children or the crate root's re-exports is no cycle edge
    // unless it names another module.
    if (to !== from && to !== 'crate' && !to.startsWith(`${from}::`)) edges.get(from).add(to);
  };
  // `use crate::{a::{X, Y}, b::Z};` (any nesting) and `crate::a::f()` alike.
  for (const m of text.matchAll(/\bcrate::((?:[A-Za-z_]\w*::)*)(\{|[A-Za-z_]\w*)/g)) {
    const head = m[1].split('::').filter(Boolean);
    if (m[2] !== '{') add([...head, m[2]]);
    else for (const path of expand(text, m.index + m[0].length)) add([...head, ...path]);
  }
  // `use super::x` from a child module.
  for (const m of text.matchAll(/\bsuper::([A-Za-z_]\w*)/g)) {
    const parent = from.split('::').slice(0, -1);
    add([...parent, m[1]]);
  }
}

// Depth-first search for a back edge.
const state = new Map();
const stack = [];
let cycle = null;
const visit = (m) => {
  state.set(m, 'open');
  stack.push(m);
  for (const to of [...edges.get(m)].sort()) {
    if (cycle) return;
    if (state.get(to) === 'open') cycle = [...stack.slice(stack.indexOf(to)), to];
    else if (!state.has(to)) visit(to);
  }
  stack.pop();
  state.set(m, 'done');
};
for (const m of [...modules].sort()) if (!cycle && !state.has(m)) visit(m);

const count = [...edges.values()].reduce((n, s) => n + s.size, 0);
if (cycle) {
  console.log(`module cycle: ${cycle.join(' -> ')}`);
  process.exit(1);
}
console.log(`no module cycle among ${modules.size} modules (${count} edges)`);
