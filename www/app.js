// The page's glue: reads the form, calls the wasm core (window.wasmBindings, set by Trunk's
// loader), shows the results. No framework, no network, no storage, no console output.

const $ = (id) => document.getElementById(id);
let jwt = null; // the wasm exports
let signer = null; // a Signer for the current key and key ID; parsed once per change
let keyChanged = true;
let bulkUrl = null; // the Blob URL of the last CSV
const paramValues = new Map(); // param field values by name, kept across type changes
let customKeys = new Set(); // the names set by the custom claims JSON

const PLAYER_SET = ['video', 'thumbnail', 'storyboard'];

function start(bindings) {
  jwt = bindings;
  for (const id of ['key-id', 'private-key']) $(id).addEventListener('input', () => { keyChanged = true; update(); });
  for (const id of ['playback-id', 'expiration', 'expires-at', 'custom-claims', 'kid-in', 'id-type']) {
    $(id).addEventListener('input', update);
  }
  $('token-type').addEventListener('input', () => { buildParamFields(); update(); });
  $('param-fields').addEventListener('input', (event) => {
    if (event.target.dataset.param) paramValues.set(event.target.dataset.param, event.target.value);
    update();
  });
  $('demo-key').addEventListener('click', makeDemoKey);
  $('clear').addEventListener('click', clearAll);
  $('verify-token').addEventListener('input', verifyView);
  $('verify-key').addEventListener('input', verifyView);
  $('bulk-ids').addEventListener('input', bulkView);
  document.addEventListener('click', copyOnClick);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab));
  buildParamFields();
  update();
  $('load-state').textContent = 'Ready.';
  document.body.dataset.ready = 'true';
}

if (window.wasmBindings) start(window.wasmBindings);
else addEventListener('TrunkApplicationStarted', () => start(window.wasmBindings), { once: true });

function showView(tab) {
  for (const other of document.querySelectorAll('.tab')) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  if (tab.id === 'tab-verify') verifyView();
  if (tab.id === 'tab-bulk') bulkView();
}

/** Shows `text` as the message of a field; an error marks the field invalid. */
function say(id, text, kind = 'error') {
  const message = $(`${id}-message`);
  if (!message) return;
  message.textContent = text;
  message.className = `message ${text ? kind : ''}`;
  const field = $(id);
  if (field) field.setAttribute('aria-invalid', String(kind === 'error' && Boolean(text)));
}

// ---- the key ----

function refreshSigner() {
  if (!keyChanged) return;
  keyChanged = false;
  signer?.free();
  signer = null;
  const keyText = $('private-key').value;
  const keyId = $('key-id').value;
  say('key', '');
  say('key-id', '');
  if (!keyText.trim()) return;
  // Parse the key once: through the Signer when there is a key ID, else just to describe it.
  let signerError = null;
  if (keyId.trim()) {
    try {
      signer = new jwt.Signer(keyId, keyText);
    } catch (error) {
      signerError = error;
    }
  }
  let info;
  try {
    info = signer ? signer.keyInfo() : jwt.keyInfo(keyText);
  } catch (error) {
    return say('key', error.message);
  }
  const demo = $('private-key').dataset.demo === 'true';
  const found = `RSA ${info.bits}-bit · ${info.formatLabel} · thumbprint ${info.thumbprint}`;
  say('key', demo ? `${found} — a throwaway key made in this page, not a Mux key: Mux will refuse its tokens.` : found, 'ok');
  if (!keyId.trim()) return say('key-id', 'Enter the signing key ID shown beside this key in Mux.');
  // The key parsed, so the Signer refused the key ID.
  if (signerError) say('key-id', signerError.message);
}

async function makeDemoKey() {
  const button = $('demo-key');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = 'Generating a throwaway key…';
  try {
    // WebCrypto generates the key natively and off the main thread: the page never freezes.
    const pair = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true, ['sign', 'verify']);
    const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
    const base64 = btoa(String.fromCharCode(...der)).replace(/.{64}/g, '$&\n');
    $('private-key').value = `-----BEGIN PRIVATE KEY-----\n${base64}\n-----END PRIVATE KEY-----\n`;
    $('private-key').dataset.demo = 'true';
    $('key-id').value = 'throwaway-demo-key';
    if (!$('playback-id').value.trim()) $('playback-id').value = 'DemoPlaybackId01';
    keyChanged = true;
    update();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = 'Try it without a Mux key';
  }
}

