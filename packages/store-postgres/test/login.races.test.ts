/**
 * `completeLogin` raced against the other primitives that write the rows it decides on, on a real
 * server (each call on its own pooled connection, so the statements really overlap). The conformance
 * suite races `completeLogin` against itself; these races are the ones its lock order and FOR UPDATE
 * re-checks exist for: a code or step used by another primitive at the same moment, and a lock set at
 * the same moment. The lock order is tested by queueing calls behind a row held by another connection,
 * so that an order that could deadlock would deadlock every time. `failLogin` takes the same rows in
 * the same order (counters in key order, then the challenge) and is raced against `completeLogin` the
 * same way. Skipped, with the reason printed, when DATABASE_URL is not set.
 */
import type { FailureLimits } from '@secondfactor/core';
import { freshId, loginChallenge, randomDigest, totpCredential } from '@secondfactor/store/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { dropSchema, pgClient, randomSchema, SERVER_SKIP, serverPool } from './helpers';

const ROUNDS = 20;
const now = 1_700_000_000_000;
const limits: FailureLimits = { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 };

/** Both calls of a round, started together; fails the test on any rejection (a deadlock would be one). */
async function both<A, B>(first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first(), second()]);
  expect(
    [a, b]
      .filter((item) => item.status === 'rejected')
      .map((item) => String((item as PromiseRejectedResult).reason)),
  ).toEqual([]);
  return [(a as PromiseFulfilledResult<A>).value, (b as PromiseFulfilledResult<B>).value];
}

