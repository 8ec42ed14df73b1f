import { createHotp, createTotp, timingSafeEqual, verifyHotp, verifyTotp } from '@secondfactor/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { timingSafeEqualInt } from '../src/compare';
import { referenceHotp, referenceTotp } from './helpers/reference';
import { seed } from './helpers/vectors';

// Every module that imports the comparator gets this counting wrapper around the real one.
vi.mock('../src/compare', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/compare')>();
  return { ...original, timingSafeEqualInt: vi.fn(original.timingSafeEqualInt) };
});

const SECRET = seed('SHA1');
const NOW = 1_700_000_012_345;
const STEP = Math.floor(NOW / 30_000);
const comparator = vi.mocked(timingSafeEqualInt);

beforeEach(() => {
  comparator.mockClear();
});

describe('constant-time comparison', () => {
  it('C9: verifyTotp compares every window candidate through the constant-time comparator', () => {
    verifyTotp(SECRET, '000000', { time: NOW });
    expect(comparator).toHaveBeenCalledTimes(3);
    comparator.mockClear();
    verifyTotp(SECRET, '000000', { time: NOW, window: { past: 2, future: 4 } });
    expect(comparator).toHaveBeenCalledTimes(7);
  });

  it('C9: no early return: a match at the first candidate still compares all of them', () => {
    const oldest = referenceTotp(SECRET, (STEP - 1) * 30_000);
    expect(verifyTotp(SECRET, oldest, { time: NOW })).toMatchObject({ valid: true, driftSteps: -1 });
    expect(comparator).toHaveBeenCalledTimes(3);
    comparator.mockClear();
    expect(verifyTotp(SECRET, oldest, { time: NOW, window: 10 })).toMatchObject({
      valid: true,
      driftSteps: -1,
    });
    expect(comparator).toHaveBeenCalledTimes(21);
  });

  it('C9: a replayed code is still compared against the whole window', () => {
    const current = referenceTotp(SECRET, NOW);
    expect(verifyTotp(SECRET, current, { time: NOW, lastUsedStep: STEP })).toMatchObject({
      reason: 'replayed',
    });
    expect(comparator).toHaveBeenCalledTimes(3);
  });

  it('C9: the prepared form compares every candidate too', () => {
    const otp = createTotp(SECRET);
    otp.verify(referenceTotp(SECRET, NOW), { time: NOW, window: 2 });
    expect(comparator).toHaveBeenCalledTimes(5);
  });

  it('C9: verifyHotp compares all lookAhead + 1 candidates even after a match', () => {
    expect(verifyHotp(SECRET, referenceHotp(SECRET, 7n), { lastUsedStep: 6, lookAhead: 4 })).toMatchObject({
      valid: true,
    });
    expect(comparator).toHaveBeenCalledTimes(5);
    comparator.mockClear();
    createHotp(SECRET).verify(referenceHotp(SECRET, 7n), { lastUsedStep: 6, lookAhead: 4 });
    expect(comparator).toHaveBeenCalledTimes(5);
  });

  it('C7: malformed codes never reach the comparator', () => {
    for (const code of ['', '      ', 'abcdef', '1234567', null, undefined, [], {}]) {
      verifyTotp(SECRET, code, { time: NOW });
      verifyHotp(SECRET, code);
    }
    expect(comparator).not.toHaveBeenCalled();
  });

  it('the integer comparator is exact below 2^53: high and low 32 bits both count', () => {
    const original = comparator.getMockImplementation()!;
    expect(original(123456, 123456)).toBe(true);
    expect(original(123456, 123457)).toBe(false);
    expect(original(2 ** 32 + 5, 5)).toBe(false);
    expect(original(9_999_999_999, 9_999_999_999)).toBe(true);
    expect(original(9_999_999_999, 9_999_999_999 - 2 ** 32)).toBe(false);
    expect(original(2 ** 53 - 1, 2 ** 53 - 2)).toBe(false);
    expect(original(0, 2 ** 40)).toBe(false);
  });

  it('timingSafeEqual compares strings and bytes, any length, without throwing on a length mismatch', () => {
    expect(timingSafeEqual('123456', '123456')).toBe(true);
    expect(timingSafeEqual('123456', '123457')).toBe(false);
    expect(timingSafeEqual('12345', '123456')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(timingSafeEqual('é', new Uint8Array([0xc3, 0xa9]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([0]), new Uint8Array([]))).toBe(false);
  });
});
