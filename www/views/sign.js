// The Sign view: the key, the token type, the ID, the expiry and the params in; the token,
// its URLs and its decoded parts out. It reads and renders only; the worker signs.
import { $, el, fillSelect, say } from '../dom.js';
import { expiryLine, keySummary, localDateTimeToUnix } from '../format.js';
import { PLAYER_SET, VIEWER_COUNTS } from '../sign-options.js';

// Where each `field` of the core's errors is shown: the input it concerns and its message.
const PLACES = {
  keyId: { input: 'key-id', message: 'key-id-message' },
  keySecret: { input: 'private-key', message: 'key-message' },
  playbackId: { input: 'playback-id', message: 'playback-id-message' },
  type: { input: 'token-type', message: 'form-message' },
  expiration: { input: 'expiration', message: 'expiration-message' },
  expiresAt: { input: 'expires-at', message: 'expiration-message' },
  params: { input: null, message: 'params-message' },
  kidIn: { input: 'kid-in', message: 'form-message' },
  options: { input: null, message: 'form-message' },
};
// (The key's two messages belong to showKey: a sign result never clears them.)
const MESSAGES = ['playback-id', 'expiration', 'expires-at', 'custom-claims', 'token-type', 'kid-in'];

const PLACEHOLDER = 'Paste a key and a playback ID to sign a token.';

