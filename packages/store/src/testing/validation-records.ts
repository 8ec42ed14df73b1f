/**
 * @module
 * Conformance: bad records (credentials, pending enrollments, challenges, devices, audit events,
 * settings) are rejected with `invalid_argument` and nothing of them is written, and a rejected call
 * leaves existing records exactly as they were. Checked through the API and through the raw dump.
 */
import { expect, it } from 'vitest';
import {
  auditEvent,
  createdChallenge,
  emailChallenge,
  freshId,
  pendingTotp,
  randomDigest,
  type SuiteContext,
  totpCredential,
  trustedDevice,
  userSettings,
} from './fixtures';
import { as, type Call, expectAllInvalid, PLAINTEXT_SECRETS } from './validation';

/** Registers the record-validation tests. */
export function recordValidationTests(ctx: SuiteContext): void {
  it('bad records are rejected and nothing of them is written (API reads and raw dump)', async () => {
    const marker = freshId('marker');
    const userId = `${marker}-user`;
    let n = 0;
    const mark = (): string => `${marker}-${++n}`;
    const credential = (): Record<string, unknown> => ({ ...totpCredential(userId, ctx.t0), id: mark() });
    const otp = totpCredential(userId, ctx.t0).otp;
    const badCredentials: Record<string, unknown>[] = [
      { ...credential(), userId: '' },
      { ...credential(), kind: 'fax' },
      { ...credential(), label: 'two\nlines' },
      { ...credential(), label: 'x'.repeat(121) },
      { ...credential(), otp: undefined },
      { ...credential(), kind: 'email', otp },
      { ...credential(), otp: { ...otp, algorithm: 'MD5' } },
      { ...credential(), otp: { ...otp, digits: 5 } },
      { ...credential(), otp: { ...otp, digits: 6.5 } },
      { ...credential(), otp: { ...otp, period: 0 } },
      { ...credential(), createdAt: -1 },
      { ...credential(), lastUsedStep: 1.5 },
      { ...credential(), tenantId: '' },
      { ...credential(), address: 'a'.repeat(321) },
      { ...credential(), lastUsedAt: Number.NaN },
      { ...credential(), switchedOffAt: -1 },
      { ...credential(), switchedOffAt: '5' },
      { ...credential(), switchedOffAt: null },
    ];
    const pending = (): Record<string, unknown> => ({ ...pendingTotp(userId, ctx.t0), id: mark() });
    const badPending: Record<string, unknown>[] = [
      { ...pending(), expiresAt: -5 },
      { ...pending(), kind: 'sms' },
      { ...pending(), otp: { ...otp, secretCiphertext: PLAINTEXT_SECRETS[0] } },
      { ...pending(), userId: 'a\u0001' },
    ];
    const challenge = (): Record<string, unknown> => ({
      ...emailChallenge(userId, ctx.t0, randomDigest()),
      id: mark(),
    });
    const badChallenges: Record<string, unknown>[] = [
      { ...challenge(), digest: '123456' },
      { ...challenge(), purpose: 'anything' },
      { ...challenge(), kind: 'fax' },
      { ...challenge(), maxAttempts: 0 },
      { ...challenge(), maxAttempts: 101 },
      { ...challenge(), attempts: -1 },
      { ...challenge(), deliveries: 0.5 },
      { ...challenge(), data: { nested: { no: true } } },
      { ...challenge(), data: { big: 'x'.repeat(5000) } },
      { ...challenge(), credentialId: '' },
    ];
    const device = (): Record<string, unknown> => ({ ...trustedDevice(userId, ctx.t0), id: mark() });
    const badDevices: Record<string, unknown>[] = [
      { ...device(), digest: 'token-in-clear' },
      { ...device(), expiresAt: 'later' },
      { ...device(), label: 'a\u0007' },
    ];
    const event = (): Record<string, unknown> => ({ ...auditEvent(ctx.t0, { userId }), id: mark() });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const badEvents: Record<string, unknown>[] = [
      { ...event(), type: 'Not Dotted' },
      { ...event(), at: -1 },
      { ...event(), data: { big: 'x'.repeat(17_000) } },
      { ...event(), data: cyclic },
      { ...event(), actorId: '' },
    ];
    const badSettings: Record<string, unknown>[] = [
      { ...userSettings(userId, ctx.t0), mayToggle: 'yes', tenantId: mark() },
      { ...userSettings(userId, ctx.t0), useTwoFactor: 'always', tenantId: mark() },
      { ...userSettings(userId, ctx.t0), updatedAt: 1.5, tenantId: mark() },
      { ...userSettings(userId, ctx.t0), graceStartedAt: -1, tenantId: mark() },
      { ...userSettings(mark(), ctx.t0), tenantId: '' },
    ];
    const cases: [string, Call][] = [
      ...badCredentials.map((bad, i): [string, Call] => [
        `addCredential #${i}`,
        (s) => s.addCredential(as(bad)),
      ]),
      ...badPending.map((bad, i): [string, Call] => [
        `createPendingEnrollment #${i}`,
        (s) => s.createPendingEnrollment(as(bad)),
      ]),
      ...badChallenges.map((bad, i): [string, Call] => [
        `createChallenge #${i}`,
        (s) => s.createChallenge(as(bad)),
      ]),
      ...badDevices.map((bad, i): [string, Call] => [
        `addTrustedDevice #${i}`,
        (s) => s.addTrustedDevice(as(bad)),
      ]),
      ...badEvents.map((bad, i): [string, Call] => [`appendAudit #${i}`, (s) => s.appendAudit(as(bad))]),
      ...badSettings.map((bad, i): [string, Call] => [
        `putUserSettings #${i}`,
        (s) => s.putUserSettings(as(bad)),
      ]),
      ...[null, undefined, 'record', 42].flatMap((bad): [string, Call][] => [
        [`addCredential ${String(bad)}`, (s) => s.addCredential(as(bad))],
        [`createPendingEnrollment ${String(bad)}`, (s) => s.createPendingEnrollment(as(bad))],
        [`createChallenge ${String(bad)}`, (s) => s.createChallenge(as(bad))],
        [`addTrustedDevice ${String(bad)}`, (s) => s.addTrustedDevice(as(bad))],
        [`appendAudit ${String(bad)}`, (s) => s.appendAudit(as(bad))],
        [`putUserSettings ${String(bad)}`, (s) => s.putUserSettings(as(bad))],
      ]),
      [
        'replaceBackupCodes one bad digest',
        (s) => s.replaceBackupCodes(userId, { digests: [randomDigest(), 'NOT-HEX'], now: 1 }),
      ],
      [
        'registerFailure bad limits',
        (s) =>
          s.registerFailure(`${marker}-key`, {
            now: 1,
            limits: as({ maxFailures: 0, windowMs: 1, lockoutMs: 1 }),
          }),
      ],
    ];
    await expectAllInvalid(ctx, cases);

    expect(await ctx.store.listCredentials(userId)).toEqual([]);
    expect(await ctx.store.getBackupCodeSet(userId)).toBeNull();
    expect(await ctx.store.getUserSettings(userId)).toBeNull();
    expect(await ctx.store.listAudit({ userId })).toEqual([]);
    expect(await ctx.store.getFailures(`${marker}-key`, { now: 1 })).toEqual({ count: 0, lockedUntil: null });
    for (const bad of [...badPending, ...badChallenges]) {
      const id = String(bad.id);
      expect(await ctx.store.getPendingEnrollment(userId, id, { now: ctx.t0 })).toBeNull();
      expect(await ctx.store.getChallenge(userId, id)).toBeNull();
    }
    for (const bad of badDevices) {
      if (typeof bad.digest === 'string') {
        expect(
          await ctx.store.findTrustedDevice(userId, String(bad.digest), { now: ctx.t0 }).catch(() => null),
        ).toBeNull();
      }
    }
    expect(await ctx.dumpRaw()).not.toContain(marker);
  });

  it('a rejected call leaves existing records exactly as they were', async () => {
    const userId = freshId('user');
    const credential = totpCredential(userId, ctx.t0);
    await ctx.store.addCredential(credential);
    const codes = [randomDigest(), randomDigest()];
    await ctx.store.replaceBackupCodes(userId, { digests: codes, now: ctx.t0 });
    const challenge = emailChallenge(userId, ctx.t0, randomDigest());
    await ctx.store.createChallenge(challenge);
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);

    await expectAllInvalid(ctx, [
      [
        'recordOtpUse negative step',
        (s) => s.recordOtpUse(credential.userId, credential.id, { step: -1, now: ctx.t0 }),
      ],
      [
        'replaceCredentialSecret plaintext',
        (s) =>
          s.replaceCredentialSecret(credential.userId, credential.id, {
            expected: credential.otp!.secretCiphertext,
            next: 'JBSWY3DPEHPK3PXP',
          }),
      ],
      [
        'replaceBackupCodes with a bad digest',
        (s) => s.replaceBackupCodes(userId, { digests: [randomDigest(), 'zz'], now: ctx.t0 + 1 }),
      ],
      [
        'consumeChallenge bad digest',
        (s) => s.consumeChallenge(userId, challenge.id, { digest: 'ZZ', now: ctx.t0 }),
      ],
      [
        'rotateChallenge bad digest',
        (s) =>
          s.rotateChallenge(userId, challenge.id, { digest: 'nope', expiresAt: ctx.t0 + 1, now: ctx.t0 }),
      ],
      [
        'confirmEnrollment bad replaces',
        (s) => s.confirmEnrollment(userId, pending.id, { now: ctx.t0, replaces: [credential.id, ''] }),
      ],
      [
        'confirmEnrollment bad lastUsedStep',
        (s) => s.confirmEnrollment(userId, pending.id, { now: ctx.t0, lastUsedStep: -3 }),
      ],
      ['addCredential conflicting and invalid', (s) => s.addCredential({ ...credential, label: '\u0000' })],
    ]);
    expect(await ctx.store.getCredential(userId, credential.id)).toEqual(credential);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 2, createdAt: ctx.t0 });
    expect(await ctx.store.getChallenge(userId, challenge.id)).toEqual(createdChallenge(challenge));
    expect(await ctx.store.getPendingEnrollment(userId, pending.id, { now: ctx.t0 })).toEqual(pending);
  });
}
