/**
 * D3/D4/D5 across processes: 8 worker processes, each with its own connection and 10 concurrent calls,
 * race for the same backup code, the same TOTP step and the same challenge code on one Redis server.
 * Exactly one of the 80 calls wins each race. A fourth race pits uses of one step that clear the
 * attempt counters against failures counted on them (E6).
 */
import {
  emailChallenge,
  freshId,
  raceAcrossProcesses,
  randomDigest,
  totpCredential,
} from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, REDIS_URL, randomPrefix, redisSkipReason } from './redis-env';
import type { RaceArgs } from './workers/race';
import type { VerifyRaceArgs, VerifyRaceResult } from './workers/verify-race';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] cross-process races skipped: ${skip}`);

const WORKERS = 8;
const ATTEMPTS = 10;
const script = 'packages/store-redis/test/workers/race.ts';

describe.skipIf(skip !== undefined)('races across processes', () => {
  let client: Redis;
  let prefix: string;
  let store: RedisStore;
  const now = Date.now();

  beforeAll(async () => {
    client = await connectClient();
    prefix = randomPrefix();
    store = new RedisStore(client, { prefix });
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    await client.quit();
  });

  const race = async (args: Omit<RaceArgs, 'url' | 'prefix' | 'attempts'>): Promise<number[]> =>
    (await raceAcrossProcesses({
      workers: WORKERS,
      script,
      args: { ...args, url: REDIS_URL, prefix, attempts: ATTEMPTS } satisfies RaceArgs,
      timeoutMs: 60_000,
    })) as number[];

  const base = { userId: '', credentialId: '', step: 0, digest: '', challengeId: '', now };
  const sum = (wins: number[]): number => wins.reduce((a, b) => a + b, 0);

  it(`D4/D7: ${WORKERS} processes × ${ATTEMPTS} calls consume one backup code exactly once`, async () => {
    const userId = freshId('user');
    const digests = Array.from({ length: 5 }, randomDigest);
    await store.replaceBackupCodes(userId, { digests, now });
    const wins = await race({ ...base, race: 'backupCode', userId, digest: digests[2]! });
    expect(wins).toHaveLength(WORKERS);
    expect(sum(wins)).toBe(1);
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(4);
  }, 90_000);

  it(`D3/D7: ${WORKERS} processes × ${ATTEMPTS} calls record one TOTP step exactly once`, async () => {
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const wins = await race({ ...base, race: 'otpStep', credentialId: credential.id, step: 59_000_000 });
    expect(sum(wins)).toBe(1);
    expect((await store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(59_000_000);
  }, 90_000);

  it(`D5/D7: ${WORKERS} processes × ${ATTEMPTS} calls get ok for one challenge code exactly once`, async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, now, digest, { maxAttempts: 3 });
    await store.createChallenge(challenge);
    const wins = await race({ ...base, race: 'challenge', userId, challengeId: challenge.id, digest });
    expect(sum(wins)).toBe(1);
    expect((await store.getChallenge(userId, challenge.id))?.consumedAt).toBe(now);
  }, 90_000);

  it(`D3/E6: ${WORKERS} processes race recordOtpUse with clearFailures against registerFailure: one winner, counters cleared once, each failure wholly before or after`, async () => {
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const counted = freshId('user:');
    const cleared = [freshId('totp:')];
    const untouched = freshId('user:');
    const limits = { maxFailures: 1_000, windowMs: 3_600_000, lockoutMs: 60_000 };
    const uses = Math.ceil(ATTEMPTS / 2);
    const failures = WORKERS * (ATTEMPTS - uses + 2);
    // The counter starts above the number of failures in the race, so every count a failure returns
    // tells on which side of the clear it ran: above SEED before it, at most SEED after it.
    const SEED = failures + 10;
    for (let i = 0; i < SEED; i += 1) await store.registerFailure(counted, now, limits);
    for (const key of [...cleared, untouched]) await store.registerFailure(key, now, limits);
    const probeKeys = Array.from({ length: WORKERS }, (_, worker) =>
      Array.from({ length: uses }, (_, use) => `${counted}:probe:${worker}:${use}`),
    );
    const probes = probeKeys.flat();
    await Promise.all(probes.map((key) => store.registerFailure(key, now, limits)));

    const results = (await raceAcrossProcesses({
      workers: WORKERS,
      script: 'packages/store-redis/test/workers/verify-race.ts',
      args: {
        url: REDIS_URL,
        prefix,
        credentialId: credential.id,
        step: 59_500_000,
        now,
        attempts: ATTEMPTS,
        counted,
        cleared,
        limits,
        probes: probeKeys,
      } satisfies VerifyRaceArgs,
      timeoutMs: 60_000,
    })) as VerifyRaceResult[];

    // Exactly one use recorded the step.
    const winners = results.flatMap((result) =>
      result.wins.map((attempt) => ({ worker: result.worker, attempt })),
    );
    expect(winners).toHaveLength(1);
    const [winner] = winners;
    expect((await store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(59_500_000);

    // Every failure counted either on the old counter (SEED+1 … SEED+b) or on the fresh one (1 … a):
    // a second clear would restart the count twice and repeat a number, a lost clear would leave none ≤ SEED.
    const counts = results.flatMap((result) => result.counts);
    expect(counts).toHaveLength(failures);
    const before = counts.filter((count) => count > SEED).sort((x, y) => x - y);
    const after = counts.filter((count) => count <= SEED).sort((x, y) => x - y);
    expect(before).toEqual(before.map((_, i) => SEED + 1 + i));
    expect(after).toEqual(after.map((_, i) => 1 + i));
    // Each worker's first failure was answered before its uses were sent, its last after they were
    // answered: so at least one failure ran before the winning use, and at least one after it.
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(await store.getFailures(counted, now)).toEqual({ count: after.length, lockedUntil: null });

    // The other named key is gone, a key nobody named is kept, and of the probe keys only the winner's
    // was cleared: the losers' clearFailures took no effect.
    expect(await store.getFailures(cleared[0]!, now)).toEqual({ count: 0, lockedUntil: null });
    expect(await client.exists(`${prefix}failures:${cleared[0]}`)).toBe(0);
    expect(await store.getFailures(untouched, now)).toEqual({ count: 1, lockedUntil: null });
    const probeStates = await Promise.all(probes.map((key) => store.getFailures(key, now)));
    const clearedProbes = probes.filter((_, i) => probeStates[i]?.count === 0);
    expect(clearedProbes).toEqual([probeKeys[winner!.worker]?.[winner!.attempt / 2]]);
  }, 90_000);
});
