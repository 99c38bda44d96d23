// Output formatting for the page's views and flows: text the user reads or downloads.
// Nothing here knows a Mux rule; the core decides what is valid, this only lays it out.

/** "RSA 2048-bit · PKCS#1 · base64 PEM · thumbprint …" for a KeyInfo from the core. */
export function keySummary(info) {
  return `RSA ${info.bits}-bit · ${info.formatLabel} · thumbprint ${info.thumbprint}`;
}

/** "Expires 2031-04-03 05:06:00 UTC+02:00 (in 2 hours)" for a describeExpiry() result. */
export function expiryLine(expiry, verbs = ['Expires', 'Expired']) {
  return `${expiry.expired ? verbs[1] : verbs[0]} ${localTime(expiry.expiresAt)} (${expiry.relative})`;
}

/** Unix seconds as the browser's local date and time with its UTC offset, one way in every
 * locale (04/03 is April or March depending on who reads it). Written by hand, not with
 * toLocaleString: its first call loads the locale data, 25–45 ms of the main thread during the
 * page's cold start (measured in Chromium and Node). */
export function localTime(seconds) {
  const date = new Date(seconds * 1000);
  const two = (n) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `UTC${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${zone}`;
}

/** Unix seconds for a `datetime-local` value, read in the browser's time zone. */
export function localDateTimeToUnix(value) {
  return Math.floor(new Date(value).getTime() / 1000);
}

/** A URL cut to its start (the ID is near it), for a table cell; the CSV has it whole. */
export function excerpt(text, length = 48) {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** A token's first and last characters (every token starts alike), for a table cell. */
export function tokenExcerpt(token) {
  return token.length > 40 ? `${token.slice(0, 16)}…${token.slice(-16)}` : token;
}

/** Mux Player's `<iframe>` snippet for a player URL. */
export function embedSnippet(playerUrl) {
  return `<iframe src="${playerUrl.replace(/&/g, '&amp;')}" style="width:100%;border:none;aspect-ratio:16/9" allow="accelerometer; gyroscope; autoplay; encrypted-media; picture-in-picture;" allowfullscreen></iframe>`;
}

// A spreadsheet runs a cell that starts with one of these as a formula. Only a line that failed
// can start so (an ID Mux accepts has letters, digits and - _ . ~ only, and tokens and URLs never
// do), so only failed lines are defused, with a leading apostrophe (OWASP's advice).
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: always quoted, quotes doubled (RFC 4180). */
function cell(text) {
  return `"${String(text).replace(/"/g, '""')}"`;
}

/** The bulk CSV: a header and one line per ID, in the list's order, failed ones with their error.
 * Without the header (`header: false`) it is the CSV's continuation, to write a long list in parts. */
export function bulkCsv(rows, { header = true } = {}) {
  const lines = header ? ['id,token,url,error,code'.split(',').map(cell).join(',')] : [];
  for (const { id, token = '', url = '', error = '', code = '' } of rows) {
    const shownId = error && FORMULA_START.test(id) ? `'${id}` : id;
    lines.push([shownId, token, url, error, code].map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
