/**
 * @module
 * Conformance: what `StoreCapabilities` promises. An adapter that declares `multiProcess` races the
 * same backup code, first backup-code set, TOTP step, challenge code, login completion, session-epoch
 * bump and wrong answers (`failLogin`) from 8 processes with 10 calls each (checklist D3, D4, D5, D7, E1,
 * E6, I3, I5). Without it the races skip, saying why (`durability.ts` holds the other capability,
 * `durable`).
 */
import { expect, it } from 'vitest';
import type { ConsumeChallengeResult } from '../records';
import type { ConsumeBackupCodeResult, FailLoginResult } from '../store-types';
import type { LoginRaceOutcome, ProcessRace, ProcessRaceArgs, VerifyRaceOutcome } from './conformance-worker';
import {
  createdChallenge,
  emailChallenge,
  freshId,
  loginChallenge,
  randomDigest,
  type SuiteContext,
  totpCredential,
} from './fixtures';
import { raceAcrossProcesses } from './race-processes';

/**
 * How a process forked by the conformance suite opens its own store over the target's backend.
 *
 * @example
 * ```ts
 * import type { ProcessWorker } from '@secondfactor/store/testing';
 *
 * const worker: ProcessWorker = {
 *   script: new URL('./workers/conformance-worker.ts', import.meta.url).pathname,
 *   args: { url: process.env.DATABASE_URL, schema: 'sf_test_1' },
 * };
 * ```
 */
export interface ProcessWorker {
  /**
   * The worker script, which calls `conformanceWorker(open)`: absolute, or relative to the repository
   * root. TypeScript is fine (it runs under `node --import tsx`).
   */
  script: string;
  /** JSON-serialisable arguments its `open` receives: a connection URL, a schema, a key prefix. */
  args?: unknown;
}

const WORKERS = 8;
const CALLS = 10;
// A guard against a hung worker, not a limit on speed: forking 8 processes that each load tsx can take
// minutes on a machine busy with other suites, and a race must not fail for being slow.
const TIMEOUT = 600_000;

/** The `skip` of a vitest test context. @internal */
export type Skip = (note: string) => never;

/**
 * Prints the reason once per group, and marks the test skipped with it.
 *
 * @internal
 */
export function skipper(group: string): (skip: Skip, why: string) => never {
  let told = false;
  return (skip, why) => {
    if (!told) console.info(`[store conformance] ${group} skipped: ${why}`);
    told = true;
    return skip(why);
  };
}

