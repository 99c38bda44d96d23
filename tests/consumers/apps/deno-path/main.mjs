// Deno importing the package's entry by a local path (a vendored copy, no package.json).
import { signPlaybackId, Signer } from '../node_modules/jwt-signer/index.mjs';

const [keyId, keySecret, playbackId] = ['KEY_ID', 'KEY_SECRET', 'PLAYBACK_ID'].map((name) => Deno.env.get(name));
const token = signPlaybackId(playbackId, { keyId, keySecret, type: 'thumbnail' });
const signer = new Signer(keyId, keySecret);
const tokens = signer.signPlaybackId(playbackId, { type: ['video', 'storyboard'] });
signer.free();
console.log(JSON.stringify({ token, tokens }));
