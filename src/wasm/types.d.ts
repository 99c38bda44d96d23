// TypeScript declarations added to pkg/jwt_signer.d.ts beside what wasm-bindgen generates.
// `ErrorCode` lists exactly `Error::CODES` (a test keeps them equal).
/** A playback token type, as the official SDK names it. */
export type TokenType = "video" | "thumbnail" | "gif" | "storyboard" | "drm_license" | "stats";
/** What kind of ID a viewer-counts token is for. */
export type ViewerCountsType = "video" | "asset" | "playback" | "live_stream";
/** Where the signing key ID goes: the claims (the SDK's layout), the JOSE header, or both. */
export type KidPlacement = "claims" | "header" | "both";
/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** Claims beside kid, sub, aud and exp, kept in their key order. */
export type Params = { [name: string]: JsonValue };
/** The token-set keys of the SDK's `Tokens`. */
export type TokenKey = "playback-token" | "thumbnail-token" | "gif-token" | "storyboard-token" | "drm-token" | "stats-token";
/** Tokens by type, as `signPlaybackId` returns for a `type` array. */
export type Tokens = Partial<Record<TokenKey, string>>;

/** Options shared by every sign call. */
export interface SignOptionsBase {
  /** Seconds (a whole number, or a numeric string) or a duration: "7d", "2 days", "10h", "30 minutes", "1w". Default: `defaultExpiration()`. */
  expiration?: string | number;
  /** An absolute expiry instead: Unix seconds, an RFC 3339 date-time, or a Date. */
  expiresAt?: number | string | Date;
  /** Claims beside the four the signer sets. */
  params?: Params;
  /** Where the key ID goes. Default "claims". */
  kidIn?: KidPlacement;
}
/** The key, for the module-level functions (a `Signer` holds its own). */
export interface KeyOptions {
  /** The signing key ID. */
  keyId: string;
  /** The private key: Mux's base64 PEM, a PEM, base64 DER or a JWK. */
  keySecret: string;
}
/** Options of `Signer.signPlaybackId` for one token. */
export interface PlaybackOptions extends SignOptionsBase {
  type?: TokenType;
}
/** Options of `Signer.signPlaybackId` for a token set: entries are types or [type, params]. */
export interface PlaybackSetOptions extends SignOptionsBase {
  type: Array<TokenType | [TokenType, Params?]>;
}
/** Options of `Signer.signViewerCounts`. Default type "video". */
export interface ViewerCountsOptions extends SignOptionsBase {
  type?: ViewerCountsType;
}
export type SignPlaybackIdOptions = KeyOptions & (PlaybackOptions | PlaybackSetOptions);
export type SignDrmLicenseOptions = KeyOptions & SignOptionsBase;
export type SignViewerCountsOptions = KeyOptions & ViewerCountsOptions;

/** What a parsed key is; nothing secret. */
export interface KeyInfo {
  algorithm: "RSA";
  bits: number;
  format: { syntax: "pkcs1" | "pkcs8" | "jwk"; encoding: "base64_pem" | "pem" | "base64_der" | "jwk" };
  /** e.g. "PKCS#1 · base64 PEM" */
  formatLabel: string;
  /** RFC 7638 JWK thumbprint. */
  thumbprint: string;
}
/** A public JWK. */
export interface PublicJwk { kty: "RSA"; n: string; e: string; alg: "RS256"; use: "sig"; kid: string }
/** A token taken apart. */
export interface DecodedToken {
  header: { [name: string]: JsonValue };
  claims: { [name: string]: JsonValue };
  /** base64url, as in the token */
  signature: string;
  /** The exp claim, Unix seconds. */
  expiresAt?: number;
  expiry: "valid" | "expired" | "no_expiry";
}
/** A documented param of a token type and what it accepts. */
export interface ParamSpec {
  name: string;
  kind: "text" | "number" | "integer" | "boolean" | "choice" | "object";
  min?: number;
  max?: number;
  choices: string[];
}
/** A signed URL and what it fetches. */
export interface SignedUrl { label: string; url: string }

