/**
 * Worker forked by raceAcrossProcesses (race.processes.test.ts): opens its own connection to the
 * server, waits for "go", makes one attempt and reports the outcome.
 */
import { raceWorker } from '@secondfactor/store/testing';
import pg from 'pg';
import { PostgresStore } from '../../src/index';

/** One attempt, as the test describes it. */
export type RaceAttempt =
  | { op: 'consumeBackupCode'; userId: string; digest: string }
  | { op: 'issueOnlyIfNone'; userId: string; digestSets: string[][] }
  | { op: 'recordOtpUse'; credentialId: string; step: number; clearFailures?: string[] }
  | { op: 'consumeChallenge'; userId: string; challengeId: string; digests: string[] };

/** What every worker receives: the attempt, and where the store lives. */
export type RaceArgs = RaceAttempt & { url: string; schema: string; now: number };

await raceWorker<RaceArgs, unknown, { pool: pg.Pool; store: PostgresStore }>({
  prepare: async ({ args }) => {
    const pool = new pg.Pool({ connectionString: args.url, max: 1 });
    // Connect before the barrier so the race measures the statements, not the TCP handshakes.
    (await pool.connect()).release();
    return { pool, store: PostgresStore.fromPg(pool, { schema: args.schema }) };
  },
  attempt: async ({ store }, { args, index }) => {
    switch (args.op) {
      case 'consumeBackupCode':
        return store.consumeBackupCode(args.userId, args.digest, args.now);
      case 'issueOnlyIfNone':
        // Each worker offers its own set, so the codes that work afterwards name the one that wrote.
        return store.replaceBackupCodes(args.userId, {
          digests: args.digestSets[index] ?? [],
          now: args.now,
          onlyIfNone: true,
        });
      case 'recordOtpUse':
        return store.recordOtpUse(args.credentialId, args.step, {
          now: args.now,
          clearFailures: args.clearFailures,
        });
      case 'consumeChallenge':
        // Workers take turns among the given digests, so right and wrong codes race each other.
        return store.consumeChallenge(
          args.userId,
          args.challengeId,
          args.digests[index % args.digests.length] ?? '',
          args.now,
        );
    }
  },
  cleanup: ({ pool }) => pool.end(),
});
