// Bulk's schedule: signs the IDs it has no result for (results are kept per version of the Sign
// view's settings, so editing the list signs only what changed), the table's rows first, in
// small batches spread over the pool's workers (www/signer-pool.js): each worker signs one
// batch per request and answers, rows appear in the list's order as they are ready, and Cancel
// (or a newer job) stops at once, dropping the batches on their way. The form is read, and the
// key checked, by the Sign view's worker (`flow`); then the CSV of the whole list.
import { bulkCsv } from './format.js';
import { noKey } from './protocol.js';
import { Superseded } from './signer-client.js';
import { readForm, signIds } from './sign-options.js';

// IDs per request: a batch takes a worker some 30 ms (8 × an RS256 signature, its check and
// its URL: measured in Node on the 2-core machine), as the old worker's slices did: short
// enough for Cancel to stop at once, and for the workers to share a short list.
const BATCH = 8;
// CSV lines written per task: 10 000 lines at once took ~50 ms in Node on the 2-core machine,
// and the last task of a 10 000-ID run (the results kept, then 2,000 lines) 140 ms in Chromium.
const CSV_SLICE = 500;
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A pool worker that holds no key (a key change or Clear came meanwhile). */
class MissingKey extends Error {}

/** `pool`: the signer pool (www/signer-pool.js) that signs the batches. */
export function createBulkRunner(tokenTypes, pool) {
  let cache = { version: -1, results: new Map() }; // results by ID for one version of the settings
  let job = null; // the running job; a key change or Clear stops it

  return {
    /**
     * Runs a job on `flow` (from the Sign view's signer client) and the pool: `render` are the
     * indices into `ids` of the rows the table shows; `key` the Sign view's { keyId, keyText },
     * sent to the pool's workers if they do not hold it yet; `onProgress({ rows, done, total })`
     * gets the rows as they are ready ([index, result] pairs), in order. Resolves to
     * { needKey }, { errors }, { cancelled } or { csv, signed, total }; throws Superseded when
     * a newer job or Cancel replaced it.
     */
    async run(flow, { ids, render, version, form, key }, onProgress) {
      pool.cancel(); // an older job's batches stop now, not when this one reaches the pool
      const mine = { stopped: false };
      job = mine;
      const stopped = () => mine.stopped;
      if (noKey(await flow.call({ method: 'keyId' }))) return { needKey: true };
      const { options, errors } = await readForm(flow, form, tokenTypes);
      if (stopped()) return { cancelled: true };
      if (errors.length) return { errors };
      if (!pool.keyed) {
        const { held } = await pool.setKey(key);
        if (stopped()) return { cancelled: true };
        if (!flow.current()) throw new Superseded();
        if (!held) return { needKey: true };
      }
      if (cache.version !== version) cache = { version, results: new Map() };
      const { results } = cache;
      // The table's rows first, then the rest of the list: each ID not signed yet, once.
      const todo = [...new Set([...render.map((index) => ids[index]), ...ids])].filter((id) => !results.has(id));
      const rowsOf = new Map(); // ID → the table rows that show it
      for (const index of render) rowsOf.set(ids[index], [...(rowsOf.get(ids[index]) ?? []), index]);
      const total = todo.length;
      let done = 0;
      // The rows already signed, with the first batch.
      let rows = render.filter((index) => results.has(ids[index])).map((index) => [index, results.get(ids[index])]);
      const batches = [];
      for (let start = 0; start < todo.length; start += BATCH) batches.push(todo.slice(start, start + BATCH));
      const sign = async (workerFlow, batch) => {
        const signed = await signIds(workerFlow, batch, form, options, tokenTypes);
        if (!signed) throw new MissingKey();
        return signed;
      };
      try {
        await pool.run(batches, sign, (index, signed) => {
          if (stopped() || !flow.current()) return pool.cancel();
          batches[index].forEach((id, at) => {
            const { token, url, error } = signed[at];
            const result = error ? { error } : { token, url };
            results.set(id, result);
            for (const row of rowsOf.get(id) ?? []) rows.push([row, result]);
          });
          done += batches[index].length;
          onProgress({ rows, done, total });
          rows = [];
        });
      } catch (error) {
        if (stopped()) return { cancelled: true };
        if (error instanceof MissingKey) return { needKey: true };
        throw error;
      }
      if (stopped()) return { cancelled: true };
      if (!flow.current()) throw new Superseded();
      if (rows.length) onProgress({ rows, done, total });
      // Keep only the current list's results, so IDs typed a character at a time do not pile up.
      cache.results = new Map(ids.map((id) => [id, results.get(id)]));
      const line = (id) => {
        const { token, url, error } = results.get(id);
        return { id, token, url, error: error?.message, code: error?.code };
      };
      const signedCount = ids.filter((id) => !results.get(id).error).length;
      const parts = [];
      for (let from = 0; from < ids.length; from += CSV_SLICE) {
        if (from > 0) await pause();
        if (!flow.current()) throw new Superseded();
        if (stopped()) return { cancelled: true };
        parts.push(bulkCsv(ids.slice(from, from + CSV_SLICE).map(line), { header: from === 0 }));
      }
      if (job === mine) job = null;
      return { csv: new Blob(parts, { type: 'text/csv' }), signed: signedCount, total: ids.length };
    },
    /** Cancel: the running job's batches are dropped (its flow, cancelled by the caller,
     * says Superseded). */
    cancel() {
      pool.cancel();
    },
    /** Opening Bulk: the pool's workers start loading (before the first list is pasted). */
    warm() {
      pool.warm();
    },
    /** A key change or Clear: the running job stops (its answer says cancelled), every result
     * is forgotten, and every pool worker frees the key. */
    drop() {
      if (job) job.stopped = true;
      job = null;
      cache = { version: -1, results: new Map() };
      pool.cancel();
      pool.dropKey();
    },
  };
}