/** Registers the races across processes. */
export function processRaceTests(ctx: SuiteContext): void {
  const skipBecause = skipper('races across processes');
  const now = ctx.t0;
  const total = WORKERS * CALLS;

  /** The target's worker; skips the test when the store does not claim `multiProcess`. */
  function processWorker(skip: Skip): ProcessWorker {
    if (!ctx.store.capabilities.multiProcess) {
      return skipBecause(skip, 'capabilities.multiProcess is false: one process holds the only state');
    }
    if (ctx.processWorker === undefined) {
      throw new Error(
        'the store declares capabilities.multiProcess but its ConformanceTarget has no processWorker: ' +
          'the claim cannot be tested without a script that opens the store in another process',
      );
    }
    return ctx.processWorker;
  }

  /** Every process's results, in worker order. */
  async function race<R>(worker: ProcessWorker, race: ProcessRace): Promise<R[]> {
    const args: ProcessRaceArgs = { open: worker.args ?? null, race, calls: CALLS };
    return (await raceAcrossProcesses({
      workers: WORKERS,
      script: worker.script,
      args,
      timeoutMs: TIMEOUT,
    })) as R[];
  }

  it(
    `D4/D7: ${WORKERS} processes × ${CALLS} calls consume one backup code exactly once`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const userId = freshId('user');
      const digests = Array.from({ length: 10 }, randomDigest);
      await ctx.store.replaceBackupCodes(userId, { digests, now });
      const results = (
        await race<ConsumeBackupCodeResult[]>(worker, {
          race: 'consumeBackupCode',
          userId,
          digest: digests[3] ?? '',
          now,
        })
      ).flat();
      expect(results).toHaveLength(total);
      expect(results.filter((result) => result.consumed)).toEqual([{ consumed: true, remaining: 9 }]);
      expect((await ctx.store.getBackupCodeSet(userId))?.remaining).toBe(9);
      expect(await ctx.store.consumeBackupCode(userId, digests[3] ?? '')).toEqual({
        consumed: false,
        remaining: 9,
      });
    },
    TIMEOUT,
  );

  it(
    `D7: a first backup-code set written with onlyIfNone by ${WORKERS} processes × ${CALLS} calls is stored exactly once`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const userId = freshId('user');
      const digestSets = Array.from({ length: total }, () => Array.from({ length: 3 }, randomDigest));
      const results = (
        await race<boolean[]>(worker, { race: 'firstBackupCodeSet', userId, digestSets, now })
      ).flat();
      expect(results.filter((result) => result === true)).toHaveLength(1);
      expect(results.filter((result) => result === false)).toHaveLength(total - 1);
      expect((await ctx.store.getBackupCodeSet(userId))?.remaining).toBe(3);
      // Only the winner's codes work: every code of every set is tried once.
      const live = await Promise.all(
        digestSets.map(async (set) => {
          let used = 0;
          for (const digest of set)
            if ((await ctx.store.consumeBackupCode(userId, digest)).consumed) used += 1;
          return used;
        }),
      );
      expect(live.filter((used) => used > 0)).toEqual([3]);
      expect(live.indexOf(3)).toBe(results.indexOf(true));
    },
    TIMEOUT,
  );

  it(
    `D3/D7: ${WORKERS} processes × ${CALLS} calls record one TOTP step exactly once`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const credential = totpCredential(freshId('user'), now, { lastUsedStep: 56_666_665 });
      await ctx.store.addCredential(credential);
      const results = (
        await race<boolean[]>(worker, {
          race: 'recordOtpUse',
          userId: credential.userId,
          credentialId: credential.id,
          step: 56_666_666,
          now,
          clearFailures: [],
        })
      ).flat();
      expect(results.filter((result) => result === true)).toHaveLength(1);
      expect(results.filter((result) => result === false)).toHaveLength(total - 1);
      expect((await ctx.store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(
        56_666_666,
      );
    },
    TIMEOUT,
  );

  it(
    `D3/E6: the same step with clearFailures from ${WORKERS} processes: recorded once, the named counters reset, others kept`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const credential = totpCredential(freshId('user'), now);
      await ctx.store.addCredential(credential);
      const [named, other] = [freshId('user:'), freshId('other:')];
      const limits = { maxFailures: 3, windowMs: 600_000, lockoutMs: 60_000 };
      for (let i = 0; i < 3; i++) {
        await ctx.store.registerFailure(named, { now, limits });
        await ctx.store.registerFailure(other, { now, limits });
      }
      const results = (
        await race<boolean[]>(worker, {
          race: 'recordOtpUse',
          userId: credential.userId,
          credentialId: credential.id,
          step: 7,
          now,
          clearFailures: [named],
        })
      ).flat();
      expect(results.filter((result) => result === true)).toHaveLength(1);
      const read = await ctx.store.getCredentialForVerification(credential.userId, credential.id, {
        now,
        failureKeys: [named, other],
      });
      expect(read.credential?.lastUsedStep).toBe(7);
      expect(read.failures).toEqual([
        { count: 0, lockedUntil: null },
        { count: 3, lockedUntil: now + 60_000 },
      ]);
    },
    TIMEOUT,
  );

  it(
    `D5/D7: ${WORKERS} processes × ${CALLS} calls get ok for one challenge code exactly once`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const userId = freshId('user');
      const digest = randomDigest();
      const challenge = emailChallenge(userId, now, digest, { maxAttempts: 3 });
      await ctx.store.createChallenge(challenge);
      const results = (
        await race<ConsumeChallengeResult[]>(worker, {
          race: 'consumeChallenge',
          userId,
          challengeId: challenge.id,
          digests: [digest],
          now,
        })
      ).flat();
      expect(results.filter((result) => result === 'ok')).toHaveLength(1);
      expect(results.filter((result) => result === 'consumed')).toHaveLength(total - 1);
      expect((await ctx.store.getChallenge(userId, challenge.id))?.consumedAt).toBe(now);
    },
    TIMEOUT,
  );

  it(
    `D5/E1: right and wrong codes from ${WORKERS} processes: one ok, and every mismatch counted exactly once`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const userId = freshId('user');
      const right = randomDigest();
      const challenge = emailChallenge(userId, now, right, { kind: 'sms', maxAttempts: 100 });
      await ctx.store.createChallenge(challenge);
      const results = (
        await race<ConsumeChallengeResult[]>(worker, {
          race: 'consumeChallenge',
          userId,
          challengeId: challenge.id,
          digests: [right, randomDigest()],
          now,
        })
      ).flat();
      expect(results.filter((result) => result === 'ok')).toHaveLength(1);
      const mismatches = results.filter((result) => result === 'mismatch').length;
      // A wrong code tried after the success reads `consumed` and counts nothing.
      expect(mismatches + results.filter((result) => result === 'consumed').length).toBe(total - 1);
      expect(await ctx.store.getChallenge(userId, challenge.id)).toEqual({
        ...createdChallenge(challenge),
        attempts: mismatches,
        consumedAt: now,
      });
    },
    TIMEOUT,
  );

  it(
    `I3/I5: ${WORKERS} processes × ${CALLS} calls complete one login exactly once and bump one session epoch, each bump counted once`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const userId = freshId('user');
      const login = loginChallenge(userId, now);
      await ctx.store.createChallenge(login);
      const results = await race<LoginRaceOutcome>(worker, {
        race: 'completeLoginAndBump',
        userId,
        challengeId: login.id,
        now,
      });
      const completed = results.flatMap((result) => result.completed);
      const bumps = results.flatMap((result) => result.bumps);
      const logins = total - bumps.length;
      expect(completed).toHaveLength(1);
      expect(results.reduce((sum, result) => sum + result.refused, 0)).toBe(logins - 1);
      expect([...bumps].sort((a, b) => a - b)).toEqual(bumps.map((_, i) => i + 1));
      expect(await ctx.store.getSessionEpoch(userId)).toBe(bumps.length);
      // The completion landed wholly between two bumps: it saw some number of them, never a torn value.
      expect(completed[0]).toBeGreaterThanOrEqual(0);
      expect(completed[0]).toBeLessThanOrEqual(bumps.length);
      expect((await ctx.store.getChallenge(userId, login.id))?.consumedAt).toBe(now);
    },
    TIMEOUT,
  );

  it(
    `E1: ${WORKERS} processes × ${CALLS} wrong answers (failLogin) count exactly ${WORKERS * CALLS} on each key and on the login, each with its record`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const userId = freshId('user');
      const login = loginChallenge(userId, now, { maxAttempts: 100 });
      await ctx.store.createChallenge(login);
      const keys = [freshId('user:'), freshId('cred:')];
      const limits = { maxFailures: 1_000, windowMs: 3_600_000, lockoutMs: 60_000 };
      const results = (
        await race<FailLoginResult[]>(worker, {
          race: 'failLogin',
          userId,
          challengeId: login.id,
          keys,
          now,
          limits,
        })
      ).flat();
      const ordered = (values: (number | null | undefined)[]) =>
        [...values].sort((a, b) => (a ?? 0) - (b ?? 0));
      const each = Array.from({ length: total }, (_, i) => i + 1);
      // Every call saw a count of its own on each key and on the login: nothing counted twice or lost.
      expect(ordered(results.map((result) => result.states[0]?.count))).toEqual(each);
      expect(ordered(results.map((result) => result.states[1]?.count))).toEqual(each);
      expect(ordered(results.map((result) => result.attempts))).toEqual(each.map((n) => Math.min(n, 100)));
      for (const key of keys) expect((await ctx.store.getFailures(key, { now })).count).toBe(total);
      expect((await ctx.store.getChallenge(userId, login.id))?.attempts).toBe(Math.min(total, 100));
      const records = await ctx.store.listAudit({ userId, limit: total + 1 });
      expect(ordered(records.map((record) => Number(record.data?.failures)))).toEqual(each);
    },
    TIMEOUT,
  );

  it(
    `D3/E6: ${WORKERS} processes race recordOtpUse with clearFailures against registerFailure: one winner, counters cleared once, each failure wholly before or after`,
    async ({ skip }) => {
      const worker = processWorker(skip);
      const credential = totpCredential(freshId('user'), now);
      await ctx.store.addCredential(credential);
      const counted = freshId('user:');
      const cleared = [freshId('totp:')];
      const untouched = freshId('user:');
      const limits = { maxFailures: 1_000, windowMs: 3_600_000, lockoutMs: 60_000 };
      const uses = Math.ceil(CALLS / 2);
      const failures = WORKERS * (CALLS - uses + 2);
      // The counter starts above the number of failures in the race, so every count a failure returns
      // tells on which side of the clear it ran: above SEED before it, at most SEED after it.
      const SEED = failures + 10;
      for (let i = 0; i < SEED; i += 1) await ctx.store.registerFailure(counted, { now, limits });
      for (const key of [...cleared, untouched]) await ctx.store.registerFailure(key, { now, limits });
      const probeKeys = Array.from({ length: WORKERS }, (_, worker) =>
        Array.from({ length: uses }, (_, use) => `${counted}:probe:${worker}:${use}`),
      );
      const probes = probeKeys.flat();
      await Promise.all(probes.map((key) => ctx.store.registerFailure(key, { now, limits })));

      const results = await race<VerifyRaceOutcome>(worker, {
        race: 'verifyAgainstFailures',
        userId: credential.userId,
        credentialId: credential.id,
        step: 59_500_000,
        now,
        counted,
        cleared,
        limits,
        probes: probeKeys,
      });

      // Exactly one use recorded the step.
      const winners = results.flatMap((result, worker) => result.wins.map((call) => ({ worker, call })));
      expect(winners).toHaveLength(1);
      const [winner] = winners;
      expect((await ctx.store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(
        59_500_000,
      );

      // Every failure counted either on the old counter (SEED+1 … SEED+b) or on the fresh one (1 … a):
      // a second clear would restart the count twice and repeat a number, a lost clear would leave none ≤ SEED.
      const counts = results.flatMap((result) => result.counts);
      expect(counts).toHaveLength(failures);
      const before = counts.filter((count) => count > SEED).sort((x, y) => x - y);
      const after = counts.filter((count) => count <= SEED).sort((x, y) => x - y);
      expect(before).toEqual(before.map((_, i) => SEED + 1 + i));
      expect(after).toEqual(after.map((_, i) => 1 + i));
      // Each process's first failure was answered before its uses were sent, its last after they were
      // answered: so at least one failure ran before the winning use, and at least one after it.
      expect(before.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
      expect(await ctx.store.getFailures(counted, { now })).toEqual({
        count: after.length,
        lockedUntil: null,
      });

      // The other named key is gone, a key nobody named is kept, and of the probe keys only the winner's
      // was cleared: the losers' clearFailures took no effect.
      expect(await ctx.store.getFailures(cleared[0] ?? '', { now })).toEqual({ count: 0, lockedUntil: null });
      expect(await ctx.store.getFailures(untouched, { now })).toEqual({ count: 1, lockedUntil: null });
      const probeStates = await Promise.all(probes.map((key) => ctx.store.getFailures(key, { now })));
      const clearedProbes = probes.filter((_, i) => probeStates[i]?.count === 0);
      expect(clearedProbes).toEqual([probeKeys[winner?.worker ?? -1]?.[(winner?.call ?? 0) / 2]]);
    },
    TIMEOUT,
  );
}
