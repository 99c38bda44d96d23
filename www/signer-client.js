// The bridge to the worker (after squoosh's worker-bridge and svgomg's job ids): every request
// carries an id, and belongs to a channel (a flow of the page: "sign", "bulk", …); a newer
// request on a channel supersedes the older one, whose answer is dropped (its promise resolves
// to null). The message kinds and answers are www/protocol.js's.
import { KIND, fatalAnswer } from './protocol.js';

// This script's URL, read as it first runs: the built page is a classic script (no
// import.meta), whose URL is document.currentScript's only while it runs (scripts/bundle.mjs).
const scriptUrl = import.meta.url;

// A request unanswered this long means the worker is gone (it closed, was reclaimed, hangs):
// the slowest real call (a throwaway key's generation, a Bulk batch on a slow phone) takes a few
// seconds. Tests shorten it (globalThis.JWT_SIGNER_DEADLINE_MS, read as a client starts).
const DEADLINE_MS = 15_000;
// More restarts than this within RESTART_WINDOW_MS and the client stops instead of looping.
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/**
 * A client of one signer worker that survives the worker: every request has a deadline, and on
 * the worker's `error`, a fatal answer or a missed deadline it terminates the worker, starts a
 * new one, hands it the last key it was given (kept only in this page's memory, as the form
 * holds it) and sends again what was unanswered, so a Bulk run goes on from its first unsigned
 * batch. A request that made the worker trap is answered with an error instead (it would trap
 * again). After MAX_RESTARTS within a minute it stops and says why. `name` names its thread
 * (devtools, tests); `onRestart(reason)` hears each restart, `onFail(message)` the stop.
 */
