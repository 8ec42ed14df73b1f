/**
 * @module
 * Conformance: what `capabilities.durable` promises. A durable store shows what it stored to a second
 * store opened over the same backend (`ConformanceTarget.reopen`), as after a restart; a store that does
 * not declare it skips the test, saying why.
 */
import { expect, it } from 'vitest';
import type { SecondFactorStore } from '../store';
import { type Skip, skipper } from './capabilities';
import {
  auditEvent,
  createdChallenge,
  emailChallenge,
  emailCredential,
  freshId,
  randomDigest,
  type SuiteContext,
  totpCredential,
  trustedDevice,
  userSettings,
} from './fixtures';

/** Registers the durability tests. */
export function durabilityTests(ctx: SuiteContext): void {
  const skipBecause = skipper('durability');

  /** The second store; skips the test when the store does not claim `durable`. */
  function reopener(skip: Skip): () => Promise<SecondFactorStore> {
    if (!ctx.store.capabilities.durable) {
      return skipBecause(skip, 'capabilities.durable is false: nothing is promised after a restart');
    }
    if (ctx.reopen === undefined) {
      throw new Error(
        'the store declares capabilities.durable but its ConformanceTarget has no reopen(): ' +
          'the claim cannot be tested without a second store over the same backend',
      );
    }
    return ctx.reopen;
  }

  it('a durable store shows every record kind to a second store opened over the same backend', async ({
    skip,
  }) => {
    const reopen = reopener(skip);
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

    const again = await reopen();
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

  it('a switched-off credential stays switched off, and address holders stay answered, after a restart', async ({
    skip,
  }) => {
    const reopen = reopener(skip);
    const { store, t0 } = ctx;
    const [userId, tenantId] = [freshId('user'), freshId('tenant')];
    const address = `${freshId('mail')}@example.org`;
    const off = emailCredential(userId, t0, { tenantId, address, switchedOffAt: t0 + 1 });
    const on = emailCredential(userId, t0, { tenantId, address });
    await store.addCredential(off);
    await store.addCredential(on);
    expect(await store.switchCredential(userId, on.id, t0 + 2)).toBe(true);
    expect(await store.switchCredential(userId, on.id, null)).toBe(true);
    const holders = [off, on]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((credential) => ({
        userId,
        tenantId,
        credentialId: credential.id,
        kind: credential.kind,
        ...(credential.switchedOffAt === undefined ? {} : { switchedOffAt: credential.switchedOffAt }),
      }));

    const again = await reopen();
    try {
      expect(await again.getCredential(userId, off.id)).toEqual(off);
      expect(await again.getCredential(userId, on.id)).toEqual(on);
      expect((await again.getTwoFactorSummaries([userId]))[0]?.methods).toEqual(['email']);
      expect(await again.listAddressHolders({ tenantId, address })).toEqual(holders);
    } finally {
      await again.close();
    }
  });
}
