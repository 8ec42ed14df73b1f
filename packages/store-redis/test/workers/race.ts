/**
 * @module
 * Worker of the cross-process race test, forked by `raceAcrossProcesses`: opens its own connection and
 * store, waits for the common "go", then fires `attempts` concurrent calls of one primitive and reports
 * how many of them won.
 */
import { raceWorker } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import { Redis } from 'ioredis';

/** What the test hands every worker. */
export interface RaceArgs {
  url: string;
  prefix: string;
  race: 'backupCode' | 'otpStep' | 'challenge';
  attempts: number;
  userId: string;
  credentialId: string;
  step: number;
  digest: string;
  challengeId: string;
  now: number;
}

await raceWorker<RaceArgs, number, { client: Redis; store: RedisStore }>({
  prepare: async ({ args }) => {
    const client = new Redis(args.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    await client.connect();
    const store = new RedisStore(client, { prefix: args.prefix });
    // Scripts cached before the start, so every racer sends a single EVALSHA.
    await store.loadScripts();
    return { client, store };
  },
  attempt: async ({ store }, { args }) => {
    const one = async (): Promise<boolean> => {
      if (args.race === 'backupCode')
        return (await store.consumeBackupCode(args.userId, args.digest, args.now)).consumed;
      if (args.race === 'otpStep') return store.recordOtpUse(args.credentialId, args.step, { now: args.now });
      return (await store.consumeChallenge(args.userId, args.challengeId, args.digest, args.now)) === 'ok';
    };
    const results = await Promise.all(Array.from({ length: args.attempts }, one));
    return results.filter(Boolean).length;
  },
  cleanup: async ({ client }) => {
    await client.quit();
  },
});
