// TypeScript strict: every call below type-checks with no cast (node16, nodenext, bundler).
import { signPlaybackId, Signer, describeExpiry, diagnose, paramSpecs, jwt, type SignerError, type Tokens } from 'jwt-signer';

const keyId = 'kid';
const keySecret = 'secret';
const one: string = signPlaybackId('abc', { keyId, keySecret, type: 'thumbnail' });
const set: Tokens = signPlaybackId('abc', { keyId, keySecret, type: ['video', ['thumbnail', { time: 2 }]] });
const signer = new Signer(keyId, keySecret);
const again: string = signer.signPlaybackId('abc');
const setAgain: Tokens = signer.signPlaybackId('abc', { type: ['video', 'storyboard'] });
const when: string = describeExpiry(2_000_000_000).relative;
const ok: boolean = diagnose('https://stream.mux.com/abc.m3u8').ok;
const common: number = paramSpecs().length;
export async function dropIn(): Promise<[string, Tokens]> {
  return [await jwt.signPlaybackId('abc', { type: 'video' }), await jwt.signPlaybackId('abc', { type: ['video'] })];
}
export function codeOf(error: unknown): string | undefined {
  return (error as SignerError).code;
}
export { one, set, again, setAgain, when, ok, common, signer };
