/**
 * @module
 * Conformance: the warm path of a verification (checklist D3, E1, E6, H9, B6). A service that caches
 * sealed credentials verifies a code with one `recordOtpUse` whose `ifSecret` and `unlessLocked` make the
 * store decide, in the same atomic step, that the cached secret is still current and no counter is locked.
 */

import type { FailureLimits } from '@secondfactor/core';
import { expect, it } from 'vitest';
import type { FailureState } from '../records';
import type { RecordOtpUseOptions } from '../store-types';
import {
  emailCredential,
  expectRejection,
  fakeCiphertext,
  freshId,
  fulfilled,
  race,
  type SuiteContext,
  totpCredential,
} from './fixtures';
import { as, PLAINTEXT_SECRETS } from './validation';

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

const none: FailureState = { count: 0, lockedUntil: null };

/** Registers the warm-path tests. */
export function warmVerificationTests(ctx: SuiteContext): void {
  const n = ctx.concurrency;

  it('H9: ifSecret equal to the stored sealed secret records; another ciphertext refuses and changes nothing', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 10, driftSteps: 0 });
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 2, ctx.t0);
    const now = ctx.t0 + 1;
    const options = { now, driftSteps: 1, unlessLocked: [key], clearFailures: [key] };
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 11,
        ...options,
        ifSecret: fakeCiphertext(),
      }),
    ).toBe(false);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(credential);
    expect(await ctx.store.getFailures(key, { now })).toEqual({ count: 2, lockedUntil: null });
    const ifSecret = credential.otp?.secretCiphertext;
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 11, ...options, ifSecret }),
    ).toBe(true);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual({
      ...credential,
      lastUsedStep: 11,
      lastUsedAt: now,
      driftSteps: 1,
    });
    expect(await ctx.store.getFailures(key, { now })).toEqual(none);
  });

  it('key rotation: after replaceCredentialSecret the old ciphertext refuses, the new one records', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 1, ctx.t0);
    const old = credential.otp?.secretCiphertext ?? '';
    const next = fakeCiphertext();
    expect(
      await ctx.store.replaceCredentialSecret(credential.userId, credential.id, { expected: old, next }),
    ).toBe(true);
    const options = { now: ctx.t0, unlessLocked: [key], clearFailures: [key] };
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 1, ...options, ifSecret: old }),
    ).toBe(false);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual({
      ...credential,
      otp: { ...credential.otp, secretCiphertext: next },
    });
    expect(await ctx.store.getFailures(key, { now: ctx.t0 })).toEqual({ count: 1, lockedUntil: null });
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 1, ...options, ifSecret: next }),
    ).toBe(true);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 })).toEqual(none);
  });

  it('H9: a deleted credential refuses its last secret, also once a new credential takes its id; a credential without a secret never matches', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    const ifSecret = credential.otp?.secretCiphertext;
    await ctx.store.addCredential(credential);
    expect(await ctx.store.deleteCredential(credential.userId, credential.id)).toBe(true);
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 1, now: ctx.t0, ifSecret }),
    ).toBe(false);
    const successor = totpCredential(credential.userId, ctx.t0, { id: credential.id });
    await ctx.store.addCredential(successor);
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 1, now: ctx.t0, ifSecret }),
    ).toBe(false);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(successor);
    const mail = emailCredential(credential.userId, ctx.t0);
    await ctx.store.addCredential(mail);
    expect(await ctx.store.recordOtpUse(mail.userId, mail.id, { step: 1, now: ctx.t0, ifSecret })).toBe(
      false,
    );
    expect(await ctx.store.getCredential(mail.userId, mail.id)).toEqual(mail);
  });

  it('E1: unlessLocked with a locked key refuses and changes nothing; once the lock lapses the same call records', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 10 });
    await ctx.store.addCredential(credential);
    const [factor, locked] = [freshId('key'), freshId('key')];
    await failures(ctx, factor, 1, ctx.t0);
    await failures(ctx, locked, 3, ctx.t0);
    const lockedState = { count: 3, lockedUntil: ctx.t0 + 60_000 };
    const at = (now: number, unlessLocked: string[]): RecordOtpUseOptions => ({
      step: 11,
      now,
      driftSteps: 2,
      ifSecret: credential.otp?.secretCiphertext,
      unlessLocked,
      clearFailures: [factor, locked],
    });
    // One locked key among several refuses, wherever it stands in the list; a repeated key is allowed.
    const orders = [
      [factor, locked],
      [locked, factor, factor],
    ];
    for (const now of [ctx.t0, ctx.t0 + 59_999]) {
      for (const order of orders) {
        const refused = await ctx.store.recordOtpUse(credential.userId, credential.id, at(now, order));
        expect(refused, `at t0 + ${now - ctx.t0}, ${order.length} keys`).toBe(false);
      }
      expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(credential);
      expect(await ctx.store.getFailures(locked, { now })).toEqual(lockedState);
      expect(await ctx.store.getFailures(factor, { now })).toEqual({ count: 1, lockedUntil: null });
    }
    // The injected clock reaches lockedUntil: the lock has lapsed and the very same call records.
    const lapsed = ctx.t0 + 60_000;
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, at(lapsed, orders[0]!))).toBe(true);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual({
      ...credential,
      lastUsedStep: 11,
      lastUsedAt: lapsed,
      driftSteps: 2,
    });
    expect(await ctx.store.getFailures(factor, { now: lapsed })).toEqual(none);
    // Cleared whole, backoff included: the next lockout is a first one again.
    await failures(ctx, locked, 2, lapsed);
    expect(await ctx.store.registerFailure(locked, { now: lapsed, limits })).toEqual({
      count: 3,
      lockedUntil: lapsed + 60_000,
    });
  });

  it('E1: a key that only counts, a lapsed window, a key never seen, and a lock named only in clearFailures do not refuse', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const now = ctx.t0 + 600_000;
    const [counting, lapsedWindow, unseen, lockedButCleared] = [
      freshId('key'),
      freshId('key'),
      freshId('key'),
      freshId('key'),
    ];
    await failures(ctx, counting, 2, now - 1);
    await failures(ctx, lapsedWindow, 2, ctx.t0);
    await failures(ctx, lockedButCleared, 3, now - 1);
    expect(await ctx.store.getFailures(counting, { now })).toEqual({ count: 2, lockedUntil: null });
    expect(await ctx.store.getFailures(lockedButCleared, { now })).toEqual({
      count: 3,
      lockedUntil: now - 1 + 60_000,
    });
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 5,
        now,
        unlessLocked: [counting, lapsedWindow, unseen],
        clearFailures: [lockedButCleared],
      }),
    ).toBe(true);
    expect(await ctx.store.getFailures(counting, { now })).toEqual({ count: 2, lockedUntil: null });
    expect(await ctx.store.getFailures(lockedButCleared, { now })).toEqual(none);
    expect((await ctx.store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(5);
  });

  it('B6: a bad ifSecret or unlessLocked rejects as invalid_argument; nothing is recorded or cleared', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 5 });
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await failures(ctx, key, 2, ctx.t0);
    const valid = {
      now: ctx.t0,
      ifSecret: credential.otp?.secretCiphertext,
      unlessLocked: [key],
      clearFailures: [key],
    };
    const nine = Array.from({ length: 9 }, () => freshId('key'));
    for (const bad of [[key, ''], [key, 'a\u0000b'], [key, '\ud800x'], nine, key, null, {}, [key, 42]]) {
      await expectRejection(
        () =>
          ctx.store.recordOtpUse(credential.userId, credential.id, {
            step: 6,
            ...valid,
            unlessLocked: as<string[]>(bad),
          }),
        'invalid_argument',
      );
    }
    for (const bad of [...PLAINTEXT_SECRETS, '', 42, null, {}, [valid.ifSecret]]) {
      await expectRejection(
        () =>
          ctx.store.recordOtpUse(credential.userId, credential.id, {
            step: 6,
            ...valid,
            ifSecret: as<string>(bad),
          }),
        'invalid_argument',
      );
    }
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(credential);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 })).toEqual({ count: 2, lockedUntil: null });
    // Eight keys is the limit, and it is allowed.
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 6,
        ...valid,
        unlessLocked: [key, ...nine.slice(2)],
      }),
    ).toBe(true);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 })).toEqual(none);
  });

  it(`D3/E6: ${n} concurrent warm verifications of one step (ifSecret, unlessLocked, clearFailures): one true, the named counters cleared, others kept`, async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const [user, factor, other] = [freshId('key'), freshId('key'), freshId('key')];
    await failures(ctx, user, 2, ctx.t0);
    await failures(ctx, factor, 1, ctx.t0);
    await failures(ctx, other, 2, ctx.t0);
    const keys = [user, factor];
    const options = {
      now: ctx.t0 + 1,
      ifSecret: credential.otp?.secretCiphertext,
      unlessLocked: keys,
      clearFailures: keys,
    };
    const results = fulfilled(
      await race(n, () =>
        ctx.store.recordOtpUse(credential.userId, credential.id, { ...options, step: 57_000_000 }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const read = await ctx.store.getCredentialForVerification(credential.userId, credential.id, {
      now: ctx.t0 + 1,
      failureKeys: [user, factor, other],
    });
    expect(read.credential?.lastUsedStep).toBe(57_000_000);
    expect(read.failures).toEqual([none, none, { count: 2, lockedUntil: null }]);
  });

  it(`E1/E6: ${n} concurrent warm verifications of one user's credentials, sharing counters named in opposite orders, all record and keep what they do not clear`, async () => {
    const userId = freshId('user');
    // Counters every call checks but none clears (say per user and per client address), plus one of its own.
    const [shared1, shared2] = [freshId('key'), freshId('key')];
    await failures(ctx, shared1, 1, ctx.t0);
    await failures(ctx, shared2, 2, ctx.t0);
    const own = await Promise.all(
      Array.from({ length: n }, async () => {
        const credential = totpCredential(userId, ctx.t0);
        await ctx.store.addCredential(credential);
        const key = freshId('key');
        await failures(ctx, key, 1, ctx.t0);
        return { credential, key };
      }),
    );
    const results = fulfilled(
      await race(n, (index) => {
        const { credential, key } = own[index]!;
        // An adapter that takes per-key locks in the order given would deadlock here.
        const unlessLocked = index % 2 === 0 ? [shared1, shared2, key] : [key, shared2, shared1];
        return ctx.store.recordOtpUse(credential.userId, credential.id, {
          step: 7,
          now: ctx.t0 + 1,
          ifSecret: credential.otp?.secretCiphertext,
          unlessLocked,
          clearFailures: [key],
        });
      }),
    );
    expect(results).toEqual(own.map(() => true));
    expect(await ctx.store.getFailures(shared1, { now: ctx.t0 + 1 })).toEqual({
      count: 1,
      lockedUntil: null,
    });
    expect(await ctx.store.getFailures(shared2, { now: ctx.t0 + 1 })).toEqual({
      count: 2,
      lockedUntil: null,
    });
    for (const { key } of own) expect(await ctx.store.getFailures(key, { now: ctx.t0 + 1 })).toEqual(none);
  });

  it(`E1: ${n} failures that lock a key race ${n} warm verifications guarded by it: each verification is refused after the lock, or records before it and the failure counts afresh`, async () => {
    const now = ctx.t0 + 1;
    const pairs = await Promise.all(
      Array.from({ length: n }, async () => {
        const credential = totpCredential(freshId('user'), ctx.t0);
        await ctx.store.addCredential(credential);
        const key = freshId('key');
        // One failure short of the limit: the racing failure locks the key.
        await failures(ctx, key, limits.maxFailures - 1, ctx.t0);
        return { credential, key };
      }),
    );
    const outcomes = fulfilled(
      await race(2 * n, (index): Promise<boolean | FailureState> => {
        const { credential, key } = pairs[Math.floor(index / 2)]!;
        return index % 2 === 0
          ? ctx.store.recordOtpUse(credential.userId, credential.id, {
              step: 1,
              now,
              ifSecret: credential.otp?.secretCiphertext,
              unlessLocked: [key],
              clearFailures: [key],
            })
          : ctx.store.registerFailure(key, { now, limits });
      }),
    );
    for (const [i, { credential, key }] of pairs.entries()) {
      const recorded = outcomes[2 * i];
      const failure = outcomes[2 * i + 1];
      const stored = await ctx.store.getCredential(credential.userId, credential.id);
      if (recorded === true) {
        // The verification ran first: it cleared the counter, and the failure started a new one.
        expect(failure, `pair ${i}`).toEqual({ count: 1, lockedUntil: null });
        expect(stored?.lastUsedStep, `pair ${i}`).toBe(1);
      } else {
        // The failure ran first and locked the key: the verification changed nothing.
        expect(failure, `pair ${i}`).toEqual({ count: 3, lockedUntil: now + 60_000 });
        expect(stored, `pair ${i}`).toEqual(credential);
      }
      expect(await ctx.store.getFailures(key, { now }), `pair ${i}`).toEqual(failure);
    }
  });
}
