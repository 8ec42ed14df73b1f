import { generateBackupCodes, normalizeBackupCode } from '@secondfactor/backup-codes';
import { SecondFactorError } from '@secondfactor/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Written out here rather than imported, so a change to the package's alphabet shows up as a failure.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DIGITS = '0123456789';

// Upper 0.1 % points of the chi-square distribution (standard statistical tables), i.e. p = 0.001.
const CHI2_CRITICAL_P001: Readonly<Record<number, number>> = { 9: 27.877, 31: 61.098 };

function chiSquare(text: string, alphabet: string): number {
  const counts = new Map<string, number>([...alphabet].map((symbol) => [symbol, 0]));
  for (const symbol of text) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  const expected = text.length / alphabet.length;
  let sum = 0;
  for (const observed of counts.values()) sum += (observed - expected) ** 2 / expected;
  return sum;
}

function expectError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SecondFactorError);
    expect((error as SecondFactorError).code).toBe(code);
    return;
  }
  expect.fail(`expected a SecondFactorError ${code}`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('generateBackupCodes: format and entropy (F1)', () => {
  it('F1: the default set is ten codes of 16 Crockford symbols in four groups of four, 80 bits each', () => {
    const codes = generateBackupCodes();
    expect(codes).toHaveLength(10);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      const symbols = code.replaceAll('-', '');
      const bits = symbols.length * Math.log2(CROCKFORD.length);
      expect(bits).toBe(80);
      expect(bits).toBeGreaterThanOrEqual(64);
    }
  });

  it('F1: numeric codes default to 20 digits (66.4 bits), at least 64 bits', () => {
    const codes = generateBackupCodes({ alphabet: 'numeric', groupSize: 5 });
    for (const code of codes) {
      expect(code).toMatch(/^\d{5}(?:-\d{5}){3}$/);
      expect(code.replaceAll('-', '').length * Math.log2(DIGITS.length)).toBeGreaterThanOrEqual(64);
    }
  });

  it('F1: fewer than 64 bits is refused without throttled: true', () => {
    expectError(() => generateBackupCodes({ length: 12 }), 'invalid_argument'); // 60 bits
    expectError(() => generateBackupCodes({ alphabet: 'numeric', length: 19 }), 'invalid_argument'); // 63.1 bits
    expectError(() => generateBackupCodes({ length: 12, throttled: false }), 'invalid_argument');
  });

  it('F1: with throttled: true codes may go down to 40 bits', () => {
    const crockford = generateBackupCodes({ length: 8, throttled: true });
    expect(crockford.every((code) => code.replaceAll('-', '').length === 8)).toBe(true);
    const numeric = generateBackupCodes({ alphabet: 'numeric', length: 13, throttled: true, groupSize: 0 });
    expect(numeric.every((code) => /^\d{13}$/.test(code))).toBe(true);
  });

  it('F1: never below 40 bits, throttled or not (so never 6-digit codes)', () => {
    expectError(() => generateBackupCodes({ length: 7, throttled: true }), 'invalid_argument'); // 35 bits
    expectError(
      () => generateBackupCodes({ alphabet: 'numeric', length: 12, throttled: true }),
      'invalid_argument',
    );
    expectError(
      () => generateBackupCodes({ alphabet: 'numeric', length: 6, throttled: true }),
      'invalid_argument',
    );
  });

  it('rejects bad counts, lengths, group sizes, alphabets and random sources', () => {
    for (const count of [0, -1, 101, 1.5, Number.NaN]) {
      expectError(() => generateBackupCodes({ count }), 'invalid_argument');
    }
    for (const length of [0, 65, 16.5])
      expectError(() => generateBackupCodes({ length }), 'invalid_argument');
    for (const groupSize of [-1, 2.5, 65])
      expectError(() => generateBackupCodes({ groupSize }), 'invalid_argument');
    expectError(() => generateBackupCodes({ alphabet: 'hex' as never }), 'invalid_argument');
    expectError(() => generateBackupCodes({ random: 'yes' as never }), 'invalid_argument');
    expectError(() => generateBackupCodes({ throttled: 'yes' as never, length: 8 }), 'invalid_argument');
  });

  it('groupSize 0 writes codes without hyphens; every displayed code normalises back', () => {
    const codes = generateBackupCodes({ groupSize: 0, count: 5 });
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(normalizeBackupCode(code)).toBe(code);
    }
  });
});

