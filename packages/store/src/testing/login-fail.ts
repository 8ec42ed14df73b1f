/**
 * @module
 * Conformance: `failLogin`, the one step that counts a wrong second-factor answer (checklist E1, E2,
 * H3, H8). The counts equal what `registerFailure` and a non-matching `consumeChallenge` would leave,
 * the audit record carries the counts of its own step, an existing audit id counts nothing, concurrent
 * calls count each failure exactly once, and bad arguments change nothing.
 */
import { expect, it } from 'vitest';
import { nextFailureCounter, readFailureState } from '../failures';
import type { FailLoginOptions } from '../store-types';
import {
  auditEvent,
  emailChallenge,
  expectRejection,
  freshId,
  fulfilled,
  loginChallenge,
  race,
  randomDigest,
  type SuiteContext,
} from './fixtures';

const LIMITS = { maxFailures: 3, windowMs: 600_000, lockoutMs: 60_000 };

/** One user in the middle of a login: a login challenge, a user key with one failure and a fresh key. */
async function scene(ctx: SuiteContext) {
  const { store, t0 } = ctx;
  const userId = freshId('user');
  const challenge = loginChallenge(userId, t0, { maxAttempts: 5 });
  const [userKey, deviceKey] = [freshId(`${userId}:user:`), freshId(`${userId}:cred:`)];
  await store.createChallenge(challenge);
  await store.registerFailure(userKey, { now: t0, limits: LIMITS });
  const now = t0 + 1_000;
  const options = (extra: Partial<FailLoginOptions> = {}): FailLoginOptions => ({
    now,
    keys: [userKey, deviceKey],
    limits: LIMITS,
    audit: auditEvent(now, { userId, type: 'login.failed', data: { method: 'totp' } }),
    ...extra,
  });
  /** Everything a failure could change, read through the API. */
  const observe = async () => ({
    challenge: await store.getChallenge(userId, challenge.id),
    failures: [await store.getFailures(userKey, { now }), await store.getFailures(deviceKey, { now })],
    audit: await store.listAudit({ userId }),
  });
  return { userId, challenge, userKey, deviceKey, now, options, observe };
}

