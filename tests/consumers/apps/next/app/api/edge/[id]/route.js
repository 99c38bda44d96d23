// A Next.js route handler on the Edge runtime.
import { signPlaybackId, Signer } from 'jwt-signer';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export async function GET(request, { params }) {
  const { id } = await params;
  const { KEY_ID: keyId, KEY_SECRET: keySecret } = process.env;
  const token = signPlaybackId(id, { keyId, keySecret, type: 'thumbnail' });
  const signer = new Signer(keyId, keySecret);
  const tokens = signer.signPlaybackId(id, { type: ['video', 'storyboard'] });
  signer.free();
  return Response.json({ token, tokens });
}