export function createSignerClient({ name = 'signer', onFail = () => {}, onRestart = () => {} } = {}) {
  const deadlineMs = Number(globalThis.JWT_SIGNER_DEADLINE_MS) || DEADLINE_MS;
  let worker = null;
  let nextId = 0;
  const pending = new Map(); // id → { resolve, message, timer }
  const latest = new Map(); // channel → id of the newest request
  const flows = new Map(); // channel → the newest flow's token
  let failure = null;
  let heldKey = null; // the last setKey's payload while it holds a key, to hand a new worker
  const restarts = []; // times of the recent restarts
  let describe; // resolves `described`
  const described = new Promise((resolve) => { describe = resolve; });

  function start() {
    const mine = new Worker(...workerScript(name));
    worker = mine;
    const ours = (handler) => (event) => { if (worker === mine) handler(event); };
    mine.addEventListener('message', ours(({ data }) => answered(data)));
    mine.addEventListener('error', ours((event) => {
      event.preventDefault();
      restart('it stopped with an error');
    }));
    mine.addEventListener('messageerror', ours(() => restart('it sent a message this page cannot read')));
  }

  function answered(data) {
    if (data.kind === KIND.described) return describe(data);
    const entry = pending.get(data.id);
    if (data.fatal) {
      // The worker cannot go on (its module did not load, or it trapped and closed itself).
      if (data.trapped && entry) settle(data.id, { id: data.id, ok: false, error: data.error });
      restart(data.error?.message ?? 'it failed');
      return;
    }
    if (entry) settle(data.id, data);
  }

  function settle(id, answer) {
    const entry = pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(id);
    entry.resolve(answer);
  }

  function post(id) {
    const entry = pending.get(id);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => restart('it did not answer in time'), deadlineMs);
    worker.postMessage(entry.message);
  }

  function fail(message) {
    if (failure) return;
    failure = message;
    worker?.terminate();
    for (const [id, entry] of pending) {
      clearTimeout(entry.timer);
      entry.resolve(fatalAnswer(id, message));
    }
    pending.clear();
    heldKey = null;
    describe(fatalAnswer(null, message));
    onFail(message);
  }

  /** Replaces the worker: a new one gets the held key, then every unanswered request again. */
  function restart(reason) {
    if (failure) return;
    const now = Date.now();
    while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      fail(`the signer stopped ${MAX_RESTARTS + 1} times within a minute (last: ${reason}); reload the page`);
      return;
    }
    restarts.push(now);
    worker?.terminate();
    start();
    if (heldKey) worker.postMessage({ id: 0, kind: KIND.setKey, payload: heldKey });
    for (const id of [...pending.keys()].sort((x, y) => x - y)) post(id);
    onRestart(reason);
  }

  start();
  // For tests and devtools: how often it restarted, the size of its wasm memory (a promise of
  // bytes), and a way to end the worker as a browser reclaiming it would (no message, no
  // event). Holds no key material.
  (globalThis.jwtSignerClients ??= []).push(Object.freeze({
    name,
    get restarts() { return restarts.length; },
    wasmBytes: async () => (await request(KIND.memory, null, 'memory'))?.value?.wasmBytes ?? null,
    terminate: () => worker.terminate(),
  }));

  /** Drops the newest request on `channel`: its promise resolves to null. */
  function supersede(channel) {
    const id = latest.get(channel);
    latest.delete(channel);
    if (pending.has(id)) settle(id, null);
  }

  /** Sends a request; resolves to { ok, value | error } or to null when superseded. */
  function request(kind, payload, channel = kind) {
    if (failure) return Promise.resolve(fatalAnswer(null, failure));
    supersede(channel);
    const id = ++nextId;
    latest.set(channel, id);
    if (kind === KIND.setKey) heldKey = payload?.keyText == null ? null : payload;
    const done = new Promise((resolve) => pending.set(id, { resolve, message: { id, kind, payload }, timer: null }));
    post(id);
    return done.then((answer) => {
      if (latest.get(channel) === id) latest.delete(channel);
      return answer;
    });
  }

  return {
    request,
    /** What the core offers (KIND.described's value), as the first worker to load said it:
     * resolves to { ok: true, value }, or to a fatal answer once the client stopped. */
    described,
    /**
     * Starts a flow on `channel` (superseding the one before): a function that runs a list of
     * core calls (KIND.call) and resolves to their outcomes, or throws Superseded once a newer
     * flow or cancel(channel) has come. A fatal answer throws Fatal.
     */
    flow(channel) {
      const token = {};
      flows.set(channel, token);
      supersede(channel);
      const current = () => flows.get(channel) === token;
      const send = async (kind, payload) => {
        if (!current()) throw new Superseded();
        const answer = await request(kind, payload, channel);
        if (!answer || !current()) throw new Superseded();
        if (!answer.ok) throw new Fatal(answer.error, Boolean(answer.fatal));
        return answer.value;
      };
      return {
        /** The outcomes of `calls`, in order. */
        calls: (calls) => send(KIND.call, { calls }),
        /** The outcome of one call. */
        call: async (call) => (await send(KIND.call, { calls: [call] }))[0],
        /** Any other request of the protocol, on this flow. */
        send,
        current,
      };
    },
    /** Cancels the newest flow or request on `channel` (e.g. the Bulk view's Cancel button). */
    cancel(channel) {
      flows.delete(channel);
      supersede(channel);
    },
  };
}

/** Thrown into a flow that a newer one (or a cancel) replaced: it stops, showing nothing. */
export class Superseded extends Error {}

/** Thrown into a flow when the worker answered with an error rather than outcomes. */
export class Fatal extends Error {
  constructor(error, fatal) {
    super(error.message);
    this.error = error;
    this.fatal = fatal;
  }
}

/** The worker's script and its kind: the module beside this file or, in the single-file page
 * (dist/jwt-signer.html, built by scripts/single-file.mjs), the text of its inert
 * <script type="text/plain"> as a blob: URL, a classic script (Chromium starts no module worker
 * from a blob: URL made in a file:// page). */
function workerScript(name) {
  const inlined = document.getElementById('signer-worker-code');
  if (!inlined) return [new URL('./worker.js', scriptUrl), { type: 'module', name }];
  const blob = new Blob([inlined.textContent], { type: 'text/javascript' });
  return [URL.createObjectURL(blob), { type: 'classic', name }];
}
