/**
 * Lockout backoff beyond the conformance suite's short sequences: the script's `factor ^ lockouts`
 * (C pow) must give what `nextFailureCounter`'s `factor ** lockouts` gives for every whole factor the
 * contract allows, up to and past the point where the power leaves the safe integers.
 */
import type { FailureLimits } from '@secondfactor/core';
import { MAX_DURATION } from '@secondfactor/store';
import { type FailureCounter, nextFailureCounter } from '@secondfactor/store/adapter';
import { freshId } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] backoff tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('registerFailure backoff on Redis', () => {
  let client: Redis;
  let prefix: string;
  let store: RedisStore;

  beforeAll(async () => {
    client = await connectClient();
    prefix = randomPrefix();
    store = new RedisStore(client, { prefix });
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    await client.quit();
  });

  // Locks a key again and again, each time the moment the previous lock lapses, comparing every state.
  async function expectSameLockouts(limits: FailureLimits, times: number): Promise<void> {
    const key = freshId('key');
    let model: FailureCounter | null = null;
    let now = 1_000;
    for (let i = 0; i < times; i++) {
      model = nextFailureCounter(model, now, limits);
      const state = await store.registerFailure(key, { now, limits });
      expect(state, `${JSON.stringify(limits)} failure ${i}`).toEqual({
        count: model.count,
        lockedUntil: model.lockedUntil,
      });
      now = model.lockedUntil ?? now + limits.windowMs;
    }
  }

  it('E1: every whole factor 1–10 with the largest cap matches nextFailureCounter over 60 lockouts', async () => {
    for (let factor = 1; factor <= 10; factor++) {
      const limits = {
        maxFailures: 1,
        windowMs: 1,
        lockoutMs: 7,
        backoffFactor: factor,
        maxLockoutMs: MAX_DURATION,
      };
      await expectSameLockouts(limits, 60);
    }
  });

  it('E1: random lockout lengths, limits and caps match nextFailureCounter exactly', async () => {
    for (let trial = 0; trial < 20; trial++) {
      const lockoutMs = 1 + Math.floor(Math.random() * 3_600_000);
      const limits = {
        maxFailures: 1 + Math.floor(Math.random() * 3),
        windowMs: 1 + Math.floor(Math.random() * 60_000),
        lockoutMs,
        backoffFactor: 1 + Math.floor(Math.random() * 10),
        maxLockoutMs: lockoutMs * (1 + Math.floor(Math.random() * 10_000)),
      };
      await expectSameLockouts(limits, 30);
    }
  });

  it('a fractional factor is refused before anything reaches Redis', async () => {
    const key = freshId('key');
    const limits = { maxFailures: 1, windowMs: 1, lockoutMs: 120_000, backoffFactor: 1.45 };
    await expect(store.registerFailure(key, { now: 1, limits })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(await client.exists(`${prefix}{f:${key}}`)).toBe(0);
  });
});
