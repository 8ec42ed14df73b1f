/**
 * @module
 * Conformance: boundary validation. Every method rejects bad ids, digests, times and records with
 * `SecondFactorError('invalid_argument')` as a rejected promise (never a synchronous throw), and a
 * rejected call writes nothing: checked through the API and through the raw dump.
 */
import { expect, it } from 'vitest';
import { MAX_DURATION, MAX_TIME } from '../limits';
import type { SecondFactorStore } from '../store';
import {
  auditEvent,
  emailChallenge,
  expectRejection,
  freshId,
  pendingTotp,
  randomDigest,
  type SuiteContext,
  totpCredential,
  trustedDevice,
  userSettings,
} from './fixtures';

/**
 * Values no id parameter accepts.
 *
 * @example
 * ```ts
 * import { BAD_IDS } from '@secondfactor/store/testing';
 *
 * for (const bad of BAD_IDS) await expect(store.getUserSettings(bad as string)).rejects.toMatchObject({ code: 'invalid_argument' });
 * ```
 */
export const BAD_IDS: readonly unknown[] = [
  '',
  'a\u0000b',
  'line\nbreak',
  'tab\there',
  'x'.repeat(256),
  // lone surrogates: drivers map both to U+FFFD, so they would name the same row (H3)
  '\ud800x',
  '\udc00x',
  42,
  null,
  undefined,
  {},
  ['id'],
];
/**
 * Values no digest parameter accepts.
 *
 * @example
 * ```ts
 * import { BAD_DIGESTS } from '@secondfactor/store/testing';
 *
 * for (const bad of BAD_DIGESTS) {
 *   await expect(store.consumeBackupCode('user-1', bad as string)).rejects.toMatchObject({ code: 'invalid_argument' });
 * }
 * ```
 */
export const BAD_DIGESTS: readonly unknown[] = [
  '',
  'abc',
  'A'.repeat(64),
  'g'.repeat(64),
  'a'.repeat(31),
  // a digest is whole bytes: an odd number of hex digits is no digest
  'a'.repeat(33),
  'a'.repeat(127),
  'a'.repeat(129),
  ` ${'a'.repeat(64)}`,
  `${'a'.repeat(64)}\n`,
  42,
  null,
  undefined,
];
/**
 * Values no time parameter accepts.
 *
 * @example
 * ```ts
 * import { BAD_TIMES } from '@secondfactor/store/testing';
 *
 * for (const bad of BAD_TIMES) await expect(store.getFailures('key', { now: bad as number })).rejects.toMatchObject({ code: 'invalid_argument' });
 * ```
 */
export const BAD_TIMES: readonly unknown[] = [
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  '5',
  null,
  undefined,
];
/**
 * Plaintext secrets that must never pass as a sealed one (checklist B6).
 *
 * @example
 * ```ts
 * import { PLAINTEXT_SECRETS, totpCredential } from '@secondfactor/store/testing';
 *
 * const credential = totpCredential('user-1', Date.now());
 * for (const secret of PLAINTEXT_SECRETS) {
 *   const otp = { ...credential.otp!, secretCiphertext: secret };
 *   await expect(store.addCredential({ ...credential, otp })).rejects.toMatchObject({ code: 'invalid_argument' });
 * }
 * ```
 */
export const PLAINTEXT_SECRETS: readonly string[] = [
  'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  '3132333435363738393031323334353637383930',
  'sf1.key.short',
  'sf1..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'sf2.key.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
];

/** One call of the store under test. */
export type Call = (store: SecondFactorStore) => Promise<unknown>;
/** Passes a deliberately ill-typed value. */
export const as = <T>(value: unknown): T => value as T;

/** Asserts that every call rejects with `invalid_argument`, naming the failing case. */
export async function expectAllInvalid(ctx: SuiteContext, cases: [string, Call][]): Promise<void> {
  for (const [label, call] of cases) {
    try {
      await expectRejection(() => call(ctx.store), 'invalid_argument');
    } catch (error) {
      throw new Error(`${label}: ${(error as Error).message}`);
    }
  }
}

