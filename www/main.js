// The controller: owns the state (which view, the version of the Sign settings), wires the
// inputs to the page's flows (flows.js, bulk-runner.js: core calls the worker runs), and hands
// their results to the views. No framework, no network but the page's own files, no storage,
// no console output.
import { $ } from './dom.js';
import { KIND, errorData } from './protocol.js';
import { Fatal, Superseded, createSignerClient } from './signer-client.js';
import { createBulkRunner } from './bulk-runner.js';
import { createSignerPool } from './signer-pool.js';
import { diagnoseFlow, exportFlow, keyFlow, signFlow, verifyFlow } from './flows.js';
import { createSignView } from './views/sign.js';
import { createVerifyView } from './views/verify.js';
import { createBulkView } from './views/bulk.js';
import { createDiagnoseView } from './views/diagnose.js';
import { createKeyExportView } from './views/key-export.js';

// First of all, the worker: it starts (a thread, its script, the wasm) while the page is still
// being parsed. The built page runs this as a classic script from <head>, before the body exists
// (scripts/bundle.mjs), so the form is built once both the signer and the body are there.
// A worker that dies is replaced by its client; the footer says so, once per restart.
const restarted = (reason) => {
  const state = document.getElementById('load-state'); // (none yet while <head> runs)
  if (state) state.textContent = `The signer restarted (${reason}).`;
};
const client = createSignerClient({ onRestart: restarted });
// Bulk's workers, one per core: they start only once Bulk is opened (www/signer-pool.js).
const pool = createSignerPool(undefined, { onRestart: restarted });
let version = 0; // bumps on every change of the settings Bulk signs with
let tableVersion = -1; // the settings version of the Bulk table's rows

// The form is built from what the worker says the core offers once its module is in (its types,
// params, default expiry and lists of choices, and the footer's build). (Before the body is
// parsed there is no footer: a failure is shown once it is.)
Promise.all([client.described, parsed()]).then(([described]) => {
  if (described.ok) start(described.value);
  else $('load-state').textContent = `The signer could not start: ${described.error.message}.`;
});

/** A flow's failure as the error to show, or null when a newer flow replaced it (show nothing).
 * A fatal one also says so in the footer. */
function problemOf(error) {
  if (error instanceof Superseded) return null;
  if (!(error instanceof Fatal)) return errorData(error);
  if (error.fatal) $('load-state').textContent = `The signer stopped: ${error.error.message}.`;
  return error.error;
}

/** Resolves once the whole page is parsed (at once if it is). */
function parsed() {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}

