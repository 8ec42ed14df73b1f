import {
  base32Encode,
  generateSecret,
  HASH_OUTPUT_BYTES,
  MIN_SECRET_BYTES,
  parseKeyUri,
  SecondFactorError,
} from '@secondfactor/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Pearson's chi-square statistic of symbol counts against a uniform distribution over the alphabet. */
function chiSquare(encoded: string[]): number {
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of encoded) {
    for (const symbol of text) {
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
      total++;
    }
  }
  const expected = total / 32;
  let statistic = 0;
  for (const symbol of ALPHABET) statistic += ((counts.get(symbol) ?? 0) - expected) ** 2 / expected;
  return statistic;
}

// 31 degrees of freedom: P(χ² > 80) ≈ 4e-6 for a uniform source (Wilson–Hilferty), so a sound
// generator fails this about once in 250 000 runs, while a biased encoder exceeds it by orders of magnitude.
const CHI_SQUARE_LIMIT = 80;

describe('generateSecret', () => {
  it('B1: secrets are 20 bytes by default and the HMAC output length when an algorithm is given', () => {
    expect(generateSecret()).toHaveLength(20);
    expect(generateSecret({ algorithm: 'SHA1' })).toHaveLength(HASH_OUTPUT_BYTES.SHA1);
    expect(generateSecret({ algorithm: 'SHA256' })).toHaveLength(32);
    expect(generateSecret({ algorithm: 'SHA512' })).toHaveLength(64);
    expect(generateSecret({ bytes: 40, algorithm: 'SHA256' })).toHaveLength(40);
  });

  it('B2: fewer than 16 bytes are refused unless allowLegacy is set', () => {
    expect(MIN_SECRET_BYTES).toBe(16);
    for (const bytes of [1, 10, 15]) {
      expect(() => generateSecret({ bytes })).toThrow(SecondFactorError);
      expect(() => generateSecret({ bytes })).toThrow(/allowLegacy/);
      expect(generateSecret({ bytes, allowLegacy: true })).toHaveLength(bytes);
    }
    expect(generateSecret({ bytes: 16 })).toHaveLength(16);
  });

  it('B2: a 10-byte key such as JBSWY3DPEHPK3PXP is refused on import unless allowed', () => {
    const uri = 'otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&issuer=ACME';
    expect(() => parseKeyUri(uri)).toThrow(expect.objectContaining({ code: 'invalid_secret' }));
    expect(parseKeyUri(uri, { allowLegacySecret: true }).secret).toHaveLength(10);
  });

  it('refuses lengths that are not integers, zero, or above 128 bytes', () => {
    for (const bytes of [0, -1, 1.5, 129, Number.NaN, '20']) {
      expect(() => generateSecret({ bytes: bytes as number, allowLegacy: true })).toThrow(SecondFactorError);
    }
    expect(generateSecret({ bytes: 128 })).toHaveLength(128);
  });

  it('B3: draws from crypto.getRandomValues, looked up at call time, and never Math.random', () => {
    const platform = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const math = vi.spyOn(Math, 'random');
    const secret = generateSecret();
    expect(platform).toHaveBeenCalledTimes(1);
    expect(platform.mock.calls[0]![0]).toBe(secret);
    expect(math).not.toHaveBeenCalled();
  });

  it('B3: the bytes are the random source output (an injected source is used as is)', () => {
    const random = vi.fn((bytes: Uint8Array) => bytes.fill(0xab));
    expect(generateSecret({ random })).toEqual(new Uint8Array(20).fill(0xab));
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('B3: a random source that returns new bytes instead of filling the array is refused, never an all-zero secret', () => {
    // The shape of `(b) => randomBytes(b.length)`: random, but written somewhere the caller never reads.
    const returnsNew = (bytes: Uint8Array): Uint8Array =>
      crypto.getRandomValues(new Uint8Array(bytes.length));
    expect(() => generateSecret({ random: returnsNew })).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        message: expect.stringContaining('options.random'),
      }),
    );
    expect(() => generateSecret({ random: () => undefined, bytes: 16 })).toThrow(SecondFactorError);
    // Legacy lengths below 8 bytes are too short to tell an unwritten array from an unlucky draw.
    expect(generateSecret({ random: () => undefined, bytes: 4, allowLegacy: true })).toEqual(
      new Uint8Array(4),
    );
  });

  it('B3: without crypto.getRandomValues the call fails with SecondFactorError, not a weaker fallback', () => {
    vi.spyOn(globalThis, 'crypto', 'get').mockReturnValue(undefined as unknown as Crypto);
    expect(() => generateSecret()).toThrow(expect.objectContaining({ code: 'internal' }));
  });

  it('B4: base32 symbol frequencies over 10^5 generated secrets are uniform (chi-square)', () => {
    const encoded: string[] = [];
    for (let i = 0; i < 100_000; i++) encoded.push(base32Encode(generateSecret()));
    expect(encoded.every((text) => text.length === 32)).toBe(true);
    expect(chiSquare(encoded)).toBeLessThan(CHI_SQUARE_LIMIT);
  });

  it('B4: the same statistic flags a biased encoder (negative control: letters from byte % 26)', () => {
    const biased: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const bytes = generateSecret();
      // a classic mistake: map each byte to a letter with % 26, never producing 2-7
      biased.push(Array.from(bytes, (b) => ALPHABET[b % 26]).join(''));
    }
    expect(chiSquare(biased)).toBeGreaterThan(CHI_SQUARE_LIMIT * 100);
  });

  it('B5 (engine): two generated secrets differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(base32Encode(generateSecret()));
    expect(seen.size).toBe(1000);
  });
});
