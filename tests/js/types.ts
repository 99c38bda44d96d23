// Type-checked by `tsc` in `make test`: the declarations are typed, not `any`. Each line
// marked as an expected error must fail to compile, or tsc reports the marker as unused.
import init, {
  Signer, signPlaybackId, signDrmLicense, signViewerCounts, decodeToken, verifyToken,
  type KeyInfo, type Tokens, type DecodedToken, type PublicJwk,
} from '../../pkg/jwt_signer.js';

export async function examples(keyId: string, keySecret: string): Promise<void> {
  await init();
  const one: string | Tokens = signPlaybackId('p1', { keyId, keySecret, type: 'thumbnail', params: { time: 2 } });
  const set = signPlaybackId('p1', { keyId, keySecret, type: ['video', ['thumbnail', { time: 2 }]] });
  const drm: string = signDrmLicense('p1', { keyId, keySecret, expiration: '1h' });
  const counts: string = signViewerCounts('ls1', { keyId, keySecret, type: 'live_stream', expiresAt: 4102444800 });
  const signer = new Signer(keyId, keySecret);
  const info: KeyInfo = signer.keyInfo();
  const bits: number = info.bits;
  const jwk: PublicJwk = signer.publicJwk();
  const decoded: DecodedToken = decodeToken(drm);
  const expiry: 'valid' | 'expired' | 'no_expiry' = verifyToken(counts, signer.publicKeyPem()).expiry;
  void [one, set, bits, jwk, decoded, expiry];

  // @ts-expect-error: not a token type
  signPlaybackId('p1', { keyId, keySecret, type: 'poster' });
  // @ts-expect-error: keySecret is required by the module-level functions
  signPlaybackId('p1', { keyId });
  // @ts-expect-error: kidIn takes claims, header or both
  signer.signPlaybackId('p1', { kidIn: 'footer' });
  // @ts-expect-error: viewer counts take their own ID types
  signer.signViewerCounts('ls1', { type: 'thumbnail' });
  // @ts-expect-error: expiration is a string or a number
  signDrmLicense('p1', { keyId, keySecret, expiration: true });
  // @ts-expect-error: a token set has no such key
  const missing: Tokens = { 'poster-token': 'x' };
  void missing;
}