describe('generateBackupCodes: randomness', () => {
  it('draws from the platform CSPRNG (crypto.getRandomValues) by default and never from Math.random', () => {
    const getRandomValues = vi.spyOn(crypto, 'getRandomValues');
    const mathRandom = vi.spyOn(Math, 'random');
    generateBackupCodes();
    expect(getRandomValues).toHaveBeenCalled();
    expect(mathRandom).not.toHaveBeenCalled();
  });

  it('uses an injected random source', () => {
    // 32 is symbol 0 of the 32-symbol alphabet.
    const thirtyTwos = (bytes: Uint8Array): void => {
      bytes.fill(32);
    };
    expect(generateBackupCodes({ count: 1, random: thirtyTwos })).toEqual(['0000-0000-0000-0000']);
  });

  it('refuses a random source that returns new bytes instead of filling the array (never all-zero codes)', () => {
    // The shape of `(b) => randomBytes(b.length)`: random, but written where the caller never reads.
    const returnsNew = (bytes: Uint8Array): Uint8Array =>
      crypto.getRandomValues(new Uint8Array(bytes.length));
    expect(() => generateBackupCodes({ count: 1, random: returnsNew })).toThrow(
      expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining('random') }),
    );
  });

  it('codes of one set are distinct: a repeated draw is replaced by a new one', () => {
    let call = 0;
    const repeatsOnce = (bytes: Uint8Array): void => {
      call++;
      // The first two draws are identical, later ones come from the CSPRNG.
      if (call <= 2) bytes.fill(7);
      else crypto.getRandomValues(bytes);
    };
    const codes = generateBackupCodes({ count: 3, random: repeatsOnce });
    expect(new Set(codes).size).toBe(3);
    expect(call).toBeGreaterThanOrEqual(4);
  });

  it('a source that keeps repeating itself is an internal error, not a short or duplicated set', () => {
    const constant = (bytes: Uint8Array): void => {
      bytes.fill(1);
    };
    expectError(() => generateBackupCodes({ count: 2, random: constant }), 'internal');
  });

  it('symbols of 20 000 default codes are uniform over the 32 Crockford symbols (chi-square, p = 0.001)', () => {
    let all = '';
    for (let i = 0; i < 200; i++) all += generateBackupCodes({ count: 100, groupSize: 0 }).join('');
    expect(all.length).toBe(20_000 * 16);
    expect(chiSquare(all, CROCKFORD)).toBeLessThan(CHI2_CRITICAL_P001[31]!);
  });

  it('digits of 20 000 numeric codes are uniform (chi-square, p = 0.001), where plain byte % 10 fails', () => {
    let all = '';
    for (let i = 0; i < 200; i++) {
      all += generateBackupCodes({ count: 100, alphabet: 'numeric', groupSize: 0 }).join('');
    }
    expect(all.length).toBe(20_000 * 20);
    expect(chiSquare(all, DIGITS)).toBeLessThan(CHI2_CRITICAL_P001[9]!);

    // The same statistic on the same number of digits made with a modulo-biased mapping: this shows the
    // test above is able to see the bias rejection sampling removes.
    const bytes = new Uint8Array(all.length);
    for (let offset = 0; offset < bytes.length; offset += 65_536) {
      crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
    }
    const biased = Array.from(bytes, (byte) => DIGITS[byte % 10]).join('');
    expect(chiSquare(biased, DIGITS)).toBeGreaterThan(CHI2_CRITICAL_P001[9]!);
  });
});
