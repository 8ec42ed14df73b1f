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
      const lastUsedStep = counter === 0 ? undefined : counter - 1;
      expect(verifyHotp(SECRET, expected, { lastUsedStep, lookAhead: 0 })).toEqual({ valid: true, counter });
    }
  });

  it('C4: never accepts a code for lastUsedStep or a counter below it', () => {
    for (const behind of [0, 1, 2, 5, 10]) {
      expect(verifyHotp(SECRET, code(20 - behind), { lastUsedStep: 20, lookAhead: 10 })).toEqual({
        valid: false,
        reason: 'mismatch',
      });
    }
  });

  it('C5: after a match at c the caller stores c as lastUsedStep, and codes for counters ≤ c are refused', () => {
    let lastUsedStep: number | undefined;
    const zero = verifyHotp(SECRET, code(0), { lastUsedStep });
    expect(zero).toEqual({ valid: true, counter: 0 });
    if (zero.valid) lastUsedStep = zero.counter;
    const first = verifyHotp(SECRET, code(2), { lastUsedStep });
    expect(first).toEqual({ valid: true, counter: 2 });
    if (first.valid) lastUsedStep = first.counter;
    expect(lastUsedStep).toBe(2);
    for (const used of [2, 1, 0]) expect(verifyHotp(SECRET, code(used), { lastUsedStep }).valid).toBe(false);
    expect(verifyHotp(SECRET, code(3), { lastUsedStep })).toEqual({ valid: true, counter: 3 });
  });

  it('without lastUsedStep (no code used yet) tries counters 0 to lookAhead', () => {
    expect(verifyHotp(SECRET, code(0))).toEqual({ valid: true, counter: 0 });
    expect(verifyHotp(SECRET, code(2))).toEqual({ valid: true, counter: 2 });
    expect(verifyHotp(SECRET, code(3)).valid).toBe(false);
  });

  it('C6: the look-ahead bounds the counters tried (default 2)', () => {
    expect(verifyHotp(SECRET, code(12), { lastUsedStep: 9 })).toEqual({ valid: true, counter: 12 });
    expect(verifyHotp(SECRET, code(13), { lastUsedStep: 9 }).valid).toBe(false);
    expect(verifyHotp(SECRET, code(15), { lastUsedStep: 9, lookAhead: 5 })).toEqual({
      valid: true,
      counter: 15,
    });
    expect(verifyHotp(SECRET, code(16), { lastUsedStep: 9, lookAhead: 5 }).valid).toBe(false);
    expect(verifyHotp(SECRET, code(11), { lastUsedStep: 9, lookAhead: 0 }).valid).toBe(false);
  });

  it('C6: at most lookAhead + 1 HMACs are computed per attempt, counted on the engine', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    for (const lookAhead of [0, 1, 2, 5, 10]) {
      spy.mockClear();
      verifyHotp(SECRET, '000000', { lastUsedStep: 99, lookAhead });
      expect(spy).toHaveBeenCalledTimes(lookAhead + 1);
      spy.mockClear();
      verifyHotp(SECRET, code(100), { lastUsedStep: 99, lookAhead });
      expect(spy).toHaveBeenCalledTimes(lookAhead + 1);
      spy.mockClear();
      createHotp(SECRET).verify('000000', { lastUsedStep: 99, lookAhead });
      expect(spy).toHaveBeenCalledTimes(lookAhead + 1);
    }
  });

  it('C6/C7: a malformed code computes no HMAC at all', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    for (const bad of ['', '12345', 'abcdef', null, undefined, ['123456']]) {
      expect(verifyHotp(SECRET, bad)).toEqual({ valid: false, reason: 'malformed' });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('returns a bigint counter for a bigint lastUsedStep, also across the 2^32 and 2^53 boundaries', () => {
    const start = 2n ** 32n - 1n;
    expect(verifyHotp(SECRET, code(2n ** 32n), { lastUsedStep: start })).toEqual({
      valid: true,
      counter: 2n ** 32n,
    });
    const big = 2n ** 53n - 1n;
    expect(verifyHotp(SECRET, code(big + 2n), { lastUsedStep: big })).toEqual({
      valid: true,
      counter: big + 2n,
    });
  });

  it('stops at 2^64 - 1: a look-ahead never wraps around to counter 0', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    expect(verifyHotp(SECRET, code(MAX_COUNTER), { lastUsedStep: MAX_COUNTER - 2n })).toEqual({
      valid: true,
      counter: MAX_COUNTER,
    });
    spy.mockClear();
    expect(verifyHotp(SECRET, code(0), { lastUsedStep: MAX_COUNTER - 1n, lookAhead: 10 }).valid).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    // The range is used up: nothing is left to try.
    expect(verifyHotp(SECRET, code(0), { lastUsedStep: MAX_COUNTER }).valid).toBe(false);
    expect(spy).not.toHaveBeenCalled();
  });

  it('with a number counter, does not try counters past 2^53 - 1 (they need a bigint)', () => {
    const spy = vi.spyOn(HmacEngine.prototype, 'truncated');
    const last = Number.MAX_SAFE_INTEGER;
    expect(verifyHotp(SECRET, code(last), { lastUsedStep: last - 2 })).toEqual({
      valid: true,
      counter: last,
    });
    spy.mockClear();
    verifyHotp(SECRET, '000000', { lastUsedStep: last - 1, lookAhead: 5 });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    verifyHotp(SECRET, '000000', { lastUsedStep: last, lookAhead: 5 });
    expect(spy).not.toHaveBeenCalled();
  });

  it('requires a valid lastUsedStep option when one is given', () => {
    for (const options of [
      { lastUsedStep: -1 },
      { lastUsedStep: 1.5 },
      { lastUsedStep: '1' },
      { lastUsedStep: null },
      { lastUsedStep: 2n ** 64n },
    ]) {
      expect(() => verifyHotp(SECRET, '123456', options as { lastUsedStep: number })).toThrow(
        SecondFactorError,
      );
    }
  });

  it('C8: an empty secret throws', () => {
    expect(() => verifyHotp(new Uint8Array(0), '123456')).toThrow(SecondFactorError);
    expect(() => hotp(new Uint8Array(0), 0)).toThrow(SecondFactorError);
  });
});
