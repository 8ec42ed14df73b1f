/**
 * @module
 * The decimal side of an OTP: turning a truncated HMAC value into a zero-padded code (RFC 4226 §5.3,
 * RFC 6238 App. B) and reading a submitted code once into a number the verifiers compare against.
 */

import { MAX_DIGITS } from './constants';

/** 10^digits for every supported digit count. */
export const POW10: readonly number[] = Array.from({ length: MAX_DIGITS + 1 }, (_, i) => 10 ** i);

/** The code of a truncated value: `value mod 10^digits`, zero-padded (RFC 4226 §5.3 step 3). */
export function formatCode(truncated: number, digits: number): string {
  return String(truncated % POW10[digits]!).padStart(digits, '0');
}

// A submitted code longer than this cannot be valid even with a space between every digit; the cap
// keeps a hostile megabyte string from being scanned.
const MAX_SUBMITTED_LENGTH = 4 * MAX_DIGITS;

/**
 * The value of a submitted code, or -1 when it is malformed: not a string, or not exactly `digits`
 * ASCII digits once spaces are removed (checklist C7). Spaces are the ones people type or paste
 * between digit groups: U+0020, tab, no-break space, thin space and narrow no-break space.
 * Runs before any HMAC, so a malformed code can never reach a comparison.
 */
export function parseCode(code: unknown, digits: number): number {
  if (typeof code !== 'string' || code.length > MAX_SUBMITTED_LENGTH) return -1;
  let value = 0;
  let count = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x2009 || c === 0x202f) continue;
    const digit = c - 0x30;
    if (digit < 0 || digit > 9 || ++count > digits) return -1;
    value = value * 10 + digit;
  }
  return count === digits ? value : -1;
}
