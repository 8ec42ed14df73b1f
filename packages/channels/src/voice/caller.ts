/**
 * @module
 * Flash-call numbers: the code is the last digits of the number the call comes from.
 */

import { invalidArgument } from '../checks';
import { assertE164 } from '../phone';

/**
 * The fewest digits a flash-call code may have here; the policy may ask for more (4 by default).
 *
 * @example
 * ```ts
 * import { MAX_CALLER_SUFFIX_DIGITS, MIN_CALLER_SUFFIX_DIGITS } from '@secondfactor/channels';
 *
 * // a deployment's flash-call code length, kept within what a call can carry
 * const digits = Math.min(Math.max(wantedDigits, MIN_CALLER_SUFFIX_DIGITS), MAX_CALLER_SUFFIX_DIGITS);
 * ```
 */
export const MIN_CALLER_SUFFIX_DIGITS = 3;
/**
 * The most digits a flash-call code may have.
 *
 * @example
 * ```ts
 * import { MAX_CALLER_SUFFIX_DIGITS } from '@secondfactor/channels';
 *
 * if (wantedDigits > MAX_CALLER_SUFFIX_DIGITS) {
 *   // send the code by SMS instead: no caller number can carry it
 * }
 * ```
 */
export const MAX_CALLER_SUFFIX_DIGITS = 6;

/**
 * Returns `suffix` when it is 3 to 6 ASCII digits, else throws. How many digits a deployment uses is the
 * policy's decision (`deliveredCodes.digitsByMethod.voice`); this only refuses what no call can carry.
 *
 * @throws {SecondFactorError} `invalid_argument` naming `name`.
 *
 * @example
 * ```ts
 * import { checkCallerSuffix } from '@secondfactor/channels';
 *
 * checkCallerSuffix('4821'); // '4821'
 * ```
 */
export function checkCallerSuffix(suffix: unknown, name = 'options.callerSuffix'): string {
  if (typeof suffix !== 'string' || !/^[0-9]{3,6}$/.test(suffix)) {
    throw invalidArgument(name, `must be ${MIN_CALLER_SUFFIX_DIGITS} to ${MAX_CALLER_SUFFIX_DIGITS} digits`);
  }
  return suffix;
}

/** A number block: `+` and digits, the first not 0, leaving room for at least a 3-digit suffix. */
export function checkCallerPrefix(prefix: unknown, name: string): string {
  if (typeof prefix !== 'string' || !/^\+[1-9][0-9]{0,11}$/.test(prefix)) {
    throw invalidArgument(name, 'must be + and 1 to 12 digits, the first not 0');
  }
  return prefix;
}

/**
 * The E.164 number a flash call comes from: the gateway's number block `prefix` followed by the code
 * `suffix`. The user (or the phone's call log reader) types the last digits.
 *
 * @throws {SecondFactorError} `invalid_argument` when `prefix` is not `+` and digits, `suffix` is not 3
 * to 6 digits, or the result is not E.164.
 *
 * @example
 * ```ts
 * import { callerNumber } from '@secondfactor/channels';
 *
 * callerNumber('+4930123450', '4821'); // '+49301234504821'
 * ```
 */
export function callerNumber(prefix: string, suffix: string): string {
  checkCallerPrefix(prefix, 'prefix');
  checkCallerSuffix(suffix, 'suffix');
  return assertE164(prefix + suffix, 'prefix + suffix');
}
