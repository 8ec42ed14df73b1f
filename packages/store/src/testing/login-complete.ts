/**
 * @module
 * Conformance: `completeLogin`, the one step that completes a login (checklist I3, D1–D5, E1, E6, F3,
 * F4, H8). Every condition that refuses is tried on its own and shown, through the reads, to change
 * nothing; a completion consumes the login, records the step or uses the code, clears only the named
 * counters, appends its audit record and returns the session epoch `getSessionEpoch` reads.
 */
import { expect, it } from 'vitest';
import type { CompleteLoginOptions, CompleteLoginResult } from '../store-types';
import {
  auditEvent,
  createdChallenge,
  emailChallenge,
  expectRejection,
  fakeCiphertext,
  freshId,
  loginChallenge,
  randomDigest,
  type SuiteContext,
  totpCredential,
} from './fixtures';

const LIMITS = { maxFailures: 3, windowMs: 600_000, lockoutMs: 60_000 };
const STEP = 57_000_000;

/**
 * One user in the middle of a login: a login challenge, a TOTP credential last used at `STEP`, five
 * backup codes, a counter with one failure that a completion names (`counted`) and one it does not
 * (`other`), and a session epoch of 2.
 */
async function scene(ctx: SuiteContext) {
  const { store, t0 } = ctx;
  const userId = freshId('user');
  const challenge = loginChallenge(userId, t0);
  const credential = totpCredential(userId, t0, { lastUsedStep: STEP, driftSteps: 1, lastUsedAt: t0 });
  const codes = Array.from({ length: 5 }, randomDigest);
  const [counted, other] = [freshId(`${userId}:`), freshId(`${userId}:`)];
  await store.createChallenge(challenge);
  await store.addCredential(credential);
  await store.replaceBackupCodes(userId, { digests: codes, now: t0 });
  await store.registerFailure(counted, { now: t0, limits: LIMITS });
  await store.registerFailure(other, { now: t0, limits: LIMITS });
  await store.bumpSessionEpoch(userId);
  await store.bumpSessionEpoch(userId);
  const now = t0 + 1_000;
  const sealed = credential.otp?.secretCiphertext ?? '';
  /** Options that complete the login with the next TOTP step. */
  const withOtp = (): CompleteLoginOptions => ({
    now,
    otp: { credentialId: credential.id, step: STEP + 1, ifSecret: sealed },
    unlessLocked: [counted],
    clearFailures: [counted],
    audit: auditEvent(now, { userId, type: 'login.succeeded' }),
  });
  /** Everything a completion could change, read through the API. */
  const observe = async () => ({
    challenge: await store.getChallenge(userId, challenge.id),
    credential: await store.getCredential(userId, credential.id),
    backupCodes: await store.getBackupCodeSet(userId),
    failures: [await store.getFailures(counted, { now }), await store.getFailures(other, { now })],
    audit: await store.listAudit({ userId }),
    epoch: await store.getSessionEpoch(userId),
  });
  return { userId, challenge, credential, codes, counted, other, now, sealed, withOtp, observe };
}

type Scene = Awaited<ReturnType<typeof scene>>;

/** A refusal: how to set it up (optional) and the call that must be refused. */
type Refusal = [string, (ctx: SuiteContext, scene: Scene) => Promise<() => Promise<CompleteLoginResult>>];

