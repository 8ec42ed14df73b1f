/**
 * The policy and the store agree on attempt limits: every `attempts` configuration `validatePolicy`
 * accepts yields `failureLimits()` the store accepts (durations up to its MAX_DURATION, ten years).
 */
import { type AttemptsConfig, createPolicy, POLICY_LIMITS, validatePolicy } from '@secondfactor/policy';
import { MAX_DURATION, MemoryStore } from '@secondfactor/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const LONGEST = POLICY_LIMITS.maxDurationSeconds;

/** Values around every edge of the accepted ranges, and some far beyond. */
const seconds = fc.oneof(
  fc.constantFrom(1, 59, 60, 900, 86_400, LONGEST - 1, LONGEST, LONGEST + 1, 1e13, Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 1, max: LONGEST }),
  fc.integer({ min: 1, max: 2 * LONGEST }),
);
const attempts: fc.Arbitrary<AttemptsConfig> = fc.record(
  {
    maxFailures: fc.oneof(fc.constantFrom(1, 100, 101), fc.integer({ min: 1, max: 120 })),
    windowSeconds: seconds,
    lockoutSeconds: seconds,
    backoffFactor: fc.oneof(fc.constantFrom(1, 10, 11), fc.integer({ min: 1, max: 12 })),
    maxLockoutSeconds: seconds,
  },
  { requiredKeys: [] },
);

async function storeAccepts(config: AttemptsConfig): Promise<void> {
  const limits = createPolicy({ methods: { allowed: ['totp'] }, attempts: config }).failureLimits();
  await expect(new MemoryStore().registerFailure('k', { now: 0, limits })).resolves.toMatchObject({
    count: 1,
  });
}

describe('every accepted attempts configuration gives failure limits the store accepts', () => {
  it('the policy longest duration is the store MAX_DURATION', () => {
    expect(LONGEST * 1000).toBe(MAX_DURATION);
  });

  it('the boundary values: ten years everywhere, the highest failure limit and back-off', async () => {
    const edge: AttemptsConfig = {
      maxFailures: 100,
      windowSeconds: LONGEST,
      lockoutSeconds: LONGEST,
      backoffFactor: 10,
      maxLockoutSeconds: LONGEST,
    };
    expect(validatePolicy({ methods: { allowed: ['totp'] }, attempts: edge })).toEqual([]);
    await storeAccepts(edge);
    await storeAccepts({ maxFailures: 1, windowSeconds: 1, lockoutSeconds: 1, maxLockoutSeconds: 1 });
    await storeAccepts({ lockoutSeconds: LONGEST });
  });

  it('many generated configurations (seeded): accepted by the policy ⇒ accepted by the store', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(attempts, async (config) => {
        if (validatePolicy({ methods: { allowed: ['totp'] }, attempts: config }).length > 0) return;
        accepted++;
        await storeAccepts(config);
      }),
      { seed: 20_240_901, numRuns: 400 },
    );
    // The generator must exercise the accepted side, not only refusals.
    expect(accepted).toBeGreaterThan(40);
  });
});
