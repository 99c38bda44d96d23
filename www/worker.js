// The signer's worker, a thin host of the core's functions: it alone loads the wasm module and
// holds the Signer (the parsed key); it says what the core offers once the module is in, then
// receives a call, runs it and answers (www/protocol.js says how). What to call and what the
// answers mean (the form's options, the results, Bulk's batches) is the page's own
// (www/sign-options.js, www/bulk-runner.js), so no key parsing or signing ever blocks the
// page's main thread.
import init, * as core from '../jwt-signer.js';
import { KIND, NO_KEY, errorData, fatalAnswer, isTrap, outcome, trapAnswer } from './protocol.js';

let signer = null; // the Signer for the current key ID and key, parsed once per change
let wasmSha256 = null; // the hex SHA-256 of the module's bytes, for the page's footer
let wasm = null; // the instance's exports (its memory, for KIND.memory)

const loaded = load();
// Said unasked, in one message, so that the form waits for no round trip: a new worker gets the
// page's first message only once the page's main thread has run a task for the worker's started
// script, behind the page's first style, layout and paint (47 ms after the module was in, in a
// trace of a cold load on 2 cores).
loaded.then(
  () => self.postMessage(described()),
  () => self.postMessage(fatalAnswer(null, 'the signer could not load its WebAssembly module')),
);

/**
 * Loads the module, and hashes the very bytes it compiles, for the page's footer: inlined as
 * base64 by the single-file page (scripts/single-file.mjs), else the response fetched from
 * beside this file (compiled as it streams in; a clone of it is hashed). The digest is
 * WebCrypto's, not the module's own.
 */
async function load() {
  const inlined = globalThis.JWT_SIGNER_INLINE_WASM;
  const source = inlined
    ? Uint8Array.from(atob(inlined), (c) => c.charCodeAt(0))
    : await fetch(new URL('../jwt-signer_bg.wasm', import.meta.url));
  [wasmSha256, wasm] = await Promise.all([
    sha256Hex(inlined ? source : source.clone().arrayBuffer()),
    init({ module_or_path: source }),
  ]);
}

/** The hex SHA-256 of `bytes` (or of the promised bytes); null without WebCrypto (it needs a
 * secure context: https or localhost). */
async function sha256Hex(bytes) {
  if (!crypto.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** KIND.described's message: what the core offers, all the page's form is built from. */
function described() {
  try {
    const tokenTypes = core.tokenTypes();
    const paramSpecs = { common: core.paramSpecs(null) };
    for (const { name } of tokenTypes) paramSpecs[name] = core.paramSpecs(name);
    return {
      kind: KIND.described, ok: true, value: {
        tokenTypes, paramSpecs, defaultExpiration: core.defaultExpiration(),
        viewerCountsTypes: core.viewerCountsTypes(), kidPlacements: core.kidPlacements(),
        keyExportFormats: core.keyExportFormats(), build: { version: core.version(), wasmSha256 },
      },
    };
  } catch (error) {
    return fatalAnswer(null, `the signer could not describe itself: ${errorData(error).message}`);
  }
}

// The core's functions a call may name: its exports, less the loader's own.
const LOADER = new Set(['default', 'initSync', 'Signer']);
const isCoreFunction = (name) => !LOADER.has(name) && Object.hasOwn(core, name) && typeof core[name] === 'function';

/** Runs one call: a core function, or a method (or getter) of the held key. */
function run({ fn, method, args = [] }) {
  if (method !== undefined) {
    if (!signer) return NO_KEY;
    return outcome(() => {
      const member = signer[method];
      if (typeof member !== 'function') return member;
      return member.apply(signer, args);
    });
  }
  if (!isCoreFunction(fn)) return outcome(() => { throw new Error(`no such function: ${fn}`); });
  return outcome(() => core[fn](...args));
}

/** Wipes the held key inside wasm now, and holds `keyText`'s (with `keyId`) if one is given. */
function setKey({ keyId, keyText }) {
  signer?.free();
  signer = null;
  if (keyText == null) return { held: false };
  try {
    signer = new core.Signer(keyId, keyText);
    return { held: true };
  } catch (error) {
    if (isTrap(error)) throw error;
    return { held: false, error: errorData(error) };
  }
}

/** A throwaway RSA-2048 key made by WebCrypto (natively, here in the worker); the core reads its
 * PKCS#8 DER (as base64) and writes it as a PEM. */
async function demoKey() {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true, ['sign', 'verify']);
  const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const key = new core.Signer('throwaway-demo-key', btoa(String.fromCharCode(...der)));
  try {
    return { pem: key.exportKey('pkcs8-pem') };
  } finally {
    key.free();
  }
}

const handlers = {
  [KIND.call]: ({ calls }) => calls.map(run),
  [KIND.setKey]: setKey,
  [KIND.demoKey]: demoKey,
  [KIND.memory]: () => ({ wasmBytes: wasm.memory.buffer.byteLength }),
};

self.onmessage = async ({ data: { id, kind, payload } }) => {
  try {
    await loaded;
  } catch {
    return; // said above, unasked: the client replaces this worker and sends this request again
  }
  try {
    self.postMessage({ id, ok: true, value: await handlers[kind](payload) });
  } catch (error) {
    if (!isTrap(error)) return self.postMessage({ id, ok: false, error: errorData(error) });
    // The instance's memory is undefined now: answer, and end this worker (the client starts a
    // fresh one, with a fresh instance, and hands it the key again).
    self.postMessage(trapAnswer(id));
    self.close();
  }
};
