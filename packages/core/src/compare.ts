/**
 * @module
 * Constant-time comparison of codes, digests and tokens.
 */

const encoder = new TextEncoder();

/**
 * Compares two strings or byte arrays in time that depends only on their lengths, never on where they
 * first differ (ASVS 5 11.2.4). Strings are compared as their UTF-8 bytes. Inputs of different length
 * are unequal; the loop still runs over the longer one so the length check leaks no more than the length.
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
  const x = typeof a === 'string' ? encoder.encode(a) : a;
  const y = typeof b === 'string' ? encoder.encode(b) : b;
  const length = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
