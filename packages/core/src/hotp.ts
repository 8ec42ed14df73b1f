/**
 * @module
 * HOTP, RFC 4226: the code of one counter value, and verification of the counters after the last used
 * one with a bounded look-ahead and no look-behind.
 */

import { formatCode, POW10, parseCode } from './code';
import { timingSafeEqualInt } from './compare';
import { type Algorithm, DEFAULT_LOOK_AHEAD, MAX_COUNTER, MAX_LOOK_AHEAD } from './constants';
import { type HmacEngine, sharedEngine } from './hmac';
import { checkAlgorithm, checkCount, checkDigits, checkOptions, checkSecret, splitCounter } from './validate';

/**
 * Options shared by every HOTP and TOTP function.
 *
 * @example
 * ```ts
 * import { hotp, type OtpOptions, totp } from '@secondfactor/core';
 *
 * const options: OtpOptions = { algorithm: 'SHA256', digits: 8 };
 * const secret = new TextEncoder().encode('12345678901234567890123456789012');
 * hotp(secret, 1, options);
 * totp(secret, { ...options, time: 59_000 }); // '46119246' (RFC 6238 App. B)
 * ```
 */
export interface OtpOptions {
  /**
   * HMAC hash function (RFC 6238 §1.2).
   * @default 'SHA1'
   */
  algorithm?: Algorithm | undefined;
  /**
   * Code length, 6 to 8 (RFC 4226 §5.3 requires at least 6; checklist A9).
   * @default 6
   */
  digits?: number | undefined;
}

/**
 * Options of {@link verifyHotp}.
 *
 * @example
 * ```ts
 * import { type VerifyHotpOptions, verifyHotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * const options: VerifyHotpOptions = { lastUsedStep: 0, lookAhead: 5 };
 * verifyHotp(secret, '969429', options); // { valid: true, counter: 3 } (RFC 4226 App. D)
 * ```
 */
export interface VerifyHotpOptions extends OtpOptions {
  /**
   * The counter of the last code accepted for this credential (the store's
   * `CredentialRecord.lastUsedStep`), or `undefined` when no code was used yet. Only counters greater
   * than it are tried, so a code is accepted at most once and never for a lower counter (RFC 4226 §7.2).
   * Persist `counter` of each success here. Counters above 2^53 − 1 must be a `bigint`.
   * @default undefined (no code used yet: counters from 0 are tried)
   */
  lastUsedStep?: number | bigint | undefined;
  /**
   * How many counters past the first one are also tried (RFC 4226 §7.4 look-ahead s), 0 to 10: the
   * counters `lastUsedStep + 1` to `lastUsedStep + 1 + lookAhead`. At most `lookAhead + 1` HMACs are
   * computed per attempt.
   * @default 2
   */
  lookAhead?: number | undefined;
}

/**
 * A code accepted by {@link verifyHotp}; persist `counter` as the credential's `lastUsedStep`.
 *
 * @example
 * ```ts
 * import { verifyHotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * const result = verifyHotp(secret, '359152', { lastUsedStep: 1n });
 * if (result.valid) {
 *   result.counter; // 2n, a HotpMatch<bigint> because lastUsedStep was a bigint
 * }
 * ```
 */
export interface HotpMatch<C extends number | bigint = number | bigint> {
  valid: true;
  /** The counter the code belongs to, a `bigint` when `lastUsedStep` was one. */
  counter: C;
}

/**
 * A code {@link verifyHotp} refused: `malformed` (not a code at all) or `mismatch`.
 *
 * @example
 * ```ts
 * import { verifyHotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * const result = verifyHotp(secret, '12ab56');
 * if (!result.valid) {
 *   result.reason; // 'malformed'; a wrong 6-digit code gives 'mismatch'
 * }
 * ```
 */
export interface HotpRejection {
  valid: false;
  reason: 'mismatch' | 'malformed';
}

/**
 * The outcome of {@link verifyHotp}.
 *
 * @example
 * ```ts
 * import { type VerifyHotpResult, verifyHotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * const result: VerifyHotpResult<number> = verifyHotp(secret, '755224');
 * const nextLastUsedStep = result.valid ? result.counter : undefined; // 0
 * ```
 */
export type VerifyHotpResult<C extends number | bigint = number | bigint> = HotpMatch<C> | HotpRejection;

/** The result for a malformed code, shared with the prepared form. */
export const HOTP_MALFORMED: HotpRejection = /* @__PURE__ */ Object.freeze({
  valid: false,
  reason: 'malformed',
});
/** The result for a code that matches no candidate, shared with the prepared form. */
export const MISMATCH: HotpRejection = /* @__PURE__ */ Object.freeze({ valid: false, reason: 'mismatch' });

/**
 * The HOTP code of `counter` (RFC 4226 §5.3): HMAC over the 8-byte big-endian counter, dynamic
 * truncation, `mod 10^digits`, zero-padded.
 *
 * @param secret - the shared key (RFC 4226 §5.1 K), not empty.
 * @param counter - from 0 to 2^64 − 1; counters above 2^53 − 1 must be a `bigint`.
 * @throws {SecondFactorError} `invalid_secret` for an empty or non-`Uint8Array` secret;
 * `invalid_argument` for a bad counter or option.
 *
 * @example
 * ```ts
 * import { hotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * hotp(secret, 0); // '755224' (RFC 4226 App. D)
 * hotp(secret, 2n ** 64n - 1n, { digits: 8, algorithm: 'SHA256' });
 * ```
 */
