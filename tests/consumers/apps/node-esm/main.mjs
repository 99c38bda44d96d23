// Node (22, 24, 26), Bun and Deno: the natural import, nothing else.
import { signPlaybackId, Signer } from 'jwt-signer';

const { KEY_ID: keyId, KEY_SECRET: keySecret, PLAYBACK_ID: playbackId } = process.env;
const token = signPlaybackId(playbackId, { keyId, keySecret, type: 'thumbnail' });
const signer = new Signer(keyId, keySecret);
const tokens = signer.signPlaybackId(playbackId, { type: ['video', 'storyboard'] });
signer.free();
console.log(JSON.stringify({ token, tokens }));
