// The Sign view's "Key in other formats": the public halves shown as soon as a key parses, the
// private forms only after "Show private key", for the form chosen. All are written by the
// worker (Signer.exportKey); this only shows them, and forgets them on a key change or Clear.
import { $, fillSelect } from '../dom.js';

/** `formats`: the core's keyExportFormats(); the secret ones are offered, the first chosen. */
export function createKeyExportView(formats) {
  const privateFormats = formats.filter((f) => f.secret);
  fillSelect($('export-format'), privateFormats);

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
    $('export-private-label').textContent = privateFormats.find((f) => f.name === format)?.title ?? 'Shown private key';
    $('export-private').textContent = text;
    $('export-private-field').hidden = false;
  }

  /** The chosen private format, or null (none of the secret formats). */
  function format() {
    const name = $('export-format').value;
    return privateFormats.some((f) => f.name === name) ? name : null;
  }

  function reset() {
    showPublic(null);
    $('export-format').selectedIndex = 0;
  }

  return { showPublic, showPrivate, hidePrivate, format, reset };
}
