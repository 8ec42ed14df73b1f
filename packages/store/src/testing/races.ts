/**
 * @module
 * Conformance: every atomic primitive raced by many concurrent calls on one store (checklist D3, D4,
 * D5, D7). Exactly one caller wins each race; counters count every racer exactly once.
 */
import { expect, it } from 'vitest';
import {
  auditEvent,
  emailChallenge,
  expectRejection,
  fakeCiphertext,
  freshId,
  fulfilled,
  loginChallenge,
  pendingTotp,
  race,
  randomDigest,
  type SuiteContext,
  totpCredential,
  trustedDevice,
} from './fixtures';

function shuffled(values: number[]): number[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.getRandomValues(new Uint32Array(1))[0]! % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Registers the race tests. */
export function raceTests(ctx: SuiteContext): void {
  const n = ctx.concurrency;

  it(`D3/D7: ${n} concurrent recordOtpUse calls with the same step yield exactly one true`, async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const results = fulfilled(
      await race(n, () =>
        ctx.store.recordOtpUse(credential.userId, credential.id, { step: 57_000_000, now: ctx.t0 }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await ctx.store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(57_000_000);
  });

  it(`D2/D7: ${n} concurrent recordOtpUse calls with distinct steps end at the largest, which always wins`, async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const steps = shuffled(Array.from({ length: n }, (_, index) => 1000 + index));
    const results = fulfilled(
      await race(n, (index) =>
        ctx.store.recordOtpUse(credential.userId, credential.id, { step: steps[index] ?? 0, now: ctx.t0 }),
      ),
    );
    const largest = Math.max(...steps);
    expect(results[steps.indexOf(largest)]).toBe(true);
    expect((await ctx.store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(largest);
    // Each accepted step was larger than every step accepted before it: no step was accepted twice.
    const accepted = steps.filter((_, index) => results[index]);
    expect(new Set(accepted).size).toBe(accepted.length);
  });

  it(`D4/D7: ${n} concurrent consumptions of one backup code yield exactly one success and one code used`, async () => {
    const userId = freshId('user');
    const digests = Array.from({ length: 10 }, randomDigest);
    await ctx.store.replaceBackupCodes(userId, { digests, now: ctx.t0 });
    const results = fulfilled(await race(n, () => ctx.store.consumeBackupCode(userId, digests[3] ?? '')));
    const winners = results.filter((result) => result.consumed);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.remaining).toBe(9);
    expect((await ctx.store.getBackupCodeSet(userId))?.remaining).toBe(9);
  });

  it('D4/D7: concurrent consumptions of every code of a set consume each exactly once', async () => {
    const userId = freshId('user');
    const digests = Array.from({ length: 10 }, randomDigest);
    await ctx.store.replaceBackupCodes(userId, { digests, now: ctx.t0 });
    const attempts = digests.flatMap((digest) => Array.from({ length: 5 }, () => digest));
    const results = fulfilled(
      await race(attempts.length, (index) => ctx.store.consumeBackupCode(userId, attempts[index] ?? '')),
    );
    const remaining = results.filter((result) => result.consumed).map((result) => result.remaining);
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await ctx.store.getBackupCodeSet(userId))?.remaining).toBe(0);
  });

  it(`D5/D7: ${n} concurrent submissions of the right code to one challenge yield exactly one ok`, async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, ctx.t0, digest);
    await ctx.store.createChallenge(challenge);
    const results = fulfilled(
      await race(n, () => ctx.store.consumeChallenge(userId, challenge.id, { digest, now: ctx.t0 + 1 })),
    );
    expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    expect(results.filter((result) => result === 'consumed')).toHaveLength(n - 1);
    expect((await ctx.store.getChallenge(userId, challenge.id))?.consumedAt).toBe(ctx.t0 + 1);
  });

  it(`E1/D7: ${n} concurrent wrong codes against maxAttempts 5 count exactly 5 mismatches, then lock`, async () => {
    const userId = freshId('user');
    const challenge = emailChallenge(userId, ctx.t0, randomDigest(), { maxAttempts: 5 });
    await ctx.store.createChallenge(challenge);
    const results = fulfilled(
      await race(n, () =>
        ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 + 1 }),
      ),
    );
    expect(results.filter((result) => result === 'mismatch')).toHaveLength(5);
    expect(results.filter((result) => result === 'locked')).toHaveLength(n - 5);
    expect((await ctx.store.getChallenge(userId, challenge.id))?.attempts).toBe(5);
    expect(
      await ctx.store.consumeChallenge(userId, challenge.id, {
        digest: challenge.digest ?? '',
        now: ctx.t0 + 2,
      }),
    ).toBe('locked');
  });

  it(`H1/D7: ${n} concurrent confirmations of one pending enrollment yield exactly one ok and one credential`, async () => {
    const userId = freshId('user');
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    const results = fulfilled(
      await race(n, () =>
        ctx.store.confirmEnrollment(userId, pending.id, { now: ctx.t0 + 1, lastUsedStep: 9 }),
      ),
    );
    expect(results.filter((result) => result.status === 'ok')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'not_found')).toHaveLength(n - 1);
    expect((await ctx.store.listCredentials(userId)).map((item) => item.id)).toEqual([pending.id]);
  });

  it(`E1/D7: ${n} concurrent failures of one key are each counted once; the lock starts at the limit and is not extended`, async () => {
    const key = freshId('key');
    const limits = { maxFailures: 10, windowMs: 60_000, lockoutMs: 300_000 };
    const now = ctx.t0 + 5;
    const results = fulfilled(await race(n, () => ctx.store.registerFailure(key, { now, limits })));
    expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );
    for (const result of results) {
      expect(result.lockedUntil).toBe(result.count < limits.maxFailures ? null : now + limits.lockoutMs);
    }
    expect(await ctx.store.getFailures(key, { now })).toEqual({
      count: n,
      lockedUntil: now + limits.lockoutMs,
    });
  });

  it('F4/D7: consumptions of an old code racing a replacement of the set leave only the new set', async () => {
    const userId = freshId('user');
    const old = Array.from({ length: 10 }, randomDigest);
    const next = Array.from({ length: 10 }, randomDigest);
    await ctx.store.replaceBackupCodes(userId, { digests: old, now: ctx.t0 });
    const outcomes = fulfilled(
      await race(n, (index) =>
        index === Math.floor(n / 2)
          ? ctx.store.replaceBackupCodes(userId, { digests: next, now: ctx.t0 + 1 }).then(() => null)
          : ctx.store.consumeBackupCode(userId, old[0] ?? ''),
      ),
    );
    expect(outcomes.filter((result) => result?.consumed === true).length).toBeLessThanOrEqual(1);
    expect(await ctx.store.getBackupCodeSet(userId)).toMatchObject({ remaining: 10, createdAt: ctx.t0 + 1 });
    for (const digest of old)
      expect((await ctx.store.consumeBackupCode(userId, digest)).consumed).toBe(false);
    expect((await ctx.store.consumeBackupCode(userId, next[9] ?? '')).consumed).toBe(true);
  });

  it('F4/D7: concurrent replacements of a set leave exactly one whole set, never a mixture', async () => {
    const userId = freshId('user');
    const sets = Array.from({ length: 20 }, () => Array.from({ length: 5 }, randomDigest));
    fulfilled(
      await race(sets.length, (index) =>
        ctx.store.replaceBackupCodes(userId, { digests: sets[index] ?? [], now: ctx.t0 }),
      ),
    );
    expect((await ctx.store.getBackupCodeSet(userId))?.remaining).toBe(5);
    const live = [];
    for (const [index, set] of sets.entries()) {
      for (const digest of set)
        if ((await ctx.store.consumeBackupCode(userId, digest)).consumed) live.push(index);
    }
    expect(live).toHaveLength(5);
    expect(new Set(live).size).toBe(1);
  });

  it(`D7: ${n} concurrent compare-and-set replacements of a sealed secret yield exactly one true`, async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const expected = credential.otp?.secretCiphertext ?? '';
    const candidates = Array.from({ length: n }, fakeCiphertext);
    const results = fulfilled(
      await race(n, (index) =>
        ctx.store.replaceCredentialSecret(credential.userId, credential.id, {
          expected,
          next: candidates[index] ?? '',
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = (await ctx.store.getCredential(credential.userId, credential.id))?.otp?.secretCiphertext;
    expect(stored).toBe(candidates[results.indexOf(true)]);
  });

  it(`D7: ${n} concurrent inserts of one credential id yield exactly one success and conflicts for the rest`, async () => {
    const id = freshId('cred');
    const records = Array.from({ length: n }, () => totpCredential(freshId('user'), ctx.t0, { id }));
    const outcomes = await race(n, (index) => ctx.store.addCredential(records[index] ?? records[0]!));
    expect(outcomes.filter((item) => item.status === 'fulfilled')).toHaveLength(1);
    for (const item of outcomes) {
      if (item.status === 'rejected') await expectRejection(() => Promise.reject(item.reason), 'conflict');
    }
    const winner = records[outcomes.findIndex((item) => item.status === 'fulfilled')];
    expect(await ctx.store.getCredential(winner?.userId ?? '', id)).toEqual(winner);
  });

  it(`D5/D7: ${n} concurrent resends and submissions never accept the digest of a replaced code`, async () => {
    const userId = freshId('user');
    const first = randomDigest();
    const challenge = emailChallenge(userId, ctx.t0, first, { maxAttempts: 100 });
    await ctx.store.createChallenge(challenge);
    const second = randomDigest();
    const rotated = await ctx.store.rotateChallenge(userId, challenge.id, {
      digest: second,
      expiresAt: ctx.t0 + 600_000,
      now: ctx.t0,
    });
    expect(rotated?.digest).toBe(second);
    const results = fulfilled(
      await race(n, (index) =>
        ctx.store.consumeChallenge(userId, challenge.id, {
          digest: index % 2 ? first : second,
          now: ctx.t0 + 1,
        }),
      ),
    );
    expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    expect(results.indexOf('ok') % 2).toBe(0);
  });

  it(`D7: ${n} concurrent deletions of one credential, challenge or pending enrollment each report true exactly once`, async () => {
    const userId = freshId('user');
    const credential = totpCredential(userId, ctx.t0);
    const challenge = emailChallenge(userId, ctx.t0, randomDigest());
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.addCredential(credential);
    await ctx.store.createChallenge(challenge);
    await ctx.store.createPendingEnrollment(pending);
    const deletions = [
      () => ctx.store.deleteCredential(userId, credential.id),
      () => ctx.store.deleteChallenge(userId, challenge.id),
      () => ctx.store.deletePendingEnrollment(userId, pending.id),
    ];
    for (const deletion of deletions) {
      expect(fulfilled(await race(n, deletion)).filter(Boolean)).toHaveLength(1);
    }
  });

  it('H1/D7: a confirmation racing a cancellation of the same pending enrollment: exactly one of them takes effect', async () => {
    for (let round = 0; round < 10; round++) {
      const userId = freshId('user');
      const pending = pendingTotp(userId, ctx.t0);
      await ctx.store.createPendingEnrollment(pending);
      const [confirmed, deleted] = fulfilled(
        await race(2, (index) =>
          index === 0
            ? ctx.store
                .confirmEnrollment(userId, pending.id, { now: ctx.t0 })
                .then((result) => result.status === 'ok')
            : ctx.store.deletePendingEnrollment(userId, pending.id),
        ),
      );
      expect([confirmed, deleted].filter(Boolean)).toHaveLength(1);
      expect((await ctx.store.listCredentials(userId)).length).toBe(confirmed ? 1 : 0);
    }
  });

  it(`D7: ${n} concurrent revocations and resets count each removed record exactly once`, async () => {
    const userId = freshId('user');
    for (let i = 0; i < 5; i++) await ctx.store.addTrustedDevice(trustedDevice(userId, ctx.t0));
    const revoked = fulfilled(await race(n, () => ctx.store.revokeTrustedDevices(userId)));
    expect(revoked.reduce((sum, count) => sum + count, 0)).toBe(5);
    for (let i = 0; i < 4; i++) await ctx.store.addCredential(totpCredential(userId, ctx.t0));
    for (let i = 0; i < 3; i++)
      await ctx.store.createChallenge(emailChallenge(userId, ctx.t0, randomDigest()));
    await ctx.store.replaceBackupCodes(userId, { digests: [randomDigest(), randomDigest()], now: ctx.t0 });
    const resets = fulfilled(await race(n, () => ctx.store.resetUser(userId)));
    const total = (key: 'credentials' | 'challenges' | 'backupCodes') =>
      resets.reduce((sum, reset) => sum + reset[key], 0);
    expect([total('credentials'), total('challenges'), total('backupCodes')]).toEqual([4, 3, 2]);
  });

  it(`I3/D7: ${n} concurrent completeLogin calls on one login yield exactly one ok, and only its audit record`, async () => {
    const userId = freshId('user');
    const login = loginChallenge(userId, ctx.t0);
    await ctx.store.createChallenge(login);
    const events = Array.from({ length: n }, () => auditEvent(ctx.t0, { userId, type: 'login.succeeded' }));
    const results = fulfilled(
      await race(n, (index) =>
        ctx.store.completeLogin(userId, login.id, { now: ctx.t0 + 1, audit: events[index] }),
      ),
    );
    expect(results.filter((result) => result.status === 'ok')).toHaveLength(1);
    expect(await ctx.store.listAudit({ userId })).toEqual([
      events[results.findIndex((r) => r.status === 'ok')],
    ]);
    expect((await ctx.store.getChallenge(userId, login.id))?.consumedAt).toBe(ctx.t0 + 1);
  });

  it(`D3/D7: ${n} concurrent completeLogin calls with one OTP step across ${n} logins yield exactly one ok`, async () => {
    const userId = freshId('user');
    const credential = totpCredential(userId, ctx.t0);
    await ctx.store.addCredential(credential);
    const logins = Array.from({ length: n }, () => loginChallenge(userId, ctx.t0));
    for (const login of logins) await ctx.store.createChallenge(login);
    const otp = { credentialId: credential.id, step: 57_000_000 };
    const results = fulfilled(
      await race(n, (index) =>
        ctx.store.completeLogin(userId, logins[index]?.id ?? '', { now: ctx.t0, otp }),
      ),
    );
    expect(results.filter((result) => result.status === 'ok')).toHaveLength(1);
    expect((await ctx.store.getCredential(userId, credential.id))?.lastUsedStep).toBe(otp.step);
    const consumed = await Promise.all(logins.map((login) => ctx.store.getChallenge(userId, login.id)));
    expect(consumed.map((login) => login?.consumedAt !== undefined)).toEqual(
      results.map((result) => result.status === 'ok'),
    );
  });

  it(`D4/D7: ${n} concurrent completeLogin calls with one backup code across ${n} logins yield exactly one ok`, async () => {
    const userId = freshId('user');
    const digests = Array.from({ length: 10 }, randomDigest);
    await ctx.store.replaceBackupCodes(userId, { digests, now: ctx.t0 });
    const logins = Array.from({ length: n }, () => loginChallenge(userId, ctx.t0));
    for (const login of logins) await ctx.store.createChallenge(login);
    const backupCode = { digest: digests[4] ?? '' };
    const results = fulfilled(
      await race(n, (index) =>
        ctx.store.completeLogin(userId, logins[index]?.id ?? '', { now: ctx.t0, backupCode }),
      ),
    );
    expect(results.filter((result) => result.status === 'ok')).toEqual([
      { status: 'ok', sessionEpoch: 0, backupCodesRemaining: 9 },
    ]);
    expect((await ctx.store.getBackupCodeSet(userId))?.remaining).toBe(9);
  });

  it(`I5/D7: ${n} concurrent bumps of one session epoch each resolve a distinct value, and the epoch ends at ${n}`, async () => {
    const userId = freshId('user');
    const results = fulfilled(await race(n, () => ctx.store.bumpSessionEpoch(userId)));
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(await ctx.store.getSessionEpoch(userId)).toBe(n);
  });

  it(`H8/D7: ${n} concurrent appends of one audit event id store it once`, async () => {
    const userId = freshId('user');
    const event = auditEvent(ctx.t0, { userId });
    const outcomes = await race(n, () => ctx.store.appendAudit(event));
    expect(outcomes.filter((item) => item.status === 'fulfilled')).toHaveLength(1);
    expect(await ctx.store.listAudit({ userId })).toEqual([event]);
  });
}