export function hotp(secret: Uint8Array, counter: number | bigint, options?: OtpOptions): string {
  const key = checkSecret(secret);
  const [hi, lo] = splitCounter(counter);
  const opts = checkOptions<OtpOptions>(options);
  const algorithm = checkAlgorithm(opts.algorithm);
  const digits = checkDigits(opts.digits);
  const engine = sharedEngine(algorithm);
  try {
    engine.setKey(key);
    return formatCode(engine.truncated(hi, lo), digits);
  } finally {
    engine.wipe();
  }
}

/**
 * Tries `counter`, `counter + 1`, … `counter + lookAhead` (`counter` = the first candidate) with a keyed engine. Every candidate is
 * computed and compared in constant time. When a code matches two counters (a 1-in-10^digits
 * coincidence) the highest wins: the persisted `lastUsedStep` then passes every counter the code matched, so the
 * same code can never be accepted twice. Returns the offset of the match from `counter`, or -1.
 */
export function matchCounters(
  engine: HmacEngine,
  digits: number,
  submitted: number,
  hi: number,
  lo: number,
  candidates: number,
): number {
  const modulus = POW10[digits]!;
  let found = -1;
  for (let i = 0; i < candidates; i++) {
    const hit = timingSafeEqualInt(engine.truncated(hi, lo) % modulus, submitted);
    if (hit) found = i;
    // Carry into the high half (RFC 4226 §5.1: C is one 64-bit integer).
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
  return found;
}

/** How many of `lookAhead + 1` candidates exist before the counter range ends. */
export function candidateCount(counter: number | bigint, lookAhead: number): number {
  const room =
    typeof counter === 'bigint'
      ? MAX_COUNTER - counter < BigInt(lookAhead)
        ? Number(MAX_COUNTER - counter)
        : lookAhead
      : Math.min(lookAhead, Number.MAX_SAFE_INTEGER - counter);
  return room + 1;
}

/**
 * The first counter to try after `lastUsedStep` (0 when no code was used yet), or `undefined` when the
 * counter range is used up (`lastUsedStep` is 2^64 − 1, or 2^53 − 1 as a `number`).
 */
export function firstCounter(value: unknown): number | bigint | undefined {
  if (value === undefined) return 0;
  splitCounter(value, 'options.lastUsedStep');
  if (typeof value === 'bigint') return value === MAX_COUNTER ? undefined : value + 1n;
  return value === Number.MAX_SAFE_INTEGER ? undefined : (value as number) + 1;
}

/**
 * Verifies an HOTP code (RFC 4226 §7.2, §7.4) against the counters after `lastUsedStep`: never looks
 * at `lastUsedStep` or below (checklist C4); computes at most `lookAhead + 1` HMACs (C6) and compares
 * all of them in constant time (C9). A malformed code returns `{ valid: false, reason: 'malformed' }`,
 * it never throws. On success persist `counter` of the result as `lastUsedStep` (C5), exactly as a
 * TOTP `step` is persisted. With a `number`, candidates past 2^53 − 1 are not tried; use a `bigint` there.
 *
 * @param code - what the user typed; spaces between digits are ignored.
 * @throws {SecondFactorError} `invalid_secret` for an empty or non-`Uint8Array` secret;
 * `invalid_argument` for a bad `lastUsedStep`, look-ahead or option.
 *
 * @example
 * ```ts
 * import { verifyHotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * let lastUsedStep: number | undefined; // loaded from your store; undefined: no code used yet
 * const result = verifyHotp(secret, '287082', { lastUsedStep, lookAhead: 2 });
 * if (result.valid) {
 *   lastUsedStep = result.counter; // 1: persist it; this code and every earlier one are now refused
 * }
 * ```
 */
export function verifyHotp(
  secret: Uint8Array,
  code: unknown,
  options: VerifyHotpOptions & { lastUsedStep: bigint },
): VerifyHotpResult<bigint>;
export function verifyHotp(
  secret: Uint8Array,
  code: unknown,
  options?: VerifyHotpOptions & { lastUsedStep?: number | undefined },
): VerifyHotpResult<number>;
export function verifyHotp(secret: Uint8Array, code: unknown, options?: VerifyHotpOptions): VerifyHotpResult;
export function verifyHotp(secret: Uint8Array, code: unknown, options?: VerifyHotpOptions): VerifyHotpResult {
  const key = checkSecret(secret);
  const opts = checkOptions<VerifyHotpOptions>(options);
  const first = firstCounter(opts.lastUsedStep);
  const algorithm = checkAlgorithm(opts.algorithm);
  const digits = checkDigits(opts.digits);
  const lookAhead = checkCount(opts.lookAhead, MAX_LOOK_AHEAD, DEFAULT_LOOK_AHEAD, 'options.lookAhead');
  const submitted = parseCode(code, digits);
  if (submitted < 0) return HOTP_MALFORMED;
  if (first === undefined) return MISMATCH;
  const [hi, lo] = splitCounter(first);
  const engine = sharedEngine(algorithm);
  let offset: number;
  try {
    engine.setKey(key);
    offset = matchCounters(engine, digits, submitted, hi, lo, candidateCount(first, lookAhead));
  } finally {
    engine.wipe();
  }
  return hotpResult(first, offset);
}

/** The result for a match at `offset` past the first candidate `counter` (-1: none), typed like it. */
export function hotpResult(counter: number | bigint, offset: number): VerifyHotpResult {
  if (offset < 0) return MISMATCH;
  return {
    valid: true,
    counter: typeof counter === 'bigint' ? counter + BigInt(offset) : counter + offset,
  };
}
