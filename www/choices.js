// The lists the page offers that the core knows but does not export yet: here once, each
// entry a name the core reads and the page's words for it. The views build their <select>s
// from these (index.html has none), and the Sign view names the core's token types with
// TOKEN_TYPE_LABELS. When the JS API exports them (with their labels), this file goes.

/** What a viewer-counts ID is (the core's ViewerCountsType), the first the default. */
export const VIEWER_COUNTS_TYPES = [
  { name: 'video', label: 'Video ID' },
  { name: 'asset', label: 'Asset ID' },
  { name: 'playback', label: 'Playback ID' },
  { name: 'live_stream', label: 'Live stream ID' },
];

/** Where the signing key ID goes (the core's KidPlacement), the first the default. */
export const KID_PLACEMENTS = [
  { name: 'claims', label: "the claims (like Mux's SDK)" },
  { name: 'header', label: 'the header' },
  { name: 'both', label: 'both' },
];

/** The private key formats "Show private key as…" offers (secret KeyExportFormat names):
 * `label` in the list, `shownAs` above the shown text (never just "Private key": that is the
 * Sign view's input). */
export const PRIVATE_KEY_FORMATS = [
  { name: 'pkcs8-pem', label: 'PKCS#8 PEM (WebCrypto, jose, Node)', shownAs: 'PKCS#8 PEM private key' },
  { name: 'pkcs1-pem', label: 'PKCS#1 PEM', shownAs: 'PKCS#1 PEM private key' },
  { name: 'jwk', label: 'JWK', shownAs: 'JWK private key' },
  { name: 'env', label: 'One line for a .env file', shownAs: 'Private key on one line, for .env' },
];

/** The public forms shown as soon as a key parses (public KeyExportFormat names). */
export const PUBLIC_KEY_FORMATS = { pem: 'public-pem', jwk: 'public-jwk' };

/** The Sign view's names for the core's token types (tokenTypes()); a type without one shows
 * its own name. */
export const TOKEN_TYPE_LABELS = {
  video: 'Video (playback)', thumbnail: 'Thumbnail', gif: 'Animated GIF', storyboard: 'Storyboard',
  drm_license: 'DRM license', stats: 'Stats (playback ID)',
};

/** Fills `select` with `list`'s options (value: name, text: label). */
export function fillSelect(select, list) {
  select.replaceChildren(...list.map(({ name, label }) => new Option(label, name)));
}
