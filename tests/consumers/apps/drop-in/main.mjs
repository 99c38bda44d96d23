// Code written for @mux/mux-node's `mux.jwt`, switched by one line: the key comes from
// MUX_SIGNING_KEY / MUX_PRIVATE_KEY, as the SDK reads it.
import { jwt } from 'jwt-signer';

const playbackId = process.env.PLAYBACK_ID;
const token = await jwt.signPlaybackId(playbackId, { type: 'thumbnail' });
const tokens = await jwt.signPlaybackId(playbackId, { type: ['video', 'storyboard'] });
console.log(JSON.stringify({ token, tokens }));
