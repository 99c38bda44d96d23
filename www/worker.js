// The signer's worker: it alone loads the wasm module and holds the Signer (the parsed key).
// The page's main thread only sends what the user typed ({ id, kind, payload }) and renders
// the answers, so no key parsing or signing ever blocks it. Errors travel as
// { code, field, message }, the core's own; the page places them by `field`.
import init, * as core from '../jwt-signer.js';
import { bulkCsv, embedSnippet, pkcs8Pem } from './format.js';

let tokenTypes = []; // the core's token types, read once
let signer = null; // the Signer for the current key ID and key, parsed once per change
let bulkJob = null; // the running bulk job; a newer one, a key change or Clear cancels it
let bulkCache = { version: -1, results: new Map() }; // results by ID for one version of the settings

let build = null; // { version, wasmSha256 }: what the page's footer states

const loaded = load();

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
  const [wasmSha256] = await Promise.all([
    sha256Hex(inlined ? source : source.clone().arrayBuffer()),
    init({ module_or_path: source }),
  ]);
  build = { version: core.version(), wasmSha256 };
  tokenTypes = core.tokenTypes();
}

/** The hex SHA-256 of `bytes` (or of the promised bytes); null without WebCrypto (it needs a
 * secure context: https or localhost). */
async function sha256Hex(bytes) {
  if (!crypto.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const handlers = { meta, key, sign, verify, bulk, demoKey, clear, cancel, diagnose, exportKey };

self.onmessage = async ({ data: { id, kind, payload } }) => {
  try {
    await loaded;
  } catch {
    return self.postMessage({ id, ok: false, fatal: true, error: { code: 'worker_failed', field: 'options', message: 'the signer could not load its WebAssembly module' } });
  }
  try {
    const value = await handlers[kind](payload, id);
    self.postMessage({ id, ok: true, value });
  } catch (error) {
    self.postMessage({ id, ok: false, error: errorOf(error) });
  }
};

/**
 * The core's error as plain data for the page: its message, stable `code` and the `field` it
 * concerns. Anything else thrown here (a bug of the page's own) is shown with the form.
 */
function errorOf(error) {
  return {
    message: String(error?.message ?? error),
    code: error?.code ?? 'page_error',
    field: error?.field ?? 'options',
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/** What the page builds its form from (the core's types, params and default expiry) and its footer. */
function meta() {
  const paramSpecs = { common: core.paramSpecs(null) };
  for (const type of tokenTypes) paramSpecs[type.name] = core.paramSpecs(type.name);
  return { tokenTypes, paramSpecs, defaultExpiration: core.defaultExpiration(), build };
}

function dropKey() {
  bulkJob?.cancel();
  bulkJob = null;
  signer?.free(); // wipes the key inside wasm now
  signer = null;
  bulkCache = { version: -1, results: new Map() };
}

/** Parses a new key (and key ID) once; describes it or says what is wrong. */
function key({ keyId, keyText }) {
  dropKey();
  const result = { info: null, errors: [] };
  if (!keyText.trim()) return result;
  let signerError = null;
  if (keyId.trim()) {
    try {
      signer = new core.Signer(keyId, keyText);
    } catch (error) {
      signerError = error;
    }
  }
  try {
    result.info = signer ? signer.keyInfo() : core.keyInfo(keyText);
  } catch (error) {
    result.errors.push(errorOf(error));
    return result;
  }
  // The key parses, so the Signer refused the key ID.
  if (signerError) result.errors.push(errorOf(signerError));
  // The public halves, for the Sign view's "Key in other formats" (the private forms are
  // written only when asked: see exportKey).
  if (signer) result.publicForms = { pem: signer.exportKey('public-pem'), jwk: signer.exportKey('public-jwk') };
  return result;
}

// The private forms the page offers behind "Show private key as…". Secret text: written only
// on that request, never kept here.
const PRIVATE_FORMS = new Set(['pkcs8-pem', 'pkcs1-pem', 'jwk', 'env']);

/** The held key in one private form, for the page to show once when asked. */
function exportKey({ format }) {
  if (!PRIVATE_FORMS.has(format)) throw { code: 'page_error', field: 'options', message: `no such key format: ${format}` };
  if (!signer) return { needKey: true };
  return { format, text: signer.exportKey(format) };
}

/**
 * The Diagnose view: the core's findings for a URL, snippet or token. Signatures are checked
 * with the public half of the Sign view's key (the Signer held here), and its key ID is the one
 * the tokens should name; the key itself stays in this worker.
 */
function diagnose({ input }) {
  if (!input.trim()) return { empty: true };
  const options = { now: nowSeconds() };
  if (signer) {
    options.publicKey = signer.publicKeyPem();
    options.keyId = signer.keyId;
  }
  return { diagnosis: core.diagnose(input, options), checked: Boolean(signer), keyId: signer?.keyId ?? null };
}

function clear() {
  dropKey();
  return {};
}

function cancel({ target }) {
  if (bulkJob?.id === target) bulkJob.cancel();
  return {};
}

/** Copies own properties one by one, so a "__proto__" claim stays a claim. */
function addClaims(target, source) {
  for (const [name, value] of Object.entries(source)) {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  }
}

/**
 * The sign options from the form: each param field and the custom claims are checked by the
 * core on their own first, so an error names the input the page gave (`param`, `source`).
 */
function readForm(form) {
  const errors = [];
  const checkType = tokenTypes.some((t) => t.name === form.type) ? form.type : null;
  const params = {};
  for (const [name, value] of form.fields) {
    try {
      if (checkType) core.checkParams(checkType, { [name]: value });
      addClaims(params, { [name]: value });
    } catch (error) {
      errors.push({ ...errorOf(error), param: name });
    }
  }
  if (form.custom.trim()) {
    try {
      const custom = core.parseParams(form.custom);
      if (checkType) core.checkParams(checkType, custom);
      addClaims(params, custom);
    } catch (error) {
      errors.push({ ...errorOf(error), source: 'custom' });
    }
  }
  let warnings = [];
  if (!errors.length && checkType) {
    try {
      warnings = core.checkParams(checkType, params);
    } catch (error) {
      errors.push(errorOf(error));
    }
  }
  const timing = { kidIn: form.kidIn };
  if (form.expiresAt !== null) timing.expiresAt = form.expiresAt;
  else if (form.expiration.trim()) timing.expiration = form.expiration;
  let expiry = null;
  try {
    expiry = core.describeExpiry(core.resolveExpiration(timing), nowSeconds());
  } catch (error) {
    errors.push(errorOf(error));
  }
  return { options: { ...timing, params }, errors, warnings, expiry };
}

/** Signs one ID for the form's type: the token, the URL for a table, every URL for the view. */
function signOne(id, form, options) {
  if (form.type === 'player_set') {
    const set = tokenTypes.filter((t) => t.playerSet);
    const tokens = signer.signPlaybackId(id, { ...options, type: set.map((t) => t.name) });
    const playerUrl = core.playerUrl(id, tokens);
    const [first, ...rest] = set;
    return {
      token: tokens[first.tokenKey],
      url: playerUrl,
      urls: [
        ...rest.map((t) => ({ label: t.tokenKey, url: tokens[t.tokenKey] })),
        { label: 'Mux Player URL', url: playerUrl },
        { label: 'Embed', url: embedSnippet(playerUrl) },
      ],
    };
  }
  if (form.type === 'viewer_counts') {
    const token = signer.signViewerCounts(id, { ...options, type: form.idType });
    const urls = core.signedUrls('stats', id, token);
    return { token, url: urls[0]?.url ?? '', urls };
  }
  const token = signer.signPlaybackId(id, { ...options, type: form.type });
  const urls = core.signedUrls(form.type, id, token);
  return { token, url: urls[0]?.url ?? '', urls };
}

/** The Sign view: checks the form, signs, decodes and verifies the token. */
function sign(form) {
  const { options, errors, warnings, expiry } = readForm(form);
  const result = { errors, warnings, expiry, token: null, hasKey: Boolean(signer) };
  if (errors.length || !signer || !form.id.trim()) return result;
  try {
    const { token, urls } = signOne(form.id, form, options);
    Object.assign(result, { token, urls });
  } catch (error) {
    result.errors.push(errorOf(error));
    return result;
  }
  result.decoded = core.decodeToken(result.token);
  try {
    signer.verify(result.token);
    result.verified = true;
  } catch {
    result.verified = false; // never expected: the badge stays hidden
  }
  return result;
}

/** The Verify view: decodes, describes the expiry, checks against a public key or the Signer. */
function verify({ token, publicKey }) {
  if (!token.trim()) return { empty: true, errors: [] };
  let decoded;
  try {
    decoded = core.decodeToken(token);
  } catch (error) {
    return { errors: [errorOf(error)] };
  }
  const expiry = decoded.expiresAt == null ? null : core.describeExpiry(decoded.expiresAt, nowSeconds());
  const result = { decoded, expiry, errors: [], checkedWith: null };
  if (publicKey.trim()) {
    try {
      core.verifyToken(token, publicKey);
      result.checkedWith = 'publicKey';
    } catch (error) {
      result.errors.push(errorOf(error));
    }
  } else if (signer) {
    try {
      signer.verify(token);
      result.checkedWith = 'signer';
    } catch (error) {
      result.errors.push(errorOf(error));
    }
  }
  return result;
}

/**
 * Bulk: signs the IDs it has no result for (results are kept per version of the Sign view's
 * settings, so editing the list signs only what changed), in slices of ~30 ms with a pause
 * between them so newer requests and Cancel get through. Posts the rows the page shows
 * (`render`, indices into `ids`) as they are ready, then the CSV of the whole list.
 */
async function bulk({ ids, render, version, form }, jobId) {
  bulkJob?.cancel();
  const job = { id: jobId, cancelled: false, cancel() { this.cancelled = true; } };
  bulkJob = job;
  if (!signer) return { needKey: true };
  const { options, errors } = readForm(form);
  if (errors.length) return { errors };
  if (bulkCache.version !== version) bulkCache = { version, results: new Map() };
  const cache = bulkCache.results;
  const total = new Set(ids.filter((id) => !cache.has(id))).size;
  let done = 0;
  let rows = [];
  let sliceStart = performance.now();
  const resultFor = (id) => {
    let result = cache.get(id);
    if (!result) {
      try {
        const { token, url } = signOne(id, form, options);
        result = { token, url };
      } catch (error) {
        result = { error: errorOf(error) };
      }
      cache.set(id, result);
      done++;
    }
    return result;
  };
  const sliceOver = () => performance.now() - sliceStart > 30 || rows.length >= 25;
  const flush = async () => {
    self.postMessage({ id: jobId, progress: { rows, done, total } });
    rows = [];
    await pause();
    sliceStart = performance.now();
    return !job.cancelled;
  };
  for (const index of render) {
    rows.push([index, resultFor(ids[index])]);
    if (sliceOver() && !(await flush())) return { cancelled: true };
  }
  for (const id of ids) {
    if (cache.has(id)) continue;
    resultFor(id);
    if (sliceOver() && !(await flush())) return { cancelled: true };
  }
  if (rows.length || total) self.postMessage({ id: jobId, progress: { rows, done, total } });
  // Keep only the current list's results, so IDs typed a character at a time do not pile up.
  bulkCache.results = new Map(ids.map((id) => [id, cache.get(id)]));
  const lines = ids.map((id) => {
    const { token, url, error } = cache.get(id);
    return { id, token, url, error: error?.message };
  });
  const signed = lines.filter((line) => !line.error).length;
  if (bulkJob === job) bulkJob = null;
  return { csv: new Blob([bulkCsv(lines)], { type: 'text/csv' }), signed, total: ids.length };
}

/** A throwaway RSA-2048 key made by WebCrypto (natively, here in the worker), as PKCS#8 PEM. */
async function demoKey() {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true, ['sign', 'verify']);
  return { pem: pkcs8Pem(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))) };
}
