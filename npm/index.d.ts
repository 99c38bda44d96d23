// The package's types: wasm-bindgen's declarations, with overloads where a result depends on
// an option and optional arguments marked so (TypeScript strict needs no casts).
import type {
  Diagnosis, DiagnoseOptions, ExpiryDescription, KeyOptions, ParamSpec, PlaybackOptions,
  PlaybackSetOptions, SignDrmLicenseOptions, SignViewerCountsOptions, Tokens, TokenType,
  Signer as GeneratedSigner,
} from './jwt_signer.js';

export * from './jwt_signer.js';

/** A token for one type (default `video`). */
export declare function signPlaybackId(playbackId: string, options: KeyOptions & PlaybackOptions): string;
/** A token set keyed `playback-token`, `thumbnail-token`…, for `type` as an array. */
export declare function signPlaybackId(playbackId: string, options: KeyOptions & PlaybackSetOptions): Tokens;
/** An expiry described for people; `now` defaults to the clock. */
export declare function describeExpiry(expiresAt: number, now?: number): ExpiryDescription;
/** Why Mux would reject a signed URL, player URL, snippet or token. */
export declare function diagnose(input: string, options?: DiagnoseOptions): Diagnosis;
/** The documented params of a type; with no type, those common to every type. */
export declare function paramSpecs(tokenType?: TokenType | null): ParamSpec[];

/** A parsed key that signs many tokens (`free()` wipes it at once). */
export interface Signer extends Omit<GeneratedSigner, 'signPlaybackId'> {
  signPlaybackId(playbackId: string, options?: PlaybackOptions): string;
  signPlaybackId(playbackId: string, options: PlaybackSetOptions): Tokens;
}
export declare const Signer: {
  prototype: Signer;
  /** Parses the key once. Throws a `SignerError` saying what is wrong with it. */
  new (keyId: string, keySecret: string): Signer;
};

/** Options of the `jwt` drop-in: the SDK's, with `keyId`/`keySecret` falling back to
 * `MUX_SIGNING_KEY`/`MUX_PRIVATE_KEY` where the runtime has `process.env`. */
export type MuxJwtKey = Partial<KeyOptions>;

/** A drop-in for `mux.jwt` of `@mux/mux-node`: the same calls, results and Promises. */
export declare const jwt: {
  signPlaybackId(playbackId: string, options?: MuxJwtKey & PlaybackOptions): Promise<string>;
  signPlaybackId(playbackId: string, options: MuxJwtKey & PlaybackSetOptions): Promise<Tokens>;
  signDrmLicense(playbackId: string, options?: Partial<SignDrmLicenseOptions>): Promise<string>;
  signViewerCounts(id: string, options?: Partial<SignViewerCountsOptions>): Promise<string>;
};
