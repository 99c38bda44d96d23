// The signer's worker: it alone loads the wasm module and holds the Signer (the parsed key).
// The page's main thread only sends what the user typed ({ id, kind, payload }) and renders
// the answers, so no key parsing or signing ever blocks it. Errors travel as
// { code, field, message }, the core's own; the page places them by `field`.
import init, * as wasm from '../jwt-signer.js';
import { bulkCsv, embedSnippet, pkcs8Pem } from './format.js';

let core = null; // the JS API (plus the shims below until the lead's additions land)
let tokenTypes = []; // the core's token types, read once
let signer = null; // the Signer for the current key ID and key, parsed once per change
let bulkJob = null; // the running bulk job; a newer one, a key change or Clear cancels it
let bulkCache = { version: -1, results: new Map() }; // results by ID for one version of the settings

const loaded = init().then(() => {
  core = withShims(wasm);
  tokenTypes = core.tokenTypes();
});

const handlers = { meta, key, sign, verify, bulk, demoKey, clear, cancel };

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
    self.postMessage({ id, ok: false, error: errorOf(error, 'options') });
  }
};

/** The core's error as plain data for the page. */
function errorOf(error, contextField) {
  return {
    message: String(error?.message ?? error),
    // TODO(lead): drop the two fallbacks once every Error from the JS API carries .code and
    // .field. Until then the field is the input of the call that threw (never guessed from text).
    code: error?.code ?? 'unknown',
    field: error?.field ?? contextField,
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/** What the page builds its form from: the core's types, params and default expiry. */
function meta() {
  const paramSpecs = { common: core.paramSpecs(null) };
  for (const type of tokenTypes) paramSpecs[type.name] = core.paramSpecs(type.name);
  return { tokenTypes, paramSpecs, defaultExpiration: core.defaultExpiration() };
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
    result.errors.push(errorOf(error, 'keySecret'));
    return result;
  }
  // The key parses, so the Signer refused the key ID.
  if (signerError) result.errors.push(errorOf(signerError, 'keyId'));
  return result;
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
      errors.push({ ...errorOf(error, 'params'), param: name });
    }
  }
  if (form.custom.trim()) {
    try {
      const custom = core.parseParams(form.custom);
      if (checkType) core.checkParams(checkType, custom);
      addClaims(params, custom);
    } catch (error) {
      errors.push({ ...errorOf(error, 'params'), source: 'custom' });
    }
  }
  let warnings = [];
  if (!errors.length && checkType) {
    try {
      warnings = core.checkParams(checkType, params);
    } catch (error) {
      errors.push(errorOf(error, 'params'));
    }
  }
  const timing = { kidIn: form.kidIn };
  if (form.expiresAt !== null) timing.expiresAt = form.expiresAt;
  else if (form.expiration.trim()) timing.expiration = form.expiration;
  let expiry = null;
  try {
    expiry = core.describeExpiry(core.resolveExpiration(timing), nowSeconds());
  } catch (error) {
    errors.push(errorOf(error, form.expiresAt !== null ? 'expiresAt' : 'expiration'));
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
    result.errors.push(errorOf(error, 'playbackId'));
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
    return { errors: [errorOf(error, 'token')] };
  }
  const expiry = decoded.expiresAt === undefined ? null : core.describeExpiry(decoded.expiresAt, nowSeconds());
  const result = { decoded, expiry, errors: [], checkedWith: null };
  if (publicKey.trim()) {
    try {
      core.verifyToken(token, publicKey);
      result.checkedWith = 'publicKey';
    } catch (error) {
      result.errors.push(errorOf(error, 'publicKey'));
    }
  } else if (signer) {
    try {
      signer.verify(token);
      result.checkedWith = 'signer';
    } catch (error) {
      result.errors.push(errorOf(error, 'token'));
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
        result = { error: errorOf(error, 'playbackId') };
      }
      cache.set(id, result);
      done++;
    }
    return result;
  };
  const sliceOver = () => performance.now() - sliceStart > 30 || rows.length >= 100;
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

// TODO(lead): the JS API is gaining defaultExpiration(), tokenTypes(), paramSpecs(null),
// parseParams() and describeExpiry(). Until the built module has them, they are filled in
// here — the one place the page knows anything the core knows — and each shim steps aside
// by itself as soon as the export exists. Delete this function when all five have landed.
function withShims(api) {
  const shimmed = { ...api };
  const coded = (message, code, field) => Object.assign(new Error(message), { code, field });
  shimmed.defaultExpiration = api.defaultExpiration ?? (() => '7d');
  shimmed.tokenTypes = api.tokenTypes ?? (() => [
    { name: 'video', aud: 'v', tokenKey: 'playback-token', playerSet: true },
    { name: 'thumbnail', aud: 't', tokenKey: 'thumbnail-token', playerSet: true },
    { name: 'gif', aud: 'g', tokenKey: 'gif-token', playerSet: false },
    { name: 'storyboard', aud: 's', tokenKey: 'storyboard-token', playerSet: true },
    { name: 'drm_license', aud: 'd', tokenKey: 'drm-token', playerSet: false },
    { name: 'stats', aud: 'playback_id', tokenKey: 'stats-token', playerSet: false },
  ]);
  shimmed.paramSpecs = (type) => {
    if (type !== null) return api.paramSpecs(type);
    try {
      return api.paramSpecs(null);
    } catch {
      return api.paramSpecs('drm_license'); // its params are exactly the common ones
    }
  };
  shimmed.parseParams = api.parseParams ?? ((text) => {
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw coded(`params must be a JSON object: the JSON cannot be read (${error.message})`, 'params_invalid', 'params');
    }
    // The core's own message for JSON that is not an object.
    api.checkParams('stats', value);
    return value;
  });
  shimmed.describeExpiry = api.describeExpiry ?? ((expiresAt, now) => {
    const seconds = expiresAt - now;
    const format = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
    let relative = format.format(Math.round(seconds), 'second');
    for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
      if (Math.abs(seconds) >= size) {
        relative = format.format(Math.round(seconds / size), unit);
        break;
      }
    }
    return { expiresAt, iso: new Date(expiresAt * 1000).toISOString().replace('.000Z', 'Z'), relative, expired: seconds <= 0 };
  });
  return shimmed;
}
