import { createHmac } from 'node:crypto';
import { createTotp, SecondFactorError, totp, totpStep, verifyTotp } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { referenceTotp } from './helpers/reference';
import { seed } from './helpers/vectors';

const SECRET = seed('SHA1');
const NOW = 1_700_000_012_345; // an instant inside step 56666667
const STEP = Math.floor(NOW / 30_000);
const at = (delta: number): string => referenceTotp(SECRET, (STEP + delta) * 30_000);

describe('verifyTotp', () => {
  it('C1: the default window accepts the previous, current and next step', () => {
    expect(verifyTotp(SECRET, at(-1), { time: NOW })).toEqual({
      valid: true,
      step: STEP - 1,
      driftSteps: -1,
    });
    expect(verifyTotp(SECRET, at(0), { time: NOW })).toEqual({ valid: true, step: STEP, driftSteps: 0 });
    expect(verifyTotp(SECRET, at(1), { time: NOW })).toEqual({ valid: true, step: STEP + 1, driftSteps: 1 });
  });

  it('C1: codes from step-2 and step+2 are refused by default', () => {
    expect(verifyTotp(SECRET, at(-2), { time: NOW })).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyTotp(SECRET, at(2), { time: NOW })).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('C1: window 0 accepts only the current step; an asymmetric window is honoured', () => {
    expect(verifyTotp(SECRET, at(0), { time: NOW, window: 0 }).valid).toBe(true);
    expect(verifyTotp(SECRET, at(-1), { time: NOW, window: 0 }).valid).toBe(false);
    const asymmetric = { past: 2, future: 0 };
    expect(verifyTotp(SECRET, at(-2), { time: NOW, window: asymmetric })).toMatchObject({ driftSteps: -2 });
    expect(verifyTotp(SECRET, at(1), { time: NOW, window: asymmetric }).valid).toBe(false);
    expect(verifyTotp(SECRET, at(-3), { time: NOW, window: asymmetric }).valid).toBe(false);
  });

  it('C3: the matched step and driftSteps are returned, and applying the drift re-centres the window', () => {
    // a phone 3 steps ahead: with a window of 3 the first login finds driftSteps 3 ...
    const first = verifyTotp(SECRET, at(3), { time: NOW, window: 3 });
    expect(first).toEqual({ valid: true, step: STEP + 3, driftSteps: 3 });
    // ... the host persists it and shifts later verifications by driftSteps steps, with the default window
    const drift = first.valid ? first.driftSteps : 0;
    const later = NOW + 10 * 30_000;
    const phoneCode = referenceTotp(SECRET, later + drift * 30_000);
    expect(verifyTotp(SECRET, phoneCode, { time: later }).valid).toBe(false);
    expect(verifyTotp(SECRET, phoneCode, { time: later + drift * 30_000 })).toMatchObject({
      valid: true,
      driftSteps: 0,
    });
  });

  it('D2 (engine): lastUsedStep refuses the same code as replayed, and every step at or before it', () => {
    const first = verifyTotp(SECRET, at(0), { time: NOW });
    expect(first.valid).toBe(true);
    const lastStep = first.valid ? first.step : -1;
    expect(verifyTotp(SECRET, at(0), { time: NOW, lastUsedStep: lastStep })).toEqual({
      valid: false,
      reason: 'replayed',
    });
    expect(verifyTotp(SECRET, at(-1), { time: NOW, lastUsedStep: lastStep })).toEqual({
      valid: false,
      reason: 'replayed',
    });
    expect(verifyTotp(SECRET, at(1), { time: NOW, lastUsedStep: lastStep })).toMatchObject({
      valid: true,
      driftSteps: 1,
    });
    expect(verifyTotp(SECRET, at(2), { time: NOW, lastUsedStep: lastStep })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('C7: empty, whitespace-only, non-digit, wrong-length and non-string codes are malformed, never thrown', () => {
    const malformed = { valid: false, reason: 'malformed' };
    const good = at(0);
    for (const code of [
      '',
      ' ',
      '      ',
      '\t\t',
      null,
      undefined,
      [],
      [good],
      {},
      { toString: () => good },
      Number(good),
      BigInt(good),
      `${good}0`,
      good.slice(1),
      `${good.slice(0, 5)}a`,
      `-${good.slice(1)}`,
      `${good.slice(0, 3)}-${good.slice(3)}`,
      '١٢٣٤٥٦',
      '１２３４５６',
      '12345\u0000',
      '9'.repeat(1_000_000),
      new String(good),
    ]) {
      expect(verifyTotp(SECRET, code, { time: NOW })).toEqual(malformed);
    }
  });

  it('C7: spaces between digit groups are removed before checking', () => {
    const good = at(0);
    for (const code of [
      `${good.slice(0, 3)} ${good.slice(3)}`,
      ` ${good} `,
      `${good.slice(0, 3)}\u00a0${good.slice(3)}`,
    ]) {
      expect(verifyTotp(SECRET, code, { time: NOW })).toMatchObject({ valid: true, step: STEP });
    }
  });

  it('C8: an empty or missing secret throws instead of verifying', () => {
    for (const secret of [
      new Uint8Array(0),
      undefined,
      null,
      '',
      'JBSWY3DPEHPK3PXP',
      [1, 2, 3],
      new ArrayBuffer(20),
    ]) {
      expect(() => verifyTotp(secret as Uint8Array, at(0), { time: NOW })).toThrow(SecondFactorError);
      expect(() => verifyTotp(secret as Uint8Array, '', { time: NOW })).toThrow(SecondFactorError);
      expect(() => createTotp(secret as Uint8Array)).toThrow(SecondFactorError);
    }
  });

  it('C10: only options.time (or the server clock) sets the instant; client timestamp fields are ignored', () => {
    const options = { time: NOW, timestamp: 0, clientTime: 0, now: 0, timeStep: 0 } as unknown as {
      time: number;
    };
    expect(verifyTotp(SECRET, at(0), options)).toEqual({ valid: true, step: STEP, driftSteps: 0 });
    // a code of the instant the client claims (t = 0) is judged by server time, and refused
    expect(verifyTotp(SECRET, referenceTotp(SECRET, 0), options)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('without options.time it verifies against Date.now()', () => {
    const now = Date.now();
    const result = verifyTotp(SECRET, referenceTotp(SECRET, now));
    expect(result.valid).toBe(true);
    if (result.valid) expect(Math.abs(result.step - totpStep({ time: now }))).toBeLessThanOrEqual(1);
  });

  it('never looks before step 0: near the epoch the window is cut, not wrapped', () => {
    const atZero = referenceTotp(SECRET, 0);
    expect(verifyTotp(SECRET, atZero, { time: 5_000, window: 3 })).toEqual({
      valid: true,
      step: 0,
      driftSteps: 0,
    });
    expect(verifyTotp(SECRET, totp(SECRET, { time: 30_000 }), { time: 5_000, window: 1 })).toMatchObject({
      driftSteps: 1,
    });
  });

  it('when a code matches two steps, the latest wins, so persisting it blocks the other step too', () => {
    // Find, with node:crypto, two steps ≤ 10 apart that share a 6-digit code (about 3 per 300 000 steps).
    const pair = findCollision(SECRET, 400_000);
    expect(pair).toBeDefined();
    const [early, late, code] = pair!;
    const middle = Math.floor((early + late) / 2);
    const time = middle * 30_000;
    const window = { past: middle - early, future: late - middle };
    const first = verifyTotp(SECRET, code, { time, window });
    expect(first).toEqual({ valid: true, step: late, driftSteps: late - middle });
    expect(verifyTotp(SECRET, code, { time, window, lastUsedStep: late })).toEqual({
      valid: false,
      reason: 'replayed',
    });
    expect(verifyTotp(SECRET, code, { time, window, lastUsedStep: early })).toMatchObject({
      valid: true,
      step: late,
    });
    expect(verifyTotp(SECRET, code, { time, window, lastUsedStep: early - 1 })).toMatchObject({ step: late });
  });

  it('throws SecondFactorError for bad options even when the code is malformed', () => {
    expect(() => verifyTotp(SECRET, 'abc', { time: NOW, window: 11 })).toThrow(SecondFactorError);
    expect(() => verifyTotp(SECRET, null, 5 as unknown as object)).toThrow(SecondFactorError);
  });
});

/** Two counters at most 10 apart with equal 6-digit HOTP codes, found with node:crypto. */
function findCollision(secret: Uint8Array, limit: number): [number, number, string] | undefined {
  const recent = new Map<string, number>();
  const message = Buffer.alloc(8);
  for (let counter = 0; counter < limit; counter++) {
    message.writeBigUInt64BE(BigInt(counter));
    const mac = createHmac('sha1', secret).update(message).digest();
    const offset = mac[19]! & 0xf;
    const code = String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
    const seen = recent.get(code);
    if (seen !== undefined && counter - seen <= 10) return [seen, counter, code];
    recent.set(code, counter);
  }
  return undefined;
}
