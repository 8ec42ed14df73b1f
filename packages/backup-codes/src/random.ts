/**
 * @module
 * Uniform symbols from random bytes by rejection sampling, so no symbol is more likely than another
 * whatever the alphabet size (no modulo bias).
 */

import { fillRandom, type RandomSource, SecondFactorError } from '@secondfactor/core';

/** The platform CSPRNG (Web Crypto, present in Node 20+, browsers, Deno, Bun and edge workers). */
export const platformRandom: RandomSource = (bytes) => {
  crypto.getRandomValues(bytes);
};

// A source that keeps returning only rejected bytes is broken; stop instead of spinning for ever.
const MAX_REFILLS = 64;

/**
 * `count` symbols of `alphabet`, each uniformly distributed. A byte is kept only when it is below the
 * largest multiple of the alphabet size that fits in 256; the rest are discarded and redrawn. For
 * 32 symbols every byte is kept; for 10 symbols bytes 250–255 are discarded, which a plain
 * `byte % 10` would have mapped to 0–5 a little more often.
 *
 * @param name - the option `random` came from, named when it leaves the buffer unwritten.
 * @throws {SecondFactorError} `invalid_argument` for an alphabet of fewer than 2 or more than 256
 * symbols, or a random source that leaves the buffer unwritten (see `fillRandom` of core); `internal`
 * when the random source keeps producing only rejected bytes.
 */
export function sampleSymbols(
  alphabet: string,
  count: number,
  random: RandomSource,
  name = 'random',
): string {
  const size = alphabet.length;
  if (size < 2 || size > 256) {
    throw new SecondFactorError('invalid_argument', 'alphabet must have 2 to 256 symbols');
  }
  const limit = 256 - (256 % size);
  // Expected discards are small (at most 2 in 256 for any alphabet this package uses), so ask for a
  // few spare bytes up front and refill only when a source is unlucky.
  const buffer = new Uint8Array(count + 8);
  let out = '';
  let refills = 0;
  while (out.length < count) {
    if (refills++ > MAX_REFILLS) {
      throw new SecondFactorError('internal', 'random source returned only out-of-range bytes');
    }
    fillRandom(random, buffer, name);
    for (const byte of buffer) {
      if (byte >= limit) continue;
      out += alphabet[byte % size];
      if (out.length === count) break;
    }
  }
  return out;
}
