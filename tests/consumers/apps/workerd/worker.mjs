// A Cloudflare Worker: the import resolves to the package's `workerd` entry.
import { signPlaybackId, Signer } from 'jwt-signer';

export default {
  fetch(request, env) {
    const playbackId = new URL(request.url).pathname.slice(1);
    const token = signPlaybackId(playbackId, { keyId: env.KEY_ID, keySecret: env.KEY_SECRET, type: 'thumbnail' });
    const signer = new Signer(env.KEY_ID, env.KEY_SECRET);
    const tokens = signer.signPlaybackId(playbackId, { type: ['video', 'storyboard'] });
    signer.free();
    return Response.json({ token, tokens });
  },
};