// ---- options ----

function chosenType() {
  return $('token-type').value;
}

/** The type whose documented params the form shows. */
function paramType(type) {
  return type === 'player_set' || type === 'viewer_counts' ? null : type;
}

function buildParamFields() {
  const type = chosenType();
  const counts = type === 'viewer_counts';
  $('id-type-field').hidden = !counts;
  $('playback-id-label').textContent = counts ? 'ID' : 'Playback ID';
  const container = $('param-fields');
  container.replaceChildren();
  const specs = jwt.paramSpecs(paramType(type) ?? 'drm_license').filter((spec) => spec.kind !== 'object');
  if (counts) return;
  for (const spec of specs) container.append(paramField(spec));
}

function paramField(spec) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const id = `param-${spec.name}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = spec.name;
  let input;
  if (spec.kind === 'choice' || spec.kind === 'boolean') {
    input = document.createElement('select');
    for (const value of ['', ...(spec.kind === 'boolean' ? ['true', 'false'] : spec.choices)]) {
      input.append(new Option(value || '—', value));
    }
  } else {
    input = document.createElement('input');
    if (spec.kind === 'number' || spec.kind === 'integer') {
      input.type = 'number';
      input.step = spec.kind === 'integer' ? '1' : 'any';
      if (spec.min !== undefined) input.min = String(spec.min);
      if (spec.max !== undefined) input.max = String(spec.max);
      input.inputMode = 'decimal';
    }
    input.spellcheck = false;
    input.autocomplete = 'off';
  }
  input.id = id;
  input.dataset.param = spec.name;
  input.dataset.kind = spec.kind;
  input.value = paramValues.get(spec.name) ?? '';
  const message = document.createElement('p');
  message.className = 'message';
  message.id = `${id}-message`;
  wrap.append(label, input, message);
  return wrap;
}

/** Params from the fields, then the custom JSON; throws an Error naming the field. */
function readParams() {
  const params = {};
  for (const input of $('param-fields').querySelectorAll('[data-param]')) {
    say(input.id, '');
    const raw = input.value.trim();
    if (!raw) continue;
    const kind = input.dataset.kind;
    if (kind === 'number' || kind === 'integer') {
      const number = Number(raw);
      if (!Number.isFinite(number)) throw fieldError(input.id, `${input.dataset.param} must be a number`);
      params[input.dataset.param] = number;
    } else if (kind === 'boolean') {
      params[input.dataset.param] = raw === 'true';
    } else {
      params[input.dataset.param] = raw;
    }
  }
  say('custom-claims', '');
  customKeys = new Set();
  const custom = $('custom-claims').value.trim();
  if (custom) {
    let parsed;
    try {
      parsed = JSON.parse(custom);
    } catch (error) {
      throw fieldError('custom-claims', `This is not valid JSON: ${error.message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw fieldError('custom-claims', 'Custom claims must be a JSON object: {"name": value}');
    }
    Object.assign(params, parsed);
    customKeys = new Set(Object.keys(parsed));
  }
  return params;
}

function fieldError(id, message) {
  return Object.assign(new Error(message), { field: id });
}

function readOptions() {
  const options = { params: readParams(), kidIn: $('kid-in').value };
  const at = $('expires-at').value;
  $('expiration').disabled = Boolean(at);
  if (at) options.expiresAt = Math.floor(new Date(at).getTime() / 1000);
  else options.expiration = $('expiration').value.trim() || '7d';
  return options;
}

/** Where an error from the core belongs: the param it names, or a field by topic. */
function fieldFor(message) {
  const param = message.match(/^param "([^"]+)"/)?.[1];
  if (param && !customKeys.has(param) && $(`param-${param}`)) return `param-${param}`;
  if (param) return 'custom-claims';
  if (/expir|Unix time|duration/.test(message)) return 'expiration';
  if (/ID "|ID is missing|no Mux ID/.test(message)) return 'playback-id';
  return 'custom-claims';
}