const REFUSALS: Refusal[] = [
  [
    'an unknown challenge',
    async (ctx, s) => () => ctx.store.completeLogin(s.userId, freshId('chal'), s.withOtp()),
  ],
  [
    'H3: another user’s login challenge, even with its id',
    async (ctx, s) => {
      const theirs = loginChallenge(freshId('user'), ctx.t0);
      await ctx.store.createChallenge(theirs);
      return () => ctx.store.completeLogin(s.userId, theirs.id, s.withOtp());
    },
  ],
  [
    'I3: a challenge of another kind than login',
    async (ctx, s) => {
      const code = emailChallenge(s.userId, ctx.t0, randomDigest());
      await ctx.store.createChallenge(code);
      return () => ctx.store.completeLogin(s.userId, code.id, s.withOtp());
    },
  ],
  [
    'I3: a login at its expiry',
    async (ctx, s) => () =>
      ctx.store.completeLogin(s.userId, s.challenge.id, { ...s.withOtp(), now: s.challenge.expiresAt }),
  ],
  [
    'E1: a login out of attempts',
    async (ctx, s) => {
      for (let i = 0; i < s.challenge.maxAttempts; i++) {
        await ctx.store.consumeChallenge(s.userId, s.challenge.id, { digest: randomDigest(), now: s.now });
      }
      return () => ctx.store.completeLogin(s.userId, s.challenge.id, s.withOtp());
    },
  ],
  [
    'I3: a login completed before',
    async (ctx, s) => {
      expect((await ctx.store.completeLogin(s.userId, s.challenge.id, { now: s.now })).status).toBe('ok');
      return () => ctx.store.completeLogin(s.userId, s.challenge.id, s.withOtp());
    },
  ],
  [
    'D1: an OTP step already recorded',
    async (ctx, s) => () => {
      const options = s.withOtp();
      return ctx.store.completeLogin(s.userId, s.challenge.id, {
        ...options,
        otp: { ...options.otp!, step: STEP },
      });
    },
  ],
  [
    'D2: an OTP step before the recorded one',
    async (ctx, s) => () => {
      const options = s.withOtp();
      return ctx.store.completeLogin(s.userId, s.challenge.id, {
        ...options,
        otp: { ...options.otp!, step: STEP - 1 },
      });
    },
  ],
  [
    'an OTP checked against a secret the credential no longer has (ifSecret)',
    async (ctx, s) => () => {
      const options = s.withOtp();
      return ctx.store.completeLogin(s.userId, s.challenge.id, {
        ...options,
        otp: { ...options.otp!, ifSecret: fakeCiphertext() },
      });
    },
  ],
  [
    'H3: an OTP of another user’s credential',
    async (ctx, s) => {
      const theirs = totpCredential(freshId('user'), ctx.t0);
      await ctx.store.addCredential(theirs);
      return () =>
        ctx.store.completeLogin(s.userId, s.challenge.id, {
          ...s.withOtp(),
          otp: { credentialId: theirs.id, step: STEP + 1 },
        });
    },
  ],
  [
    'H9: an OTP of an unknown (or deleted) credential',
    async (ctx, s) => () =>
      ctx.store.completeLogin(s.userId, s.challenge.id, {
        ...s.withOtp(),
        otp: { credentialId: freshId('cred'), step: STEP + 1 },
      }),
  ],
  [
    'E1: a locked counter in unlessLocked',
    async (ctx, s) => {
      await ctx.store.registerFailure(s.counted, { now: s.now, limits: LIMITS });
      await ctx.store.registerFailure(s.counted, { now: s.now, limits: LIMITS });
      return () => ctx.store.completeLogin(s.userId, s.challenge.id, s.withOtp());
    },
  ],
  [
    'F3: a backup code not in the set',
    async (ctx, s) => () =>
      ctx.store.completeLogin(s.userId, s.challenge.id, {
        ...s.withOtp(),
        otp: undefined,
        backupCode: { digest: randomDigest() },
      }),
  ],
  [
    'F3: a backup code used before',
    async (ctx, s) => {
      expect((await ctx.store.consumeBackupCode(s.userId, s.codes[0] ?? '')).consumed).toBe(true);
      return () =>
        ctx.store.completeLogin(s.userId, s.challenge.id, {
          ...s.withOtp(),
          otp: undefined,
          backupCode: { digest: s.codes[0] ?? '' },
        });
    },
  ],
  [
    'F4: a backup code of a replaced set',
    async (ctx, s) => {
      await ctx.store.replaceBackupCodes(s.userId, { digests: [randomDigest()], now: s.now });
      return () =>
        ctx.store.completeLogin(s.userId, s.challenge.id, {
          ...s.withOtp(),
          otp: undefined,
          backupCode: { digest: s.codes[0] ?? '' },
        });
    },
  ],
  [
    'H3: a backup code of another user',
    async (ctx, s) => {
      const theirs = randomDigest();
      await ctx.store.replaceBackupCodes(freshId('user'), { digests: [theirs], now: ctx.t0 });
      return () =>
        ctx.store.completeLogin(s.userId, s.challenge.id, {
          ...s.withOtp(),
          otp: undefined,
          backupCode: { digest: theirs },
        });
    },
  ],
];