function start(info) {
  showBuild(info.build);
  const sign = createSignView(info);
  const verify = createVerifyView();
  const bulk = createBulkView();
  const diagnoseView = createDiagnoseView();
  const keyExport = createKeyExportView(info.keyExportFormats);
  const runner = createBulkRunner(info.tokenTypes, pool);
  let keyVersion = 0; // bumps on every change of the key or key ID (and Clear)

  /** Runs `flow` on a new flow of `channel`; resolves to { value } or { error }, or to null
   * when a newer flow replaced it (a newer request is on its way: show nothing). */
  async function run(channel, flow, ...args) {
    try {
      return { value: await flow(client.flow(channel), ...args) };
    } catch (error) {
      const problem = problemOf(error);
      return problem && { error: problem };
    }
  }

  async function signNow() {
    const answer = await run('sign', signFlow, sign.read(), info.tokenTypes);
    if (!answer) return;
    sign.showResult(answer.error ? { errors: [answer.error], token: null } : answer.value);
  }

  async function keyChanged() {
    version++;
    keyVersion++;
    client.cancel('exportKey');
    runner.drop(); // a running Bulk job stops (its results were signed with the old key); the pool frees it
    keyExport.showPublic(null); // the old key's forms go at once
    const demo = $('private-key').dataset.demo === 'true';
    const answer = await run('key', keyFlow, sign.readKey(), info.keyExportFormats);
    if (!answer) return;
    diagnoseNow(); // the key Diagnose checks signatures with has changed
    if (answer.value) {
      keyExport.showPublic(answer.value.publicForms ?? null);
      return sign.showKey(answer.value, demo);
    }
    sign.showKey({ errors: [answer.error], info: null }, demo);
  }

  /** "Show private key": the chosen private form, written by the worker for the held key. */
  async function exportPrivate() {
    const asked = keyVersion;
    const format = keyExport.format();
    if (!format) return;
    const answer = await run('exportKey', exportFlow, format);
    if (!answer?.value || asked !== keyVersion) return; // the key changed meanwhile: show nothing
    if (answer.value.needKey) return keyExport.showPublic(null);
    keyExport.showPrivate(answer.value);
  }

  async function diagnoseNow() {
    const view = $('view-diagnose');
    const input = diagnoseView.read();
    if (view.hidden && !input.input.trim()) return;
    const answer = await run('diagnose', diagnoseFlow, input);
    if (!answer) return;
    diagnoseView.show(answer.error ? { errors: [answer.error] } : answer.value);
  }

  function settingsChanged() {
    version++;
    signNow();
  }

  async function verifyNow() {
    const answer = await run('verify', verifyFlow, verify.read());
    if (!answer) return;
    verify.show(answer.error ? { errors: [answer.error] } : answer.value);
  }

  async function bulkNow() {
    const ids = bulk.readIds();
    const resetAll = tableVersion !== version;
    tableVersion = version;
    const render = bulk.applyList(ids, resetAll);
    if (!ids.length) {
      client.cancel('bulk');
      return bulk.idle();
    }
    bulk.start();
    const answer = await run('bulk', (flow) => runner.run(flow, { ids, render, version, form: sign.read(), key: sign.readKey() }, bulk.progress));
    if (!answer) return;
    if (answer.error) return bulk.fail(answer.error.message);
    const result = answer.value;
    if (result.needKey) return bulk.fail('Enter the signing key ID and private key in the Sign view first.');
    if (result.errors) return bulk.fail(`Fix the Sign view first: ${result.errors[0].message}`);
    if (result.cancelled) return bulk.fail(''); // the key changed or Clear: nothing to show
    bulk.finish(result);
  }

  async function demoKey() {
    const button = $('demo-key');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = 'Generating a throwaway key…';
    try {
      const answer = await run('demoKey', (flow) => flow.send(KIND.demoKey));
      if (!answer?.value) return;
      $('private-key').value = answer.value.pem;
      $('private-key').dataset.demo = 'true';
      $('key-id').value = 'throwaway-demo-key';
      if (!$('playback-id').value.trim()) $('playback-id').value = 'DemoPlaybackId01';
      keyChanged();
      settingsChanged();
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = 'Try it without a Mux key';
    }
  }

  function clearAll() {
    for (const channel of ['key', 'sign', 'verify', 'bulk', 'demoKey', 'diagnose', 'exportKey']) client.cancel(channel);
    runner.drop(); // forgets the bulk results; every pool worker frees the key
    client.request(KIND.setKey, { keyText: null }, 'key'); // the worker frees the key inside wasm
    sign.reset();
    verify.reset();
    bulk.reset();
    diagnoseView.reset();
    keyExport.reset();
    version++;
    keyVersion++;
    tableVersion = -1;
    signNow();
  }

  function showView(tab) {
    for (const other of document.querySelectorAll('.tab')) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      $(other.getAttribute('aria-controls')).hidden = !selected;
    }
    if (tab.id === 'tab-verify') verifyNow();
    if (tab.id === 'tab-bulk') {
      runner.warm();
      bulkNow();
    }
    if (tab.id === 'tab-diagnose') diagnoseNow();
  }

  async function copyOnClick(event) {
    const button = event.target.closest('button.copy');
    if (!button) return;
    const source = $(button.dataset.copy);
    await navigator.clipboard.writeText(source.value ?? source.textContent);
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = 'Copy'; }, 1200);
  }

  for (const id of ['key-id', 'private-key']) {
    $(id).addEventListener('input', () => {
      if (id === 'private-key') delete $('private-key').dataset.demo;
      keyChanged();
      signNow();
    });
  }
  $('playback-id').addEventListener('input', signNow);
  for (const id of ['expiration', 'expires-at', 'custom-claims', 'kid-in', 'id-type']) $(id).addEventListener('input', settingsChanged);
  $('token-type').addEventListener('input', () => { sign.buildParamFields(); settingsChanged(); });
  $('param-fields').addEventListener('input', (event) => { sign.keepParam(event.target); settingsChanged(); });
  $('demo-key').addEventListener('click', demoKey);
  $('clear').addEventListener('click', clearAll);
  $('verify-token').addEventListener('input', verifyNow);
  $('verify-key').addEventListener('input', verifyNow);
  // One run per task however many input events it carries (a paste, or a driver's fill, can
  // fire one per line): the list is read once, after the events.
  let bulkScheduled = false;
  $('bulk-ids').addEventListener('input', () => {
    if (bulkScheduled) return;
    bulkScheduled = true;
    setTimeout(() => { bulkScheduled = false; bulkNow(); }, 0);
  });
  // As Bulk: one request per task however many input events a paste fires; a newer request
  // supersedes the older one, whose answer is dropped.
  let diagnoseScheduled = false;
  $('diagnose-input').addEventListener('input', () => {
    if (diagnoseScheduled) return;
    diagnoseScheduled = true;
    setTimeout(() => { diagnoseScheduled = false; diagnoseNow(); }, 0);
  });
  $('export-show').addEventListener('click', exportPrivate);
  $('export-hide').addEventListener('click', () => { client.cancel('exportKey'); keyExport.hidePrivate(); });
  $('export-format').addEventListener('input', () => { client.cancel('exportKey'); keyExport.hidePrivate(); });
  $('bulk-cancel').addEventListener('click', () => { client.cancel('bulk'); runner.cancel(); bulk.cancelled(); });
  $('bulk-resume').addEventListener('click', bulkNow);
  document.addEventListener('click', copyOnClick);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab));

  // A key (or key ID) entered before the signer was ready, pasted while the page loaded or
  // restored by the browser, fired its input event before these listeners: take it now.
  if ($('key-id').value || $('private-key').value) keyChanged();
  signNow().then(() => {
    $('load-state').textContent = 'Ready.';
    document.body.dataset.ready = 'true';
    // The date-time field only now that the form is up; a typed value it drops is a change.
    setTimeout(() => { if (sign.showDatePicker()) settingsChanged(); }, 0);
  });
}

/** The footer states what this page runs: the version and the SHA-256 of its wasm module, to
 * compare with SHA256SUMS (see the README, "Is this the published build?"). */
function showBuild({ version, wasmSha256 }) {
  $('build-version').textContent = version;
  $('build-wasm-sha256').textContent = wasmSha256 ?? 'unknown (WebCrypto needs https or localhost)';
}
