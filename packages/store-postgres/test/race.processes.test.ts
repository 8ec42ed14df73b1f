/**
 * D3, D4, D5, D7, E6 across processes: worker processes with their own connections race the same backup
 * code, the first write of a backup-code set (onlyIfNone), the same TOTP step (also with its failure
 * counters reset) and the same challenge on the real server. Exactly one wins each race.
 */
import { randomBytes } from 'node:crypto';
import { freshId, raceAcrossProcesses, randomDigest } from '@secondfactor/store/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { DATABASE_URL, dropSchema, pgClient, randomSchema, SERVER_SKIP, serverPool } from './helpers';
import type { RaceAttempt } from './workers/race-worker';

const WORKERS = 8;
const SCRIPT = 'packages/store-postgres/test/workers/race-worker.ts';
const now = 1_700_000_000_000;
const sealed = `sf1.race.${randomBytes(48).toString('base64url')}`;

describe.skipIf(SERVER_SKIP !== undefined)(`races across ${WORKERS} processes on PostgreSQL`, () => {
  const schema = randomSchema();
  let pool: pg.Pool;
  let store: PostgresStore;
  const race = (args: RaceAttempt): Promise<unknown[]> =>
    raceAcrossProcesses({
      workers: WORKERS,
      script: SCRIPT,
      args: { ...args, url: DATABASE_URL, schema, now },
    });

  beforeAll(async () => {
    pool = serverPool();
    store = PostgresStore.fromPg(pool, { schema });
    await store.migrate();
  });
  afterAll(async () => {
    await dropSchema(pgClient(pool), schema);
    await pool.end();
  });

  it('D4: the same backup code raced by 8 processes is consumed exactly once', async () => {
    const userId = freshId('user');
    const digests = Array.from({ length: 10 }, randomDigest);
    await store.replaceBackupCodes(userId, { digests, now });
    const results = (await race({ op: 'consumeBackupCode', userId, digest: digests[3]! })) as {
      consumed: boolean;
      remaining: number;
    }[];
    expect(results.filter((result) => result.consumed)).toEqual([{ consumed: true, remaining: 9 }]);
    expect(results.every((result) => result.remaining === 9 || !result.consumed)).toBe(true);
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(9);
    expect(await store.consumeBackupCode(userId, digests[3]!, now)).toEqual({
      consumed: false,
      remaining: 9,
    });
  }, 60_000);

  it('D7: a first backup-code set written with onlyIfNone by 8 processes at once is stored exactly once', async () => {
    // READ COMMITTED does not serialise the racers: the primary key of the set row must.
    const userId = freshId('user');
    const digestSets = Array.from({ length: WORKERS }, () => Array.from({ length: 3 }, randomDigest));
    const results = await race({ op: 'issueOnlyIfNone', userId, digestSets });
    expect(results.filter((result) => result === true)).toHaveLength(1);
    expect(results.filter((result) => result === false)).toHaveLength(WORKERS - 1);
    const winner = results.indexOf(true);
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(3);
    const live: number[] = [];
    for (const [index, set] of digestSets.entries()) {
      for (const code of set)
        if ((await store.consumeBackupCode(userId, code, now)).consumed) live.push(index);
    }
    expect(live).toEqual([winner, winner, winner]);
  }, 60_000);

  it('D3: the same TOTP step raced by 8 processes is recorded exactly once', async () => {
    const userId = freshId('user');
    const credentialId = freshId('cred');
    await store.addCredential({
      id: credentialId,
      userId,
      kind: 'totp',
      label: 'Phone',
      otp: { secretCiphertext: sealed, algorithm: 'SHA1', digits: 6, period: 30 },
      lastUsedStep: 56_666_665,
      createdAt: now,
    });
    const results = await race({ op: 'recordOtpUse', credentialId, step: 56_666_666 });
    expect(results.filter((result) => result === true)).toHaveLength(1);
    expect(results.filter((result) => result === false)).toHaveLength(WORKERS - 1);
    expect((await store.getCredential(userId, credentialId))?.lastUsedStep).toBe(56_666_666);
  }, 60_000);

  it('D3/E6: the same step with clearFailures raced by 8 processes: recorded once, the named counters reset, others kept', async () => {
    const userId = freshId('user');
    const credentialId = freshId('cred');
    await store.addCredential({
      id: credentialId,
      userId,
      kind: 'totp',
      label: 'Phone',
      otp: { secretCiphertext: sealed, algorithm: 'SHA1', digits: 6, period: 30 },
      createdAt: now,
    });
    const [named, other] = [`user:${userId}`, `other:${userId}`];
    const limits = { maxFailures: 3, windowMs: 600_000, lockoutMs: 60_000 };
    for (let i = 0; i < 3; i++) {
      await store.registerFailure(named, now, limits);
      await store.registerFailure(other, now, limits);
    }
    const results = await race({ op: 'recordOtpUse', credentialId, step: 7, clearFailures: [named] });
    expect(results.filter((result) => result === true)).toHaveLength(1);
    const read = await store.getCredentialForVerification(userId, credentialId, {
      now,
      failureKeys: [named, other],
    });
    expect(read.credential?.lastUsedStep).toBe(7);
    expect(read.failures).toEqual([
      { count: 0, lockedUntil: null },
      { count: 3, lockedUntil: now + 60_000 },
    ]);
  }, 60_000);

  it('D5: the same challenge code raced by 8 processes succeeds exactly once', async () => {
    const userId = freshId('user');
    const challengeId = freshId('chal');
    const right = randomDigest();
    await store.createChallenge({
      id: challengeId,
      userId,
      kind: 'email',
      purpose: 'login',
      digest: right,
      createdAt: now,
      expiresAt: now + 600_000,
      attempts: 0,
      maxAttempts: 5,
      deliveries: 1,
    });
    const results = await race({ op: 'consumeChallenge', userId, challengeId, digests: [right] });
    expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    expect(results.filter((result) => result === 'consumed')).toHaveLength(WORKERS - 1);
    expect((await store.getChallenge(userId, challengeId))?.consumedAt).toBe(now);
  }, 60_000);

  it('D5/E1: right and wrong codes raced by 8 processes: one ok, and every mismatch counted once', async () => {
    const userId = freshId('user');
    const challengeId = freshId('chal');
    const right = randomDigest();
    await store.createChallenge({
      id: challengeId,
      userId,
      kind: 'sms',
      purpose: 'login',
      digest: right,
      createdAt: now,
      expiresAt: now + 600_000,
      attempts: 0,
      maxAttempts: 100,
      deliveries: 1,
    });
    const results = await race({
      op: 'consumeChallenge',
      userId,
      challengeId,
      digests: [right, randomDigest()],
    });
    expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    const mismatches = results.filter((result) => result === 'mismatch').length;
    // A wrong code tried after the success reads `consumed` and counts nothing.
    expect(mismatches + results.filter((result) => result === 'consumed').length).toBe(WORKERS - 1);
    expect((await store.getChallenge(userId, challengeId))?.attempts).toBe(mismatches);
  }, 60_000);
});
