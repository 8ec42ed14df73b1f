/**
 * @module
 * Constant-time comparison of codes, digests and tokens.
 */

import { SecondFactorError } from './errors';
import { isBytes } from './validate';

const encoder = /* @__PURE__ */ new TextEncoder();

function toBytes(value: unknown, name: string): Uint8Array {
  if (typeof value === 'string') return encoder.encode(value);
  if (isBytes(value)) return value;
  throw new SecondFactorError('invalid_argument', `${name} must be a string or a Uint8Array`);
}

/**
 * Compares two strings or byte arrays in time that depends only on their lengths, never on where they
 * first differ (ASVS 5 11.2.4). Strings are compared as their UTF-8 bytes. Inputs of different length
 * are unequal; the loop still runs over the longer one so the length check leaks no more than the length.
 *
 * @throws {SecondFactorError} `invalid_argument` when `a` or `b` is neither a string nor a `Uint8Array`.
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from '@secondfactor/core';
 *
 * timingSafeEqual('123456', '123456'); // true
 * timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])); // false
 * ```
 */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = toBytes(a, 'a');
  const y = toBytes(b, 'b');
  const length = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Compares two non-negative integers below 2^53 without a data-dependent branch: the XOR of the low
 * 32 bits and of the high bits, OR-ed. The OTP verifiers compare every candidate code through it, so a
 * near miss takes exactly as long as a far one (checklist C9).
 */
export function timingSafeEqualInt(a: number, b: number): boolean {
  // `^` reads its operands modulo 2^32 (ToInt32), so `x / 2^32` contributes the high bits.
  return ((a ^ b) | ((a / 0x1_0000_0000) ^ (b / 0x1_0000_0000))) === 0;
}
