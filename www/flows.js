// The page's flows, one per view: what to ask the worker (core calls, run there by a flow from
// signer-client.js) and how the answers make what the view shows. Nothing here knows a Mux
// rule; the core decides, these only put its answers together. Bulk's flow is bulk-runner.js.
import { KIND, noKey } from './protocol.js';
import { nowSeconds, readForm, signIds } from './sign-options.js';

/** A new key (and key ID), held by the worker once parsed; describes it or says what is wrong.
 * `formats`: the core's keyExportFormats(), whose public PEM and JWK it shows. */
export async function keyFlow(flow, { keyId, keyText }, formats) {
  const publicIn = (encoding) => formats.find((f) => !f.secret && f.encoding === encoding)?.name;
  const tryKey = Boolean(keyText.trim() && keyId.trim());
  const { held, error: signerError } = await flow.send(KIND.setKey, { keyId, keyText: tryKey ? keyText : null });
  const result = { info: null, errors: [] };
  if (!keyText.trim()) return result;
  if (held) {
    // The public halves, for the Sign view's "Key in other formats" (the private forms are
    // written only when asked: see exportFlow).
    const [info, pem, jwk] = await flow.calls([
      { method: 'keyInfo' },
      { method: 'exportKey', args: [publicIn('pem')] },
      { method: 'exportKey', args: [publicIn('jwk')] },
    ]);
    for (const outcome of [info, pem, jwk]) if (!outcome.ok && outcome.error) result.errors.push(outcome.error);
    if (!info.ok) return result;
    result.info = info.value;
    if (pem.ok && jwk.ok) result.publicForms = { pem: pem.value, jwk: jwk.value };
    return result;
  }
  const info = await flow.call({ fn: 'keyInfo', args: [keyText] });
  if (!info.ok) return { info: null, errors: [info.error] };
  result.info = info.value;
  // The key parses, so the Signer refused the key ID.
  if (signerError) result.errors.push(signerError);
  return result;
}

/** The Sign view: checks the form, signs, decodes and verifies the token. */
export async function signFlow(flow, form, tokenTypes) {
  const { options, errors, warnings, expiry } = await readForm(flow, form, tokenTypes);
  const result = { errors, warnings, expiry, token: null };
  if (errors.length || !form.id.trim()) return result;
  const signed = await signIds(flow, [form.id], form, options, tokenTypes);
  if (!signed) return result; // no key yet
  const [{ token, urls, error }] = signed;
  if (error) {
    result.errors.push(error);
    return result;
  }
  const [decoded, verified] = await flow.calls([{ fn: 'decodeToken', args: [token] }, { method: 'verify', args: [token] }]);
  if (!decoded.ok) return { errors: [decoded.error], token: null };
  // A token that does not verify is never expected: the badge stays hidden.
  return Object.assign(result, { token, urls, decoded: decoded.value, verified: verified.ok });
}

/** The Verify view: decodes, describes the expiry, checks against a public key or the Signer. */
export async function verifyFlow(flow, { token, publicKey }) {
  if (!token.trim()) return { empty: true, errors: [] };
  const decoded = await flow.call({ fn: 'decodeToken', args: [token] });
  if (!decoded.ok) return { errors: [decoded.error] };
  const { expiresAt } = decoded.value;
  const withKey = Boolean(publicKey.trim());
  const [check, described] = await flow.calls([
    withKey ? { fn: 'verifyToken', args: [token, publicKey] } : { method: 'verify', args: [token] },
    ...(expiresAt == null ? [] : [{ fn: 'describeExpiry', args: [expiresAt, nowSeconds()] }]),
  ]);
  if (described && !described.ok) return { errors: [described.error] };
  const result = { decoded: decoded.value, expiry: described?.value ?? null, errors: [], checkedWith: null };
  if (noKey(check)) return result;
  if (check.ok) result.checkedWith = withKey ? 'publicKey' : 'signer';
  else result.errors.push(check.error);
  return result;
}

/**
 * The Diagnose view: the core's findings for a URL, snippet or token. Signatures are checked
 * with the public half of the Sign view's key (the Signer the worker holds), and its key ID is
 * the one the tokens should name; the key itself stays in the worker.
 */
export async function diagnoseFlow(flow, { input }) {
  if (!input.trim()) return { empty: true };
  const [pem, keyId] = await flow.calls([{ method: 'publicKeyPem' }, { method: 'keyId' }]);
  const checked = pem.ok && keyId.ok;
  const options = { now: nowSeconds() };
  if (checked) Object.assign(options, { publicKey: pem.value, keyId: keyId.value });
  const diagnosis = await flow.call({ fn: 'diagnose', args: [input, options] });
  if (!diagnosis.ok) return { errors: [diagnosis.error] };
  return { diagnosis: diagnosis.value, checked, keyId: checked ? keyId.value : null };
}

/** "Show private key": the held key in one private form (secret text: never kept), or
 * { needKey } without one, or null if the core refused. */
export async function exportFlow(flow, format) {
  const written = await flow.call({ method: 'exportKey', args: [format] });
  if (noKey(written)) return { needKey: true };
  return written.ok ? { format, text: written.value } : null;
}
