import { createHotp, hotp, MAX_COUNTER, SecondFactorError, verifyHotp } from '@secondfactor/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HmacEngine } from '../src/hmac';
import { referenceHotp } from './helpers/reference';
import { seed, VECTORS } from './helpers/vectors';

const SECRET = seed('SHA1');
const code = (counter: number | bigint): string => referenceHotp(SECRET, BigInt(counter));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('verifyHotp', () => {
  it('accepts the RFC 4226 App. D codes at their counters and returns the matched counter', () => {
    for (const { counter, code: expected } of VECTORS.hotp) {
      expect(verifyHotp(SECRET, expected, { counter, lookAhead: 0 })).toEqual({ valid: true, counter });
    }
  });

  it('C4: never accepts a code for a counter below the stored counter', () => {
    for (const behind of [1, 2, 5, 10]) {
      expect(verifyHotp(SECRET, code(20 - behind), { counter: 20, lookAhead: 10 })).toEqual({
        valid: false,
        reason: 'mismatch',
      });
    }
  });

  it('C5: after a match at c the caller stores c + 1, and codes for counters ≤ c are refused', () => {
    let stored = 3;
    const first = verifyHotp(SECRET, code(4), { counter: stored });
    expect(first).toEqual({ valid: true, counter: 4 });
    if (first.valid) stored = first.counter + 1;
    expect(stored).toBe(5);
    for (const used of [4, 3]) expect(verifyHotp(SECRET, code(used), { counter: stored }).valid).toBe(false);
    expect(verifyHotp(SECRET, code(5), { counter: stored })).toEqual({ valid: true, counter: 5 });
  });

  it('C6: the look-ahead bounds the counters tried (default 2)', () => {
    expect(verifyHotp(SECRET, code(12), { counter: 10 })).toEqual({ valid: true, counter: 12 });
    expect(verifyHotp(SECRET, code(13), { counter: 10 }).valid).toBe(false);
    expect(verifyHotp(SECRET, code(15), { counter: 10, lookAhead: 5 })).toEqual({ valid: true, counter: 15 });
    expect(verifyHotp(SECRET, code(16), { counter: 10, lookAhead: 5 }).valid).toBe(false);
    expect(verifyHotp(SECRET, code(11), { counter: 10, lookAhead: 0 }).valid).toBe(false);
  });

  it('C6: at most lookAhead + 1 HMACs are computed per attempt, counted on the engine', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    for (const lookAhead of [0, 1, 2, 5, 10]) {
      spy.mockClear();
      verifyHotp(SECRET, '000000', { counter: 100, lookAhead });
      expect(spy).toHaveBeenCalledTimes(lookAhead + 1);
      spy.mockClear();
      verifyHotp(SECRET, code(100), { counter: 100, lookAhead });
      expect(spy).toHaveBeenCalledTimes(lookAhead + 1);
      spy.mockClear();
      createHotp(SECRET).verify('000000', { counter: 100, lookAhead });
      expect(spy).toHaveBeenCalledTimes(lookAhead + 1);
    }
  });

  it('C6/C7: a malformed code computes no HMAC at all', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    for (const bad of ['', '12345', 'abcdef', null, undefined, ['123456']]) {
      expect(verifyHotp(SECRET, bad, { counter: 0 })).toEqual({ valid: false, reason: 'malformed' });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('returns a bigint counter for a bigint input, also across the 2^32 and 2^53 boundaries', () => {
    const start = 2n ** 32n - 1n;
    expect(verifyHotp(SECRET, code(2n ** 32n), { counter: start })).toEqual({
      valid: true,
      counter: 2n ** 32n,
    });
    const big = 2n ** 53n - 1n;
    expect(verifyHotp(SECRET, code(big + 2n), { counter: big })).toEqual({ valid: true, counter: big + 2n });
  });

  it('stops at 2^64 - 1: a look-ahead never wraps around to counter 0', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    expect(verifyHotp(SECRET, code(MAX_COUNTER), { counter: MAX_COUNTER - 1n })).toEqual({
      valid: true,
      counter: MAX_COUNTER,
    });
    spy.mockClear();
    expect(verifyHotp(SECRET, code(0), { counter: MAX_COUNTER, lookAhead: 10 }).valid).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('with a number counter, does not try counters past 2^53 - 1 (they need a bigint)', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    const last = Number.MAX_SAFE_INTEGER;
    expect(verifyHotp(SECRET, code(last), { counter: last - 1 })).toEqual({ valid: true, counter: last });
    spy.mockClear();
    verifyHotp(SECRET, '000000', { counter: last, lookAhead: 5 });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('requires a valid counter option', () => {
    for (const options of [
      undefined,
      {},
      { counter: -1 },
      { counter: 1.5 },
      { counter: '1' },
      { counter: 2n ** 64n },
    ]) {
      expect(() => verifyHotp(SECRET, '123456', options as { counter: number })).toThrow(SecondFactorError);
    }
  });

  it('C8: an empty secret throws', () => {
    expect(() => verifyHotp(new Uint8Array(0), '123456', { counter: 0 })).toThrow(SecondFactorError);
    expect(() => hotp(new Uint8Array(0), 0)).toThrow(SecondFactorError);
  });
});
