// A browser app, bundled by Vite, webpack, esbuild or Rollup with no plugin and no config, or
// loaded as it is by a <script type="module"> with an import map.
import { signPlaybackId, Signer } from 'jwt-signer';

const out = document.querySelector('#out');
try {
  const { keyId, keySecret, playbackId } = window.CONSUMER_INPUT;
  const token = signPlaybackId(playbackId, { keyId, keySecret, type: 'thumbnail' });
  const signer = new Signer(keyId, keySecret);
  const tokens = signer.signPlaybackId(playbackId, { type: ['video', 'storyboard'] });
  signer.free();
  out.textContent = JSON.stringify({ token, tokens });
} catch (error) {
  out.textContent = `ERROR ${error.code ?? ''} ${error.message}`;
}
