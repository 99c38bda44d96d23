// What the page and the signer's worker say to each other: the one place that names the message
// kinds and the shape of an answer (imported by www/worker.js, www/signer-client.js and the
// controller, www/main.js). A request is { id, kind, payload }; its answer { id, ok: true,
// value } or { id, ok: false, error, fatal? }. Errors travel as { code, field, message }, the
// core's own; the page places them by `field`.

/** The message kinds: what the worker hosts. */
export const KIND = Object.freeze({
  /**
   * Not a request: the one message the worker posts unasked, as soon as its module is in,
   * { kind: described, ok: true, value } with everything the page's form is built from (the
   * core's types, params, default expiry, version and lists of choices, and the module's hash:
   * www/worker.js's `described`), or a fatal answer (id null) when the module did not load.
   */
  described: 'described',
  /**
   * Runs a list of calls in order, each answered on its own: payload `{ calls }`, each call
   * `{ fn, args }` (a function the core exports) or `{ method, args }` (a method or getter of the
   * held key, a Signer); value: one Outcome per call (see `outcome`, `NO_KEY`).
   */
  call: 'call',
  /** Replaces the held key: payload { keyId, keyText } (keyText null: hold none); value { held,
   * error }. The old key is wiped inside wasm at once. */
  setKey: 'setKey',
  /** A throwaway RSA-2048 key made by WebCrypto in the worker; value { pem } (PKCS#8, written by
   * the core). */
  demoKey: 'demoKey',
  /** The size of the worker's wasm memory; value { wasmBytes } (for the soak test and
   * devtools: it holds no key material). */
  memory: 'memory',
});

/** The error of an answer when the worker cannot run at all (`fatal: true` beside it). */
export function fatalError(message) {
  return { code: 'worker_failed', field: 'options', message };
}

/** A fatal answer: the signer could not load, start, or be understood. */
export function fatalAnswer(id, message) {
  return { id, ok: false, fatal: true, error: fatalError(message) };
}

/**
 * Anything thrown as plain data: the core's error keeps its message, stable `code` and the
 * `field` it concerns; anything else (a bug of the page's own) is shown with the form.
 */
export function errorData(error) {
  return {
    message: String(error?.message ?? error),
    code: error?.code ?? 'page_error',
    field: error?.field ?? 'options',
  };
}

/** Whether `error` is a trap of the wasm instance (after which nothing may run on it). */
export const isTrap = (error) => error instanceof WebAssembly.RuntimeError;

/** One call's outcome: { ok: true, value } or { ok: false, error }. A trap is not an outcome:
 * it is thrown on, for the worker to stop (`trapAnswer`). */
export function outcome(run) {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (isTrap(error)) throw error;
    return { ok: false, error: errorData(error) };
  }
}

/** The answer to the request during which the instance trapped: fatal for the worker (it closes
 * itself), `trapped` so that the client answers this request with the error and sends it no
 * more (it would trap again), and restarts the worker for the rest. */
export function trapAnswer(id) {
  return {
    id, ok: false, fatal: true, trapped: true,
    error: { code: 'signer_trapped', field: 'options', message: 'the signer stopped on an internal error (a WebAssembly trap) and was restarted; this request failed: try again' },
  };
}

/** A `method` call's outcome while no key is held. */
export const NO_KEY = Object.freeze({ ok: false, noKey: true });

/** Whether an outcome is NO_KEY (as it arrives: a copy). */
export const noKey = (result) => result?.noKey === true;