export function createSignView(meta) {
  const paramValues = new Map(); // param field values by name, kept across type changes

  const typeSelect = $('token-type');
  // The core's token types, then the page's two extra choices.
  typeSelect.replaceChildren(
    ...meta.tokenTypes.map((t) => new Option(t.label, t.name)),
    new Option('Viewer counts', VIEWER_COUNTS),
    new Option('Mux Player set', PLAYER_SET));
  fillSelect($('id-type'), meta.viewerCountsTypes);
  fillSelect($('kid-in'), meta.kidPlacements);
  $('expiration').defaultValue = meta.defaultExpiration;
  $('expiration').value = meta.defaultExpiration;

  function buildParamFields() {
    const type = typeSelect.value;
    const counts = type === VIEWER_COUNTS;
    $('id-type-field').hidden = !counts;
    $('playback-id-label').textContent = counts ? 'ID' : 'Playback ID';
    const specs = counts ? [] : (meta.paramSpecs[type] ?? meta.paramSpecs.common);
    // An object param (custom) is written in the custom claims box, not a field.
    $('param-fields').replaceChildren(...specs.filter((spec) => spec.kind !== 'object').map(paramField));
  }

  function paramField(spec) {
    const id = `param-${spec.name}`;
    let input;
    if (spec.kind === 'choice' || spec.kind === 'boolean') {
      input = el('select');
      for (const value of ['', ...(spec.kind === 'boolean' ? ['true', 'false'] : spec.choices)]) {
        input.append(new Option(value || '—', value));
      }
    } else {
      input = el('input', { spellcheck: false, autocomplete: 'off' });
      if (spec.kind === 'number' || spec.kind === 'integer') input.inputMode = 'decimal';
    }
    input.id = id;
    input.dataset.param = spec.name;
    input.value = paramValues.get(spec.name) ?? '';
    return el('div', { className: 'field' },
      el('label', { htmlFor: id, textContent: spec.name }), input,
      el('p', { className: 'message', id: `${id}-message` }));
  }

  /** The form as plain data for sign-options.js: strings as typed (the core checks them). */
  function read() {
    const at = $('expires-at').value;
    $('expiration').disabled = Boolean(at);
    const fields = [];
    for (const input of $('param-fields').querySelectorAll('[data-param]')) {
      if (input.value.trim()) fields.push([input.dataset.param, input.value.trim()]);
    }
    return {
      type: typeSelect.value,
      idType: $('id-type').value,
      id: $('playback-id').value,
      expiration: $('expiration').value,
      expiresAt: at ? localDateTimeToUnix(at) : null,
      fields,
      custom: $('custom-claims').value,
      kidIn: $('kid-in').value,
    };
  }

  function readKey() {
    return { keyId: $('key-id').value, keyText: $('private-key').value };
  }

  function clearMessages() {
    for (const id of MESSAGES) say(`${id}-message`, '', 'error', id);
    say('form-message', '');
    say('params-message', '');
    for (const input of $('param-fields').querySelectorAll('[data-param]')) say(`${input.id}-message`, '', 'error', input.id);
  }

  /** Puts an error where its field is: a param's own field, the custom claims, or the field's place. */
  function place(error) {
    if (error.field === 'params' && error.param && $(`param-${error.param}`)) {
      return say(`param-${error.param}-message`, error.message, 'error', `param-${error.param}`, error.code);
    }
    if (error.field === 'params' && error.source === 'custom') return say('custom-claims-message', error.message, 'error', 'custom-claims', error.code);
    const where = PLACES[error.field] ?? PLACES.options;
    say(where.message, error.message, 'error', where.input, error.code);
  }

  function showKey(result, demo) {
    say('key-message', '', 'error', 'private-key');
    say('key-id-message', '', 'error', 'key-id');
    for (const error of result.errors) place(error);
    if (!result.info) return;
    const found = keySummary(result.info);
    say('key-message', demo ? `${found} — a throwaway key made in this page, not a Mux key: Mux will refuse its tokens.` : found, 'ok', 'private-key');
    if (!$('key-id').value.trim()) say('key-id-message', 'Enter the signing key ID shown beside this key in Mux.');
  }

  function showResult(result) {
    clearMessages();
    for (const error of result.errors) place(error);
    $('expiry').textContent = result.expiry ? expiryLine(result.expiry) : '';
    $('warnings').replaceChildren(...(result.warnings ?? []).map((text) => el('li', { textContent: text })));
    showToken(result.token ? result : null);
  }

  function showToken(result) {
    const output = $('token');
    $('verified').hidden = true;
    $('urls').replaceChildren();
    if (!result) {
      output.replaceChildren(el('span', { className: 'placeholder', textContent: PLACEHOLDER }));
      $('decoded-header').textContent = '';
      $('decoded-payload').textContent = '';
      return;
    }
    const [header, payload, signature] = result.token.split('.');
    output.replaceChildren(
      el('span', { className: 't-header', textContent: header }), '.',
      el('span', { className: 't-payload', textContent: payload }), '.',
      el('span', { className: 't-signature', textContent: signature }));
    $('decoded-header').textContent = JSON.stringify(result.decoded.header, null, 2);
    $('decoded-payload').textContent = JSON.stringify(result.decoded.claims, null, 2);
    $('verified').hidden = !result.verified;
    $('urls').replaceChildren(...result.urls.map(urlRow));
  }

  let rowCount = 0;
  function urlRow({ label, url }) {
    const id = `url-${++rowCount}`;
    const copy = el('button', { type: 'button', className: 'copy', textContent: 'Copy' });
    copy.dataset.copy = id;
    return el('div', { className: 'field url-row' },
      el('div', { className: 'output-head' }, el('label', { htmlFor: id, textContent: label }), copy),
      el('output', { id, className: 'url', textContent: url }));
  }

  function reset() {
    $('view-sign').reset();
    delete $('private-key').dataset.demo;
    paramValues.clear();
    buildParamFields();
    clearMessages();
    say('key-message', '', 'error', 'private-key');
    $('expiry').textContent = '';
    $('warnings').replaceChildren();
    showToken(null);
  }

  buildParamFields();
  return {
    read, readKey, showKey, showResult, reset, buildParamFields,
    /** Remembers a param field's value across type changes. */
    keepParam(input) { if (input.dataset.param) paramValues.set(input.dataset.param, input.value); },
    /** Makes "Or expires at" the date-time field it is (index.html says why it starts as text);
     * true when that dropped a value typed meanwhile that is no date and time. */
    showDatePicker() {
      const field = $('expires-at');
      const typed = field.value;
      field.type = 'datetime-local';
      return field.value !== typed;
    },
  };
}
