/**
 * D3/D4/D5 across processes: 8 worker processes, each with its own connection and 10 concurrent calls,
 * race for the same backup code, the same TOTP step and the same challenge code on one Redis server.
 * Exactly one of the 80 calls wins each race.
 */
import { raceAcrossProcesses } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailChallenge, freshId, randomDigest, totpCredential } from './fixtures';
import { connectClient, deleteKeys, REDIS_URL, randomPrefix, redisSkipReason } from './redis-env';
import type { RaceArgs } from './workers/race';

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
      args: { ...args, url: REDIS_URL ?? '', prefix, attempts: ATTEMPTS } satisfies RaceArgs,
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
});
