import {
  createHotp,
  createTotp,
  hotp,
  SecondFactorError,
  totp,
  verifyHotp,
  verifyTotp,
} from '@secondfactor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seed, VECTORS } from './helpers/vectors';

const algorithms = fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const);

describe('createTotp / createHotp (prepared key state)', () => {
  it('A4: the prepared TOTP reproduces all 18 RFC 6238 App. B values', () => {
    for (const { time, algorithm, code } of VECTORS.totp) {
      const otp = createTotp(seed(algorithm), { algorithm, digits: 8 });
      expect(otp.generate(time * 1000)).toBe(code);
      expect(otp.verify(code, { time: time * 1000, window: 0 })).toEqual({
        valid: true,
        step: Math.floor(time / 30),
        driftSteps: 0,
      });
    }
  });

  it('A1: the prepared HOTP reproduces RFC 4226 App. D', () => {
    const otp = createHotp(seed('SHA1'));
    for (const { counter, code } of VECTORS.hotp) {
      expect(otp.generate(counter)).toBe(code);
      expect(
        otp.verify(code, { ...(counter === 0 ? {} : { lastUsedStep: counter - 1 }), lookAhead: 0 }),
      ).toEqual({ valid: true, counter });
    }
  });

  it('gives the same codes and verdicts as the plain functions for any secret, time and options', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 150 }),
        algorithms,
        fc.integer({ min: 6, max: 8 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 360_000, max: 2 ** 42 }),
        fc.integer({ min: -3, max: 3 }),
        (secret, algorithm, digits, period, time, shift) => {
          const options = { algorithm, digits, period };
          const otp = createTotp(secret, options);
          const code = totp(secret, { ...options, time: time + shift * period * 1000 });
          expect(otp.generate(time + shift * period * 1000)).toBe(code);
          expect(otp.verify(code, { time, window: 2 })).toEqual(
            verifyTotp(secret, code, { ...options, time, window: 2 }),
          );
          const counter = BigInt(time) * 4099n;
          expect(createHotp(secret, { algorithm, digits }).generate(counter)).toBe(
            hotp(secret, counter, { algorithm, digits }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps its own key state: changing the secret array afterwards changes nothing', () => {
    const secret = seed('SHA1').slice();
    const otp = createTotp(secret, { digits: 8 });
    secret.fill(0);
    expect(otp.generate(59_000)).toBe('94287082');
  });

  it('interleaving two prepared objects and plain calls never mixes keys', () => {
    const a = createTotp(seed('SHA1'), { digits: 8 });
    const b = createTotp(seed('SHA256'), { algorithm: 'SHA256', digits: 8 });
    for (let i = 0; i < 3; i++) {
      expect(a.generate(59_000)).toBe('94287082');
      expect(totp(seed('SHA512'), { time: 59_000, algorithm: 'SHA512', digits: 8 })).toBe('90693936');
      expect(b.generate(59_000)).toBe('46119246');
      expect(verifyHotp(seed('SHA1'), '755224').valid).toBe(true);
    }
  });

  it('reads the injected clock when no time is given, and the window given at creation', () => {
    let now = 59_000;
    const otp = createTotp(seed('SHA1'), { digits: 8, clock: () => now, window: 0 });
    expect(otp.generate()).toBe('94287082');
    expect(otp.step()).toBe(1);
    now = 61_000;
    expect(otp.verify('94287082')).toEqual({ valid: false, reason: 'mismatch' });
    expect(otp.verify('94287082', { window: 1 })).toEqual({ valid: true, step: 1, driftSteps: -1 });
    expect(otp.verify('94287082', { window: 1, lastUsedStep: 1 })).toEqual({
      valid: false,
      reason: 'replayed',
    });
  });

  it('exposes its fixed settings', () => {
    const otp = createTotp(seed('SHA1'), { algorithm: 'SHA256', digits: 7, period: 45, epoch: 10 });
    expect([otp.algorithm, otp.digits, otp.period, otp.epoch]).toEqual(['SHA256', 7, 45, 10]);
    const counterOtp = createHotp(seed('SHA1'));
    expect([counterOtp.algorithm, counterOtp.digits]).toEqual(['SHA1', 6]);
  });

  it('destroy() wipes the key state; later calls throw SecondFactorError', () => {
    const otp = createTotp(seed('SHA1'));
    otp.destroy();
    expect(() => otp.generate(0)).toThrow(SecondFactorError);
    expect(() => otp.verify('123456', { time: 0 })).toThrow(SecondFactorError);
    expect(() => otp.step(0)).toThrow(SecondFactorError);
    otp.destroy();
    const counterOtp = createHotp(seed('SHA1'));
    counterOtp.destroy();
    expect(() => counterOtp.generate(0)).toThrow(SecondFactorError);
    expect(() => counterOtp.verify('123456')).toThrow(SecondFactorError);
  });

  it('refuses a clock that is not a function or returns something other than a time', () => {
    expect(() => createTotp(seed('SHA1'), { clock: 5 as unknown as () => number })).toThrow(
      SecondFactorError,
    );
    const otp = createTotp(seed('SHA1'), { clock: () => Number.NaN });
    expect(() => otp.generate()).toThrow(/clock/);
  });

  it('a malformed code returns malformed from the prepared verifiers too', () => {
    expect(createTotp(seed('SHA1')).verify('12 34', { time: 0 })).toEqual({
      valid: false,
      reason: 'malformed',
    });
    expect(createHotp(seed('SHA1')).verify(null)).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });
});