const each = (values: readonly unknown[], make: (bad: unknown) => [string, Call][]): [string, Call][] =>
  values.flatMap((bad) =>
    make(bad).map(([label, call]): [string, Call] => [
      `${label} with ${JSON.stringify(bad) ?? String(bad)}`,
      call,
    ]),
  );

/** Registers the validation tests. */
export function validationTests(ctx: SuiteContext): void {
  it('every method rejects a bad id as invalid_argument, as a rejected promise', async () => {
    const [u, id, d, t] = [freshId('user'), freshId('id'), randomDigest(), ctx.t0];
    await expectAllInvalid(
      ctx,
      each(BAD_IDS, (bad) => {
        const b = as<string>(bad);
        return [
          ['getUserSettings', (s) => s.getUserSettings(b)],
          ['listUserSettings tenantId', (s) => s.listUserSettings(b)],
          ['listUserSettings after', (s) => s.listUserSettings(id, { after: bad === undefined ? '' : b })],
          ['getTwoFactorSummaries', (s) => s.getTwoFactorSummaries([u, b])],
          ['getCredential userId', (s) => s.getCredential(b, id)],
          ['getCredential credentialId', (s) => s.getCredential(u, b)],
          ['listCredentials', (s) => s.listCredentials(b)],
          ['deleteCredential userId', (s) => s.deleteCredential(b, id)],
          ['deleteCredential credentialId', (s) => s.deleteCredential(u, b)],
          ['recordOtpUse userId', (s) => s.recordOtpUse(b, id, { step: 1, now: t })],
          ['recordOtpUse credentialId', (s) => s.recordOtpUse(u, b, { step: 1, now: t })],
          [
            'recordOtpUse clearFailures',
            (s) => s.recordOtpUse(u, id, { step: 1, now: t, clearFailures: [u, b] }),
          ],
          [
            'getCredentialForVerification userId',
            (s) => s.getCredentialForVerification(b, id, { now: t, failureKeys: [] }),
          ],
          [
            'getCredentialForVerification credentialId',
            (s) => s.getCredentialForVerification(u, b, { now: t, failureKeys: [] }),
          ],
          [
            'getCredentialForVerification failureKeys',
            (s) => s.getCredentialForVerification(u, id, { now: t, failureKeys: [u, b] }),
          ],
          [
            'replaceCredentialSecret userId',
            (s) =>
              s.replaceCredentialSecret(b, id, {
                expected: `sf1.k.${'A'.repeat(60)}`,
                next: `sf1.k.${'B'.repeat(60)}`,
              }),
          ],
          [
            'replaceCredentialSecret credentialId',
            (s) =>
              s.replaceCredentialSecret(u, b, {
                expected: `sf1.k.${'A'.repeat(60)}`,
                next: `sf1.k.${'B'.repeat(60)}`,
              }),
          ],
          ['getPendingEnrollment userId', (s) => s.getPendingEnrollment(b, id, { now: t })],
          ['getPendingEnrollment pendingId', (s) => s.getPendingEnrollment(u, b, { now: t })],
          ['confirmEnrollment userId', (s) => s.confirmEnrollment(b, id, { now: t })],
          ['confirmEnrollment pendingId', (s) => s.confirmEnrollment(u, b, { now: t })],
          ['confirmEnrollment replaces', (s) => s.confirmEnrollment(u, id, { now: t, replaces: [b] })],
          ['deletePendingEnrollment', (s) => s.deletePendingEnrollment(u, b)],
          ['replaceBackupCodes', (s) => s.replaceBackupCodes(b, { digests: [d], now: t })],
          ['getBackupCodeSet', (s) => s.getBackupCodeSet(b)],
          ['consumeBackupCode', (s) => s.consumeBackupCode(b, d)],
          ['getChallenge userId', (s) => s.getChallenge(b, id)],
          ['getChallenge challengeId', (s) => s.getChallenge(u, b)],
          ['consumeChallenge userId', (s) => s.consumeChallenge(b, id, { digest: d, now: t })],
          ['consumeChallenge challengeId', (s) => s.consumeChallenge(u, b, { digest: d, now: t })],
          ['rotateChallenge', (s) => s.rotateChallenge(u, b, { digest: d, expiresAt: t, now: t })],
          ['deleteChallenge', (s) => s.deleteChallenge(b, id)],
          [
            'registerFailure',
            (s) => s.registerFailure(b, { now: t, limits: { maxFailures: 3, windowMs: 1, lockoutMs: 1 } }),
          ],
          ['getFailures', (s) => s.getFailures(b, { now: t })],
          ['clearFailures', (s) => s.clearFailures(b)],
          ['findTrustedDevice', (s) => s.findTrustedDevice(b, d, { now: t })],
          ['revokeTrustedDevices', (s) => s.revokeTrustedDevices(b)],
          ['resetUser', (s) => s.resetUser(b)],
          ['listAudit userId', (s) => s.listAudit({ userId: bad === undefined ? '' : b })],
          ['listAudit tenantId', (s) => s.listAudit({ tenantId: bad === undefined ? '' : b })],
          [
            'listOtpCredentials after',
            (s) => s.listOtpCredentials({ after: bad === undefined ? '' : b, limit: 1 }),
          ],
        ];
      }),
    );
  });

  it('every method rejects a bad digest as invalid_argument', async () => {
    const [u, id, t] = [freshId('user'), freshId('id'), ctx.t0];
    await expectAllInvalid(
      ctx,
      each(BAD_DIGESTS, (bad) => {
        const b = as<string>(bad);
        return [
          ['replaceBackupCodes', (s) => s.replaceBackupCodes(u, { digests: [randomDigest(), b], now: t })],
          ['consumeBackupCode', (s) => s.consumeBackupCode(u, b)],
          ['consumeChallenge', (s) => s.consumeChallenge(u, id, { digest: b, now: t })],
          ['rotateChallenge', (s) => s.rotateChallenge(u, id, { digest: b, expiresAt: t, now: t })],
          ['findTrustedDevice', (s) => s.findTrustedDevice(u, b, { now: t })],
        ];
      }),
    );
  });

  it('every method rejects a bad time, step or limit as invalid_argument', async () => {
    const [u, id, d] = [freshId('user'), freshId('id'), randomDigest()];
    const limits = { maxFailures: 3, windowMs: 1000, lockoutMs: 1000 };
    await expectAllInvalid(ctx, [
      ...each(BAD_TIMES, (bad) => {
        const b = as<number>(bad);
        return [
          ['recordOtpUse step', (s) => s.recordOtpUse(u, id, { step: b, now: 1 })],
          ['recordOtpUse now', (s) => s.recordOtpUse(u, id, { step: 1, now: b })],
          ['getPendingEnrollment', (s) => s.getPendingEnrollment(u, id, { now: b })],
          [
            'getCredentialForVerification now',
            (s) => s.getCredentialForVerification(u, id, { now: b, failureKeys: [] }),
          ],
          ['confirmEnrollment now', (s) => s.confirmEnrollment(u, id, { now: b })],
          ['replaceBackupCodes now', (s) => s.replaceBackupCodes(u, { digests: [d], now: b })],
          ['consumeChallenge', (s) => s.consumeChallenge(u, id, { digest: d, now: b })],
          ['rotateChallenge now', (s) => s.rotateChallenge(u, id, { digest: d, expiresAt: 1, now: b })],
          ['rotateChallenge expiresAt', (s) => s.rotateChallenge(u, id, { digest: d, expiresAt: b, now: 1 })],
          ['registerFailure', (s) => s.registerFailure(id, { now: b, limits })],
          ['getFailures', (s) => s.getFailures(id, { now: b })],
          ['findTrustedDevice', (s) => s.findTrustedDevice(u, d, { now: b })],
        ];
      }),
      ...each([1.5, Number.NaN, '7', null], (bad) => [
        [
          'recordOtpUse driftSteps',
          (s) => s.recordOtpUse(u, id, { step: 1, now: 1, driftSteps: as<number>(bad) }),
        ],
      ]),
      ...each([-1, 1.5, Number.NaN, '7', null], (bad) => [
        [
          'confirmEnrollment lastUsedStep',
          (s) => s.confirmEnrollment(u, id, { now: 1, lastUsedStep: as<number>(bad) }),
        ],
        ['listAudit since', (s) => s.listAudit({ userId: u, since: as<number>(bad) })],
      ]),
      ...each([0, -1, 1.5, 1001, Number.NaN, '10'], (bad) => [
        ['listOtpCredentials limit', (s) => s.listOtpCredentials({ limit: as<number>(bad) })],
        ['listUserSettings limit', (s) => s.listUserSettings(u, { limit: as<number>(bad) })],
        ['listAudit limit', (s) => s.listAudit({ userId: u, limit: as<number>(bad) })],
      ]),
      ...each(
        [
          { ...limits, maxFailures: 0 },
          { ...limits, maxFailures: 1.5 },
          { ...limits, windowMs: 0 },
          { ...limits, lockoutMs: -1 },
          { ...limits, lockoutMs: 0 },
          { ...limits, backoffFactor: 0.5 },
          { ...limits, backoffFactor: 1.5 },
          { ...limits, backoffFactor: Number.NaN },
          { ...limits, maxLockoutMs: 999 },
          null,
        ],
        (bad) => [
          [
            'registerFailure limits',
            (s) => s.registerFailure(id, { now: 1, limits: as<typeof limits>(bad) }),
          ],
        ],
      ),
      [
        'recordOtpUse without options',
        (s) => s.recordOtpUse(u, id, as<{ step: number; now: number }>(undefined)),
      ],
      ['confirmEnrollment without options', (s) => s.confirmEnrollment(u, id, as<{ now: number }>(null))],
      ['getFailures without options', (s) => s.getFailures(id, as<{ now: number }>(undefined))],
      ['getFailures with a bare time', (s) => s.getFailures(id, as<{ now: number }>(1))],
      [
        'registerFailure without options',
        (s) => s.registerFailure(id, as<{ now: number; limits: typeof limits }>(null)),
      ],
      [
        'consumeChallenge without an attempt',
        (s) => s.consumeChallenge(u, id, as<{ digest: string; now: number }>(d)),
      ],
      ['findTrustedDevice with a bare time', (s) => s.findTrustedDevice(u, d, as<{ now: number }>(1))],
      ['getPendingEnrollment with a bare time', (s) => s.getPendingEnrollment(u, id, as<{ now: number }>(1))],
      ['sweepExpired without options', (s) => s.sweepExpired(as<{ now: number }>(undefined))],
      ['listOtpCredentials without options', (s) => s.listOtpCredentials(as<{ limit: number }>(undefined))],
      ['listAudit without filter', (s) => s.listAudit(as<object>(null))],
      ['getTwoFactorSummaries not an array', (s) => s.getTwoFactorSummaries(as<string[]>(u))],
      ['replaceBackupCodes no digests', (s) => s.replaceBackupCodes(u, { digests: [], now: 1 })],
      ['replaceBackupCodes duplicate digest', (s) => s.replaceBackupCodes(u, { digests: [d, d], now: 1 })],
      [
        'replaceBackupCodes 101 digests',
        (s) => s.replaceBackupCodes(u, { digests: Array.from({ length: 101 }, randomDigest), now: 1 }),
      ],
      ['replaceBackupCodes empty salt', (s) => s.replaceBackupCodes(u, { digests: [d], salt: '', now: 1 })],
      [
        'replaceBackupCodes control salt',
        (s) => s.replaceBackupCodes(u, { digests: [d], salt: 'a\u0000', now: 1 }),
      ],
    ]);
  });

  it('F2/G5: a digest is whole bytes: an odd number of hex digits is refused by every method and record, an even one from 32 to 128 accepted', async () => {
    const [u, t] = [freshId('user'), ctx.t0];
    const cases: [string, string, Call][] = [];
    for (const bad of ['a'.repeat(33), 'f'.repeat(63), '0'.repeat(127)]) {
      const challenge = emailChallenge(u, t, bad);
      const device = trustedDevice(u, t, { digest: bad });
      cases.push(
        [
          'set.digests[1]',
          'replaceBackupCodes',
          (s) => s.replaceBackupCodes(u, { digests: [randomDigest(), bad], now: t }),
        ],
        ['digest', 'consumeBackupCode', (s) => s.consumeBackupCode(u, bad)],
        ['digest', 'consumeChallenge', (s) => s.consumeChallenge(u, challenge.id, { digest: bad, now: t })],
        [
          'next.digest',
          'rotateChallenge',
          (s) => s.rotateChallenge(u, challenge.id, { digest: bad, expiresAt: t + 1, now: t }),
        ],
        ['digest', 'findTrustedDevice', (s) => s.findTrustedDevice(u, bad, { now: t })],
        ['challenge.digest', 'createChallenge', (s) => s.createChallenge(challenge)],
        ['device.digest', 'addTrustedDevice', (s) => s.addTrustedDevice(device)],
      );
    }
    for (const [name, label, call] of cases) {
      const error = await expectRejection(() => call(ctx.store), 'invalid_argument').catch(
        (caught: Error) => {
          throw new Error(`${label}: ${caught.message}`);
        },
      );
      expect(error.message, label).toContain(name);
    }
    expect(await ctx.store.getBackupCodeSet(u)).toBeNull();
    expect(await ctx.store.resetUser(u)).toEqual({
      credentials: 0,
      backupCodes: 0,
      pendingEnrollments: 0,
      trustedDevices: 0,
      challenges: 0,
    });
    // Positive control: the shortest and the longest digest are whole bytes and pass.
    for (const good of ['a'.repeat(32), 'b'.repeat(128)]) {
      expect(await ctx.store.consumeBackupCode(u, good)).toEqual({ consumed: false, remaining: 0 });
      expect(await ctx.store.findTrustedDevice(u, good, { now: t })).toBeNull();
    }
  });

  it('times run from 0 to MAX_TIME (year 9999) and durations up to MAX_DURATION (10 years); beyond is refused, naming the parameter', async () => {
    const [u, id, d, t] = [freshId('user'), freshId('id'), randomDigest(), ctx.t0];
    const late = MAX_TIME + 1;
    const limits = { maxFailures: 3, windowMs: 1_000, lockoutMs: 1_000 };
    const long = MAX_DURATION + 1;
    const cases: [string, Call][] = [
      ['options.now', (s) => s.getFailures(id, { now: late })],
      ['options.now', (s) => s.registerFailure(id, { now: late, limits })],
      ['options.now', (s) => s.getPendingEnrollment(u, id, { now: late })],
      ['attempt.now', (s) => s.consumeChallenge(u, id, { digest: d, now: late })],
      ['options.now', (s) => s.findTrustedDevice(u, d, { now: late })],
      ['options.now', (s) => s.sweepExpired({ now: late })],
      ['options.now', (s) => s.recordOtpUse(u, id, { step: 1, now: late })],
      ['options.now', (s) => s.confirmEnrollment(u, id, { now: late })],
      ['options.now', (s) => s.getCredentialForVerification(u, id, { now: late, failureKeys: [] })],
      ['set.now', (s) => s.replaceBackupCodes(u, { digests: [d], now: late })],
      ['next.now', (s) => s.rotateChallenge(u, id, { digest: d, expiresAt: t, now: late })],
      ['next.expiresAt', (s) => s.rotateChallenge(u, id, { digest: d, expiresAt: late, now: t })],
      ['filter.since', (s) => s.listAudit({ userId: u, since: late })],
      ['settings.updatedAt', (s) => s.putUserSettings(userSettings(u, late))],
      ['settings.graceStartedAt', (s) => s.putUserSettings(userSettings(u, t, { graceStartedAt: late }))],
      ['credential.createdAt', (s) => s.addCredential(totpCredential(u, late))],
      ['credential.lastUsedAt', (s) => s.addCredential(totpCredential(u, t, { lastUsedAt: late }))],
      ['pending.expiresAt', (s) => s.createPendingEnrollment(pendingTotp(u, t, { expiresAt: late }))],
      ['challenge.expiresAt', (s) => s.createChallenge(emailChallenge(u, t, d, { expiresAt: late }))],
      ['challenge.createdAt', (s) => s.createChallenge(emailChallenge(u, late, d, { expiresAt: t }))],
      ['device.expiresAt', (s) => s.addTrustedDevice(trustedDevice(u, t, { expiresAt: late }))],
      ['event.at', (s) => s.appendAudit(auditEvent(late, { userId: u }))],
      [
        'options.limits.windowMs',
        (s) => s.registerFailure(id, { now: t, limits: { ...limits, windowMs: long } }),
      ],
      [
        'options.limits.lockoutMs',
        (s) => s.registerFailure(id, { now: t, limits: { ...limits, lockoutMs: long } }),
      ],
      [
        'options.limits.maxLockoutMs',
        (s) => s.registerFailure(id, { now: t, limits: { ...limits, maxLockoutMs: long } }),
      ],
    ];
    for (const [name, call] of cases) {
      const error = await expectRejection(() => call(ctx.store), 'invalid_argument').catch(
        (caught: Error) => {
          throw new Error(`${name}: ${caught.message}`);
        },
      );
      expect(error.message).toContain(name);
    }
    expect(await ctx.store.getUserSettings(u)).toBeNull();
    expect(await ctx.store.listCredentials(u)).toEqual([]);
    expect(await ctx.store.getFailures(id, { now: t })).toEqual({ count: 0, lockedUntil: null });
    // The bounds themselves are inside the range.
    expect(await ctx.store.getFailures(id, { now: MAX_TIME })).toEqual({ count: 0, lockedUntil: null });
    const longest = {
      maxFailures: 1,
      windowMs: MAX_DURATION,
      lockoutMs: MAX_DURATION,
      maxLockoutMs: MAX_DURATION,
    };
    expect(await ctx.store.registerFailure(id, { now: 0, limits: longest })).toEqual({
      count: 1,
      lockedUntil: MAX_DURATION,
    });
  });

  it('B6: a plaintext or malformed secret never passes as a sealed one', async () => {
    const userId = freshId('user');
    const base = totpCredential(userId, ctx.t0);
    for (const secret of PLAINTEXT_SECRETS) {
      const credential = { ...base, otp: { ...base.otp!, secretCiphertext: secret } };
      await expectRejection(() => ctx.store.addCredential(credential), 'invalid_argument');
      await expectRejection(
        () => ctx.store.createPendingEnrollment({ ...pendingTotp(userId, ctx.t0), otp: credential.otp }),
        'invalid_argument',
      );
    }
    await ctx.store.addCredential(base);
    const sealed = base.otp?.secretCiphertext ?? '';
    for (const secret of PLAINTEXT_SECRETS) {
      await expectRejection(
        () => ctx.store.replaceCredentialSecret(base.userId, base.id, { expected: sealed, next: secret }),
        'invalid_argument',
      );
    }
    expect(await ctx.store.listCredentials(userId)).toEqual([base]);
  });
}
