import { generateBackupCodes, normalizeBackupCode } from '@secondfactor/backup-codes';
import { SecondFactorError } from '@secondfactor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const CANONICAL = '7K2MQX9PR4TDW3HB';

// F8: the documented normalisation table, one row per rule.
const ACCEPTED: ReadonlyArray<readonly [string, string, string]> = [
  ['as displayed', '7K2M-QX9P-R4TD-W3HB', CANONICAL],
  ['without separators', '7K2MQX9PR4TDW3HB', CANONICAL],
  ['lower case', '7k2m-qx9p-r4td-w3hb', CANONICAL],
  ['mixed case', '7k2M-Qx9p-r4Td-w3Hb', CANONICAL],
  ['spaces instead of hyphens', '7K2M QX9P R4TD W3HB', CANONICAL],
  ['surrounding whitespace and a pasted line end', '  7K2M-QX9P-R4TD-W3HB\r\n', CANONICAL],
  ['tabs and no-break spaces', '7K2M\tQX9P\u00a0R4TD\u202fW3HB', CANONICAL],
  ['separators in odd places', '7-K2MQ X9PR4--TDW3 HB', CANONICAL],
  ['en dash, em dash and minus sign from a word processor', '7K2M\u2013QX9P\u2014R4TD\u2212W3HB', CANONICAL],
  ['full-width forms from an East Asian keyboard', '７Ｋ２Ｍ－ＱＸ９Ｐ－Ｒ４ＴＤ－Ｗ３ＨＢ', CANONICAL],
  ['O and o read as zero', 'O0oO-0000-0000-0000', '0000000000000000'],
  ['I, i, L and l read as one', 'IiLl-1111-1111-1111', '1111111111111111'],
];

const REJECTED: ReadonlyArray<readonly [string, unknown]> = [
  ['the empty string', ''],
  ['whitespace only', '   \n'],
  ['one symbol short', '7K2M-QX9P-R4TD-W3H'],
  ['one symbol too many', '7K2M-QX9P-R4TD-W3HBX'],
  ['U (not in the Crockford alphabet)', '7K2M-QX9P-R4TD-W3HU'],
  ['punctuation inside', '7K2M_QX9P.R4TD/W3HB'],
  ['a zero-width space', '7K2M\u200bQX9P-R4TD-W3HB'],
  ['a letter that upper-cases to two (ß)', '7K2M-QX9P-R4TD-W3ß'],
  ['a dotless ı (only ASCII letters fold)', '7K2M-QX9P-R4TD-W3Hı'],
  ['an emoji', '7K2M-QX9P-R4TD-W3H🙂'],
  ['F9: two codes separated by a space', '7K2M-QX9P-R4TD-W3HB 8M3N-RY0Q-S5VE-X4JC'],
  ['F9: two codes separated by a comma', '7K2M-QX9P-R4TD-W3HB,8M3N-RY0Q-S5VE-X4JC'],
  ['F9: two codes on two lines', '7K2M-QX9P-R4TD-W3HB\n8M3N-RY0Q-S5VE-X4JC'],
  ['a very long string', '7'.repeat(10_000)],
  ['a number', 7_200_000_000_000_000],
  ['null', null],
  ['undefined', undefined],
  ['an array of the code', [CANONICAL]],
  ['an object', { code: CANONICAL }],
  ['a boxed string', new String(CANONICAL)],
];

describe('normalizeBackupCode (F8)', () => {
  it.each(ACCEPTED)('F8: accepts %s', (_name, input, expected) => {
    expect(normalizeBackupCode(input)).toBe(expected);
  });

  it.each(REJECTED)('returns null for %s', (_name, input) => {
    expect(normalizeBackupCode(input)).toBeNull();
  });

  it('numeric format: digits only after the look-alike mapping, letters are malformed', () => {
    const options = { alphabet: 'numeric' } as const;
    expect(normalizeBackupCode('12345-67890 12345-67890', options)).toBe('12345678901234567890');
    expect(normalizeBackupCode('1234O-6789o-I2345-6789l', options)).toBe('12340678901234567891');
    expect(normalizeBackupCode('12345-67890-12345-6789A', options)).toBeNull();
    expect(normalizeBackupCode('12345-67890-12345-6789', options)).toBeNull();
  });

  it('honours a configured length (a 40-bit throttled format)', () => {
    const options = { length: 8, throttled: true };
    expect(normalizeBackupCode('7k2m-qx9p', options)).toBe('7K2MQX9P');
    expect(normalizeBackupCode(CANONICAL, options)).toBeNull();
  });

  it('throws only for bad options, never for bad input', () => {
    expect(() => normalizeBackupCode(CANONICAL, { length: 4 })).toThrow(SecondFactorError);
    expect(() => normalizeBackupCode(Symbol('x'))).not.toThrow();
  });

  it('F8: every spelling a user may type of a generated code normalises to the same canonical code', () => {
    const [code] = generateBackupCodes({ count: 1, groupSize: 0 });
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        fc.array(fc.constantFrom('', '', ' ', '-', '\u2013', '\t'), { minLength: 17, maxLength: 17 }),
        (lower, separators) => {
          let typed = separators[0] ?? '';
          [...code!].forEach((symbol, i) => {
            typed += (lower[i] ? symbol.toLowerCase() : symbol) + (separators[i + 1] ?? '');
          });
          expect(normalizeBackupCode(typed)).toBe(code);
        },
      ),
    );
  });

  it('is idempotent on its own output', () => {
    for (const code of generateBackupCodes({ count: 20 })) {
      const once = normalizeBackupCode(code);
      expect(once).not.toBeNull();
      expect(normalizeBackupCode(once)).toBe(once);
    }
  });
});
