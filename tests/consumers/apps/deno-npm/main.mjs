// Deno with an npm: specifier.
import { signPlaybackId, Signer } from 'npm:jwt-signer';

const [keyId, keySecret, playbackId] = ['KEY_ID', 'KEY_SECRET', 'PLAYBACK_ID'].map((name) => Deno.env.get(name));
const token = signPlaybackId(playbackId, { keyId, keySecret, type: 'thumbnail' });
const signer = new Signer(keyId, keySecret);
const tokens = signer.signPlaybackId(playbackId, { type: ['video', 'storyboard'] });
signer.free();
console.log(JSON.stringify({ token, tokens }));
