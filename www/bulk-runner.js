// Bulk's schedule: signs the IDs it has no result for (results are kept per version of the Sign
// view's settings, so editing the list signs only what changed), the table's rows first, in
// small batches: the worker signs one batch per request and answers, so rows appear as they are
// ready, the Sign view's requests get through between two batches, and Cancel (a newer flow on
// the channel) stops at once, dropping the batch on its way. Then the CSV of the whole list.
import { bulkCsv } from './format.js';
import { noKey } from './protocol.js';
import { Superseded } from './signer-client.js';
import { readForm, signIds } from './sign-options.js';

// IDs per request: a batch takes the worker some 30 ms (8 × an RS256 signature, its check and
// its URL: measured in Node on the 2-core machine), as the old worker's slices did: short
// enough for Cancel to stop at once and the Sign view to sign between two batches.
const BATCH = 8;
// CSV lines written per task: 10 000 lines at once took ~50 ms (Node, the 2-core machine).
const CSV_SLICE = 2000;
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

export function createBulkRunner(tokenTypes) {
  let cache = { version: -1, results: new Map() }; // results by ID for one version of the settings
  let job = null; // the running job; a key change or Clear stops it

  return {
    /**
     * Runs a job on `flow` (from the signer client): `render` are the indices into `ids` of the
     * rows the table shows; `onProgress({ rows, done, total })` gets the rows as they are ready
     * ([index, result] pairs). Resolves to { needKey }, { errors }, { cancelled } or
     * { csv, signed, total }; throws Superseded when a newer job or Cancel replaced it.
     */
    async run(flow, { ids, render, version, form }, onProgress) {
      const mine = { stopped: false };
      job = mine;
      const stopped = () => mine.stopped;
      if (noKey(await flow.call({ method: 'keyId' }))) return { needKey: true };
      const { options, errors } = await readForm(flow, form, tokenTypes);
      if (stopped()) return { cancelled: true };
      if (errors.length) return { errors };
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
      for (let start = 0; start < todo.length; start += BATCH) {
        const batch = todo.slice(start, start + BATCH);
        const signed = await signIds(flow, batch, form, options, tokenTypes);
        if (stopped() || !signed) return { cancelled: true };
        batch.forEach((id, index) => {
          const { token, url, error } = signed[index];
          const result = error ? { error } : { token, url };
          results.set(id, result);
          for (const row of rowsOf.get(id) ?? []) rows.push([row, result]);
        });
        done += batch.length;
        onProgress({ rows, done, total });
        rows = [];
      }
      if (rows.length) onProgress({ rows, done, total });
      // Keep only the current list's results, so IDs typed a character at a time do not pile up.
      cache.results = new Map(ids.map((id) => [id, results.get(id)]));
      const lines = ids.map((id) => {
        const { token, url, error } = results.get(id);
        return { id, token, url, error: error?.message };
      });
      const signedCount = lines.filter((line) => !line.error).length;
      const parts = [];
      for (let from = 0; from < lines.length; from += CSV_SLICE) {
        if (from > 0) await pause();
        if (!flow.current()) throw new Superseded();
        if (stopped()) return { cancelled: true };
        parts.push(bulkCsv(lines.slice(from, from + CSV_SLICE), { header: from === 0 }));
      }
      if (job === mine) job = null;
      return { csv: new Blob(parts, { type: 'text/csv' }), signed: signedCount, total: ids.length };
    },
    /** A key change or Clear: the running job stops (its answer says cancelled) and every
     * result is forgotten. */
    drop() {
      if (job) job.stopped = true;
      job = null;
      cache = { version: -1, results: new Map() };
    },
  };
}