describe.skipIf(SERVER_SKIP !== undefined)('completeLogin against the other writers, on PostgreSQL', () => {
  let pool: pg.Pool;
  let store: PostgresStore;
  const schema = randomSchema();

  beforeAll(async () => {
    pool = serverPool({ max: 8 });
    store = PostgresStore.fromPg(pool, { schema });
    await store.migrate();
  });
  afterAll(async () => {
    await dropSchema(pgClient(pool), schema);
    await pool.end();
  });

  /** A user with an open login challenge. */
  async function login(): Promise<{ userId: string; challengeId: string }> {
    const userId = freshId('user');
    const challenge = loginChallenge(userId, now);
    await store.createChallenge(challenge);
    return { userId, challengeId: challenge.id };
  }

  it('D4: a backup code used by completeLogin and consumeBackupCode at once is used once, and counted once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { userId, challengeId } = await login();
      const codes = [randomDigest(), randomDigest(), randomDigest()];
      await store.replaceBackupCodes(userId, { digests: codes, now });
      const [done, consumed] = await both(
        () => store.completeLogin(userId, challengeId, { now, backupCode: { digest: codes[0]! } }),
        () => store.consumeBackupCode(userId, codes[0]!),
      );
      expect([done.status === 'ok', consumed.consumed].filter(Boolean)).toHaveLength(1);
      expect((await store.getBackupCodeSet(userId))?.remaining).toBe(2);
      // The login's challenge is consumed exactly when the login took the code.
      const challenge = await store.getChallenge(userId, challengeId);
      expect(challenge?.consumedAt !== undefined).toBe(done.status === 'ok');
      if (done.status === 'ok') expect(done.backupCodesRemaining).toBe(2);
    }
  });

  it('D3: a TOTP step recorded by completeLogin and recordOtpUse at once is recorded once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { userId, challengeId } = await login();
      const credential = totpCredential(userId, now);
      await store.addCredential(credential);
      const [done, recorded] = await both(
        () =>
          store.completeLogin(userId, challengeId, {
            now,
            otp: {
              credentialId: credential.id,
              step: 57_000_001,
              ifSecret: credential.otp?.secretCiphertext,
            },
          }),
        () => store.recordOtpUse(userId, credential.id, { step: 57_000_001, now }),
      );
      expect([done.status === 'ok', recorded].filter(Boolean)).toHaveLength(1);
      expect((await store.getCredential(userId, credential.id))?.lastUsedStep).toBe(57_000_001);
    }
  });

  it('E1, E6: a failure that locks a key while completeLogin checks and clears it is never erased', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { userId, challengeId } = await login();
      const key = `user:${userId}`;
      // One failure short of the lock, so the racing failure locks an existing counter row.
      for (let i = 1; i < limits.maxFailures; i++) await store.registerFailure(key, { now, limits });
      const [done, failure] = await both(
        () => store.completeLogin(userId, challengeId, { now, unlessLocked: [key], clearFailures: [key] }),
        () => store.registerFailure(key, { now, limits }),
      );
      // Either the login came first (its clear deleted the counter, and the failure started a new one)
      // or the failure did (its lock refused the login). Either way the store holds what the failure
      // answered: a login that read the counter as unlocked and then cleared the lock would erase it.
      if (done.status === 'ok') {
        expect(failure).toEqual({ count: 1, lockedUntil: null });
      } else {
        expect(failure).toEqual({ count: limits.maxFailures, lockedUntil: now + limits.lockoutMs });
        expect((await store.getChallenge(userId, challengeId))?.consumedAt).toBeUndefined();
      }
      expect(await store.getFailures(key, { now })).toEqual(failure);
    }
  });

  /**
   * Starts `calls` one at a time while another connection holds `lockedRow` (a `SELECT … FOR UPDATE`
   * over the schema's tables), each once the ones before it wait on a lock, then releases the row and
   * settles them all. The waits are read from pg_stat_activity, so the calls queue in a known order
   * whatever the machine's speed; this is what makes a lock-order cycle certain instead of rare.
   */
  async function queuedBehind<T>(
    lockedRow: string,
    params: unknown[],
    calls: (() => Promise<T>)[],
  ): Promise<PromiseSettledResult<T>[]> {
    const holder = await pool.connect();
    const started: Promise<T>[] = [];
    try {
      await holder.query('BEGIN');
      expect((await holder.query(lockedRow, params)).rowCount).toBe(1);
      for (const call of calls) {
        started.push(call());
        for (;;) {
          const { rows } = await pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND strpos(query, $1) > 0`,
            [`"${schema}".`],
          );
          if (rows[0].n === started.length) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    return Promise.allSettled(started);
  }

  it('logins naming the same counters in opposite orders lock them in one order: no deadlock', async () => {
    const keys = Array.from({ length: 6 }, () => `ip:${freshId('ip')}`);
    for (const key of keys) await store.registerFailure(key, { now, limits });
    const [a, b] = [await login(), await login()];
    // With the middle key held, a call locking in the order it was given would hold keys[0..2] while
    // the reversed one held keys[4..5]: each then needs one the other holds.
    const outcomes = await queuedBehind(
      `SELECT 1 FROM "${schema}".failures WHERE key = $1 FOR UPDATE`,
      [keys[3]],
      [
        () => store.completeLogin(a.userId, a.challengeId, { now, unlessLocked: keys, clearFailures: keys }),
        () =>
          store.completeLogin(b.userId, b.challengeId, {
            now,
            unlessLocked: [...keys].reverse(),
            clearFailures: [...keys].reverse(),
          }),
      ],
    );
    expect(
      outcomes.map((item) => (item.status === 'fulfilled' ? item.value.status : String(item.reason))),
    ).toEqual(['ok', 'ok']);
  });

  it('completeLogin queued behind resetUser on the credential: the reset lands wholly first, no deadlock', async () => {
    const { userId, challengeId } = await login();
    const credential = totpCredential(userId, now);
    await store.addCredential(credential);
    const key = `user:${userId}`;
    await store.registerFailure(key, { now, limits });
    // resetUser takes the credential, then the challenge; a login that took the challenge before the
    // credential would hold what the reset needs next while waiting for what the reset holds.
    const [reset, done] = await queuedBehind<unknown>(
      `SELECT 1 FROM "${schema}".credentials WHERE id = $1 FOR UPDATE`,
      [credential.id],
      [
        () => store.resetUser(userId),
        () =>
          store.completeLogin(userId, challengeId, {
            now,
            otp: { credentialId: credential.id, step: 57_000_001 },
            unlessLocked: [key],
            clearFailures: [key],
          }),
      ],
    );
    expect(reset).toMatchObject({ status: 'fulfilled', value: { credentials: 1, challenges: 1 } });
    expect(done).toEqual({ status: 'fulfilled', value: { status: 'refused' } });
    // Refused means nothing written: the counter is still there.
    expect((await store.getFailures(key, { now })).count).toBe(1);
  });

  it('E1, E6: a wrong answer (failLogin) that locks a key while completeLogin checks and clears it is never erased', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { userId, challengeId } = await login();
      const key = `user:${userId}`;
      for (let i = 1; i < limits.maxFailures; i++) await store.registerFailure(key, { now, limits });
      const audit = { id: freshId('evt'), at: now, type: 'login.failed', userId };
      const [done, failure] = await both(
        () => store.completeLogin(userId, challengeId, { now, unlessLocked: [key], clearFailures: [key] }),
        () => store.failLogin(userId, challengeId, { now, keys: [key], limits, audit }),
      );
      if (done.status === 'ok') {
        // The login came first: the failure counts on a new counter, and not on the completed login.
        expect(failure).toEqual({ states: [{ count: 1, lockedUntil: null }], attempts: 0 });
      } else {
        expect(failure).toEqual({
          states: [{ count: limits.maxFailures, lockedUntil: now + limits.lockoutMs }],
          attempts: 1,
        });
        expect((await store.getChallenge(userId, challengeId))?.consumedAt).toBeUndefined();
      }
      expect(await store.getFailures(key, { now })).toEqual(failure.states[0]);
    }
  });

  it('failLogin and completeLogin naming the same counters in opposite orders lock them in one order: no deadlock', async () => {
    const keys = Array.from({ length: 6 }, () => `ip:${freshId('ip')}`);
    for (const key of keys) await store.registerFailure(key, { now, limits });
    const [a, b] = [await login(), await login()];
    const audit = { id: freshId('evt'), at: now, type: 'login.failed', userId: b.userId };
    const outcomes = await queuedBehind<unknown>(
      `SELECT 1 FROM "${schema}".failures WHERE key = $1 FOR UPDATE`,
      [keys[3]],
      [
        () => store.completeLogin(a.userId, a.challengeId, { now, unlessLocked: keys, clearFailures: keys }),
        () => store.failLogin(b.userId, b.challengeId, { now, keys: [...keys].reverse(), limits, audit }),
      ],
    );
    expect(outcomes.map((item) => item.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { status: 'ok', sessionEpoch: 0 } });
    // The login cleared every key first: the failure counts one on each, on the other login.
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { attempts: 1 } });
    for (const key of keys) expect((await store.getFailures(key, { now })).count).toBe(1);
  });

  it('failLogin queued behind completeLogin on the same login: the completion lands wholly first, the attempt is not counted', async () => {
    const { userId, challengeId } = await login();
    const key = `user:${userId}`;
    await store.registerFailure(key, { now, limits });
    const audit = { id: freshId('evt'), at: now, type: 'login.failed', userId };
    const [done, failure] = await queuedBehind<unknown>(
      `SELECT 1 FROM "${schema}".challenges WHERE id = $1 FOR UPDATE`,
      [challengeId],
      [
        () => store.completeLogin(userId, challengeId, { now, unlessLocked: [key], clearFailures: [key] }),
        () => store.failLogin(userId, challengeId, { now, keys: [key], limits, audit }),
      ],
    );
    expect(done).toEqual({ status: 'fulfilled', value: { status: 'ok', sessionEpoch: 0 } });
    expect(failure).toEqual({
      status: 'fulfilled',
      value: { states: [{ count: 1, lockedUntil: null }], attempts: 0 },
    });
  });
});
