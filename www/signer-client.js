// The bridge to the worker (after squoosh's worker-bridge and svgomg's job ids): every request
// carries an id, and belongs to a channel (a flow of the page: "sign", "bulk", …); a newer
// request on a channel supersedes the older one, whose answer is dropped (its promise resolves
// to null). The message kinds and answers are www/protocol.js's.
import { KIND, fatalAnswer } from './protocol.js';

// This script's URL, read as it first runs: the built page is a classic script (no
// import.meta), whose URL is document.currentScript's only while it runs (scripts/bundle.mjs).
const scriptUrl = import.meta.url;

/** A client of one signer worker; `name` names its thread (devtools, tests), `onFail(message)`
 * hears once that the worker cannot go on (the pool, www/signer-pool.js, listens). */
export function createSignerClient({ name = 'signer', onFail = () => {} } = {}) {
  const worker = new Worker(...workerScript(name));
  let nextId = 0;
  const pending = new Map(); // id → resolve
  const latest = new Map(); // channel → id of the newest request
  const flows = new Map(); // channel → the newest flow's token
  let failure = null;

  worker.addEventListener('message', ({ data }) => {
    const resolve = pending.get(data.id);
    if (!resolve) return;
    pending.delete(data.id);
    resolve(data);
  });
  const fail = (message) => {
    if (failure) return;
    failure = message;
    for (const [id, resolve] of pending) resolve(fatalAnswer(id, message));
    pending.clear();
    onFail(message);
  };
  worker.addEventListener('error', (event) => { event.preventDefault(); fail('the signer could not start in this browser'); });
  worker.addEventListener('messageerror', () => fail('the signer sent a message this page cannot read'));

  /** Drops the newest request on `channel`: its promise resolves to null. */
  function supersede(channel) {
    const id = latest.get(channel);
    const resolve = pending.get(id);
    latest.delete(channel);
    if (!resolve) return;
    pending.delete(id);
    resolve(null);
  }

  /** Sends a request; resolves to { ok, value | error } or to null when superseded. */
  function request(kind, payload, channel = kind) {
    if (failure) return Promise.resolve(fatalAnswer(null, failure));
    supersede(channel);
    const id = ++nextId;
    latest.set(channel, id);
    const done = new Promise((resolve) => pending.set(id, resolve));
    worker.postMessage({ id, kind, payload });
    return done.then((answer) => {
      if (latest.get(channel) === id) latest.delete(channel);
      return answer;
    });
  }

  return {
    request,
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
