import {
  bruteForceBound,
  createPolicy,
  multiMethod,
  type PolicyConfig,
  validatePolicy,
} from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';

describe('E10: the brute-force success bound s·v/10^d (RFC 4226 §6)', () => {
  it('matches the RFC formula on hand-computed values', () => {
    // RFC 4226 §6 example figures: s = 1 value, v = 1 attempt, d = 6 → one in a million.
    expect(bruteForceBound({ acceptedValues: 1, attempts: 1, digits: 6 })).toBeCloseTo(1e-6, 15);
    // TOTP ±1 step, 5 attempts, 6 digits: 3 × 5 / 1 000 000.
    expect(bruteForceBound({ acceptedValues: 3, attempts: 5, digits: 6 })).toBeCloseTo(1.5e-5, 15);
    // The widest window and the highest failure limit the engine accepts, 6 digits: 21 × 100 / 10^6.
    expect(bruteForceBound({ acceptedValues: 21, attempts: 100, digits: 6 })).toBeCloseTo(2.1e-3, 15);
    // Two more digits divide the bound by 100.
    expect(bruteForceBound({ acceptedValues: 21, attempts: 100, digits: 8 })).toBeCloseTo(2.1e-5, 15);
  });

  it('derives s, v and d per method from a policy, worst first', () => {
    const config: PolicyConfig = {
      methods: { allowed: ['totp', 'hotp', 'sms', 'push', 'backup_code'] },
      otp: { window: { past: 2, future: 1 }, hotpLookAhead: 9, digits: 8 },
      deliveredCodes: { digits: 7 },
      attempts: { maxFailures: 10 },
    };
    expect(createPolicy(config).bruteForceBounds()).toEqual([
      // hotp: s = 9 + 1 = 10, v = 10, d = 8 → 100 / 10^8
      { method: 'hotp', acceptedValues: 10, attempts: 10, digits: 8, probability: 1e-6 },
      // sms: one live code, v = 10, d = 7 → 10 / 10^7
      { method: 'sms', acceptedValues: 1, attempts: 10, digits: 7, probability: 1e-6 },
      // totp: s = 2 + 1 + 1 = 4, v = 10, d = 8 → 40 / 10^8
      { method: 'totp', acceptedValues: 4, attempts: 10, digits: 8, probability: 4e-7 },
    ]);
  });

  it('a policy whose bound exceeds the configured threshold is rejected', () => {
    // s = 21, v = 100, d = 6 → 2.1e-3 > 1e-3 (the default threshold)
    const wide: PolicyConfig = {
      methods: { allowed: ['totp'] },
      otp: { window: { past: 10, future: 10 } },
      attempts: { maxFailures: 100 },
    };
    expect(validatePolicy(wide).map((p) => p.code)).toEqual(['brute_force_bound_exceeded']);
    expect(validatePolicy({ ...wide, maxGuessProbability: 0.01 })).toEqual([]);
  });

  it('a stricter threshold rejects what the default accepts', () => {
    // s = 3, v = 5, d = 6 → 1.5e-5
    const usual: PolicyConfig = { methods: { allowed: ['totp'] } };
    expect(validatePolicy(usual)).toEqual([]);
    expect(validatePolicy({ ...usual, maxGuessProbability: 1e-5 }).map((p) => p.code)).toEqual([
      'brute_force_bound_exceeded',
    ]);
  });

  it('the engine exposes the bound of its policy', () => {
    const [worst] = createPolicy({
      methods: { allowed: ['totp'] },
      attempts: { maxFailures: 3 },
    }).bruteForceBounds();
    expect(worst?.probability).toBeCloseTo(9e-6, 15);
  });

  it("a delivered code is guessed against its own challenge's attempt limit, an app code against the account's", () => {
    const config: PolicyConfig = {
      methods: { allowed: ['totp', 'sms', 'email'] },
      attempts: { maxFailures: 10 },
      deliveredCodes: { maxAttempts: { sms: 2 } },
    };
    const bounds = createPolicy(config).bruteForceBounds();
    expect(bounds.find((b) => b.method === 'sms')).toMatchObject({ attempts: 2, probability: 2e-6 });
    expect(bounds.find((b) => b.method === 'email')).toMatchObject({ attempts: 10 });
    expect(bounds.find((b) => b.method === 'totp')).toMatchObject({ attempts: 10 });
  });

  it('multiMethod: the 4-digit call code with 3 attempts is the worst bound, 0.0003', () => {
    const [worst] = createPolicy(multiMethod).bruteForceBounds();
    expect(worst).toMatchObject({ method: 'voice', acceptedValues: 1, attempts: 3, digits: 4 });
    expect(worst?.probability).toBeCloseTo(3e-4, 15);
  });
});
