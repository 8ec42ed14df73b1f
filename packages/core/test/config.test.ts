import {
  buildKeyUri,
  createHotp,
  createTotp,
  hotp,
  keyUriWarnings,
  MAX_DIGITS,
  MAX_LOOK_AHEAD,
  MAX_WINDOW,
  MIN_DIGITS,
  parseKeyUri,
  SecondFactorError,
  totp,
  verifyHotp,
  verifyTotp,
} from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { referenceHotp } from './helpers/reference';
import { seed } from './helpers/vectors';

const SECRET = seed('SHA1');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SecondFactorError);
    return (error as SecondFactorError).code;
  }
}

describe('engine configuration', () => {
  it('A9: digits outside 6-8 (5, 9, 10, 11, …) are refused by every generator, verifier and Key URI function', () => {
    expect([MIN_DIGITS, MAX_DIGITS]).toEqual([6, 8]);
    const uri = (digits: unknown): string => `otpauth://totp/a?secret=${'A'.repeat(32)}&digits=${digits}`;
    for (const digits of [5, 9, 10, 11, 0, -6, 6.5, Number.NaN, '6']) {
      const options = { digits } as unknown as { digits: number };
      const code = '1234567890'.slice(0, typeof digits === 'number' && digits > 0 ? digits : 6);
      expect(codeOf(() => hotp(SECRET, 0, options))).toBe('invalid_argument');
      expect(codeOf(() => totp(SECRET, { ...options, time: 0 }))).toBe('invalid_argument');
      expect(codeOf(() => verifyTotp(SECRET, code, { ...options, time: 0 }))).toBe('invalid_argument');
      expect(codeOf(() => verifyHotp(SECRET, code, { ...options }))).toBe('invalid_argument');
      expect(codeOf(() => createTotp(SECRET, options))).toBe('invalid_argument');
      expect(codeOf(() => createHotp(SECRET, options))).toBe('invalid_argument');
      const params = { type: 'totp', secret: SECRET, account: 'a', ...options } as const;
      expect(codeOf(() => buildKeyUri(params))).toBe('invalid_argument');
      expect(codeOf(() => keyUriWarnings(params))).toBe('invalid_argument');
      // the URI spells every value as text, so the string '6' is a valid URI there
      if (typeof digits === 'number') expect(codeOf(() => parseKeyUri(uri(digits)))).toBe('invalid_uri');
    }
  });

  it('A9: digits 6 to 8 are accepted everywhere and give codes of that length', () => {
    for (let digits = 6; digits <= 8; digits++) {
      const code = hotp(SECRET, 5, { digits });
      expect(code).toHaveLength(digits);
      expect(code).toBe(referenceHotp(SECRET, 5n, 'SHA1', digits));
      expect(verifyHotp(SECRET, code, { lastUsedStep: 4, digits })).toEqual({ valid: true, counter: 5 });
      expect(createHotp(SECRET, { digits }).generate(5)).toBe(code);
      const timed = totp(SECRET, { digits, time: 0 });
      expect(timed).toHaveLength(digits);
      expect(verifyTotp(SECRET, timed, { digits, time: 0 }).valid).toBe(true);
      expect(createTotp(SECRET, { digits }).verify(timed, { time: 0 }).valid).toBe(true);
      const uri = buildKeyUri({ type: 'totp', secret: SECRET, account: 'a', digits });
      expect(parseKeyUri(uri).digits).toBe(digits);
    }
  });

  it('C2: a window above 10 steps on either side is refused at configuration time', () => {
    expect(MAX_WINDOW).toBe(10);
    for (const window of [11, { past: 11, future: 0 }, { past: 0, future: 11 }, 100, -1, 1.5]) {
      expect(codeOf(() => verifyTotp(SECRET, '123456', { time: 0, window }))).toBe('invalid_argument');
      expect(codeOf(() => createTotp(SECRET, { window }))).toBe('invalid_argument');
      expect(codeOf(() => createTotp(SECRET).verify('123456', { time: 0, window }))).toBe('invalid_argument');
    }
    expect(codeOf(() => verifyTotp(SECRET, '123456', { time: 0, window: 10 }))).toBeUndefined();
    expect(
      codeOf(() => verifyTotp(SECRET, '123456', { time: 0, window: { past: 10, future: 10 } })),
    ).toBeUndefined();
  });

  it('C2: a window object must give both sides', () => {
    const window = { past: 1 } as unknown as { past: number; future: number };
    expect(codeOf(() => verifyTotp(SECRET, '123456', { time: 0, window }))).toBe('invalid_argument');
  });

  it('C6: a look-ahead above 10 is refused', () => {
    expect(MAX_LOOK_AHEAD).toBe(10);
    expect(codeOf(() => verifyHotp(SECRET, '123456', { lookAhead: 11 }))).toBe('invalid_argument');
    expect(codeOf(() => createHotp(SECRET, { lookAhead: 11 }))).toBe('invalid_argument');
    expect(codeOf(() => verifyHotp(SECRET, '123456', { lookAhead: 10 }))).toBeUndefined();
  });

  it('refuses unknown algorithms, including lowercase spellings', () => {
    for (const algorithm of ['sha1', 'MD5', 'SHA-1', 'SHA384', '']) {
      const options = { algorithm } as unknown as { algorithm: 'SHA1' };
      expect(codeOf(() => totp(SECRET, { ...options, time: 0 }))).toBe('invalid_argument');
    }
  });

  it('refuses a period that is not a positive whole number of seconds', () => {
    for (const period of [0, -30, 1.5, Number.POSITIVE_INFINITY, '30']) {
      const options = { period } as unknown as { period: number };
      expect(codeOf(() => totp(SECRET, { ...options, time: 0 }))).toBe('invalid_argument');
    }
  });

  it('refuses a non-integer epoch and a non-finite time', () => {
    expect(codeOf(() => totp(SECRET, { time: 0, epoch: 0.5 }))).toBe('invalid_argument');
    for (const time of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(codeOf(() => totp(SECRET, { time }))).toBe('invalid_argument');
    }
  });

  it('refuses a lastUsedStep that is not an integer', () => {
    for (const lastUsedStep of [1.5, Number.NaN, '3']) {
      const options = { lastUsedStep } as unknown as { lastUsedStep: number };
      expect(codeOf(() => verifyTotp(SECRET, '123456', { ...options, time: 0 }))).toBe('invalid_argument');
    }
  });

  it('error messages name the parameter and never contain the secret or the code', () => {
    let message = '';
    try {
      verifyTotp(SECRET, '123456', { time: 0, window: 11 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('options.window');
    expect(message).not.toContain('123456');
    expect(message).not.toContain('12345678901234567890');
  });
});
