/**
 * @module
 * HOTP, RFC 4226: the code of one counter value, and verification against the stored counter with a
 * bounded look-ahead and no look-behind.
 */

import { formatCode, POW10, parseCode } from './code';
import { timingSafeEqualInt } from './compare';
import { type Algorithm, DEFAULT_LOOK_AHEAD, MAX_COUNTER, MAX_LOOK_AHEAD } from './constants';
import { type HmacEngine, sharedEngine } from './hmac';
import { checkAlgorithm, checkCount, checkDigits, checkOptions, checkSecret, splitCounter } from './validate';

/** Options shared by every HOTP and TOTP function. */
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

/** Options of {@link verifyHotp}. */
export interface VerifyHotpOptions extends OtpOptions {
  /**
   * The stored counter: the next value the token is expected to show. Codes for lower counters are
   * never accepted (RFC 4226 §7.2). Counters above 2^53 − 1 must be a `bigint`.
   */
  counter: number | bigint;
  /**
   * How many counters past `counter` are also tried (RFC 4226 §7.4 look-ahead s), 0 to 10.
   * At most `lookAhead + 1` HMACs are computed per attempt.
   * @default 2
   */
  lookAhead?: number | undefined;
}

/** A code accepted by {@link verifyHotp}; store `counter + 1` as the next expected counter. */
export interface HotpMatch<C extends number | bigint = number | bigint> {
  valid: true;
  /** The counter the code belongs to, of the same type as the `counter` option. */
  counter: C;
}

/** A code {@link verifyHotp} refused: `malformed` (not a code at all) or `mismatch`. */
export interface HotpRejection {
  valid: false;
  reason: 'mismatch' | 'malformed';
}

/** The outcome of {@link verifyHotp}. */
export type VerifyHotpResult<C extends number | bigint = number | bigint> = HotpMatch<C> | HotpRejection;

/** The result for a malformed code, shared with the prepared form. */
export const HOTP_MALFORMED: HotpRejection = /* @__PURE__ */ Object.freeze({
  valid: false,
  reason: 'malformed',
});
const MISMATCH: HotpRejection = /* @__PURE__ */ Object.freeze({ valid: false, reason: 'mismatch' });

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
 * Tries `counter`, `counter + 1`, … `counter + lookAhead` with a keyed engine. Every candidate is
 * computed and compared in constant time. When a code matches two counters (a 1-in-10^digits
 * coincidence) the highest wins: the stored counter then passes every counter the code matched, so the
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
 * Verifies an HOTP code against the stored counter (RFC 4226 §7.2, §7.4). Never looks behind
 * `counter` (checklist C4); computes at most `lookAhead + 1` HMACs (C6) and compares all of them in
 * constant time (C9). A malformed code returns `{ valid: false, reason: 'malformed' }`, it never throws.
 * On success store `counter + 1` of the result (C5). With a `number` counter, candidates past
 * 2^53 − 1 are not tried; use a `bigint` there.
 *
 * @param code - what the user typed; spaces between digits are ignored.
 * @throws {SecondFactorError} `invalid_secret` for an empty or non-`Uint8Array` secret;
 * `invalid_argument` for a bad counter, look-ahead or option.
 *
 * @example
 * ```ts
 * import { verifyHotp } from '@secondfactor/core';
 *
 * const secret = new TextEncoder().encode('12345678901234567890');
 * const result = verifyHotp(secret, '287082', { counter: 0, lookAhead: 2 });
 * if (result.valid) {
 *   const nextCounter = result.counter + 1; // 2: store it
 * }
 * ```
 */
export function verifyHotp(
  secret: Uint8Array,
  code: unknown,
  options: VerifyHotpOptions & { counter: bigint },
): VerifyHotpResult<bigint>;
export function verifyHotp(
  secret: Uint8Array,
  code: unknown,
  options: VerifyHotpOptions & { counter: number },
): VerifyHotpResult<number>;
export function verifyHotp(secret: Uint8Array, code: unknown, options: VerifyHotpOptions): VerifyHotpResult;
export function verifyHotp(secret: Uint8Array, code: unknown, options: VerifyHotpOptions): VerifyHotpResult {
  const key = checkSecret(secret);
  const opts = checkOptions<VerifyHotpOptions>(options);
  const counter = opts.counter;
  const [hi, lo] = splitCounter(counter, 'options.counter');
  const algorithm = checkAlgorithm(opts.algorithm);
  const digits = checkDigits(opts.digits);
  const lookAhead = checkCount(opts.lookAhead, MAX_LOOK_AHEAD, DEFAULT_LOOK_AHEAD, 'options.lookAhead');
  const submitted = parseCode(code, digits);
  if (submitted < 0) return HOTP_MALFORMED;
  const engine = sharedEngine(algorithm);
  let offset: number;
  try {
    engine.setKey(key);
    offset = matchCounters(engine, digits, submitted, hi, lo, candidateCount(counter!, lookAhead));
  } finally {
    engine.wipe();
  }
  return hotpResult(counter!, offset);
}

/** The result for a match at `offset` past `counter` (-1: none), counter typed like the input. */
export function hotpResult(counter: number | bigint, offset: number): VerifyHotpResult {
  if (offset < 0) return MISMATCH;
  return {
    valid: true,
    counter: typeof counter === 'bigint' ? counter + BigInt(offset) : counter + offset,
  };
}
