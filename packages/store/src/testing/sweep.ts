/**
 * @module
 * Conformance: `sweepExpired` removes what lapsed at `now` (boundary included) and nothing live, bounds
 * each call by `limit` and says with `more` whether to call again, never takes a record from a call
 * racing it at the boundary, and checks its arguments. Its times lie two days before the suite's clock,
 * where no other test of the suite has a record that lapses, so a sweep never disturbs another test.
 */
import { expect, it } from 'vitest';
import type { SweepExpiredResult } from '../store-types';
import {
  emailChallenge,
  expectRejection,
  freshId,
  pendingTotp,
  randomDigest,
  type SuiteContext,
  trustedDevice,
} from './fixtures';
import { BAD_TIMES } from './validation';

const DAY = 86_400_000;
const KINDS = ['challenges', 'pendingEnrollments', 'trustedDevices', 'failures'] as const;

/** A few lapsed (or live) records of every kind, made to end exactly at `end`, and how to see each. */
async function seed(ctx: SuiteContext, end: number) {
  const userId = freshId('user');
  const created = end - 600_000;
  const challenge = emailChallenge(userId, created, randomDigest(), { expiresAt: end });
  const pending = pendingTotp(userId, created, { expiresAt: end });
  const device = trustedDevice(userId, created, { expiresAt: end });
  // A window of 1 s that ends at `end`, and a lock of 1 s that ends at `end` inside a longer window.
  const [windowKey, lockKey] = [freshId('key'), freshId('key')];
  await ctx.store.createChallenge(challenge);
  await ctx.store.createPendingEnrollment(pending);
  await ctx.store.addTrustedDevice(device);
  await ctx.store.registerFailure(windowKey, {
    now: end - 1_000,
    limits: { maxFailures: 5, windowMs: 1_000, lockoutMs: 1 },
  });
  await ctx.store.registerFailure(lockKey, {
    now: end - 1_000,
    limits: {
      maxFailures: 1,
      windowMs: 10_000,
      lockoutMs: 1_000,
    },
  });
  // Whether each record is still stored, read at a time it was live (a removed one reads as missing).
  const stored = async () => ({
    challenge: (await ctx.store.getChallenge(userId, challenge.id)) !== null,
    pending: (await ctx.store.getPendingEnrollment(userId, pending.id, { now: created })) !== null,
    device: (await ctx.store.findTrustedDevice(userId, device.digest, { now: created })) !== null,
    window: (await ctx.store.getFailures(windowKey, { now: end - 1 })).count === 1,
    lock: (await ctx.store.getFailures(lockKey, { now: end - 1 })).lockedUntil === end,
  });
  return { userId, challenge, pending, device, windowKey, lockKey, stored };
}

const none = { challenge: false, pending: false, device: false, window: false, lock: false };
const all = { challenge: true, pending: true, device: true, window: true, lock: true };

function expectBounded(result: SweepExpiredResult, limit: number): void {
  expect(Object.keys(result).sort()).toEqual([...KINDS, 'more'].sort());
  for (const kind of KINDS) {
    expect(Number.isSafeInteger(result[kind]), kind).toBe(true);
    expect(result[kind], kind).toBeGreaterThanOrEqual(0);
    expect(result[kind], kind).toBeLessThanOrEqual(limit);
  }
  expect(typeof result.more).toBe('boolean');
}

/** Sweeps at `now` until `more` is false; every answer within `limit`. Returns how many calls it took. */
async function sweepAll(ctx: SuiteContext, now: number, limit: number): Promise<number> {
  for (let calls = 1; calls <= 200; calls++) {
    const result = await ctx.store.sweepExpired({ now, limit });
    expectBounded(result, limit);
    if (!result.more) return calls;
  }
  throw new Error(`sweepExpired(${now}, { limit: ${limit} }) still answered more: true after 200 calls`);
}

/**
 * Registers the sweep tests. `expiresByTtl` (a reason) says the backend removes lapsed records itself,
 * on its own clock: the checks that a lapsed record is gone after the sweep are then skipped, with the
 * reason printed; every other check runs.
 */
