// From the Sign view's form to the core's sign options, and from the core's answers to the
// results the views show: a token, the URL for a table row, every URL for the Sign view. Each
// step is a core call run by the worker (`flow`, from signer-client.js); this module only says
// which calls and puts their answers together, in ripgrep's parse-then-act shape: the form is
// read and checked once (readForm), then signed with as often as needed (signCall, results).
import { embedSnippet } from './format.js';
import { noKey } from './protocol.js';

// The Sign view's two choices beside the core's token types.
export const VIEWER_COUNTS = 'viewer_counts';
export const PLAYER_SET = 'player_set';

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Copies own properties one by one, so a "__proto__" claim stays a claim. */
function addClaims(target, source) {
  for (const [name, value] of Object.entries(source)) {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  }
}

/**
 * The sign options from the form (sign.read()): each param field and the custom claims are
 * checked by the core on their own first, so an error names the input the page gave (`param`,
 * `source`). Resolves to { options, errors, warnings, expiry }.
 */
export async function readForm(flow, form, tokenTypes) {
  const checkType = tokenTypes.some((t) => t.name === form.type) ? form.type : null;
  const timing = { kidIn: form.kidIn };
  if (form.expiresAt !== null) timing.expiresAt = form.expiresAt;
  else if (form.expiration.trim()) timing.expiration = form.expiration;
  const custom = form.custom.trim() ? form.custom : null;

  // First the parts on their own: each field, the custom claims read, the expiry resolved.
  const fieldCalls = checkType ? form.fields.map(([name, value]) => ({ fn: 'checkParams', args: [checkType, { [name]: value }] })) : [];
  const first = await flow.calls([
    ...fieldCalls,
    ...(custom ? [{ fn: 'parseParams', args: [custom] }] : []),
    { fn: 'resolveExpiration', args: [timing] },
  ]);
  const errors = [];
  const params = {};
  form.fields.forEach(([name, value], index) => {
    const checked = checkType ? first[index] : { ok: true };
    if (checked.ok) addClaims(params, { [name]: value });
    else errors.push({ ...checked.error, param: name });
  });
  const parsed = custom ? first[fieldCalls.length] : null;
  const resolved = first.at(-1);
  if (parsed && !parsed.ok) errors.push({ ...parsed.error, source: 'custom' });

  // Then what needs those: the custom claims checked for the type, the whole params (only if
  // nothing failed before), the expiry described.
  const fieldsFailed = errors.length > 0;
  const customCheck = parsed?.ok && checkType ? { fn: 'checkParams', args: [checkType, parsed.value] } : null;
  if (parsed?.ok) addClaims(params, parsed.value);
  const second = await flow.calls([
    ...(customCheck ? [customCheck] : []),
    ...(!fieldsFailed && checkType ? [{ fn: 'checkParams', args: [checkType, params] }] : []),
    ...(resolved.ok ? [{ fn: 'describeExpiry', args: [resolved.value, nowSeconds()] }] : []),
  ]);
  let next = 0;
  if (customCheck) {
    const checked = second[next++];
    if (!checked.ok) errors.push({ ...checked.error, source: 'custom' });
  }
  let warnings = [];
  if (!fieldsFailed && checkType) {
    const whole = second[next++];
    // The whole is checked only when every part passed.
    if (!errors.length) {
      if (whole.ok) warnings = whole.value;
      else errors.push(whole.error);
    }
  }
  let expiry = null;
  if (!resolved.ok) errors.push(resolved.error);
  else {
    const described = second[next];
    if (described.ok) expiry = described.value;
    else errors.push(described.error);
  }
  return { options: { ...timing, params }, errors, warnings, expiry };
}

/** The held key's call that signs `id` for the form's type with `options`. */
export function signCall(id, form, options, tokenTypes) {
  if (form.type === PLAYER_SET) {
    const type = tokenTypes.filter((t) => t.playerSet).map((t) => t.name);
    return { method: 'signPlaybackId', args: [id, { ...options, type }] };
  }
  if (form.type === VIEWER_COUNTS) return { method: 'signViewerCounts', args: [id, { ...options, type: form.idType }] };
  return { method: 'signPlaybackId', args: [id, { ...options, type: form.type }] };
}

/** The core call that writes the URLs of what signCall signed (`signed`: its token or tokens). */
export function urlCall(id, form, signed) {
  if (form.type === PLAYER_SET) return { fn: 'playerUrl', args: [id, signed] };
  return { fn: 'signedUrls', args: [form.type === VIEWER_COUNTS ? 'stats' : form.type, id, signed] };
}

/** What an ID's two calls made: the token, the URL for a table, every URL for the Sign view. */
export function signedResult(form, signed, urls, tokenTypes) {
  if (form.type === PLAYER_SET) {
    const [first, ...rest] = tokenTypes.filter((t) => t.playerSet);
    const playerUrl = urls;
    return {
      token: signed[first.tokenKey],
      url: playerUrl,
      urls: [
        ...rest.map((t) => ({ label: t.tokenKey, url: signed[t.tokenKey] })),
        { label: 'Mux Player URL', url: playerUrl },
        { label: 'Embed', url: embedSnippet(playerUrl) },
      ],
    };
  }
  return { token: signed, url: urls[0]?.url ?? '', urls };
}

/**
 * Signs each of `ids` (two rounds of calls for them all: sign, then their URLs); resolves to
 * one result per ID: { token, url, urls } or { error }, or null when no key is held.
 */
export async function signIds(flow, ids, form, options, tokenTypes) {
  const signed = await flow.calls(ids.map((id) => signCall(id, form, options, tokenTypes)));
  if (signed.some(noKey)) return null;
  const urlCalls = [];
  ids.forEach((id, index) => { if (signed[index].ok) urlCalls.push(urlCall(id, form, signed[index].value)); });
  const urls = urlCalls.length ? await flow.calls(urlCalls) : [];
  let next = 0;
  return signed.map((outcome) => {
    if (!outcome.ok) return { error: outcome.error };
    const written = urls[next++];
    if (!written.ok) return { error: written.error };
    return signedResult(form, outcome.value, written.value, tokenTypes);
  });
}
