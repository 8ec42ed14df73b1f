import { type Algorithm, SecondFactorError, totp, totpStep } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { referenceTotp } from './helpers/reference';
import { seed, VECTORS } from './helpers/vectors';

describe('TOTP (RFC 6238)', () => {
  it('A4: all 18 App. B values (8 digits, SHA1/SHA256/SHA512 with the 20/32/64-byte seeds)', () => {
    expect(VECTORS.totp).toHaveLength(18);
    for (const { time, algorithm, code } of VECTORS.totp) {
      expect(totp(seed(algorithm), { time: time * 1000, algorithm, digits: 8 })).toBe(code);
    }
  });

  it('A4: each algorithm is covered at each of the six App. B times', () => {
    const times = [59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000];
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as Algorithm[]) {
      expect(VECTORS.totp.filter((v) => v.algorithm === algorithm).map((v) => v.time)).toEqual(times);
    }
  });

  it('A5: SHA256/SHA512 with the 20-byte seed at t=59 give 32247374/69342147, not the padded-key values', () => {
    const twenty = seed('SHA1');
    const sha256 = totp(twenty, { time: 59_000, algorithm: 'SHA256', digits: 8 });
    const sha512 = totp(twenty, { time: 59_000, algorithm: 'SHA512', digits: 8 });
    expect(sha256).toBe(VECTORS.negative_control.SHA256_20byte_seed_t59);
    expect(sha256).toBe('32247374');
    expect(sha256).not.toBe('46119246');
    expect(sha512).toBe(VECTORS.negative_control.SHA512_20byte_seed_t59);
    expect(sha512).not.toBe('90693936');
  });

  it('A6: T at t=20000000000 is 0x27BC86AA', () => {
    expect(totpStep({ time: 20_000_000_000_000 })).toBe(0x27bc86aa);
  });

  it('A7: T changes exactly at t=30 and t=60 (29→0, 30→1, 59→1, 60→2)', () => {
    expect(totpStep({ time: 29_999 })).toBe(0);
    expect(totpStep({ time: 30_000 })).toBe(1);
    expect(totpStep({ time: 59_999 })).toBe(1);
    expect(totpStep({ time: 60_000 })).toBe(2);
    const secret = seed('SHA1');
    expect(totp(secret, { time: 29_000 })).toBe(totp(secret, { time: 0 }));
    expect(totp(secret, { time: 30_000 })).toBe(totp(secret, { time: 59_999 }));
    expect(totp(secret, { time: 29_999 })).not.toBe(totp(secret, { time: 30_000 }));
    expect(totp(secret, { time: 59_999 })).not.toBe(totp(secret, { time: 60_000 }));
  });

  it('A7: step boundaries hold at large times (no floating-point rounding across a boundary)', () => {
    for (const step of [2 ** 31 - 1, 2 ** 32, 2 ** 33 + 5, 99_999_999_999]) {
      const start = step * 30_000;
      expect(totpStep({ time: start - 1 })).toBe(step - 1);
      expect(totpStep({ time: start })).toBe(step);
    }
  });

  it('A8: codes are zero-padded (07081804 at t=1111111109)', () => {
    expect(totp(seed('SHA1'), { time: 1_111_111_109_000, digits: 8 })).toBe('07081804');
  });

  it('times past 2038 (2^31 s) and 2106 (2^32 s) match the reference: no 32-bit overflow', () => {
    const secret = seed('SHA1');
    for (const seconds of [
      2 ** 31 - 1,
      2 ** 31,
      2 ** 31 + 30,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 32 + 31,
      2 ** 35,
      253_402_300_799,
    ]) {
      for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
        expect(totp(seed(algorithm), { time: seconds * 1000, algorithm, digits: 8 })).toBe(
          referenceTotp(seed(algorithm), seconds * 1000, algorithm, 8),
        );
      }
    }
    expect(totp(secret, { time: 2 ** 31 * 1000 })).not.toBe(totp(secret, { time: 0 }));
  });

  it('time is milliseconds, period and epoch are seconds', () => {
    const secret = seed('SHA1');
    expect(totpStep({ time: 120_000, period: 60 })).toBe(2);
    expect(totpStep({ time: 130_000, epoch: 100 })).toBe(1);
    expect(totp(secret, { time: 100_000 + 59_000, epoch: 100, digits: 8 })).toBe('94287082');
    expect(totp(secret, { time: 59_000 * 2, period: 60, digits: 8 })).toBe('94287082');
    // fractional milliseconds are floored, never rounded up into the next step
    expect(totpStep({ time: 29_999.9 })).toBe(0);
  });

  it('a time before the epoch is refused', () => {
    expect(() => totp(seed('SHA1'), { time: 99_000, epoch: 100 })).toThrow(SecondFactorError);
    expect(() => totpStep({ time: -1 })).toThrow(/options.time/);
  });

  it('reads Date.now() when no time is given', () => {
    const secret = seed('SHA1');
    const before = totp(secret, { time: Date.now() });
    const now = totp(secret);
    const after = totp(secret, { time: Date.now() });
    expect([before, after]).toContain(now);
  });
});
