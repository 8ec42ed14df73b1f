/**
 * @module
 * New shared secrets from the platform's cryptographically secure random generator.
 */

import { type Algorithm, HASH_OUTPUT_BYTES, MAX_SECRET_BYTES, MIN_SECRET_BYTES } from './constants';
import { SecondFactorError } from './errors';
import { fillRandom, type RandomSource } from './random';
import { checkAlgorithm, checkOptions, invalidArgument } from './validate';

/**
 * Options of {@link generateSecret}.
 *
 * @example
 * ```ts
 * import { type GenerateSecretOptions, generateSecret } from '@secondfactor/core';
 *
 * const options: GenerateSecretOptions = { algorithm: 'SHA512' };
 * generateSecret(options); // 64 random bytes
 * generateSecret({ bytes: 10, allowLegacy: true }); // 80 bits, for a system that demands it
 * ```
 */
export interface GenerateSecretOptions {
  /**
   * Secret length in bytes, 16 to 128 (RFC 4226 R6: at least 128 bits, 160 recommended).
   * @default the HMAC output length of `algorithm`: 20 for SHA1, 32 for SHA256, 64 for SHA512
   */
  bytes?: number | undefined;
  /**
   * The algorithm the secret is for; only sets the default length (RFC 6238 §5.1).
   * @default 'SHA1'
   */
  algorithm?: Algorithm | undefined;
  /**
   * Allows lengths from 1 to 15 bytes, for systems that still require short keys. Such secrets fall
   * below the 128-bit minimum of RFC 4226 R6 (checklist B2); use only when you must.
   * @default false
   */
  allowLegacy?: boolean | undefined;
  /**
   * Random source; must be cryptographically secure (checklist B3) and fill the array it is given
   * ({@link RandomSource}). Tests inject a deterministic one.
   * @default crypto.getRandomValues
   */
  random?: RandomSource | undefined;
}

/**
 * Generates a new secret from `crypto.getRandomValues` (checklist B1, B3): 20 bytes by default, the
 * HMAC output length when `algorithm` is given. Fewer than 16 bytes are refused unless
 * `allowLegacy` is set (B2).
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad length or option, or a `random` that
 * leaves the secret unwritten (all zero, see {@link fillRandom}); `internal` when the runtime has no
 * `crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * import { base32Encode, generateSecret } from '@secondfactor/core';
 *
 * const secret = generateSecret(); // 20 random bytes
 * const forSha256 = generateSecret({ algorithm: 'SHA256' }); // 32 bytes
 * base32Encode(secret); // 32 base32 characters
 * ```
 */
export function generateSecret(options?: GenerateSecretOptions): Uint8Array {
  const opts = checkOptions<GenerateSecretOptions>(options);
  const algorithm = checkAlgorithm(opts.algorithm);
  const allowLegacy = opts.allowLegacy ?? false;
  if (typeof allowLegacy !== 'boolean') throw invalidArgument('options.allowLegacy', 'must be a boolean');
  const length = opts.bytes ?? HASH_OUTPUT_BYTES[algorithm];
  const min = allowLegacy ? 1 : MIN_SECRET_BYTES;
  if (!Number.isInteger(length) || length < min || length > MAX_SECRET_BYTES) {
    throw invalidArgument(
      'options.bytes',
      Number.isInteger(length) && length >= 1 && length < MIN_SECRET_BYTES
        ? `below ${MIN_SECRET_BYTES} (128 bits) needs allowLegacy: true`
        : `must be an integer from ${min} to ${MAX_SECRET_BYTES}`,
    );
  }
  return fillRandom(opts.random ?? platformRandom(), new Uint8Array(length), 'options.random');
}

// Looked up at call time, not import time, so a runtime (or a test) that replaces it is honoured.
function platformRandom(): RandomSource {
  const crypto = (globalThis as { crypto?: { getRandomValues?: unknown } }).crypto;
  const getRandomValues = crypto?.getRandomValues;
  if (typeof getRandomValues !== 'function') {
    throw new SecondFactorError('internal', 'crypto.getRandomValues is not available in this runtime');
  }
  return (bytes) => {
    getRandomValues.call(crypto, bytes);
  };
}
