/**
 * @module
 * Conformance: trusted devices ("remember this browser") and the admin reset of one user's 2FA.
 */
import { expect, it } from 'vitest';
import {
  emailChallenge,
  emailCredential,
  expectRejection,
  freshId,
  pendingTotp,
  randomDigest,
  type SuiteContext,
  totpCredential,
  trustedDevice,
  userSettings,
} from './fixtures';

/** Registers the trusted-device tests. */
export function trustedDeviceTests(ctx: SuiteContext): void {
  it('finds a trusted device of its user by token digest until it expires (injected clock)', async () => {
    const userId = freshId('user');
    const device = trustedDevice(userId, ctx.t0);
    await ctx.store.addTrustedDevice(device);
    expect(await ctx.store.findTrustedDevice(userId, device.digest, { now: ctx.t0 })).toEqual(device);
    expect(await ctx.store.findTrustedDevice(userId, device.digest, { now: device.expiresAt - 1 })).toEqual(
      device,
    );
    expect(await ctx.store.findTrustedDevice(userId, device.digest, { now: device.expiresAt })).toBeNull();
    expect(await ctx.store.findTrustedDevice(userId, randomDigest(), { now: ctx.t0 })).toBeNull();
  });

  it('H3: a device token of one user is not found for another user', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const device = trustedDevice(owner, ctx.t0);
    await ctx.store.addTrustedDevice(device);
    expect(await ctx.store.findTrustedDevice(intruder, device.digest, { now: ctx.t0 })).toBeNull();
    expect(await ctx.store.revokeTrustedDevices(intruder)).toBe(0);
    expect(await ctx.store.findTrustedDevice(owner, device.digest, { now: ctx.t0 })).toEqual(device);
  });

  it('rejects a second device with an existing id as conflict', async () => {
    const device = trustedDevice(freshId('user'), ctx.t0);
    await ctx.store.addTrustedDevice(device);
    const copy = { ...device, digest: randomDigest() };
    await expectRejection(() => ctx.store.addTrustedDevice(copy), 'conflict');
    expect(await ctx.store.findTrustedDevice(device.userId, copy.digest, { now: ctx.t0 })).toBeNull();
  });

  it('revoking removes every device of the user, counts them, and leaves other users’ devices', async () => {
    const [userId, other] = [freshId('user'), freshId('user')];
    const devices = [
      trustedDevice(userId, ctx.t0),
      trustedDevice(userId, ctx.t0),
      trustedDevice(userId, ctx.t0),
    ];
    const foreign = trustedDevice(other, ctx.t0);
    for (const device of [...devices, foreign]) await ctx.store.addTrustedDevice(device);
    expect(await ctx.store.revokeTrustedDevices(userId)).toBe(3);
    for (const device of devices)
      expect(await ctx.store.findTrustedDevice(userId, device.digest, { now: ctx.t0 })).toBeNull();
    expect(await ctx.store.revokeTrustedDevices(userId)).toBe(0);
    expect(await ctx.store.findTrustedDevice(other, foreign.digest, { now: ctx.t0 })).toEqual(foreign);
  });
}

/** Registers the reset tests. */
export function resetUserTests(ctx: SuiteContext): void {
  it('removes every credential, code, pending enrollment, device and challenge of one user and nothing of another', async () => {
    const [userId, other] = [freshId('user'), freshId('user')];
    const seed = async (id: string) => {
      const credentials = [totpCredential(id, ctx.t0), emailCredential(id, ctx.t0)];
      for (const credential of credentials) await ctx.store.addCredential(credential);
      const digests = [randomDigest(), randomDigest(), randomDigest()];
      await ctx.store.replaceBackupCodes(id, { digests, now: ctx.t0 });
      const pending = pendingTotp(id, ctx.t0);
      await ctx.store.createPendingEnrollment(pending);
      const device = trustedDevice(id, ctx.t0);
      await ctx.store.addTrustedDevice(device);
      const challenges = [
        emailChallenge(id, ctx.t0, randomDigest()),
        emailChallenge(id, ctx.t0, null, { kind: 'login' }),
      ];
      for (const challenge of challenges) await ctx.store.createChallenge(challenge);
      await ctx.store.putUserSettings(userSettings(id, ctx.t0, { useTwoFactor: true }));
      return { credentials, digests, pending, device, challenges };
    };
    const mine = await seed(userId);
    const theirs = await seed(other);

    expect(await ctx.store.resetUser(userId)).toEqual({
      credentials: 2,
      backupCodes: 3,
      pendingEnrollments: 1,
      trustedDevices: 1,
      challenges: 2,
    });
    expect(await ctx.store.listCredentials(userId)).toEqual([]);
    expect(await ctx.store.getBackupCodeSet(userId)).toBeNull();
    expect((await ctx.store.consumeBackupCode(userId, mine.digests[0] ?? '')).consumed).toBe(false);
    expect(await ctx.store.getPendingEnrollment(userId, mine.pending.id, { now: ctx.t0 })).toBeNull();
    expect(await ctx.store.findTrustedDevice(userId, mine.device.digest, { now: ctx.t0 })).toBeNull();
    for (const challenge of mine.challenges)
      expect(await ctx.store.getChallenge(userId, challenge.id)).toBeNull();
    expect(
      await ctx.store.recordOtpUse(userId, mine.credentials[0]?.id ?? '', { step: 1, now: ctx.t0 }),
    ).toBe(false);
    // Settings survive: the admin's "require 2FA" still applies when the user enrolls again.
    expect((await ctx.store.getUserSettings(userId))?.useTwoFactor).toBe(true);

    expect((await ctx.store.listCredentials(other)).length).toBe(2);
    expect((await ctx.store.getBackupCodeSet(other))?.remaining).toBe(3);
    expect(await ctx.store.getPendingEnrollment(other, theirs.pending.id, { now: ctx.t0 })).not.toBeNull();
    expect(await ctx.store.findTrustedDevice(other, theirs.device.digest, { now: ctx.t0 })).not.toBeNull();
    for (const challenge of theirs.challenges)
      expect(await ctx.store.getChallenge(other, challenge.id)).not.toBeNull();
    expect(await ctx.store.resetUser(userId)).toEqual({
      credentials: 0,
      backupCodes: 0,
      pendingEnrollments: 0,
      trustedDevices: 0,
      challenges: 0,
    });
  });
}
