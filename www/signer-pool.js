// Bulk's signers: a pool of signer workers, one per core the browser reports (at most 8; the
// main thread only renders), each a signer client of its own (www/signer-client.js, the same
// protocol as the Sign view's one worker). The workers start on first use, so a visit that
// never opens Bulk starts one worker only. The pool holds the key in every worker while Bulk
// needs it, and frees it in all of them at once (a key change, Clear). A run keeps two tasks
// in flight on each worker, so that a worker finds its next task waiting as it answers one,
// and hands their results back in the tasks' order.
import { KIND } from './protocol.js';
import { Superseded, createSignerClient } from './signer-client.js';

// Every request of a run goes on these channels of each worker's client: one batch in flight
// on each, so that a worker finds its next batch waiting as it answers one (no idle round trip
// through the main thread between batches); cancel() drops them all.
const CHANNELS = ['bulk', 'bulk-next'];
const MAX_WORKERS = 8;
const EMIT_BUDGET_MS = 8; // how long one task may hand back results when many are ready at once

/** The pool's size: the browser's logical cores, at most MAX_WORKERS (2 if it does not say). */
export const poolSize = () => Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS);

export function createSignerPool(size = poolSize(), { onRestart = () => {} } = {}) {
  let members = null; // [{ client, dead }], made on first use
  let keyGeneration = 0; // bumps on every setKey and dropKey
  let keyedGeneration = -1; // the generation whose key every worker holds, if any
  let job = null; // the running run's token

  /**
   * Where a worker that cannot be brought back is noticed: its client restarts a dead worker
   * itself (www/signer-client.js) and gives up only after repeated deaths within a minute; its
   * in-flight requests have then been answered as fatal, so a run that used it fails with that
   * error, and later runs go without it.
   */
  function memberFailed(member) {
    member.dead = true;
  }

  function spawn() {
    if (!members) {
      members = Array.from({ length: size }, (_, index) => {
        const member = { client: null, dead: false };
        member.client = createSignerClient({ name: `signer-pool-${index + 1}`, onFail: () => memberFailed(member), onRestart });
        return member;
      });
    }
    return members;
  }

  const live = () => spawn().filter((member) => !member.dead);

  function cancel() {
    job = null;
    for (const member of members ?? []) for (const channel of CHANNELS) member.client.cancel(channel);
  }

  return {
    size,
    /** Starts the workers now (they load the wasm meanwhile), e.g. when Bulk is opened. */
    warm: spawn,
    /** Whether every worker holds the key of the last setKey (and no dropKey came since). */
    get keyed() { return keyedGeneration === keyGeneration; },
    /**
     * Sends `{ keyId, keyText }` to every worker, each parses it once; resolves to { held: true }
     * when all of them hold it, else { held: false, error? }. The pool keeps no copy.
     */
    async setKey({ keyId, keyText }) {
      const generation = ++keyGeneration;
      const answers = await Promise.all(live().map((member) => member.client.request(KIND.setKey, { keyId, keyText }, 'key')));
      const failed = answers.find((answer) => !answer?.ok || !answer.value.held);
      if (answers.length === 0 || failed) return { held: false, error: failed?.error ?? failed?.value?.error };
      if (generation === keyGeneration) keyedGeneration = generation;
      return { held: true };
    },
    /** Frees the key inside wasm in every worker (if they have started), at once. */
    dropKey() {
      keyGeneration++;
      for (const member of members ?? []) member.client.request(KIND.setKey, { keyText: null }, 'key');
    },
    /**
     * Runs `work(flow, task)` for each of `tasks`, each on whichever worker is free (`flow`: a
     * flow of that worker's client, www/signer-client.js), and calls `onResult(index, value)`
     * in the tasks' order, each as soon as it and every task before it are done. Resolves once
     * all are; throws Superseded when cancel() or a newer run stops it (no onResult after
     * that), or the first error a task threw (the others stop).
     */
    async run(tasks, work, onResult) {
      cancel();
      const token = {};
      job = token;
      const current = () => job === token;
      const flows = live().flatMap((member) => CHANNELS.map((channel) => member.client.flow(channel)));
      if (!flows.length) throw new Error('no signer worker is left to sign with');
      let next = 0; // the next task to hand out
      let emitted = 0; // tasks handed back through onResult
      const done = new Map(); // index → value, done but waiting for a task before it
      // Results waiting behind a slow task (a worker being restarted) are handed back in
      // slices of EMIT_BUDGET_MS, each its own task, so that a flush of hundreds never blocks
      // the page.
      async function emitReady() {
        for (let since = performance.now(); done.has(emitted); emitted++) {
          const ready = done.get(emitted);
          done.delete(emitted);
          onResult(emitted, ready);
          if (!current()) throw new Superseded();
          if (performance.now() - since > EMIT_BUDGET_MS && done.has(emitted + 1)) {
            await new Promise((resolve) => setTimeout(resolve, 0));
            if (!current()) throw new Superseded();
            since = performance.now();
          }
        }
      }
      let emission = Promise.resolve(); // one emitter at a time, in order
      async function drain(flow) {
        while (next < tasks.length) {
          const index = next++;
          const value = await work(flow, tasks[index]);
          if (!current()) throw new Superseded();
          done.set(index, value);
          await (emission = emission.then(emitReady));
        }
      }
      try {
        await Promise.all(flows.map(drain));
        await emission;
      } catch (error) {
        if (current()) cancel();
        throw error;
      }
      if (current()) job = null;
    },
    /** Stops the running run at once: its pending answers are dropped. */
    cancel,
  };
}