/** Every stable error code (`error.code`); branch on these, never on the message. */
export type ErrorCode =
  | "key_missing"
  | "key_too_long"
  | "key_not_a_key"
  | "key_is_public"
  | "key_is_certificate"
  | "key_unsupported_type"
  | "key_openssh"
  | "key_encrypted"
  | "key_too_small"
  | "key_too_large"
  | "key_damaged"
  | "key_unknown_pem_label"
  | "key_jwk_public_only"
  | "key_jwk_invalid"
  | "public_key_invalid"
  | "key_id_missing"
  | "key_id_invalid"
  | "id_missing"
  | "id_invalid"
  | "type_unknown"
  | "viewer_counts_type_unknown"
  | "kid_in_unknown"
  | "key_format_unknown"
  | "expiration_invalid"
  | "expiration_looks_like_unix_time"
  | "expiration_not_future"
  | "expiration_too_far"
  | "expiration_conflict"
  | "param_invalid"
  | "params_invalid"
  | "options_invalid"
  | "token_malformed"
  | "token_algorithm_unsupported"
  | "signature_invalid"
  | "random_failed"
  | "signing_failed"
  | "serialization_failed";
/** The input an error concerns (`error.field`), named as the options and arguments are. */
export type ErrorField = "keyId" | "keySecret" | "playbackId" | "type" | "expiration" | "expiresAt" | "params" | "kidIn" | "token" | "publicKey" | "options";
/** What every function and method throws: an `Error` with a stable code and the input it concerns. */
export interface SignerError extends Error { code: ErrorCode | HostErrorCode; field: ErrorField }
/**
 * The npm package's own codes, about the WebAssembly instance rather than an input:
 * `wasm_trapped` — the call hit a trap; the instance was replaced by a fresh one (make Signers
 * again); `signer_stale` — this Signer was made on an instance since replaced.
 */
export type HostErrorCode = "wasm_trapped" | "signer_stale";
/** A token type as the core knows it. */
export interface TokenTypeInfo {
  name: TokenType;
  /** What people call it, e.g. "Animated GIF". */
  label: string;
  /** The `aud` claim Mux checks. */
  aud: string;
  /** The key in a token set (Mux Player's attribute name). */
  tokenKey: TokenKey;
  /** Whether it belongs to the set Mux Player takes (video, thumbnail, storyboard). */
  playerSet: boolean;
  /** Its place in Mux Player: needed, in its default set, only for DRM, or none. */
  player: "required" | "default" | "drm" | null;
}
/** What the signer accepts as a playback ID, after trimming whitespace. */
export interface PlaybackIdRule {
  maxLength: number;
  /** A regular expression (`new RegExp(pattern)`) over the trimmed ID. */
  pattern: string;
}
/** An expiry described for people. */
export interface ExpiryDescription {
  /** Unix seconds. */
  expiresAt: number;
  /** RFC 3339, UTC. */
  iso: string;
  /** "in 7 days", "2 hours ago". */
  relative: string;
  expired: boolean;
}
/** Options of `diagnose`. */
export interface DiagnoseOptions {
  /** A private key (any form `Signer` reads) whose public half checks signatures. */
  key?: string;
  /** A public key (PEM or JWK) to check signatures with. */
  publicKey?: string;
  /** The signing key ID the tokens should name. */
  keyId?: string;
  /** The clock, Unix seconds (default: now). */
  now?: number;
}
/** One thing `diagnose` found. */
export interface Finding {
  /** Stable: not_a_jwt, token_missing, alg_not_rs256, aud_missing, aud_mismatch, sub_missing, sub_mismatch, exp_missing, expired, exp_in_milliseconds, not_yet_valid, kid_missing, kid_mismatch, signature_invalid, signature_not_checked, params_outside_token, param_invalid, param_unknown, wrong_token_role, custom_domain, summary. */
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  /** What to do; empty for facts. */
  fix: string;
}
/** What `diagnose` returns. */
export interface Diagnosis {
  input: "url" | "player_url" | "snippet" | "token";
  playbackId?: string;
  tokens: Array<{ role: string; tokenType?: TokenType; header?: { [name: string]: JsonValue }; claims?: { [name: string]: JsonValue }; findings: Finding[] }>;
  findings: Finding[];
  /** True when no finding is an error. */
  ok: boolean;
}
/** The formats `Signer.exportKey` writes. The private ones return secret text: handle it as the key itself. */
export type KeyExportFormat = "pkcs8-pem" | "pkcs1-pem" | "jwk" | "mux-base64" | "env" | "public-pem" | "public-jwk";
/** A name the core reads, with what people call it. */
export interface Choice<Name extends string> { name: Name; label: string }
/** A viewer-counts ID type, with the `aud` claim it signs. */
export interface ViewerCountsTypeInfo extends Choice<ViewerCountsType> { aud: string }
/** A format `Signer.exportKey` writes. */
export interface KeyExportFormatInfo extends Choice<KeyExportFormat> {
  /** What a text in the format is, e.g. "PKCS#8 PEM private key". */
  title: string;
  encoding: "pem" | "jwk" | "base64" | "env";
  /** The text holds the private key: handle it as the key itself. */
  secret: boolean;
}
