// The Sign view's "Key in other formats": the public halves shown as soon as a key parses, the
// private forms only after "Show private key", for the form chosen. All are written by the
// worker (Signer.exportKey); this only shows them, and forgets them on a key change or Clear.
import { $ } from '../dom.js';
import { PRIVATE_KEY_FORMATS, fillSelect } from '../choices.js';

export function createKeyExportView() {
  fillSelect($('export-format'), PRIVATE_KEY_FORMATS);

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
    $('export-private-label').textContent = PRIVATE_KEY_FORMATS.find((f) => f.name === format)?.shownAs ?? 'Shown private key';
    $('export-private').textContent = text;
    $('export-private-field').hidden = false;
  }

  /** The chosen private format, or null (none of PRIVATE_KEY_FORMATS). */
  function format() {
    const name = $('export-format').value;
    return PRIVATE_KEY_FORMATS.some((f) => f.name === name) ? name : null;
  }

  function reset() {
    showPublic(null);
    $('export-format').selectedIndex = 0;
  }

  return { showPublic, showPrivate, hidePrivate, format, reset };
}
