/**
 * @module
 * The signature of an SMS gateway request: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<body>")>`. The timestamp inside the signed bytes lets a gateway refuse a replayed request.
 */

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { timingSafeEqual } from '@secondfactor/core';
import { checkOptions, invalidArgument } from '../checks';

/**
 * The header that carries the signature.
 *
 * @example
 * ```ts
 * import { SMS_SIGNATURE_HEADER, verifySmsSignature } from '@secondfactor/channels';
 *
 * const result = verifySmsSignature(request.headers.get(SMS_SIGNATURE_HEADER), await request.text(), {
 *   secret: process.env.SMS_SECRET as string,
 * });
 * ```
 */
export const SMS_SIGNATURE_HEADER = 'X-Signature';

/**
 * The fewest bytes a signing secret may have (128 bits).
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { MIN_SMS_SECRET_BYTES } from '@secondfactor/channels';
 *
 * const secret = randomBytes(2 * MIN_SMS_SECRET_BYTES); // 32 bytes, as recommended
 * ```
 */
export const MIN_SMS_SECRET_BYTES = 16;

const encoder = /* @__PURE__ */ new TextEncoder();

/** A shared secret as bytes: a string (UTF-8) or a `Uint8Array` of at least {@link MIN_SMS_SECRET_BYTES}. */
export function checkSmsSecret(secret: unknown, name: string): Uint8Array {
  const bytes = typeof secret === 'string' ? encoder.encode(secret) : secret;
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_SMS_SECRET_BYTES) {
    throw invalidArgument(name, `must be a string or Uint8Array of at least ${MIN_SMS_SECRET_BYTES} bytes`);
  }
  return bytes;
}

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/** Hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`. */
function mac(secret: Uint8Array, timestamp: number, body: Uint8Array): string {
  const prefix = encoder.encode(`${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix, 0);
  signed.set(body, prefix.length);
  return bytesToHex(hmac(sha256, secret, signed));
}

/**
 * The `X-Signature` value for `body` sent at `timestamp` (Unix seconds). `httpSmsProvider` uses it; a
 * test of a gateway may too.
 *
 * @example
 * ```ts
 * import { signSmsRequest } from '@secondfactor/channels';
 *
 * signSmsRequest('a-shared-secret-of-32-bytes-....', 1767225600, '{"to":"+15551234567"}');
 * // 't=1767225600,v1=…'
 * ```
 */
export function signSmsRequest(
  secret: string | Uint8Array,
  timestamp: number,
  body: string | Uint8Array,
): string {
  const key = checkSmsSecret(secret, 'secret');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw invalidArgument('timestamp', 'must be Unix seconds');
  if (typeof body !== 'string' && !(body instanceof Uint8Array))
    throw invalidArgument('body', 'must be a string or Uint8Array');
  return `t=${timestamp},v1=${mac(key, timestamp, toBytes(body))}`;
}

/**
 * Options of {@link verifySmsSignature}.
 *
 * @example
 * ```ts
 * import { verifySmsSignature } from '@secondfactor/channels';
 *
 * // during a rotation the gateway accepts the new secret and the old one
 * const result = verifySmsSignature(request.headers.get('x-signature'), await request.text(), {
 *   secret: [process.env.SMS_SECRET as string, process.env.SMS_SECRET_PREVIOUS as string],
 *   toleranceSeconds: 60,
 * });
 * ```
 */
export interface VerifySmsSignatureOptions {
  /** The shared secret, or several during a rotation (any one may match). */
  secret: string | Uint8Array | readonly (string | Uint8Array)[];
  /** The current time in Unix milliseconds. @default Date.now() */
  now?: number | undefined;
  /** How far the timestamp may be from `now`, either way, in seconds. @default 300 */
  toleranceSeconds?: number | undefined;
}

/**
 * The outcome of {@link verifySmsSignature}.
 *
 * @example
 * ```ts
 * import { type SmsSignatureResult, verifySmsSignature } from '@secondfactor/channels';
 *
 * const result: SmsSignatureResult = verifySmsSignature(request.headers.get('x-signature'), rawBody, {
 *   secret: process.env.SMS_SECRET as string,
 * });
 * if (result.valid) {
 *   result.timestamp; // the Unix seconds the request was signed at
 * } else {
 *   result.reason; // 'missing' | 'malformed' | 'stale' | 'mismatch'
 * }
 * ```
 */
export type SmsSignatureResult =
  | { valid: true; timestamp: number }
  | { valid: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks a request an `httpSmsProvider` sent, for a gateway (or a host relaying to one): the header
 * must parse, its timestamp must be within `toleranceSeconds` of `now` (a replayed request is refused
 * once that has passed; a gateway that must refuse replays sooner keeps the signatures it has seen for
 * that long), and one `v1` must equal the HMAC of `"<t>.<raw body>"`, compared in constant time.
 * Verify the raw body bytes as received, before parsing the JSON.
 *
 * @throws {SecondFactorError} `invalid_argument` for bad options (a wrong signature is a result, not an error).
 *
 * @example
 * ```ts
 * import { verifySmsSignature } from '@secondfactor/channels';
 *
 * const result = verifySmsSignature(request.headers['x-signature'], rawBody, { secret: process.env.SMS_SECRET as string });
 * if (!result.valid) return respond(401);
 * const { to, text } = JSON.parse(rawBody);
 * ```
 */
export function verifySmsSignature(
  header: string | null | undefined,
  body: string | Uint8Array,
  options: VerifySmsSignatureOptions,
): SmsSignatureResult {
  const opts = checkOptions<VerifySmsSignatureOptions>(options);
  const secrets = (Array.isArray(opts.secret) ? opts.secret : [opts.secret]).map((s, i) =>
    checkSmsSecret(s, Array.isArray(opts.secret) ? `options.secret[${i}]` : 'options.secret'),
  );
  if (secrets.length === 0) throw invalidArgument('options.secret', 'must name at least one secret');
  const now = opts.now ?? Date.now();
  if (!Number.isFinite(now)) throw invalidArgument('options.now', 'must be Unix milliseconds');
  const tolerance = opts.toleranceSeconds ?? 300;
  if (!Number.isSafeInteger(tolerance) || tolerance < 0) {
    throw invalidArgument('options.toleranceSeconds', 'must be a whole number ≥ 0');
  }
  if (typeof body !== 'string' && !(body instanceof Uint8Array))
    throw invalidArgument('body', 'must be a string or Uint8Array');

  if (header === undefined || header === null || header === '') return { valid: false, reason: 'missing' };
  if (typeof header !== 'string' || header.length > 1024) return { valid: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0) return { valid: false, reason: 'malformed' };
    if (key === 't') {
      if (timestamp !== undefined || !/^[0-9]{1,12}$/.test(value))
        return { valid: false, reason: 'malformed' };
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return { valid: false, reason: 'malformed' };
      candidates.push(value);
    }
  }
  if (timestamp === undefined || candidates.length === 0) return { valid: false, reason: 'malformed' };
  if (Math.abs(now / 1000 - timestamp) > tolerance) return { valid: false, reason: 'stale' };

  const bytes = toBytes(body);
  let matched = false;
  // Every secret against every candidate, without stopping at the first match.
  for (const secret of secrets) {
    const expected = mac(secret, timestamp, bytes);
    for (const candidate of candidates) matched = timingSafeEqual(expected, candidate) || matched;
  }
  return matched ? { valid: true, timestamp } : { valid: false, reason: 'mismatch' };
}
