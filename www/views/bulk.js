// The Bulk view: a list of IDs in; a table filled as the worker signs, a progress bar with
// Cancel, and a CSV link out. Only the lines that changed get new rows (a prefix/suffix diff
// of the list). The table shows at most MAX_ROWS rows, each token and URL shortened,
// and adds new rows at most ATTACH_PER_FRAME a frame, so no frame lays out a thousand rows at
// once; the CSV always has every line in full.
import { $, el, say } from '../dom.js';
import { excerpt, tokenExcerpt } from '../format.js';

// Measured (tests/e2e/page.test.mjs): with 1000 rows, layout and paint of the table alone made
// 50–150 ms frames on a 2-core machine while the worker signs; with 200, none reached 50 ms.
export const MAX_ROWS = 200;
const ATTACH_PER_FRAME = 50;
// The progress bar and its label change at most this often: redrawn for every batch (about 50
// a second with two workers), the page's paints took a quarter of a core in a trace of a pool
// run on 2 cores, time the pool's workers then lacked.
const PROGRESS_INTERVAL_MS = 200;

export function createBulkView() {
  const body = $('bulk-table').tBodies[0];
  let shown = []; // the IDs of the table's rows, in order
  let rows = []; // the <tr> of each
  let csvUrl = null;
  let total = 0; // lines in the list
  let attachScheduled = false;
  let lastProgress = null; // { done, total } of the running job
  let progressShownAt = -Infinity; // when the bar was last redrawn
  let progressTimer = null; // the redraw a throttled update left for later

  const readIds = () => $('bulk-ids').value.split('\n').map((line) => line.trim()).filter(Boolean);

  function pendingRow(id) {
    const tr = el('tr', {},
      el('td', { textContent: id }),
      el('td', { className: 'pending', textContent: '…' }),
      el('td'));
    tr.dataset.state = 'pending';
    return tr;
  }

  /** Brings the table in line with `ids`; returns the indices of rows still to fill. */
  function applyList(ids, resetAll) {
    const next = ids.slice(0, MAX_ROWS);
    if (resetAll) {
      shown = [];
      rows = [];
      body.replaceChildren();
    }
    let prefix = 0;
    while (prefix < shown.length && prefix < next.length && shown[prefix] === next[prefix]) prefix++;
    let suffix = 0;
    while (suffix < shown.length - prefix && suffix < next.length - prefix
      && shown[shown.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
    const added = next.slice(prefix, next.length - suffix).map(pendingRow);
    const removed = rows.splice(prefix, shown.length - prefix - suffix, ...added);
    for (const tr of removed) tr.remove();
    if (added.length) scheduleAttach();
    shown = next;
    total = ids.length;
    $('bulk-table').hidden = ids.length === 0;
    const pending = [];
    rows.forEach((tr, index) => { if (tr.dataset.state === 'pending') pending.push(index); });
    return pending;
  }

  /** Puts up to ATTACH_PER_FRAME detached rows into the table, in order, then waits a frame. */
  function attachSome() {
    attachScheduled = false;
    let budget = ATTACH_PER_FRAME;
    let previous = null;
    for (const tr of rows) {
      if (!tr.isConnected) {
        if (budget-- === 0) return scheduleAttach();
        if (previous) previous.after(tr);
        else body.prepend(tr);
      }
      previous = tr;
    }
  }

  function scheduleAttach() {
    if (attachScheduled) return;
    attachScheduled = true;
    requestAnimationFrame(attachSome);
  }

  function fill(index, result) {
    const tr = rows[index];
    if (!tr) return;
    const [, token, url] = tr.cells;
    token.className = result.error ? 'error' : '';
    token.textContent = result.error ? `✗ ${result.error.message}` : tokenExcerpt(result.token);
    url.textContent = excerpt(result.url ?? '');
    tr.dataset.state = result.error ? 'failed' : 'signed';
  }

  function dropCsv() {
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = null;
    $('bulk-download').hidden = true;
    $('bulk-download').removeAttribute('href');
  }

  /** Redraws the bar at once if it was not redrawn for PROGRESS_INTERVAL_MS, else once that
   * much time has passed (with the newest figures then). */
  function scheduleProgress() {
    if (progressTimer !== null) return;
    const wait = progressShownAt + PROGRESS_INTERVAL_MS - performance.now();
    if (wait <= 0) return drawProgress();
    progressTimer = setTimeout(drawProgress, Math.ceil(wait)); // (a timer's delay is whole ms, rounded down)
  }

  function drawProgress() {
    progressTimer = null;
    if (!lastProgress || lastProgress.done >= lastProgress.max) return;
    progressShownAt = performance.now();
    const { done, max } = lastProgress;
    $('bulk-progress').max = Math.max(max, 1);
    $('bulk-progress').value = done;
    $('bulk-progress-label').textContent = `Signing ${done} of ${max}`;
    $('bulk-progress-row').hidden = false;
  }

  function hideProgress() {
    clearTimeout(progressTimer);
    progressTimer = null;
    progressShownAt = -Infinity;
    $('bulk-progress-row').hidden = true;
    $('bulk-progress').removeAttribute('value');
    $('bulk-progress-label').textContent = 'Signing';
  }

  return {
    readIds,
    applyList,
    /** A new job: the old CSV is out of date. */
    start() {
      lastProgress = null;
      dropCsv();
      $('bulk-resume').hidden = true;
      say('bulk-message', '');
    },
    progress({ rows: ready, done, total: max }) {
      lastProgress = { done, max };
      for (const [index, result] of ready) fill(index, result);
      if (done < max) scheduleProgress();
    },
    finish({ csv, signed }) {
      hideProgress();
      dropCsv();
      csvUrl = URL.createObjectURL(csv);
      $('bulk-download').href = csvUrl;
      $('bulk-download').hidden = false;
      const more = total > MAX_ROWS ? ` The table shows the first ${MAX_ROWS}; the CSV has all ${total}.` : '';
      say('bulk-message', `${signed} of ${total} signed.${more}`, 'ok');
    },
    cancelled() {
      const { done, max } = lastProgress ?? { done: 0, max: total };
      hideProgress();
      say('bulk-message', `Cancelled: signed ${done} of ${max}. Sign the rest when you are ready.`, 'warning');
      $('bulk-resume').hidden = false;
    },
    fail(text) {
      hideProgress();
      say('bulk-message', text);
    },
    /** An empty list: nothing to show. */
    idle() {
      hideProgress();
      dropCsv();
      $('bulk-resume').hidden = true;
      say('bulk-message', '');
    },
    reset() {
      $('bulk-ids').value = '';
      applyList([], true);
      this.idle();
    },
  };
}
