/**
 * @module
 * Conformance: what `capabilities.durable` promises. A durable store shows what it stored to a second
 * store opened over the same backend (`ConformanceTarget.reopen`), as after a restart; a store that does
 * not declare it skips the test, saying why.
 */
import { expect, it } from 'vitest';
import { skipper } from './capabilities';
import {
  auditEvent,
  createdChallenge,
  emailChallenge,
  freshId,
  randomDigest,
  type SuiteContext,
  totpCredential,
  trustedDevice,
  userSettings,
} from './fixtures';

/** Registers the durability test. */
export function durabilityTests(ctx: SuiteContext): void {
  const skipBecause = skipper('durability');

  it('a durable store shows every record kind to a second store opened over the same backend', async ({
    skip,
  }) => {
    if (!ctx.store.capabilities.durable) {
      return skipBecause(skip, 'capabilities.durable is false: nothing is promised after a restart');
    }
    if (ctx.reopen === undefined) {
      throw new Error(
        'the store declares capabilities.durable but its ConformanceTarget has no reopen(): ' +
          'the claim cannot be tested without a second store over the same backend',
      );
    }
    const { store, t0 } = ctx;
    const userId = freshId('user');
    const settings = userSettings(userId, t0, { tenantId: freshId('tenant') });
    await store.putUserSettings(settings);
    const credential = totpCredential(userId, t0);
    await store.addCredential(credential);
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 100, now: t0 })).toBe(true);
    const codes = [randomDigest(), randomDigest()];
    await store.replaceBackupCodes(userId, { digests: codes, now: t0 });
    await store.consumeBackupCode(userId, codes[0] ?? '');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, t0, digest);
    await store.createChallenge(challenge);
    await store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: t0 });
    const key = freshId('key');
    const lock = await store.registerFailure(key, {
      now: t0,
      limits: { maxFailures: 1, windowMs: 1_000, lockoutMs: 60_000 },
    });
    const device = trustedDevice(userId, t0);
    await store.addTrustedDevice(device);
    const event = auditEvent(t0, { userId });
    await store.appendAudit(event);

    const again = await ctx.reopen();
    try {
      expect(await again.getUserSettings(userId)).toEqual(settings);
      expect(await again.getCredential(userId, credential.id)).toEqual({
        ...credential,
        lastUsedStep: 100,
        lastUsedAt: t0,
      });
      expect(await again.recordOtpUse(credential.userId, credential.id, { step: 100, now: t0 })).toBe(false);
      expect(await again.getBackupCodeSet(userId)).toEqual({ remaining: 1, createdAt: t0 });
      expect((await again.consumeBackupCode(userId, codes[0] ?? '')).consumed).toBe(false);
      expect(await again.getChallenge(userId, challenge.id)).toEqual({
        ...createdChallenge(challenge),
        attempts: 1,
      });
      expect(await again.getFailures(key, { now: t0 + 1 })).toEqual(lock);
      expect(await again.findTrustedDevice(userId, device.digest, { now: t0 })).toEqual(device);
      expect(await again.listAudit({ userId })).toEqual([event]);
    } finally {
      await again.close();
    }
  });
}
