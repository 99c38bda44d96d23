// The bridge to the worker (after squoosh's worker-bridge and svgomg's job ids): every request
// carries an id; a newer request of the same kind supersedes the older one, whose answer is
// dropped (its promise resolves to null). Progress messages of the latest job go to onProgress.

// This script's URL, read as it first runs: the built page is a classic script (no
// import.meta), whose URL is document.currentScript's only while it runs (scripts/bundle.mjs).
const scriptUrl = import.meta.url;

export function createSignerClient() {
  const worker = new Worker(...workerScript());
  let nextId = 0;
  const pending = new Map(); // id → { kind, resolve, onProgress }
  const latest = new Map(); // kind → id of the newest request
  let failure = null;

  worker.addEventListener('message', ({ data }) => {
    const job = pending.get(data.id);
    if (!job) return;
    if (data.progress) {
      job.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.id);
    job.resolve(data);
  });
  const fail = (message) => {
    failure = message;
    for (const job of pending.values()) job.resolve({ ok: false, fatal: true, error: { code: 'worker_failed', field: 'options', message } });
    pending.clear();
  };
  worker.addEventListener('error', (event) => { event.preventDefault(); fail('the signer could not start in this browser'); });
  worker.addEventListener('messageerror', () => fail('the signer sent a message this page cannot read'));

  /** Drops the newest job of `kind`: its promise resolves to null and the worker is told. */
  function supersede(kind) {
    const id = latest.get(kind);
    const job = pending.get(id);
    if (!job) return;
    pending.delete(id);
    latest.delete(kind);
    job.resolve(null);
    if (kind === 'bulk') worker.postMessage({ id: ++nextId, kind: 'cancel', payload: { target: id } });
  }

  return {
    /** Sends a request; resolves to { ok, value | error } or to null when superseded. */
    request(kind, payload = {}, { onProgress } = {}) {
      if (failure) return Promise.resolve({ ok: false, fatal: true, error: { code: 'worker_failed', field: 'options', message: failure } });
      supersede(kind);
      const id = ++nextId;
      latest.set(kind, id);
      const done = new Promise((resolve) => pending.set(id, { kind, resolve, onProgress }));
      worker.postMessage({ id, kind, payload });
      return done.then((answer) => {
        if (latest.get(kind) === id) latest.delete(kind);
        return answer;
      });
    },
    /** Cancels the newest job of `kind` (the Bulk view's Cancel button). */
    cancel: supersede,
  };
}

/** The worker's script and its kind: the module beside this file or, in the single-file page
 * (dist/jwt-signer.html, built by scripts/single-file.mjs), the text of its inert
 * <script type="text/plain"> as a blob: URL, a classic script (Chromium starts no module worker
 * from a blob: URL made in a file:// page). */
function workerScript() {
  const inlined = document.getElementById('signer-worker-code');
  if (!inlined) return [new URL('./worker.js', scriptUrl), { type: 'module', name: 'signer' }];
  const blob = new Blob([inlined.textContent], { type: 'text/javascript' });
  return [URL.createObjectURL(blob), { type: 'classic', name: 'signer' }];
}
