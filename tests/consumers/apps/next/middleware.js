// Next.js middleware (the Edge runtime): answers /mw/<playbackId> itself.
import { signPlaybackId, Signer } from 'jwt-signer';

export const config = { matcher: '/mw/:id' };

export function middleware(request) {
  const id = new URL(request.url).pathname.split('/')[2];
  const { KEY_ID: keyId, KEY_SECRET: keySecret } = process.env;
  const token = signPlaybackId(id, { keyId, keySecret, type: 'thumbnail' });
  const signer = new Signer(keyId, keySecret);
  const tokens = signer.signPlaybackId(id, { type: ['video', 'storyboard'] });
  signer.free();
  return Response.json({ token, tokens });
}
