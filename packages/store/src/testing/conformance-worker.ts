/**
 * @module
 * The worker side of the conformance suite's races across processes. An adapter's worker script calls
 * `conformanceWorker(open)` with how to open its own store over the same backend; the suite forks it
 * once per process and tells each one which race to run.
 */
import type { FailureLimits } from '@secondfactor/core';
import type { SecondFactorStore } from '../store';
import { raceWorker } from './race-worker';

/** One race the suite runs across processes; every process fires `calls` concurrent calls of it. */
export type ProcessRace =
  | { race: 'consumeBackupCode'; userId: string; digest: string; now: number }
  | { race: 'firstBackupCodeSet'; userId: string; digestSets: string[][]; now: number }
  | {
      race: 'recordOtpUse';
      userId: string;
      credentialId: string;
      step: number;
      now: number;
      clearFailures: string[];
    }
  | { race: 'consumeChallenge'; userId: string; challengeId: string; digests: string[]; now: number }
  | {
      /** Even calls complete the one login, odd calls bump the user's session epoch. */
      race: 'completeLoginAndBump';
      userId: string;
      challengeId: string;
      now: number;
    }
  | {
      race: 'verifyAgainstFailures';
      userId: string;
      credentialId: string;
      step: number;
      now: number;
      /** The counter failures are registered on, also cleared by every use. */
      counted: string;
      /** More keys every use clears. */
      cleared: string[];
      limits: FailureLimits;
      /** Per process, per use (uses are the even calls): a key only that use clears. */
      probes: string[][];
    }
  | {
      /** Every call is a wrong answer on `keys` and the login, with an audit record of its own. */
      race: 'failLogin';
      userId: string;
      challengeId: string;
      keys: string[];
      now: number;
      limits: FailureLimits;
    };

/** What the suite hands every forked process. */
export interface ProcessRaceArgs {
  /** The target's `processWorker.args`: what the worker's `open` needs to reach the backend. */
  open: unknown;
  race: ProcessRace;
  /** Concurrent calls per process. */
  calls: number;
}

/** What a process reports for `verifyAgainstFailures`. */
export interface VerifyRaceOutcome {
  /** Indexes of this process's uses that recorded the step. */
  wins: number[];
  /** The count each of this process's failures returned. */
  counts: number[];
}

/** What a process reports for `completeLoginAndBump`. */
export interface LoginRaceOutcome {
  /** The session epoch each of this process's completions returned with `ok`. */
  completed: number[];
  /** How many of this process's completions were refused. */
  refused: number;
  /** The value each of this process's bumps resolved. */
  bumps: number[];
}

/**
 * A store a worker opened, and how to let it go.
 *
 * @example
 * ```ts
 * import { conformanceWorker, type WorkerStore } from '@secondfactor/store/testing';
 *
 * await conformanceWorker<{ url: string }>(async ({ url }): Promise<WorkerStore> => {
 *   const client = await connect(url);
 *   return { store: new MyStore(client), close: () => client.close() };
 * });
 * ```
 */
export interface WorkerStore {
  store: SecondFactorStore;
  close(): Promise<void>;
}

const times = <T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: count }, (_, index) => call(index)));

async function runRace(store: SecondFactorStore, args: ProcessRaceArgs, worker: number): Promise<unknown> {
  const { race, calls } = args;
  switch (race.race) {
    case 'consumeBackupCode':
      return times(calls, () => store.consumeBackupCode(race.userId, race.digest));
    case 'firstBackupCodeSet':
      // Each call offers its own set, so the codes that work afterwards name the one call that wrote.
      return times(calls, (call) =>
        store.replaceBackupCodes(race.userId, {
          digests: race.digestSets[worker * calls + call] ?? [],
          now: race.now,
          onlyIfNone: true,
        }),
      );
    case 'recordOtpUse':
      return times(calls, () =>
        store.recordOtpUse(race.userId, race.credentialId, {
          step: race.step,
          now: race.now,
          clearFailures: race.clearFailures,
        }),
      );
    case 'consumeChallenge':
      // Calls take turns among the given digests, so right and wrong codes race each other.
      return times(calls, (call) =>
        store.consumeChallenge(race.userId, race.challengeId, {
          digest: race.digests[(worker * calls + call) % race.digests.length] ?? '',
          now: race.now,
        }),
      );
    case 'completeLoginAndBump': {
      const outcomes = await times(calls, async (call) =>
        call % 2 === 1
          ? { bump: await store.bumpSessionEpoch(race.userId) }
          : { login: await store.completeLogin(race.userId, race.challengeId, { now: race.now }) },
      );
      const logins = outcomes.flatMap((item) => (item.login === undefined ? [] : [item.login]));
      return {
        completed: logins.flatMap((login) => (login.status === 'ok' ? [login.sessionEpoch] : [])),
        refused: logins.filter((login) => login.status === 'refused').length,
        bumps: outcomes.flatMap((item) => (item.bump === undefined ? [] : [item.bump])),
      } satisfies LoginRaceOutcome;
    }
    case 'verifyAgainstFailures': {
      const fail = async (): Promise<number> =>
        (await store.registerFailure(race.counted, { now: race.now, limits: race.limits })).count;
      // A failure answered before the uses and one after them: some failure lands on each side of the winner.
      const first = await fail();
      const middle = await times(calls, async (call) => {
        if (call % 2 === 1) return { call, count: await fail() };
        const clearFailures = [race.counted, ...race.cleared, race.probes[worker]?.[call / 2] ?? ''];
        return {
          call,
          won: await store.recordOtpUse(race.userId, race.credentialId, {
            step: race.step,
            now: race.now,
            clearFailures,
          }),
        };
      });
      const last = await fail();
      return {
        wins: middle.filter((item) => item.won === true).map((item) => item.call),
        counts: [first, ...middle.flatMap((item) => (item.count === undefined ? [] : [item.count])), last],
      } satisfies VerifyRaceOutcome;
    }
    case 'failLogin':
      return times(calls, async (call) => {
        const audit = {
          id: `${race.userId}:failed:${worker}:${call}`,
          at: race.now,
          type: 'login.failed',
          userId: race.userId,
        };
        const { keys, limits, now } = race;
        return store.failLogin(race.userId, race.challengeId, { now, keys, limits, audit });
      });
  }
}

/**
 * Runs one process of the conformance suite's races across processes. Call it from the worker script
 * the adapter names in `ConformanceTarget.processWorker`: `open` receives that target's
 * `processWorker.args` and opens a store of its own (its own connection) over the same backend. The
 * store is opened before the common start, so the race measures the primitives, not the connects.
 *
 * @example
 * ```ts
 * // test/workers/conformance-worker.ts of an adapter
 * import { conformanceWorker } from '@secondfactor/store/testing';
 * import pg from 'pg';
 * import { MyStore } from '../../src/index';
 *
 * await conformanceWorker<{ url: string; schema: string }>(async ({ url, schema }) => {
 *   const pool = new pg.Pool({ connectionString: url, max: 2 });
 *   (await pool.connect()).release(); // connect before the start
 *   return { store: new MyStore(pool, { schema }), close: () => pool.end() };
 * });
 * ```
 */
export async function conformanceWorker<A = unknown>(open: (args: A) => Promise<WorkerStore>): Promise<void> {
  await raceWorker<ProcessRaceArgs, unknown, WorkerStore>({
    prepare: ({ args }) => open(args.open as A),
    attempt: ({ store }, { args, index }) => runRace(store, args, index),
    cleanup: (opened) => opened.close(),
  });
}