export function sweepTests(ctx: SuiteContext, expiresByTtl: string | undefined): void {
  if (expiresByTtl !== undefined) {
    console.warn(`[store conformance] sweepExpired: removal checks skipped: ${expiresByTtl}`);
  }
  const removes = expiresByTtl === undefined;

  it('removes the records that lapsed at now (ending exactly at now) and keeps those that end at now + 1', async () => {
    const now = ctx.t0 - 2 * DAY;
    const lapsed = await seed(ctx, now);
    const live = await seed(ctx, now + 1);
    // A consumed challenge is kept until it expires (it still answers `consumed`), and goes with it.
    const consumedLive = emailChallenge(live.userId, now - 10, randomDigest(), { expiresAt: now + 1 });
    const consumedLapsed = emailChallenge(live.userId, now - 10, randomDigest(), { expiresAt: now });
    for (const challenge of [consumedLive, consumedLapsed]) {
      await ctx.store.createChallenge(challenge);
      const digest = challenge.digest ?? '';
      expect(await ctx.store.consumeChallenge(live.userId, challenge.id, { digest, now: now - 5 })).toBe(
        'ok',
      );
    }
    expect(await lapsed.stored()).toEqual(all);

    await sweepAll(ctx, now, 1000);

    expect(await live.stored()).toEqual(all);
    const digest = consumedLive.digest ?? '';
    expect(await ctx.store.consumeChallenge(live.userId, consumedLive.id, { digest, now })).toBe('consumed');
    expect(await ctx.store.findTrustedDevice(live.userId, live.device.digest, { now })).toEqual(live.device);
    expect(await ctx.store.getFailures(live.lockKey, { now })).toEqual({ count: 1, lockedUntil: now + 1 });
    expect(await ctx.store.getFailures(live.windowKey, { now })).toEqual({ count: 1, lockedUntil: null });
    if (removes) {
      expect(await lapsed.stored()).toEqual(none);
      expect(await ctx.store.getChallenge(live.userId, consumedLapsed.id)).toBeNull();
      // What a removed record answers: as a missing one.
      expect(
        await ctx.store.consumeChallenge(lapsed.userId, lapsed.challenge.id, { digest: randomDigest(), now }),
      ).toBe('not_found');
      expect(await ctx.store.confirmEnrollment(lapsed.userId, lapsed.pending.id, { now })).toEqual({
        status: 'not_found',
      });
    }
  });

  it('a call removes at most limit records of each kind; more is true while some may be left', async () => {
    const now = ctx.t0 - 2 * DAY - 60_000;
    const seeded = [await seed(ctx, now), await seed(ctx, now - 1), await seed(ctx, now - 2)];
    const left = async () => (await Promise.all(seeded.map((one) => one.stored()))).flatMap(Object.values);
    let calls = 0;
    for (;;) {
      const result = await ctx.store.sweepExpired({ now, limit: 1 });
      calls += 1;
      expectBounded(result, 1);
      // `more: false` promises nothing lapsed is left (with limit 1 and three of each, not before the third call).
      if (!result.more) {
        if (removes) expect(await left()).not.toContain(true);
        break;
      }
      if (calls === 200) throw new Error('sweepExpired still answered more: true after 200 calls');
    }
    if (removes) expect(calls).toBeGreaterThanOrEqual(3);
    // Without options the limit is DEFAULT_PAGE_SIZE; nothing is left to remove at `now`.
    expectBounded(await ctx.store.sweepExpired({ now }), 100);
  });

  it('a sweep racing calls at the boundary never removes a record they renew or use', async () => {
    const now = ctx.t0 - 2 * DAY - 120_000;
    const n = Math.min(ctx.concurrency, 20);
    const userId = freshId('user');
    const limits = { maxFailures: 100, windowMs: 1_000, lockoutMs: 1_000 };
    // Counters that lapse at `now` (a failure at `now` opens a new window) and counters still counting.
    const lapsedKeys = Array.from({ length: n }, () => freshId('key'));
    const liveKeys = Array.from({ length: n }, () => freshId('key'));
    for (const key of lapsedKeys) await ctx.store.registerFailure(key, { now: now - 1_000, limits });
    for (const key of liveKeys) await ctx.store.registerFailure(key, { now: now - 999, limits });
    // Challenges and pending enrollments that are live at `now` for one more millisecond.
    const challenges = Array.from({ length: n }, () =>
      emailChallenge(userId, now - 1_000, randomDigest(), { expiresAt: now + 1 }),
    );
    for (const challenge of challenges) await ctx.store.createChallenge(challenge);
    const pendings = Array.from({ length: n }, () =>
      pendingTotp(userId, now - 1_000, { expiresAt: now + 1 }),
    );
    for (const pending of pendings) await ctx.store.createPendingEnrollment(pending);
    const devices = Array.from({ length: n }, () =>
      trustedDevice(userId, now - 1_000, { expiresAt: now + 1 }),
    );

    const sweeper = async (): Promise<void> => {
      for (let calls = 0; calls < 50; calls++) {
        const result = await ctx.store.sweepExpired({ now, limit: 3 });
        expectBounded(result, 3);
        if (!result.more) return;
      }
    };
    const [, failures, consumed, confirmed] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, sweeper)),
      Promise.all([...lapsedKeys, ...liveKeys].map((key) => ctx.store.registerFailure(key, { now, limits }))),
      Promise.all(
        challenges.map((challenge) =>
          ctx.store.consumeChallenge(userId, challenge.id, { digest: challenge.digest ?? '', now }),
        ),
      ),
      Promise.all(pendings.map((pending) => ctx.store.confirmEnrollment(userId, pending.id, { now }))),
      Promise.all(devices.map((device) => ctx.store.addTrustedDevice(device))),
      Promise.all(Array.from({ length: 2 }, sweeper)),
    ]);

    // The failure counted at `now` opened a new window on a lapsed counter, or counted on a live one.
    expect(failures.map((state) => state.count)).toEqual([
      ...lapsedKeys.map(() => 1),
      ...liveKeys.map(() => 2),
    ]);
    expect(consumed).toEqual(challenges.map(() => 'ok'));
    expect(confirmed.map((result) => result.status)).toEqual(pendings.map(() => 'ok'));
    await sweepAll(ctx, now, 1000);
    // …and no sweep, during or after, took what those calls left.
    for (const key of lapsedKeys) expect((await ctx.store.getFailures(key, { now })).count, key).toBe(1);
    for (const key of liveKeys) expect((await ctx.store.getFailures(key, { now })).count, key).toBe(2);
    for (const challenge of challenges)
      expect((await ctx.store.getChallenge(userId, challenge.id))?.consumedAt).toBe(now);
    for (const device of devices)
      expect(await ctx.store.findTrustedDevice(userId, device.digest, { now })).toEqual(device);
    expect((await ctx.store.listCredentials(userId)).length).toBe(n);
  });

  it('checks its arguments: now a time in range, options an object, limit from 1 to MAX_PAGE_SIZE; a refused call removes nothing', async () => {
    const now = ctx.t0 - 2 * DAY - 180_000;
    const lapsed = await seed(ctx, now);
    for (const bad of BAD_TIMES) {
      const error = await expectRejection(
        () => ctx.store.sweepExpired({ now: bad as number }),
        'invalid_argument',
      );
      expect(error.message, String(bad)).toContain('now');
    }
    for (const bad of [null, undefined, 'limit', 5, [1]]) {
      const error = await expectRejection(
        () => ctx.store.sweepExpired(bad as unknown as { now: number }),
        'invalid_argument',
      );
      expect(error.message, String(bad)).toContain('options');
    }
    for (const bad of [0, -1, 1001, 1.5, Number.NaN, '10', null]) {
      const error = await expectRejection(
        () => ctx.store.sweepExpired({ now, limit: bad as number }),
        'invalid_argument',
      );
      expect(error.message, String(bad)).toContain('options.limit');
    }
    expect(await lapsed.stored()).toEqual(all);
    expectBounded(await ctx.store.sweepExpired({ now }), 100);
    expectBounded(await ctx.store.sweepExpired({ now, limit: 1000 }), 1000);
    if (removes) expect(await lapsed.stored()).toEqual(none);
  });
}
