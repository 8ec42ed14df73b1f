/**
 * @module
 * E.164 phone numbers (ITU-T E.164): the one format SMS and voice providers accept.
 */

import { SecondFactorError } from '@secondfactor/core';

/** ITU-T E.164: `+`, a country code that never starts with 0, at most 15 digits in all; 8 at least. */
const E164 = /^\+[1-9][0-9]{7,14}$/;

/**
 * True when `value` is a phone number in E.164 form: `+` and 8 to 15 digits, the first not 0, with no
 * spaces, dashes or brackets. Normalising what a user typed into this form is the host's job.
 *
 * @example
 * ```ts
 * import { isE164 } from '@secondfactor/channels';
 *
 * isE164('+4915112345678'); // true
 * isE164('0151 12345678'); // false
 * ```
 */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/**
 * Returns `value` when it is an E.164 phone number (see {@link isE164}), else throws.
 *
 * @param name the parameter's name, used in the error message (the number itself is never quoted).
 * @default name 'to'
 * @throws {SecondFactorError} `invalid_argument` naming `name` when `value` is not E.164.
 *
 * @example
 * ```ts
 * import { assertE164 } from '@secondfactor/channels';
 *
 * const to = assertE164(request.body.phone, 'phone'); // throws "phone must be an E.164 phone number …"
 * ```
 */
export function assertE164(value: unknown, name = 'to'): string {
  if (!isE164(value)) {
    throw new SecondFactorError(
      'invalid_argument',
      `${name} must be an E.164 phone number: + and 8 to 15 digits, the first not 0`,
    );
  }
  return value;
}
