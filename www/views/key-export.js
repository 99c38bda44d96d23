// The Sign view's "Key in other formats": the public halves shown as soon as a key parses, the
// private forms only after "Show private key", for the form chosen. All are written by the
// worker (Signer.exportKey); this only shows them, and forgets them on a key change or Clear.
import { $ } from '../dom.js';

// Never just "Private key": that is the Sign view's input.
const LABELS = { 'pkcs8-pem': 'PKCS#8 PEM private key', 'pkcs1-pem': 'PKCS#1 PEM private key', jwk: 'JWK private key', env: 'Private key on one line, for .env' };

export function createKeyExportView() {
  function hidePrivate() {
    $('export-private').textContent = '';
    $('export-private-field').hidden = true;
  }

  /** `forms`: { pem, jwk } of the parsed key, or null (no key, or no key ID). */
  function showPublic(forms) {
    hidePrivate();
    $('export-public-pem').textContent = forms?.pem ?? '';
    $('export-public-jwk').textContent = forms?.jwk ?? '';
    $('key-export').hidden = !forms;
  }

  function showPrivate({ format, text }) {
    $('export-private-label').textContent = LABELS[format] ?? 'Shown private key';
    $('export-private').textContent = text;
    $('export-private-field').hidden = false;
  }

  function format() {
    return $('export-format').value;
  }

  function reset() {
    showPublic(null);
    $('export-format').selectedIndex = 0;
  }

  return { showPublic, showPrivate, hidePrivate, format, reset };
}
