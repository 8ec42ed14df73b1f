/**
 * @module
 * Conformance: the two calls of a verification (checklist D1, D3, E1, E6, H3). `getCredentialForVerification`
 * reads a credential and attempt counters in one step; `recordOtpUse` with `clearFailures` records the
 * step and resets the named counters in one step, and only when it records the step.
 */

import type { FailureLimits } from '@secondfactor/core';
import { expect, it } from 'vitest';
import type { CredentialForVerification } from '../store-types';
import { expectRejection, freshId, fulfilled, race, type SuiteContext, totpCredential } from './fixtures';
import { as } from './validation';

const limits: FailureLimits = {
  maxFailures: 3,
  windowMs: 600_000,
  lockoutMs: 60_000,
  backoffFactor: 2,
  maxLockoutMs: 3_600_000,
};

/** Registers `times` failures of `key` at `now`. */
async function failures(ctx: SuiteContext, key: string, times: number, now: number): Promise<void> {
  for (let i = 0; i < times; i++) await ctx.store.registerFailure(key, { now, limits });
}

/** 1, 2, …, `to` (empty when `to` < 1). */
const upTo = (from: number, to: number): number[] =>
  to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Registers the verification tests. */
export function verificationTests(ctx: SuiteContext): void {
  const n = ctx.concurrency;

  it('reads the credential with the state of each named counter, in the order asked', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 41, driftSteps: -1 });
    await ctx.store.addCredential(credential);
    const [counting, locked, unseen] = [freshId('key'), freshId('key'), freshId('key')];
    await failures(ctx, counting, 2, ctx.t0);
    await failures(ctx, locked, 3, ctx.t0);
    const read = await ctx.store.getCredentialForVerification(credential.userId, credential.id, {
      now: ctx.t0 + 1,
      failureKeys: [locked, unseen, counting, locked],
    });
    expect(read.credential).toEqual(credential);
    const lockedState = { count: 3, lockedUntil: ctx.t0 + 60_000 };
    expect(read.failures).toEqual([
      lockedState,
      { count: 0, lockedUntil: null },
      { count: 2, lockedUntil: null },
      lockedState,
    ]);
    // The same answers as the single reads, and nothing was written by reading.
    expect(read.credential).toEqual(await ctx.store.getCredential(credential.userId, credential.id));
    expect(await ctx.store.getFailures(locked, { now: ctx.t0 + 1 })).toEqual(lockedState);
  });

  it('H3: another user’s credential reads as null; the counters are answered all the same', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 1, ctx.t0);
    const intruder = await ctx.store.getCredentialForVerification(freshId('user'), credential.id, {
      now: ctx.t0,
      failureKeys: [key],
    });
    expect(intruder).toEqual({ credential: null, failures: [{ count: 1, lockedUntil: null }] });
    const unknown = await ctx.store.getCredentialForVerification(credential.userId, freshId('cred'), {
      now: ctx.t0,
      failureKeys: [],
    });
    expect(unknown).toEqual({ credential: null, failures: [] });
  });

  it('E1: reads the counters at now: a lock reads until lockedUntil, a lapsed lock or window as no failures', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const [locked, windowed] = [freshId('key'), freshId('key')];
    await failures(ctx, locked, 3, ctx.t0);
    await failures(ctx, windowed, 1, ctx.t0);
    const at = async (now: number) =>
      (
        await ctx.store.getCredentialForVerification(credential.userId, credential.id, {
          now,
          failureKeys: [locked, windowed],
        })
      ).failures;
    expect(await at(ctx.t0 + 59_999)).toEqual([
      { count: 3, lockedUntil: ctx.t0 + 60_000 },
      { count: 1, lockedUntil: null },
    ]);
    expect(await at(ctx.t0 + 60_000)).toEqual([
      { count: 0, lockedUntil: null },
      { count: 1, lockedUntil: null },
    ]);
    expect(await at(ctx.t0 + 600_000)).toEqual([
      { count: 0, lockedUntil: null },
      { count: 0, lockedUntil: null },
    ]);
  });

  it('E6: a recorded step clears the named counters (count, lock and backoff) and no others', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 10 });
    await ctx.store.addCredential(credential);
    const [user, factor, other] = [freshId('key'), freshId('key'), freshId('key')];
    // `user` is locked for the second time (its next lockout would last 4 × lockoutMs).
    await failures(ctx, user, 3, ctx.t0);
    await failures(ctx, user, 3, ctx.t0 + 60_000);
    await failures(ctx, factor, 1, ctx.t0);
    await failures(ctx, other, 2, ctx.t0);
    const now = ctx.t0 + 60_001;
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 11,
        now,
        driftSteps: 1,
        clearFailures: [user, factor],
      }),
    ).toBe(true);
    const read = await ctx.store.getCredentialForVerification(credential.userId, credential.id, {
      now,
      failureKeys: [user, factor, other],
    });
    expect(read.credential).toMatchObject({ lastUsedStep: 11, lastUsedAt: now, driftSteps: 1 });
    expect(read.failures).toEqual([
      { count: 0, lockedUntil: null },
      { count: 0, lockedUntil: null },
      { count: 2, lockedUntil: null },
    ]);
    // The backoff is forgotten too: the next lockout of `user` is a first one again.
    await failures(ctx, user, 2, now);
    expect(await ctx.store.registerFailure(user, { now, limits })).toEqual({
      count: 3,
      lockedUntil: now + 60_000,
    });
  });

  it('E6/D1/D2: a replayed step, an earlier step and an unknown credential clear nothing', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 20 });
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 2, ctx.t0);
    const options = { now: ctx.t0 + 5, clearFailures: [key] };
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { ...options, step: 20 })).toBe(
      false,
    );
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { ...options, step: 19 })).toBe(
      false,
    );
    expect(await ctx.store.recordOtpUse(freshId('user'), freshId('cred'), { ...options, step: 21 })).toBe(
      false,
    );
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 5 })).toEqual({ count: 2, lockedUntil: null });
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(credential);
  });

  it('E6: without clearFailures or with an empty list no counter changes; a repeated key is cleared once', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 2, ctx.t0);
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 1, now: ctx.t0 })).toBe(
      true,
    );
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 2,
        now: ctx.t0,
        clearFailures: [],
      }),
    ).toBe(true);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 })).toEqual({ count: 2, lockedUntil: null });
    const never = freshId('key');
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 3,
        now: ctx.t0,
        clearFailures: [key, never, key],
      }),
    ).toBe(true);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 })).toEqual({ count: 0, lockedUntil: null });
    expect(await ctx.store.getFailures(never, { now: ctx.t0 })).toEqual({ count: 0, lockedUntil: null });
  });

  it('bad clearFailures or failureKeys reject as invalid_argument; the step is not recorded and nothing is cleared', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 5 });
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 2, ctx.t0);
    const nine = Array.from({ length: 9 }, () => freshId('key'));
    for (const bad of [[key, ''], [key, 'a\u0000b'], nine, key, null, [key, 42]]) {
      await expectRejection(
        () =>
          ctx.store.recordOtpUse(credential.userId, credential.id, {
            step: 6,
            now: ctx.t0,
            clearFailures: as<string[]>(bad),
          }),
        'invalid_argument',
      );
      await expectRejection(
        () =>
          ctx.store.getCredentialForVerification(credential.userId, credential.id, {
            now: ctx.t0,
            failureKeys: as<string[]>(bad),
          }),
        'invalid_argument',
      );
    }
    await expectRejection(
      () => ctx.store.getCredentialForVerification(credential.userId, credential.id, as<never>(undefined)),
      'invalid_argument',
    );
    await expectRejection(
      () =>
        ctx.store.getCredentialForVerification(credential.userId, credential.id, as<never>({ now: ctx.t0 })),
      'invalid_argument',
    );
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(credential);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 })).toEqual({ count: 2, lockedUntil: null });
    // Eight keys is the limit, and it is allowed.
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 6,
        now: ctx.t0,
        clearFailures: [key, ...nine.slice(2)],
      }),
    ).toBe(true);
  });

  it(`D3/E6: ${n} concurrent recordOtpUse calls with the same step: one true, the named counters cleared, others kept`, async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const [user, factor, other] = [freshId('key'), freshId('key'), freshId('key')];
    await failures(ctx, user, 3, ctx.t0);
    await failures(ctx, factor, 2, ctx.t0);
    await failures(ctx, other, 2, ctx.t0);
    const results = fulfilled(
      await race(n, () =>
        ctx.store.recordOtpUse(credential.userId, credential.id, {
          step: 57_000_000,
          now: ctx.t0 + 1,
          clearFailures: [user, factor],
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const read = await ctx.store.getCredentialForVerification(credential.userId, credential.id, {
      now: ctx.t0 + 1,
      failureKeys: [user, factor, other],
    });
    expect(read.credential?.lastUsedStep).toBe(57_000_000);
    expect(read.failures).toEqual([
      { count: 0, lockedUntil: null },
      { count: 0, lockedUntil: null },
      { count: 2, lockedUntil: null },
    ]);
  });

  it(`E6: ${n} failures racing ${n} uses of one step are counted before or after the one winner’s clear, never cleared again`, async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    const wide = { maxFailures: 1000, windowMs: 600_000, lockoutMs: 1_000 };
    const before = 5;
    for (let i = 0; i < before; i++) await ctx.store.registerFailure(key, { now: ctx.t0, limits: wide });
    // Uses and failures alternate, so a clear by a losing use would land between two failures.
    const outcomes = fulfilled(
      await race(
        2 * n,
        (index): Promise<boolean | number> =>
          index % 2 === 0
            ? ctx.store.recordOtpUse(credential.userId, credential.id, {
                step: 1_000,
                now: ctx.t0,
                clearFailures: [key],
              })
            : ctx.store.registerFailure(key, { now: ctx.t0, limits: wide }).then((state) => state.count),
      ),
    );
    const uses = outcomes.filter((_, index) => index % 2 === 0);
    const counts = outcomes.filter((_, index) => index % 2 === 1) as number[];
    expect(uses.filter((used) => used === true)).toHaveLength(1);
    // Exactly one clear: the counts run on from the failures before the race up to the clear, then
    // restart at 1 and run up to what the key holds now. A second clear would restart them again.
    const after = (await ctx.store.getFailures(key, { now: ctx.t0 })).count;
    expect(after).toBeLessThanOrEqual(n);
    const expected = [...upTo(before + 1, before + n - after), ...upTo(1, after)];
    expect([...counts].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
  });

  it(`E6: ${n} concurrent reads never see the step recorded with a counter not yet cleared, nor the reverse`, async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 100 });
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 2, ctx.t0);
    const writer = Math.floor(n / 2);
    const outcomes = fulfilled(
      await race(
        n,
        (index): Promise<boolean | CredentialForVerification> =>
          index === writer
            ? ctx.store.recordOtpUse(credential.userId, credential.id, {
                step: 101,
                now: ctx.t0 + 1,
                clearFailures: [key],
              })
            : ctx.store.getCredentialForVerification(credential.userId, credential.id, {
                now: ctx.t0 + 1,
                failureKeys: [key],
              }),
      ),
    );
    expect(outcomes[writer]).toBe(true);
    for (const [index, outcome] of outcomes.entries()) {
      if (index === writer) continue;
      const read = outcome as CredentialForVerification;
      const seen = [read.credential?.lastUsedStep, read.failures[0]?.count];
      expect(
        [
          [100, 2],
          [101, 0],
        ],
        `read ${index}`,
      ).toContainEqual(seen);
    }
  });
}
