/**
 * @module
 * Worker of the cross-process race of a successful verification against failures, forked by
 * `raceAcrossProcesses`. Each worker counts one failure first, then fires `attempts` concurrent calls
 * alternating `recordOtpUse` (same step for everybody, clearing the shared counters and a probe key of
 * its own) and `registerFailure` of a shared counter, and counts one failure last. Awaiting the first and
 * the last failure makes sure some failure lands before the winning use and some after it, whatever
 * the interleaving in the middle.
 */
import type { FailureLimits } from '@secondfactor/store';
import { raceWorker } from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import { Redis } from 'ioredis';

/** What the test hands every worker. */
export interface VerifyRaceArgs {
  url: string;
  prefix: string;
  credentialId: string;
  step: number;
  now: number;
  /** Calls fired together in the middle, alternately a use and a failure. */
  attempts: number;
  /** The counter that failures are registered on, also cleared by every use. */
  counted: string;
  /** More keys every use clears. */
  cleared: string[];
  limits: FailureLimits;
  /**
   * Per worker, per use (the uses are attempts 0, 2, 4, …): a key only that use clears, so the test can
   * tell whose `clearFailures` took effect.
   */
  probes: string[][];
}

/** What each worker reports. */
export interface VerifyRaceResult {
  worker: number;
  /** Attempt indexes of this worker's uses that recorded the step. */
  wins: number[];
  /** The count each of this worker's failures returned. */
  counts: number[];
}

await raceWorker<VerifyRaceArgs, VerifyRaceResult, { client: Redis; store: RedisStore }>({
  prepare: async ({ args }) => {
    const client = new Redis(args.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    await client.connect();
    const store = new RedisStore(client, { prefix: args.prefix });
    await store.loadScripts();
    return { client, store };
  },
  attempt: async ({ store }, { args, index }) => {
    const fail = async (): Promise<number> =>
      (await store.registerFailure(args.counted, args.now, args.limits)).count;
    const first = await fail();
    const middle = await Promise.all(
      Array.from({ length: args.attempts }, async (_, attempt) => {
        if (attempt % 2 === 1) return { attempt, count: await fail() };
        const clearFailures = [args.counted, ...args.cleared, args.probes[index]?.[attempt / 2] ?? ''];
        return {
          attempt,
          won: await store.recordOtpUse(args.credentialId, args.step, { now: args.now, clearFailures }),
        };
      }),
    );
    const last = await fail();
    return {
      worker: index,
      wins: middle.filter((item) => item.won === true).map((item) => item.attempt),
      counts: [first, ...middle.flatMap((item) => (item.count === undefined ? [] : [item.count])), last],
    };
  },
  cleanup: async ({ client }) => {
    await client.quit();
  },
});
