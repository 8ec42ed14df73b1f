/**
 * @module
 * Conformance: the boundary checks of `updateUserSettings`, `renameCredential`, `completeLogin` and the
 * session epochs. Each bad argument rejects with `invalid_argument` naming the parameter, and nothing is
 * written: no settings record, no new label, no consumed login, step, code, cleared counter or audit
 * record, no epoch.
 */
import { expect, it } from 'vitest';
import { MAX_TIME } from '../limits';
import type { CompleteLoginOptions } from '../store-types';
import {
  auditEvent,
  expectRejection,
  freshId,
  loginChallenge,
  randomDigest,
  type SuiteContext,
  totpCredential,
} from './fixtures';
import { as, BAD_DIGESTS, BAD_IDS, BAD_TIMES, type Call, PLAINTEXT_SECRETS } from './validation';

const LIMITS = { maxFailures: 5, windowMs: 600_000, lockoutMs: 60_000 };

/** Registers the validation tests of the settings patch, the rename, the login completion and the epochs. */
export function settingsAndLoginValidationTests(ctx: SuiteContext): void {
  it('updateUserSettings, renameCredential, completeLogin and the session epochs refuse bad arguments, naming the parameter, and write nothing', async () => {
    const userId = freshId('user');
    const credential = totpCredential(userId, ctx.t0, { lastUsedStep: 10 });
    const login = loginChallenge(userId, ctx.t0);
    const codes = [randomDigest(), randomDigest()];
    const key = freshId('key');
    await ctx.store.addCredential(credential);
    await ctx.store.createChallenge(login);
    await ctx.store.replaceBackupCodes(userId, { digests: codes, now: ctx.t0 });
    await ctx.store.registerFailure(key, { now: ctx.t0, limits: LIMITS });
    const now = ctx.t0 + 1;
    const otp = { credentialId: credential.id, step: 11, ifSecret: credential.otp?.secretCiphertext };
    // Each of these would complete the login: only the one bad value refuses it.
    const good: CompleteLoginOptions = {
      now,
      otp,
      unlessLocked: [key],
      clearFailures: [key],
      audit: auditEvent(now, { userId }),
    };
    const complete =
      (options: unknown): Call =>
      (s) =>
        s.completeLogin(userId, login.id, as(options));
    const update =
      (patch: unknown, ...options: unknown[]): Call =>
      (s) =>
        // No options argument means `{ now }`; an explicit one, even `undefined`, is passed as given.
        s.updateUserSettings(userId, as(patch), as(options.length === 0 ? { now } : options[0]));
    const nine = Array.from({ length: 9 }, () => key);

    const cases: [string, Call][] = [
      ...BAD_IDS.flatMap((bad): [string, Call][] => [
        ['userId', (s) => s.updateUserSettings(as(bad), {}, { now })],
        ['userId', (s) => s.renameCredential(as(bad), credential.id, 'x')],
        ['credentialId', (s) => s.renameCredential(userId, as(bad), 'x')],
        ['userId', (s) => s.completeLogin(as(bad), login.id, { now })],
        ['challengeId', (s) => s.completeLogin(userId, as(bad), { now })],
        ['userId', (s) => s.getSessionEpoch(as(bad))],
        ['userId', (s) => s.bumpSessionEpoch(as(bad))],
        ['options.otp.credentialId', complete({ ...good, otp: { ...otp, credentialId: bad } })],
        ['options.unlessLocked[1]', complete({ ...good, unlessLocked: [key, bad] })],
        ['options.clearFailures[0]', complete({ ...good, clearFailures: [bad] })],
      ]),
      ...BAD_IDS.filter((bad) => bad !== undefined).flatMap((bad): [string, Call][] => [
        ['options.tenantId', update({}, { now, tenantId: bad })],
        ['options.audit.id', complete({ ...good, audit: { ...good.audit, id: bad } })],
      ]),
      ...BAD_TIMES.flatMap((bad): [string, Call][] => [
        ['options.now', update({}, { now: bad })],
        ['options.now', complete({ ...good, now: bad })],
        ['options.audit.at', complete({ ...good, audit: { ...good.audit, at: bad } })],
      ]),
      ...BAD_TIMES.filter((bad) => bad !== null && bad !== undefined).flatMap((bad): [string, Call][] => [
        ['patch.graceStartedAt', update({ graceStartedAt: bad })],
        ['patch.backupCodesAcknowledgedAt', update({ backupCodesAcknowledgedAt: bad })],
        ['patch.enrollmentResetAt', update({ enrollmentResetAt: bad })],
      ]),
      ['patch.enrollmentResetAt', update({ enrollmentResetAt: MAX_TIME + 1 })],
      ...[1, 0, 'true', 'yes', {}, []].flatMap((bad): [string, Call][] => [
        ['patch.useTwoFactor', update({ useTwoFactor: bad })],
        ['patch.mayToggle', update({ mayToggle: bad })],
      ]),
      // A key the patch does not name is refused rather than silently ignored.
      ['patch.userId', update({ userId: freshId('user') })],
      ['patch.updatedAt', update({ updatedAt: now })],
      ['patch.tenantId', update({ tenantId: freshId('tenant') })],
      ['patch.requiredByAdmin', update({ requiredByAdmin: true, useTwoFactor: true })],
      ...[null, undefined, 'patch', 42, []].map((bad): [string, Call] => ['patch', update(bad)]),
      ...[null, undefined, 5, []].flatMap((bad): [string, Call][] => [
        ['options', update({}, bad)],
        ['options', complete(bad)],
      ]),
      ...['two\nlines', 'L'.repeat(121), '\ud800x', 42, null, undefined].map((bad): [string, Call] => [
        'label',
        (s) => s.renameCredential(userId, credential.id, as(bad)),
      ]),
      ...[-1, 1.5, Number.NaN, '11', null].map((bad): [string, Call] => [
        'options.otp.step',
        complete({ ...good, otp: { ...otp, step: bad } }),
      ]),
      ['options.otp.driftSteps', complete({ ...good, otp: { ...otp, driftSteps: 0.5 } })],
      ...PLAINTEXT_SECRETS.map((secret): [string, Call] => [
        'options.otp.ifSecret',
        complete({ ...good, otp: { ...otp, ifSecret: secret } }),
      ]),
      ['options.otp', complete({ ...good, otp: null })],
      ['options.otp', complete({ ...good, otp: 'code' })],
      ...BAD_DIGESTS.map((bad): [string, Call] => [
        'options.backupCode.digest',
        complete({ ...good, otp: undefined, backupCode: { digest: bad } }),
      ]),
      ['options.backupCode', complete({ ...good, otp: undefined, backupCode: codes[0] })],
      // F9: one factor per login; both refuse, even when each alone would complete it.
      ['options.otp, options.backupCode', complete({ ...good, backupCode: { digest: codes[0] } })],
      ['options.unlessLocked', complete({ ...good, unlessLocked: nine })],
      ['options.clearFailures', complete({ ...good, clearFailures: nine })],
      ['options.clearFailures', complete({ ...good, clearFailures: key })],
      // The audit record is checked exactly as appendAudit checks its event.
      ['options.audit.type', complete({ ...good, audit: { ...good.audit, type: 'Not Dotted' } })],
      [
        'options.audit.data',
        complete({ ...good, audit: { ...good.audit, data: { big: 'x'.repeat(17_000) } } }),
      ],
      ['options.audit.actorId', complete({ ...good, audit: { ...good.audit, actorId: '' } })],
      ['options.audit', complete({ ...good, audit: null })],
    ];
    for (const [name, call] of cases) {
      const error = await expectRejection(() => call(ctx.store), 'invalid_argument').catch(
        (caught: Error) => {
          throw new Error(`${name}: ${caught.message}`);
        },
      );
      expect(error.message, name).toContain(name);
    }

    expect(await ctx.store.getUserSettings(userId)).toBeNull();
    expect(await ctx.store.getCredential(userId, credential.id)).toEqual(credential);
    expect((await ctx.store.getChallenge(userId, login.id))?.consumedAt).toBeUndefined();
    expect((await ctx.store.getBackupCodeSet(userId))?.remaining).toBe(2);
    expect(await ctx.store.getFailures(key, { now })).toEqual({ count: 1, lockedUntil: null });
    expect(await ctx.store.listAudit({ userId })).toEqual([]);
    expect(await ctx.store.getSessionEpoch(userId)).toBe(0);
    // Positive control: the same arguments without the bad value complete the login.
    expect(await ctx.store.completeLogin(userId, login.id, good)).toEqual({ status: 'ok', sessionEpoch: 0 });
    expect(await ctx.store.getFailures(key, { now })).toEqual({ count: 0, lockedUntil: null });
  });

  it('updateUserSettings accepts null for every field and an empty patch; renameCredential the longest label', async () => {
    const userId = freshId('user');
    const patch = {
      useTwoFactor: null,
      mayToggle: null,
      graceStartedAt: null,
      backupCodesAcknowledgedAt: null,
      enrollmentResetAt: null,
    };
    expect(await ctx.store.updateUserSettings(userId, patch, { now: MAX_TIME })).toEqual({
      userId,
      useTwoFactor: null,
      mayToggle: null,
      updatedAt: MAX_TIME,
    });
    expect((await ctx.store.updateUserSettings(userId, {}, { now: 0 })).updatedAt).toBe(0);
  });
}