/** Registers the `failLogin` tests. */
export function failLoginTests(ctx: SuiteContext): void {
  it('E1/E2/H8: a wrong answer counts one failure on each key and one attempt on the login, and appends the audit record with the counts of its step', async () => {
    const s = await scene(ctx);
    const options = s.options();
    const result = await ctx.store.failLogin(s.userId, s.challenge.id, options);
    expect(result).toEqual({
      states: [
        { count: 2, lockedUntil: null },
        { count: 1, lockedUntil: null },
      ],
      attempts: 1,
    });
    const after = await s.observe();
    expect(after.challenge?.attempts).toBe(1);
    expect(after.challenge?.consumedAt).toBeUndefined();
    expect(after.failures).toEqual(result.states);
    expect(after.audit).toEqual([{ ...options.audit, data: { method: 'totp', failures: 2, locked: false } }]);
  });

  it('E1: the counts are exactly those of registerFailure, up to the lock, and locked is true in the record of the failure that locks', async () => {
    const s = await scene(ctx);
    let counter = nextFailureCounter(null, ctx.t0, LIMITS);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      counter = nextFailureCounter(counter, s.now + i, LIMITS);
      const result = await ctx.store.failLogin(
        s.userId,
        s.challenge.id,
        s.options({ now: s.now + i, keys: [s.userKey] }),
      );
      expect(result.states).toEqual([{ count: counter.count, lockedUntil: counter.lockedUntil }]);
      answers.push(result);
    }
    expect(answers.map((answer) => answer.attempts)).toEqual([1, 2, 3]);
    expect(await ctx.store.getFailures(s.userKey, { now: s.now + 2 })).toEqual(
      readFailureState(counter, s.now + 2),
    );
    const records = await ctx.store.listAudit({ userId: s.userId });
    expect(records.map((record) => record.data)).toEqual([
      { method: 'totp', failures: 4, locked: true },
      { method: 'totp', failures: 3, locked: true },
      { method: 'totp', failures: 2, locked: false },
    ]);
  });

  it('failures and locked given by the caller are replaced by the store’s, and absent data becomes the counts alone', async () => {
    const s = await scene(ctx);
    const given = s.options({
      audit: auditEvent(s.now, {
        userId: s.userId,
        type: 'login.failed',
        data: { failures: 99, locked: true },
      }),
    });
    await ctx.store.failLogin(s.userId, s.challenge.id, given);
    const bare = s.options({ audit: auditEvent(s.now + 1, { userId: s.userId, type: 'login.failed' }) });
    await ctx.store.failLogin(s.userId, null, bare);
    const records = await ctx.store.listAudit({ userId: s.userId });
    expect(records.map((record) => record.data)).toEqual([
      { failures: 3, locked: true },
      { failures: 2, locked: false },
    ]);
  });

  const untouched: [string, (s: Awaited<ReturnType<typeof scene>>) => Promise<string | null>][] = [
    ['no challenge (null)', async () => null],
    ['an unknown challenge', async () => freshId('chal')],
    [
      'H3: another user’s challenge, even with its id',
      async () => {
        const theirs = loginChallenge(freshId('user'), ctx.t0);
        await ctx.store.createChallenge(theirs);
        return theirs.id;
      },
    ],
    [
      'an expired login',
      async (s) => {
        const old = loginChallenge(s.userId, ctx.t0, { expiresAt: s.now });
        await ctx.store.createChallenge(old);
        return old.id;
      },
    ],
    [
      'a completed login',
      async (s) => {
        expect((await ctx.store.completeLogin(s.userId, s.challenge.id, { now: s.now })).status).toBe('ok');
        return s.challenge.id;
      },
    ],
  ];
  for (const [name, setUp] of untouched) {
    it(`counts on the keys but not on the challenge for ${name}`, async () => {
      const s = await scene(ctx);
      const id = await setUp(s);
      const before = id === null ? null : await ctx.store.getChallenge(s.userId, id);
      const result = await ctx.store.failLogin(s.userId, id, s.options());
      expect(result.states.map((state) => state.count)).toEqual([2, 1]);
      expect(result.attempts).toBe(before === null ? null : before.attempts);
      if (id !== null) expect(await ctx.store.getChallenge(s.userId, id)).toEqual(before);
    });
  }

  it('E1: a login out of attempts is not counted further, like consumeChallenge, and a code challenge counts as a mismatch would', async () => {
    const s = await scene(ctx);
    const tight = loginChallenge(s.userId, ctx.t0, { maxAttempts: 1 });
    await ctx.store.createChallenge(tight);
    expect((await ctx.store.failLogin(s.userId, tight.id, s.options())).attempts).toBe(1);
    expect((await ctx.store.failLogin(s.userId, tight.id, s.options())).attempts).toBe(1);
    const code = emailChallenge(s.userId, ctx.t0, randomDigest());
    await ctx.store.createChallenge(code);
    expect((await ctx.store.failLogin(s.userId, code.id, s.options())).attempts).toBe(1);
  });

  it('H8: an audit id that exists rejects with conflict and counts nothing, on the keys or the login', async () => {
    const s = await scene(ctx);
    const existing = auditEvent(s.now, { userId: s.userId });
    await ctx.store.appendAudit(existing);
    const before = await s.observe();
    await expectRejection(
      () =>
        ctx.store.failLogin(
          s.userId,
          s.challenge.id,
          s.options({ audit: { ...existing, type: 'login.failed' } }),
        ),
      'conflict',
    );
    expect(await s.observe()).toEqual(before);
  });

  it(`E1: ${ctx.concurrency} concurrent wrong answers count exactly ${ctx.concurrency} on each key, each attempt on the login, and write one record each`, async () => {
    const n = ctx.concurrency;
    const s = await scene(ctx);
    const limits = { maxFailures: 1000, windowMs: 600_000, lockoutMs: 60_000 };
    const big = loginChallenge(s.userId, ctx.t0, { maxAttempts: Math.min(n, 100) });
    await ctx.store.createChallenge(big);
    const results = fulfilled(
      await race(n, () => ctx.store.failLogin(s.userId, big.id, s.options({ limits }))),
    );
    // Each call saw its own count: the user key's counts are 2..n+1 once each, the device key's 1..n.
    expect(results.map((r) => r.states[0]?.count).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: n }, (_, i) => i + 2),
    );
    expect(results.map((r) => r.states[1]?.count).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );
    expect(results.map((r) => r.attempts).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );
    const after = await s.observe();
    expect(after.failures.map((state) => state.count)).toEqual([n + 1, n]);
    expect((await ctx.store.getChallenge(s.userId, big.id))?.attempts).toBe(n);
    const records = await ctx.store.listAudit({ userId: s.userId, limit: n + 10 });
    expect(records.map((record) => record.data?.failures).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: n }, (_, i) => i + 2),
    );
  });

  const bad: [string, (s: Awaited<ReturnType<typeof scene>>) => Promise<unknown>][] = [
    ['userId', (s) => ctx.store.failLogin('' as string, s.challenge.id, s.options())],
    ['challengeId', (s) => ctx.store.failLogin(s.userId, 7 as unknown as string, s.options())],
    ['options', (s) => ctx.store.failLogin(s.userId, s.challenge.id, null as unknown as FailLoginOptions)],
    ['options.now', (s) => ctx.store.failLogin(s.userId, s.challenge.id, s.options({ now: -1 }))],
    ['options.keys', (s) => ctx.store.failLogin(s.userId, s.challenge.id, s.options({ keys: [] }))],
    [
      'options.keys',
      (s) => ctx.store.failLogin(s.userId, s.challenge.id, s.options({ keys: [s.userKey, s.userKey] })),
    ],
    [
      'options.keys',
      (s) =>
        ctx.store.failLogin(
          s.userId,
          s.challenge.id,
          s.options({ keys: Array.from({ length: 9 }, (_, i) => `k${i}`) }),
        ),
    ],
    [
      'options.keys[1]',
      (s) => ctx.store.failLogin(s.userId, s.challenge.id, s.options({ keys: [s.userKey, ''] })),
    ],
    [
      'options.limits',
      (s) =>
        ctx.store.failLogin(s.userId, s.challenge.id, s.options({ limits: { ...LIMITS, maxFailures: 0 } })),
    ],
    [
      'options.audit',
      (s) =>
        ctx.store.failLogin(
          s.userId,
          s.challenge.id,
          s.options({ audit: undefined as unknown as FailLoginOptions['audit'] }),
        ),
    ],
    [
      'options.audit.type',
      (s) =>
        ctx.store.failLogin(
          s.userId,
          s.challenge.id,
          s.options({ audit: auditEvent(s.now, { type: 'Bad Type' }) }),
        ),
    ],
    [
      'options.audit.data',
      (s) =>
        ctx.store.failLogin(
          s.userId,
          s.challenge.id,
          s.options({ audit: auditEvent(s.now, { data: [1] as unknown as Record<string, unknown> }) }),
        ),
    ],
  ];
  for (const [name, call] of bad) {
    it(`rejects a bad ${name} with invalid_argument, naming it, and changes nothing`, async () => {
      const s = await scene(ctx);
      const before = await s.observe();
      const error = await expectRejection(() => call(s), 'invalid_argument');
      expect(error.message).toContain(name);
      expect(await s.observe()).toEqual(before);
    });
  }
}
