/**
 * @module
 * What a backup code looks like: its alphabet, its length in symbols and the entropy that follows from
 * both. Generation, normalisation and verification read the same resolved format, so their defaults
 * can never drift apart.
 */

import { SecondFactorError } from '@secondfactor/core';

/**
 * Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U. I, L and O are
 * dropped because they look like 1 and 0 (they are read back as those, see `normalizeBackupCode`);
 * U is dropped so that no code spells an accidental word.
 *
 * @example
 * ```ts
 * import { CROCKFORD_ALPHABET, generateBackupCodes } from '@secondfactor/backup-codes';
 *
 * const [code = ''] = generateBackupCodes(); // '7K2M-QX9P-R4TD-W3HB'
 * [...code.replaceAll('-', '')].every((symbol) => CROCKFORD_ALPHABET.includes(symbol)); // true
 * ```
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Decimal digits, for hosts whose users can only type numbers (a phone keypad).
 *
 * @example
 * ```ts
 * import { NUMERIC_ALPHABET } from '@secondfactor/backup-codes';
 *
 * const typed = '1234-5678-9012-3456-7890';
 * const onlyDigits = [...typed.replaceAll('-', '')].every((c) => NUMERIC_ALPHABET.includes(c)); // true
 * ```
 */
export const NUMERIC_ALPHABET = '0123456789';

/**
 * The alphabets a backup code can be written in.
 *
 * @example
 * ```ts
 * import { type BackupCodeAlphabet, generateBackupCodes } from '@secondfactor/backup-codes';
 *
 * const alphabet: BackupCodeAlphabet = 'numeric';
 * const codes = generateBackupCodes({ alphabet }); // ten codes of 20 digits
 * ```
 */
export type BackupCodeAlphabet = 'crockford' | 'numeric';

/**
 * Entropy every code has unless the host states that attempts are throttled (NIST SP 800-63B look-up secrets).
 *
 * @example
 * ```ts
 * import { backupCodeBits, MIN_UNTHROTTLED_BITS } from '@secondfactor/backup-codes';
 *
 * // 10 Crockford symbols are 50 bits: below the floor, so they need `throttled: true`
 * const needsThrottling = backupCodeBits('crockford', 10) < MIN_UNTHROTTLED_BITS; // true
 * ```
 */
export const MIN_UNTHROTTLED_BITS = 64;

/**
 * Entropy no code ever goes below, throttled or not.
 *
 * @example
 * ```ts
 * import { backupCodeBits, MIN_THROTTLED_BITS } from '@secondfactor/backup-codes';
 *
 * // 12 digits are 39.9 bits: refused even with `throttled: true`
 * const allowed = backupCodeBits('numeric', 12) >= MIN_THROTTLED_BITS; // false
 * ```
 */
export const MIN_THROTTLED_BITS = 40;

/**
 * Longest code in symbols; anything longer is not a code a person types.
 *
 * @example
 * ```ts
 * import { MAX_CODE_LENGTH } from '@secondfactor/backup-codes';
 *
 * // bound a form field: the symbols plus one hyphen between each group of four
 * const maxInputLength = MAX_CODE_LENGTH + Math.ceil(MAX_CODE_LENGTH / 4) - 1; // 79
 * ```
 */
export const MAX_CODE_LENGTH = 64;

/**
 * Which codes a host issues and accepts.
 *
 * @example
 * ```ts
 * import { type BackupCodeFormatOptions, generateBackupCodes, normalizeBackupCode } from '@secondfactor/backup-codes';
 *
 * const format: BackupCodeFormatOptions = { alphabet: 'crockford', length: 10, throttled: true };
 * const codes = generateBackupCodes(format); // codes like '7K2M-QX9P-R4', 50 bits each
 * normalizeBackupCode(codes[0], format); // the same code without hyphens
 * ```
 */
