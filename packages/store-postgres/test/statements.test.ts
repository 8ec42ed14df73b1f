/**
 * One statement per atomic primitive, none on bad input, and the round trips of a TOTP verification,
 * counted by a client that wraps the driver.
 */
import type { FailureLimits } from '@secondfactor/core';
import {
  auditEvent,
  BAD_DIGESTS,
  BAD_IDS,
  emailChallenge,
  freshId,
  loginChallenge,
  PLAINTEXT_SECRETS,
  pendingTotp,
  randomDigest,
  totpCredential,
} from '@secondfactor/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { countingClient, newPGlite, pgliteClient } from './helpers';

const db = newPGlite();
const counted = countingClient(pgliteClient(db));
const store = new PostgresStore(counted, { schema: 'sf' });
const now = 1_700_000_000_000;
const limits: FailureLimits = { maxFailures: 5, windowMs: 60_000, lockoutMs: 300_000 };

/** How many statements `call` sends. */
async function statements(call: () => Promise<unknown>): Promise<number> {
  const before = counted.count;
  await call();
  return counted.count - before;
}

beforeAll(() => store.migrate());
afterAll(() => db.close());

describe('round trips', () => {
  it('every atomic primitive is one statement, whatever its outcome', async () => {
    const userId = freshId('user');
    const credential = totpCredential(userId, now);
    await store.addCredential(credential);
    const codes = [randomDigest(), randomDigest()];
    const pendingId = freshId('pend');
    await store.createPendingEnrollment(pendingTotp(userId, now, { id: pendingId, expiresAt: now + 1 }));
    const challengeId = freshId('chal');
    await store.createChallenge(emailChallenge(userId, now, randomDigest(), { id: challengeId }));
    const logins = [loginChallenge(userId, now), loginChallenge(userId, now), loginChallenge(userId, now)];
    for (const login of logins) await store.createChallenge(login);
    const keys = [`user:${userId}`, 'k2'];
    const tenantId = freshId('tenant');
    const failed = auditEvent(now, { userId, type: 'login.failed', data: { method: 'totp' } });
    const calls: [string, () => Promise<unknown>][] = [
      [
        'recordOtpUse (accepted)',
        () => store.recordOtpUse(credential.userId, credential.id, { step: 10, now }),
      ],
      [
        'recordOtpUse (replay)',
        () => store.recordOtpUse(credential.userId, credential.id, { step: 10, now }),
      ],
      [
        'recordOtpUse with clearFailures (accepted)',
        () =>
          store.recordOtpUse(credential.userId, credential.id, {
            step: 11,
            now,
            clearFailures: [`user:${userId}`, 'k2'],
          }),
      ],
      [
        'recordOtpUse with clearFailures (replay)',
        () =>
          store.recordOtpUse(credential.userId, credential.id, {
            step: 11,
            now,
            clearFailures: [`user:${userId}`],
          }),
      ],
      [
        'recordOtpUse warm, with ifSecret and unlessLocked (accepted)',
        () =>
          store.recordOtpUse(credential.userId, credential.id, {
            step: 12,
            now,
            ifSecret: credential.otp?.secretCiphertext,
            unlessLocked: [`user:${userId}`, 'k2'],
            clearFailures: [`user:${userId}`, 'k2'],
          }),
      ],
      [
        'recordOtpUse warm (another secret)',
        () =>
          store.recordOtpUse(credential.userId, credential.id, {
            step: 13,
            now,
            ifSecret: `sf1.k1.${'C'.repeat(40)}`,
            unlessLocked: [`user:${userId}`],
          }),
      ],
      [
        'getCredentialForVerification',
        () => store.getCredentialForVerification(userId, credential.id, { now, failureKeys: ['a', 'b'] }),
      ],
      [
        'completeLogin with an OTP, lock check, clear and audit (ok)',
        () =>
          store.completeLogin(userId, logins[0]!.id, {
            now,
            otp: { credentialId: credential.id, step: 20, ifSecret: credential.otp?.secretCiphertext },
            unlessLocked: keys,
            clearFailures: keys,
            audit: auditEvent(now, { userId, type: 'login.succeeded' }),
          }),
      ],
      [
        'completeLogin (refused: consumed)',
        () => store.completeLogin(userId, logins[0]!.id, { now, unlessLocked: keys, clearFailures: keys }),
      ],
      ['updateUserSettings (creates)', () => store.updateUserSettings(userId, { mayToggle: false }, { now })],
      [
        'updateUserSettings (updates)',
        () =>
          store.updateUserSettings(
            userId,
            { useTwoFactor: true, graceStartedAt: null },
            { now, tenantId: 't' },
          ),
      ],
      ['renameCredential', () => store.renameCredential(userId, credential.id, 'Work phone')],
      ['switchCredential (off)', () => store.switchCredential(userId, credential.id, now)],
      ['switchCredential (on)', () => store.switchCredential(userId, credential.id, null)],
      ['switchCredential (none)', () => store.switchCredential(userId, freshId('cred'), now)],
      [
        'listAddressHolders of a tenant',
        () => store.listAddressHolders({ tenantId, address: '+15555550100', limit: 100 }),
      ],
      ['listAddressHolders without a tenant', () => store.listAddressHolders({ address: 'a@example.org' })],
      ['getSessionEpoch', () => store.getSessionEpoch(userId)],
      ['bumpSessionEpoch', () => store.bumpSessionEpoch(userId)],
      [
        'putTenantSettings (creates)',
        () =>
          store.putTenantSettings({ tenantId, smtpCiphertext: `sf1.k1.${'A'.repeat(40)}`, updatedAt: now }),
      ],
      ['putTenantSettings (replaces)', () => store.putTenantSettings({ tenantId, updatedAt: now + 1 })],
      ['getTenantSettings', () => store.getTenantSettings(tenantId)],
      ['getTenantSettings (none)', () => store.getTenantSettings(freshId('tenant'))],
      ['replaceBackupCodes', () => store.replaceBackupCodes(userId, { digests: codes, now })],
      [
        'completeLogin with a backup code (ok)',
        () => store.completeLogin(userId, logins[1]!.id, { now, backupCode: { digest: codes[1]! } }),
      ],
      [
        'completeLogin with a backup code (refused: used)',
        () => store.completeLogin(userId, logins[2]!.id, { now, backupCode: { digest: codes[1]! } }),
      ],
      ['consumeBackupCode (consumed)', () => store.consumeBackupCode(userId, codes[0]!)],
      ['consumeBackupCode (used before)', () => store.consumeBackupCode(userId, codes[0]!)],
      [
        'consumeChallenge (mismatch)',
        () => store.consumeChallenge(userId, challengeId, { digest: randomDigest(), now }),
      ],
      [
        'consumeChallenge (not found)',
        () => store.consumeChallenge(userId, freshId('chal'), { digest: randomDigest(), now }),
      ],
      [
        'rotateChallenge',
        () => store.rotateChallenge(userId, challengeId, { digest: randomDigest(), expiresAt: now + 1, now }),
      ],
      [
        'confirmEnrollment (ok)',
        () => store.confirmEnrollment(userId, pendingId, { now, replaces: [credential.id] }),
      ],
      ['confirmEnrollment (not found)', () => store.confirmEnrollment(userId, pendingId, { now })],
      ['registerFailure', () => store.registerFailure(`user:${userId}`, { now, limits })],
      [
        'failLogin with two keys, a login and an audit record',
        () =>
          store.failLogin(userId, logins[2]!.id, {
            now,
            keys,
            limits,
            audit: failed,
          }),
      ],
      [
        'failLogin without a login (the audit id taken: conflict, nothing counted)',
        () => store.failLogin(userId, null, { now, keys, limits, audit: failed }).catch(() => undefined),
      ],
      [
        'replaceCredentialSecret',
        () =>
          store.replaceCredentialSecret(userId, pendingId, {
            expected: 'sf1.k1.' + 'A'.repeat(40),
            next: 'sf1.k2.' + 'B'.repeat(40),
          }),
      ],
      ['resetUser', () => store.resetUser(userId)],
    ];
    for (const [name, call] of calls) expect(await statements(call), name).toBe(1);
  });

  it('a cold TOTP verification (no cached credential) costs 2 round trips: lockout state and credential, then the use with the reset', async () => {
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const keys = [`user:${credential.userId}`, `totp:${credential.id}`];
    await store.registerFailure(keys[0]!, { now, limits });
    await store.registerFailure(keys[1]!, { now, limits });
    const texts = counted.texts.length;
    const cost = await statements(async () => {
      const { credential: loaded, failures } = await store.getCredentialForVerification(
        credential.userId,
        credential.id,
        { now, failureKeys: keys },
      );
      expect(loaded?.otp?.secretCiphertext).toBe(credential.otp?.secretCiphertext);
      expect(failures).toEqual([
        { count: 1, lockedUntil: null },
        { count: 1, lockedUntil: null },
      ]);
      expect(
        await store.recordOtpUse(credential.userId, credential.id, {
          step: 56_666_666,
          now,
          driftSteps: 0,
          clearFailures: keys,
        }),
      ).toBe(true);
    });
    expect(cost).toBe(2);
    expect(counted.texts.slice(texts).map((text) => text.trim().split(/\s+/)[0])).toEqual(['SELECT', 'WITH']);
    // The reset happened in that second statement.
    expect(await store.getFailures(keys[0]!, { now })).toEqual({ count: 0, lockedUntil: null });
    expect(await store.getFailures(keys[1]!, { now })).toEqual({ count: 0, lockedUntil: null });
  });

  it('a warm TOTP verification (sealed credential cached in the process) costs 1 round trip, refused or not', async () => {
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const keys = [`user:${credential.userId}`, `totp:${credential.id}`];
    const warm = { now, ifSecret: credential.otp?.secretCiphertext, unlessLocked: keys, clearFailures: keys };
    await store.registerFailure(keys[0]!, { now, limits });
    const texts = counted.texts.length;
    expect(
      await statements(() =>
        store.recordOtpUse(credential.userId, credential.id, { ...warm, step: 56_666_666 }),
      ),
    ).toBe(1);
    expect(counted.texts.slice(texts).map((text) => text.trim().split(/\s+/)[0])).toEqual(['WITH']);
    expect(await store.getFailures(keys[0]!, { now })).toEqual({ count: 0, lockedUntil: null });
    // Refused by a lock: the same one statement, and nothing changed.
    for (let i = 0; i < limits.maxFailures; i++) await store.registerFailure(keys[1]!, { now, limits });
    let refused: boolean | undefined;
    expect(
      await statements(async () => {
        refused = await store.recordOtpUse(credential.userId, credential.id, { ...warm, step: 56_666_667 });
      }),
    ).toBe(1);
    expect(refused).toBe(false);
    expect((await store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(56_666_666);
    expect((await store.getFailures(keys[1]!, { now })).lockedUntil).toBe(now + limits.lockoutMs);
  });
});

describe('round trips of a login', () => {
  it('a warm TOTP login (sealed credential cached in the process) costs 2 round trips: getChallenge, then completeLogin', async () => {
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const login = loginChallenge(credential.userId, now);
    await store.createChallenge(login);
    const keys = [`user:${credential.userId}`, `totp:${credential.id}`];
    await store.registerFailure(keys[0]!, { now, limits });
    await store.bumpSessionEpoch(credential.userId);
    const audit = auditEvent(now, { userId: credential.userId, type: 'login.succeeded' });
    const texts = counted.texts.length;
    const cost = await statements(async () => {
      expect((await store.getChallenge(login.userId, login.id))?.consumedAt).toBeUndefined();
      const done = await store.completeLogin(login.userId, login.id, {
        now,
        otp: {
          credentialId: credential.id,
          step: 56_666_666,
          driftSteps: 1,
          ifSecret: credential.otp?.secretCiphertext,
        },
        unlessLocked: keys,
        clearFailures: keys,
        audit,
      });
      expect(done).toEqual({ status: 'ok', sessionEpoch: 1 });
    });
    expect(cost).toBe(2);
    expect(counted.texts.slice(texts).map((text) => text.trim().split(/\s+/)[0])).toEqual(['SELECT', 'WITH']);
    // Everything of the step happened in that second statement.
    expect((await store.getChallenge(login.userId, login.id))?.consumedAt).toBe(now);
    expect(await store.getCredential(credential.userId, credential.id)).toMatchObject({
      lastUsedStep: 56_666_666,
      driftSteps: 1,
      lastUsedAt: now,
    });
    expect(await store.getFailures(keys[0]!, { now })).toEqual({ count: 0, lockedUntil: null });
    expect(await store.listAudit({ userId: credential.userId })).toEqual([audit]);
  });
});

describe('bad input', () => {
  it('a bad id or digest is refused before any statement is sent, so nothing can be written', async () => {
    const calls = [
      ...BAD_IDS.map((bad) => () => store.recordOtpUse('user-1', bad as string, { step: 1, now })),
      ...BAD_IDS.map(
        (bad) => () =>
          store.recordOtpUse('user-1', 'cred-1', { step: 1, now, clearFailures: [bad as string] }),
      ),
      ...BAD_IDS.map(
        (bad) => () =>
          store.getCredentialForVerification('user-1', 'cred-1', { now, failureKeys: [bad as string] }),
      ),
      ...BAD_IDS.map(
        (bad) => () =>
          store.recordOtpUse('user-1', 'cred-1', { step: 1, now, unlessLocked: [bad as string] }),
      ),
      ...PLAINTEXT_SECRETS.map(
        (bad) => () => store.recordOtpUse('user-1', 'cred-1', { step: 1, now, ifSecret: bad }),
      ),
      ...BAD_IDS.map((bad) => () => store.consumeBackupCode(bad as string, randomDigest())),
      ...BAD_DIGESTS.map((bad) => () => store.consumeBackupCode('user-1', bad as string)),
      ...BAD_DIGESTS.map(
        (bad) => () => store.consumeChallenge('user-1', 'chal-1', { digest: bad as string, now }),
      ),
      ...BAD_DIGESTS.map(
        (bad) => () => store.replaceBackupCodes('user-1', { digests: [randomDigest(), bad as string], now }),
      ),
      () => store.registerFailure('key', { now, limits: { ...limits, backoffFactor: Number.NaN } }),
      () => store.recordOtpUse('user-1', 'cred-1', { step: -1, now }),
      ...BAD_IDS.map(
        (bad) => () => store.completeLogin('user-1', 'login-1', { now, clearFailures: [bad as string] }),
      ),
      ...BAD_DIGESTS.map(
        (bad) => () =>
          store.completeLogin('user-1', 'login-1', { now, backupCode: { digest: bad as string } }),
      ),
      () =>
        store.completeLogin('user-1', 'login-1', {
          now,
          otp: { credentialId: 'cred-1', step: 1 },
          backupCode: { digest: randomDigest() },
        }),
      ...BAD_IDS.map((bad) => () => store.renameCredential('user-1', bad as string, 'Phone')),
      ...BAD_IDS.map((bad) => () => store.switchCredential('user-1', bad as string, now)),
      () => store.switchCredential('user-1', 'cred-1', -1),
      () => store.listAddressHolders({ address: '' }),
      () => store.listAddressHolders({ address: 'a@example.org', limit: 101 }),
      () => store.listAddressHolders({ tenantId: '', address: 'a@example.org' }),
      ...BAD_IDS.map((bad) => () => store.bumpSessionEpoch(bad as string)),
      ...BAD_IDS.map((bad) => () => store.getTenantSettings(bad as string)),
      ...PLAINTEXT_SECRETS.map(
        (bad) => () => store.putTenantSettings({ tenantId: 'tenant-1', smtpCiphertext: bad, updatedAt: now }),
      ),
      () => store.updateUserSettings('user-1', { mayToggle: 'yes' as unknown as boolean }, { now }),
      () =>
        store.addCredential({
          ...totpCredential('user-1', now),
          otp: { secretCiphertext: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30 },
        }),
    ];
    for (const call of calls) {
      const before = counted.count;
      await expect(call()).rejects.toMatchObject({ code: 'invalid_argument' });
      expect(counted.count).toBe(before);
    }
  });
});