// ---- signing ----

function update() {
  if (!jwt) return;
  refreshSigner();
  for (const id of ['playback-id', 'expiration']) say(id, '');
  let options;
  try {
    options = readOptions();
    showExpiry(options);
    const type = chosenType();
    const warnings = paramType(type) ? jwt.checkParams(type, options.params) : [];
    showWarnings(warnings);
  } catch (error) {
    say(error.field ?? fieldFor(error.message), error.message);
    return showToken(null);
  }
  const id = $('playback-id').value;
  if (!signer || !id.trim()) return showToken(null);
  try {
    showToken(sign(id, options));
  } catch (error) {
    say(fieldFor(error.message), error.message);
    showToken(null);
  }
}

/** Signs for the chosen type: { token, urls, extra } for the output. */
function sign(id, options) {
  const type = chosenType();
  if (type === 'player_set') {
    const tokens = signer.signPlaybackId(id, { ...options, type: PLAYER_SET });
    const player = jwt.playerUrl(id, tokens);
    return {
      token: tokens['playback-token'],
      urls: [
        { label: 'thumbnail-token', url: tokens['thumbnail-token'] },
        { label: 'storyboard-token', url: tokens['storyboard-token'] },
        { label: 'Mux Player URL', url: player },
        { label: 'Embed', url: embedSnippet(player) },
      ],
    };
  }
  if (type === 'viewer_counts') {
    const token = signer.signViewerCounts(id, { ...options, type: $('id-type').value });
    return { token, urls: jwt.signedUrls('stats', id, token) };
  }
  const token = signer.signPlaybackId(id, { ...options, type });
  return { token, urls: jwt.signedUrls(type, id, token) };
}

function embedSnippet(playerUrl) {
  return `<iframe src="${playerUrl.replace(/&/g, '&amp;')}" style="width:100%;border:none;aspect-ratio:16/9" allow="accelerometer; gyroscope; autoplay; encrypted-media; picture-in-picture;" allowfullscreen></iframe>`;
}

function showExpiry(options) {
  const exp = jwt.resolveExpiration(options);
  const date = new Date(exp * 1000);
  $('expiry').textContent = `Expires ${date.toLocaleString()} (${relative(exp)})`;
}

function relative(exp) {
  const seconds = exp - Date.now() / 1000;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds), 'second');
}

