// The Verify view: a token and an optional public key in; the decoded parts and the verdict out.
import { $ } from '../dom.js';
import { expiryLine } from '../format.js';

// Which input an error's `field` concerns, for aria-invalid; the text goes in the result line.
const INPUTS = { token: 'verify-token', publicKey: 'verify-key' };

export function createVerifyView() {
  function read() {
    return { token: $('verify-token').value, publicKey: $('verify-key').value };
  }

  function show(result) {
    const line = $('verify-result');
    for (const id of Object.values(INPUTS)) $(id).removeAttribute('aria-invalid');
    $('verify-header').textContent = result?.decoded ? JSON.stringify(result.decoded.header, null, 2) : '';
    $('verify-payload').textContent = result?.decoded ? JSON.stringify(result.decoded.claims, null, 2) : '';
    line.textContent = '';
    line.className = 'result';
    delete line.dataset.code;
    if (!result || result.empty) return;
    const expiry = result.expiry ? expiryLine(result.expiry, ['expires', 'expired']) : result.decoded ? 'no expiry' : '';
    const tail = expiry ? ` · ${expiry}` : '';
    const [error] = result.errors;
    if (error) {
      line.textContent = `✗ ${error.message}${tail}`;
      line.className = 'result error';
      line.dataset.code = error.code;
      if (INPUTS[error.field]) $(INPUTS[error.field]).setAttribute('aria-invalid', 'true');
      return;
    }
    if (!result.checkedWith) {
      line.textContent = `Decoded, signature not checked: paste a public key, or a signing key in Sign${tail}`;
      return;
    }
    const by = result.checkedWith === 'publicKey' ? 'the public key above' : 'the signing key';
    line.textContent = `✓ Signature valid (${by})${tail}`;
    line.className = `result ${result.expiry?.expired ? 'warning' : 'ok'}`;
  }

  function reset() {
    $('verify-token').value = '';
    $('verify-key').value = '';
    show(null);
  }

  return { read, show, reset };
}
