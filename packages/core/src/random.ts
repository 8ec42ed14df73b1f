/**
 * @module
 * The one random-source contract of every package: a function that fills the array it is given, in
 * place, like `crypto.getRandomValues`.
 */

import { SecondFactorError } from './errors';

/**
 * A source of cryptographically secure random bytes: fills `bytes` in place, like
 * `crypto.getRandomValues`, and returns nothing the caller reads. A function that returns new bytes
 * instead (`(b) => randomBytes(b.length)`) does not fit it, and {@link fillRandom} refuses it.
 * Every option named `random` in secondfactor takes this type; tests inject a deterministic one.
 *
 * @example
 * ```ts
 * import { generateSecret, type RandomSource } from '@secondfactor/core';
 *
 * const random: RandomSource = (bytes) => {
 *   crypto.getRandomValues(bytes);
 * };
 * generateSecret({ random });
 * ```
 */
export type RandomSource = (bytes: Uint8Array) => void;

/** Below this length an all-zero draw is too likely to be honest to call it a fault. */
const CHECKED_LENGTH = 8;

/**
 * Zeroes `bytes`, lets `random` fill them and refuses a source that left them unwritten. An array of 8
 * bytes or more that is still all zero after the call counts as unwritten: a working source gives that
 * with probability at most 2^-64, a source that returns new bytes instead of filling these ones gives it
 * every time (and would otherwise yield an all-zero secret or salt silently). Shorter arrays are not
 * checked.
 *
 * @param name - the option the source came from, named in the error (e.g. `'options.random'`).
 * @throws {SecondFactorError} `invalid_argument` when `random` is not a function, `bytes` is not a
 * `Uint8Array`, or `random` left `bytes` all zero.
 *
 * @example
 * ```ts
 * import { fillRandom } from '@secondfactor/core';
 *
 * const salt = fillRandom((bytes) => crypto.getRandomValues(bytes), new Uint8Array(16), 'options.random');
 * ```
 */
export function fillRandom(random: RandomSource, bytes: Uint8Array, name: string): Uint8Array {
  if (typeof random !== 'function')
    throw new SecondFactorError('invalid_argument', `${name} must be a function`);
  if (!(bytes instanceof Uint8Array))
    throw new SecondFactorError('invalid_argument', 'bytes must be a Uint8Array');
  bytes.fill(0);
  random(bytes);
  if (bytes.length >= CHECKED_LENGTH && bytes.every((byte) => byte === 0)) {
    throw new SecondFactorError(
      'invalid_argument',
      `${name} left the array unwritten: a random source must fill the array it is given in place`,
    );
  }
  return bytes;
}