function showWarnings(warnings) {
  $('warnings').replaceChildren(...warnings.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

function showToken(result) {
  const output = $('token');
  $('verified').hidden = true;
  $('urls').replaceChildren();
  if (!result) {
    output.replaceChildren(Object.assign(document.createElement('span'), { className: 'placeholder', textContent: 'Paste a key and a playback ID to sign a token.' }));
    $('decoded-header').textContent = '';
    $('decoded-payload').textContent = '';
    return;
  }
  const [header, payload, signature] = result.token.split('.');
  output.replaceChildren(
    part('t-header', header), '.', part('t-payload', payload), '.', part('t-signature', signature));
  const decoded = jwt.decodeToken(result.token);
  $('decoded-header').textContent = JSON.stringify(decoded.header, null, 2);
  $('decoded-payload').textContent = JSON.stringify(decoded.claims, null, 2);
  try {
    signer.verify(result.token);
    $('verified').hidden = false;
  } catch {
    // The badge stays hidden: the token does not verify (it always should).
  }
  $('urls').replaceChildren(...result.urls.map(urlRow));
}

function part(className, text) {
  return Object.assign(document.createElement('span'), { className, textContent: text });
}

let rowCount = 0;
function urlRow({ label, url }) {
  const id = `url-${++rowCount}`;
  const row = document.createElement('div');
  row.className = 'field url-row';
  const head = document.createElement('div');
  head.className = 'output-head';
  const name = Object.assign(document.createElement('label'), { htmlFor: id, textContent: label });
  const copy = Object.assign(document.createElement('button'), { type: 'button', className: 'copy', textContent: 'Copy' });
  copy.dataset.copy = id;
  head.append(name, copy);
  const value = Object.assign(document.createElement('output'), { id, className: 'url', textContent: url });
  row.append(head, value);
  return row;
}

async function copyOnClick(event) {
  const button = event.target.closest('button.copy');
  if (!button) return;
  const source = $(button.dataset.copy);
  await navigator.clipboard.writeText(source.value ?? source.textContent);
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1200);
}

// ---- verify ----

function verifyView() {
  const token = $('verify-token').value.trim();
  const keyText = $('verify-key').value.trim();
  const result = $('verify-result');
  $('verify-header').textContent = '';
  $('verify-payload').textContent = '';
  result.textContent = '';
  result.className = 'result';
  if (!token) return;
  let decoded;
  try {
    decoded = jwt.decodeToken(token);
  } catch (error) {
    result.textContent = `✗ ${error.message}`;
    result.className = 'result error';
    return;
  }
  $('verify-header').textContent = JSON.stringify(decoded.header, null, 2);
  $('verify-payload').textContent = JSON.stringify(decoded.claims, null, 2);
  const expiry = decoded.expiresAt === undefined
    ? 'no expiry'
    : `${decoded.expiry === 'expired' ? 'expired' : 'expires'} ${new Date(decoded.expiresAt * 1000).toLocaleString()} (${relative(decoded.expiresAt)})`;
  refreshSigner();
  if (!keyText && !signer) {
    result.textContent = `Decoded, signature not checked: paste a public key, or a signing key in Sign · ${expiry}`;
    return;
  }
  try {
    if (keyText) jwt.verifyToken(token, keyText);
    else signer.verify(token);
    result.textContent = `✓ Signature valid (${keyText ? 'the public key above' : 'the signing key'}) · ${expiry}`;
    result.className = `result ${decoded.expiry === 'expired' ? 'warning' : 'ok'}`;
  } catch (error) {
    result.textContent = `✗ ${error.message} · ${expiry}`;
    result.className = 'result error';
  }
}

// ---- bulk ----

function bulkView() {
  const ids = $('bulk-ids').value.split('\n').map((line) => line.trim()).filter(Boolean);
  const body = $('bulk-table').tBodies[0];
  body.replaceChildren();
  say('bulk', '');
  if (bulkUrl) URL.revokeObjectURL(bulkUrl);
  bulkUrl = null;
  $('bulk-download').hidden = true;
  $('bulk-table').hidden = ids.length === 0;
  if (!ids.length) return;
  refreshSigner();
  if (!signer) return say('bulk', 'Enter the signing key ID and private key in the Sign view first.');
  let options;
  try {
    options = readOptions();
  } catch (error) {
    return say('bulk', `Fix the Sign view first: ${error.message}`);
  }
  const rows = [['id', 'token', 'url']];
  for (const id of ids) {
    let cells;
    try {
      const result = sign(id, options);
      const url = chosenType() === 'player_set' ? result.urls[2].url : result.urls[0].url;
      cells = [id, result.token, url];
      rows.push(cells);
    } catch (error) {
      cells = [id, `✗ ${error.message}`, ''];
    }
    const tr = document.createElement('tr');
    for (const cell of cells) tr.append(Object.assign(document.createElement('td'), { textContent: cell }));
    body.append(tr);
  }
  const csv = rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';
  bulkUrl = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  $('bulk-download').href = bulkUrl;
  $('bulk-download').hidden = rows.length === 1;
  say('bulk', `${rows.length - 1} of ${ids.length} signed.`, 'ok');
}

// ---- clear ----

function clearAll() {
  $('view-sign').reset();
  for (const id of ['verify-token', 'verify-key', 'bulk-ids']) $(id).value = '';
  delete $('private-key').dataset.demo;
  paramValues.clear();
  signer?.free(); // wipes the key inside wasm now
  signer = null;
  keyChanged = true;
  buildParamFields();
  update();
  verifyView();
  bulkView();
}