/** Registers the tests of `completeLogin`. */
export function completeLoginTests(ctx: SuiteContext): void {
  it('I3/D3/E6/H8: a completion with an OTP consumes the login, records the step, clears only the named counters, appends the audit record and returns the session epoch', async () => {
    const s = await scene(ctx);
    const options = s.withOtp();
    const result = await ctx.store.completeLogin(s.userId, s.challenge.id, options);
    expect(result).toEqual({ status: 'ok', sessionEpoch: 2 });
    expect(result.status === 'ok' && result.sessionEpoch).toBe(await ctx.store.getSessionEpoch(s.userId));
    expect(await s.observe()).toEqual({
      challenge: { ...createdChallenge(s.challenge), consumedAt: s.now },
      // driftSteps omitted: kept as it was.
      credential: { ...s.credential, lastUsedStep: STEP + 1, lastUsedAt: s.now },
      backupCodes: { remaining: 5, createdAt: ctx.t0 },
      failures: [
        { count: 0, lockedUntil: null },
        { count: 1, lockedUntil: null },
      ],
      audit: [options.audit],
      epoch: 2,
    });
    expect(await ctx.store.recordOtpUse(s.userId, s.credential.id, { step: STEP + 1, now: s.now })).toBe(
      false,
    );
  });

  it('I3: a completed login is refused a second time, and consumeChallenge answers consumed', async () => {
    const s = await scene(ctx);
    expect((await ctx.store.completeLogin(s.userId, s.challenge.id, { now: s.now })).status).toBe('ok');
    const before = await s.observe();
    const options = s.withOtp();
    expect(
      await ctx.store.completeLogin(s.userId, s.challenge.id, {
        ...options,
        otp: { ...options.otp!, step: STEP + 2 },
      }),
    ).toEqual({ status: 'refused' });
    expect(await s.observe()).toEqual(before);
    expect(
      await ctx.store.consumeChallenge(s.userId, s.challenge.id, { digest: randomDigest(), now: s.now }),
    ).toBe('consumed');
  });

  for (const [name, arrange] of REFUSALS) {
    it(`refused, changing nothing (no step, no code, no counter cleared, no audit): ${name}`, async () => {
      const s = await scene(ctx);
      const call = await arrange(ctx, s);
      const before = await s.observe();
      expect(await call()).toEqual({ status: 'refused' });
      expect(await s.observe()).toEqual(before);
    });
  }

  it('F3/F9: a completion with a backup code uses that code once and says how many are left', async () => {
    const s = await scene(ctx);
    const code = { digest: s.codes[2] ?? '' };
    const result = await ctx.store.completeLogin(s.userId, s.challenge.id, {
      now: s.now,
      backupCode: code,
      clearFailures: [s.counted],
    });
    expect(result).toEqual({ status: 'ok', sessionEpoch: 2, backupCodesRemaining: 4 });
    expect(await ctx.store.getBackupCodeSet(s.userId)).toEqual({ remaining: 4, createdAt: ctx.t0 });
    // The OTP credential was not involved.
    expect(await ctx.store.getCredential(s.userId, s.credential.id)).toEqual(s.credential);
    const next = loginChallenge(s.userId, ctx.t0);
    await ctx.store.createChallenge(next);
    expect(await ctx.store.completeLogin(s.userId, next.id, { now: s.now, backupCode: code })).toEqual({
      status: 'refused',
    });
    expect(await ctx.store.consumeBackupCode(s.userId, code.digest)).toEqual({
      consumed: false,
      remaining: 4,
    });
    expect(
      await ctx.store.completeLogin(s.userId, next.id, {
        now: s.now,
        backupCode: { digest: s.codes[3] ?? '' },
      }),
    ).toEqual({
      status: 'ok',
      sessionEpoch: 2,
      backupCodesRemaining: 3,
    });
  });

  it('with neither an OTP nor a backup code, completes a login whose factor was checked elsewhere, using no factor', async () => {
    const s = await scene(ctx);
    const result = await ctx.store.completeLogin(s.userId, s.challenge.id, {
      now: s.now,
      unlessLocked: [s.counted],
      clearFailures: [s.counted],
    });
    expect(result).toEqual({ status: 'ok', sessionEpoch: 2 });
    expect(result.status === 'ok' && result.backupCodesRemaining).toBeUndefined();
    const after = await s.observe();
    expect(after.challenge?.consumedAt).toBe(s.now);
    expect(after.credential).toEqual(s.credential);
    expect(after.backupCodes?.remaining).toBe(5);
    expect(after.failures).toEqual([
      { count: 0, lockedUntil: null },
      { count: 1, lockedUntil: null },
    ]);
    expect(after.audit).toEqual([]);
  });

  it('E1: a counter with failures but no lock, or whose lock ended at now, does not refuse; driftSteps is recorded when given', async () => {
    const s = await scene(ctx);
    const lockKey = freshId('key');
    for (let i = 0; i < LIMITS.maxFailures; i++) {
      await ctx.store.registerFailure(lockKey, { now: ctx.t0, limits: LIMITS });
    }
    const options = s.withOtp();
    const result = await ctx.store.completeLogin(s.userId, s.challenge.id, {
      ...options,
      now: ctx.t0 + LIMITS.lockoutMs,
      otp: { ...options.otp!, driftSteps: -2 },
      unlessLocked: [s.counted, lockKey],
    });
    expect(result.status).toBe('ok');
    expect(await ctx.store.getCredential(s.userId, s.credential.id)).toEqual({
      ...s.credential,
      lastUsedStep: STEP + 1,
      lastUsedAt: ctx.t0 + LIMITS.lockoutMs,
      driftSteps: -2,
    });
  });

  it('H8: an audit id that exists rejects with conflict, and the login, step, code and counters are left as they were', async () => {
    const s = await scene(ctx);
    const existing = auditEvent(ctx.t0, { userId: s.userId });
    await ctx.store.appendAudit(existing);
    const before = await s.observe();
    await expectRejection(
      () =>
        ctx.store.completeLogin(s.userId, s.challenge.id, {
          ...s.withOtp(),
          audit: { ...existing, type: 'login.succeeded' },
        }),
      'conflict',
    );
    await expectRejection(
      () =>
        ctx.store.completeLogin(s.userId, s.challenge.id, {
          now: s.now,
          backupCode: { digest: s.codes[0] ?? '' },
          clearFailures: [s.counted],
          audit: existing,
        }),
      'conflict',
    );
    expect(await s.observe()).toEqual(before);
    expect((await ctx.store.completeLogin(s.userId, s.challenge.id, s.withOtp())).status).toBe('ok');
  });

  it('I5: the epoch returned is the user’s epoch after the step, for a user never bumped too', async () => {
    const userId = freshId('user');
    const challenge = loginChallenge(userId, ctx.t0);
    await ctx.store.createChallenge(challenge);
    expect(await ctx.store.completeLogin(userId, challenge.id, { now: ctx.t0 })).toEqual({
      status: 'ok',
      sessionEpoch: 0,
    });
    expect(await ctx.store.getSessionEpoch(userId)).toBe(0);
  });
}
