/**
 * @module
 * Reading back what a user typed: the one canonical spelling of a backup code, computed before it is
 * hashed (checklist F8), or `null` for anything that cannot be a single code of the format.
 */

import { type BackupCodeFormatOptions, resolveFormat } from './format';

// Longer raw input is not a code someone typed; refusing it early bounds the work done on hostile input.
const MAX_INPUT_LENGTH = 256;

// Whitespace of any kind (a pasted code often carries a newline or a no-break space) and the dashes a word
// processor puts where a hyphen was typed: hyphen-minus, U+2010–U+2015, minus sign U+2212.
const SEPARATORS = /[\s\u002d\u2010-\u2015\u2212]/gu;

// Crockford base32 decoding rules: letters are case-insensitive, O reads as 0, I and L read as 1.
const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/**
 * The canonical form of a backup code as typed by a user, or `null` when the input is not exactly one
 * code of the format. Steps, in order:
 *
 * | input | becomes | why |
 * | --- | --- | --- |
 * | full-width or other compatibility forms (`７Ｋ２Ｍ`) | ASCII (`7K2M`) | Unicode NFKC, for East Asian keyboards |
 * | spaces, tabs, line breaks, no-break spaces | removed | codes are shown in groups and pasted with line ends |
 * | hyphens and dashes (`-`, `‐`, `–`, `—`, `−`) | removed | group separators, often turned into dashes by editors |
 * | `a`–`z` | `A`–`Z` | case does not matter |
 * | `O` / `o` | `0` | Crockford look-alike |
 * | `I` / `i` / `L` / `l` | `1` | Crockford look-alike |
 * | `U`, any other letter outside the alphabet, punctuation, non-ASCII | `null` | not a symbol of any code |
 * | letters in a `numeric` format | `null` | not a digit |
 * | more or fewer symbols than `length` | `null` | not one code (two pasted codes are not one, F9) |
 *
 * A `null` is a failed attempt: callers count it like a wrong code.
 *
 * @example
 * ```ts
 * import { normalizeBackupCode } from '@secondfactor/backup-codes';
 *
 * normalizeBackupCode(' 7k2m-qx9p r4td–w3hb\n'); // '7K2MQX9PR4TDW3HB'
 * normalizeBackupCode('OIL0-0000-0000-0000'); // '0110000000000000'
 * normalizeBackupCode('12345-67890-12345-67890', { alphabet: 'numeric' }); // '12345678901234567890'
 * normalizeBackupCode('7K2M-QX9P'); // null (too short)
 * ```
 *
 * @throws {SecondFactorError} `invalid_argument` only for bad `options`, never for bad input.
 */
export function normalizeBackupCode(input: unknown, options: BackupCodeFormatOptions = {}): string | null {
  const format = resolveFormat(options);
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const compact = input.normalize('NFKC').replace(SEPARATORS, '');
  if (compact.length !== format.length) return null;
  let code = '';
  for (const char of compact) {
    // Case folding only for ASCII: `toUpperCase` would turn 'ß' into 'SS' and 'ı' into 'I'.
    const upper = char >= 'a' && char <= 'z' ? String.fromCharCode(char.charCodeAt(0) - 32) : char;
    const symbol = LOOK_ALIKES[upper] ?? upper;
    if (!format.symbols.includes(symbol)) return null;
    code += symbol;
  }
  return code;
}
