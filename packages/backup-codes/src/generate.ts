/**
 * @module
 * Generation of a set of backup codes: uniform symbols from the platform CSPRNG, grouped for reading
 * aloud and typing, distinct within the set.
 */

import { type RandomSource, SecondFactorError } from '@secondfactor/core';
import { MAX_BACKUP_CODES } from '@secondfactor/store';
import { type BackupCodeFormatOptions, resolveFormat } from './format';
import { platformRandom, sampleSymbols } from './random';

/**
 * Options of {@link generateBackupCodes}.
 *
 * @example
 * ```ts
 * import { type GenerateBackupCodesOptions, generateBackupCodes } from '@secondfactor/backup-codes';
 *
 * const options: GenerateBackupCodesOptions = { count: 12, groupSize: 0 };
 * const codes = generateBackupCodes(options); // twelve codes like '7K2MQX9PR4TDW3HB'
 * ```
 */
export interface GenerateBackupCodesOptions extends BackupCodeFormatOptions {
  /**
   * Codes in the set, 1 to 100.
   * @default 10
   */
  count?: number | undefined;
  /**
   * Symbols between hyphens in the displayed code; 0 writes the code without hyphens. Display only:
   * normalisation removes the hyphens again.
   * @default 4
   */
  groupSize?: number | undefined;
  /**
   * Source of random bytes: fills the array it is given (`RandomSource` of `@secondfactor/core`); one that leaves it
   * unwritten is refused.
   * @default the platform CSPRNG (`crypto.getRandomValues`)
   */
  random?: RandomSource | undefined;
}

function checkGroupSize(groupSize: number): void {
  if (!Number.isSafeInteger(groupSize) || groupSize < 0 || groupSize > 64) {
    throw new SecondFactorError('invalid_argument', 'groupSize must be an integer from 0 to 64');
  }
}

/**
 * Writes a normalised code in groups of `groupSize` symbols joined by hyphens (`7K2M-QX9P-R4TD-W3HB`).
 *
 * @example
 * ```ts
 * import { displayBackupCode } from '@secondfactor/backup-codes';
 *
 * displayBackupCode('7K2MQX9PR4TDW3HB'); // '7K2M-QX9P-R4TD-W3HB'
 * displayBackupCode('1234567890', 5); // '12345-67890'
 * ```
 */
export function displayBackupCode(code: string, groupSize = 4): string {
  checkGroupSize(groupSize);
  if (groupSize === 0) return code;
  const groups: string[] = [];
  for (let i = 0; i < code.length; i += groupSize) groups.push(code.slice(i, i + groupSize));
  return groups.join('-');
}

/**
 * A fresh set of backup codes, as the user sees them. Each code is `length` symbols drawn uniformly
 * (rejection sampling, no modulo bias) from the platform CSPRNG; the default is 16 Crockford base32
 * symbols, 80 bits, written in four groups of four. No two codes of a set are equal.
 *
 * The returned strings are the only plaintext copies: store their digests (see `issueBackupCodes`,
 * which does both) and hand the codes to the user once.
 *
 * @throws {SecondFactorError} `invalid_argument` for a count outside 1–100, a bad group size, or a
 * format below the entropy floors (64 bits, or 40 with `throttled: true`); `internal` when the random
 * source cannot produce distinct codes.
 *
 * @example
 * ```ts
 * import { generateBackupCodes } from '@secondfactor/backup-codes';
 *
 * const codes = generateBackupCodes(); // ten codes like '7K2M-QX9P-R4TD-W3HB'
 * const spoken = generateBackupCodes({ alphabet: 'numeric', length: 13, throttled: true, groupSize: 0 });
 * ```
 */
export function generateBackupCodes(options: GenerateBackupCodesOptions = {}): string[] {
  const groupSize = options.groupSize ?? 4;
  return _generateCodes(options).map((code) => displayBackupCode(code, groupSize));
}

/** The set in canonical form (no separators), for callers inside the package that hash it. @internal */
export function _generateCodes(options: GenerateBackupCodesOptions): string[] {
  const format = resolveFormat(options);
  const count = options.count ?? 10;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_BACKUP_CODES) {
    throw new SecondFactorError('invalid_argument', `count must be an integer from 1 to ${MAX_BACKUP_CODES}`);
  }
  // Checked before any randomness is drawn, so a bad option fails the same way every time.
  checkGroupSize(options.groupSize ?? 4);
  const random = options.random ?? platformRandom;
  if (typeof random !== 'function')
    throw new SecondFactorError('invalid_argument', 'random must be a function');

  const codes = new Set<string>();
  // At 40 bits and 100 codes a repeat has a chance near 2^-28; a source that repeats more than a few
  // times is not random, and returning fewer or equal codes would be worse than failing.
  let draws = 0;
  while (codes.size < count) {
    if (draws++ >= count + 16) {
      throw new SecondFactorError('internal', 'random source produced repeated backup codes');
    }
    codes.add(sampleSymbols(format.symbols, format.length, random));
  }
  return [...codes];
}
