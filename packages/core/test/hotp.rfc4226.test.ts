import { hotp, MAX_COUNTER, SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { dynamicTruncate, HmacEngine } from '../src/hmac';
import { referenceHmac, referenceHotp } from './helpers/reference';
import { seed, VECTORS } from './helpers/vectors';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string): Uint8Array =>
  Uint8Array.from(text.match(/../g)!, (b) => Number.parseInt(b, 16));
const SECRET = seed('SHA1');

describe('HOTP (RFC 4226)', () => {
  it('A1: counters 0-9 give the ten RFC 4226 App. D codes (755224 … 520489)', () => {
    expect(VECTORS.hotp).toHaveLength(10);
    for (const { counter, code } of VECTORS.hotp) expect(hotp(SECRET, counter)).toBe(code);
  });

  it('A2: the intermediate HMAC-SHA-1 values equal App. D Table 1 (and node:crypto)', () => {
    const engine = new HmacEngine('SHA1');
    engine.setKey(SECRET);
    for (const { counter, hmac } of VECTORS.hotp) {
      expect(hex(engine.mac(0, counter).slice())).toBe(hmac);
      expect(hex(referenceHmac(SECRET, BigInt(counter)))).toBe(hmac);
    }
  });

  it('A2: the truncated decimal values equal App. D Table 2', () => {
    const engine = new HmacEngine('SHA1');
    engine.setKey(SECRET);
    for (const { counter, truncated_hex: truncatedHex, truncated_decimal: decimal } of VECTORS.hotp) {
      expect(engine.truncated(0, counter)).toBe(decimal);
      expect(engine.truncated(0, counter)).toBe(Number.parseInt(truncatedHex, 16));
    }
  });

  it('A3: truncating 1f8698690e02ca16618550ef7f19da8e945b555a yields 872921 (§5.4)', () => {
    const value = dynamicTruncate(fromHex(VECTORS.section5_4.hmac));
    expect(value).toBe(VECTORS.section5_4.decimal);
    expect(String(value % 1_000_000)).toBe('872921');
  });

  it('A3: truncation masks the top bit (a digest whose selected byte is ≥ 0x80 stays below 2^31)', () => {
    const digest = new Uint8Array(20).fill(0xff);
    digest[19] = 0xf0; // offset 0
    expect(dynamicTruncate(digest)).toBe(0x7fffffff);
  });

  it('A6: counters 2^31, 2^32 and 2^53 - 1 match the node:crypto reference (64-bit counter)', () => {
    for (const counter of [2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1]) {
      for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
        expect(hotp(SECRET, counter, { algorithm, digits: 8 })).toBe(
          referenceHotp(SECRET, BigInt(counter), algorithm, 8),
        );
      }
    }
  });

  it('A6: bigint counters up to 2^64 - 1 match the reference, and a number equals the same bigint', () => {
    for (const counter of [2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n, MAX_COUNTER]) {
      expect(hotp(SECRET, counter)).toBe(referenceHotp(SECRET, counter));
    }
    expect(hotp(SECRET, 2n ** 32n)).toBe(hotp(SECRET, 2 ** 32));
    expect(hotp(SECRET, 2n ** 53n - 1n)).toBe(hotp(SECRET, 2 ** 53 - 1));
  });

  it('A6: counters beyond the 8-byte range or below 0 are refused', () => {
    for (const counter of [-1, -1n, 2n ** 64n, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => hotp(SECRET, counter as number)).toThrow(SecondFactorError);
    }
  });

  it('A6: a number counter above 2^53 - 1 is refused with a hint to use bigint (it has lost precision)', () => {
    expect(() => hotp(SECRET, 2 ** 53)).toThrow(/bigint/);
    expect(() => hotp(SECRET, 2 ** 60)).toThrow(/bigint/);
  });

  it('A8: codes are the truncated value mod 10^digits, zero-padded to the digit count', () => {
    // App. D Table 2: count 7 truncates to 82162583 and count 2 to 137359152
    expect(hotp(SECRET, 7, { digits: 8 })).toBe('82162583');
    expect(hotp(SECRET, 7, { digits: 7 })).toBe('2162583');
    expect(hotp(SECRET, 2, { digits: 8 })).toBe('37359152');
    // App. D Table 2: count 4 truncates to 1640338314, whose last 7 digits start with a zero
    expect(hotp(SECRET, 4, { digits: 7 })).toBe('0338314');
  });

  it('hashes a key longer than the hash block first (RFC 2104 §2), like node:crypto', () => {
    const long = new Uint8Array(200).map((_, i) => i);
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      expect(hotp(long, 42, { algorithm })).toBe(referenceHotp(long, 42n, algorithm));
    }
  });

  it('accepts 1-byte and block-sized keys (no length policy in the engine)', () => {
    for (const length of [1, 10, 63, 64, 65, 127, 128, 129]) {
      const key = new Uint8Array(length).fill(7);
      for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
        expect(hotp(key, 3, { algorithm })).toBe(referenceHotp(key, 3n, algorithm));
      }
    }
  });
});