export interface BackupCodeFormatOptions {
  /**
   * Symbols codes are written in.
   * @default 'crockford'
   */
  alphabet?: BackupCodeAlphabet | undefined;
  /**
   * Symbols per code, separators not counted.
   * @default 16 for `crockford` (80 bits), 20 for `numeric` (66.4 bits)
   */
  length?: number | undefined;
  /**
   * The host throttles backup-code attempts together with its other second-factor attempts
   * (checklist F10). Only then may a code carry fewer than 64 bits, and never fewer than 40.
   * @default false
   */
  throttled?: boolean | undefined;
}

/** A format with every default applied and checked. */
export interface ResolvedBackupCodeFormat {
  alphabet: BackupCodeAlphabet;
  /** The symbols of the alphabet, in sampling order. */
  symbols: string;
  length: number;
  /** Entropy of one code: `length · log2(symbols.length)`. */
  bits: number;
}

const DEFAULT_LENGTH: Readonly<Record<BackupCodeAlphabet, number>> = { crockford: 16, numeric: 20 };
const SYMBOLS: Readonly<Record<BackupCodeAlphabet, string>> = {
  crockford: CROCKFORD_ALPHABET,
  numeric: NUMERIC_ALPHABET,
};

/**
 * Entropy in bits of one code of `length` symbols drawn uniformly from `alphabet`.
 *
 * @example
 * ```ts
 * import { backupCodeBits } from '@secondfactor/backup-codes';
 *
 * backupCodeBits('crockford', 16); // 80
 * backupCodeBits('numeric', 10); // 33.2…
 * ```
 */
export function backupCodeBits(alphabet: BackupCodeAlphabet, length: number): number {
  const symbols = SYMBOLS[alphabet];
  if (symbols === undefined) {
    throw new SecondFactorError('invalid_argument', 'alphabet must be "crockford" or "numeric"');
  }
  return length * Math.log2(symbols.length);
}

/**
 * Applies the defaults and enforces the entropy floors (checklist F1).
 *
 * @throws {SecondFactorError} `invalid_argument` for an unknown alphabet, a length that is not an integer
 * from 1 to 64, fewer than 64 bits without `throttled: true`, or fewer than 40 bits at all.
 */
export function resolveFormat(options: BackupCodeFormatOptions = {}): ResolvedBackupCodeFormat {
  const alphabet = options.alphabet ?? 'crockford';
  if (alphabet !== 'crockford' && alphabet !== 'numeric') {
    throw new SecondFactorError('invalid_argument', 'alphabet must be "crockford" or "numeric"');
  }
  const length = options.length ?? DEFAULT_LENGTH[alphabet];
  if (!Number.isSafeInteger(length) || length < 1 || length > MAX_CODE_LENGTH) {
    throw new SecondFactorError('invalid_argument', `length must be an integer from 1 to ${MAX_CODE_LENGTH}`);
  }
  if (options.throttled !== undefined && typeof options.throttled !== 'boolean') {
    throw new SecondFactorError('invalid_argument', 'throttled must be a boolean');
  }
  const bits = backupCodeBits(alphabet, length);
  // NIST SP 800-63B §5.1.2.1 (rev 3) / §3.1.2.1 (rev 4): look-up secrets carry at least 64 bits unless
  // the verifier limits attempts; this package keeps a 40-bit floor even then (stricter than F1's 6 digits).
  if (bits < MIN_THROTTLED_BITS) {
    throw new SecondFactorError(
      'invalid_argument',
      `length gives ${bits.toFixed(1)} bits per code; backup codes need at least ${MIN_THROTTLED_BITS}`,
    );
  }
  if (bits < MIN_UNTHROTTLED_BITS && options.throttled !== true) {
    throw new SecondFactorError(
      'invalid_argument',
      `length gives ${bits.toFixed(1)} bits per code; below ${MIN_UNTHROTTLED_BITS} bits set throttled: true ` +
        'and throttle backup-code attempts',
    );
  }
  return { alphabet, symbols: SYMBOLS[alphabet], length, bits };
}
