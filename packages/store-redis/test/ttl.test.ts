/**
 * TTLs: expiring records remove themselves, but the logic decides on the injected clock only. A TTL is
 * (end − now) on the caller's clock plus the retention margin, so a clock far from Redis time (here
 * 1970) changes nothing, and no answer at the injected time depends on when Redis drops a key.
 */

import {
  emailChallenge,
  fakeCiphertext,
  freshId,
  pendingTotp,
  randomDigest,
  totpCredential,
} from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] TTL tests skipped: ${skip}`);

const RETAIN = 3_600_000;

describe.skipIf(skip !== undefined)('TTLs', () => {
  let client: Redis;
  let prefix: string;
  let store: RedisStore;
  // A PTTL read right after the write: at most the full value, and not more than a few seconds less.
  const expectTtl = async (key: string, full: number) => {
    const left = await client.pttl(`${prefix}${key}`);
    expect(left).toBeLessThanOrEqual(full);
    expect(left).toBeGreaterThan(full - 10_000);
  };

  beforeAll(async () => {
    client = await connectClient();
    prefix = randomPrefix();
    store = new RedisStore(client, { prefix, retentionMs: RETAIN });
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    await client.quit();
  });

  it('G2: a challenge on a 1970 clock lives (expiresAt − createdAt) + retention, and answers by the injected clock', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, 1_000, digest, { expiresAt: 601_000 });
    await store.createChallenge(challenge);
    await expectTtl(`{u:${userId}}:challenge:${challenge.id}`, 600_000 + RETAIN);
    await expectTtl(`{u:${userId}}:challenges`, 600_000 + RETAIN);
    // The id's claim across users lives exactly as long (set in the same script).
    await expectTtl(`{id:challenge:${challenge.id}}`, 600_000 + RETAIN);
    expect(await store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: 2_000 })).toBe(
      'mismatch',
    );
    expect(await store.consumeChallenge(userId, challenge.id, { digest, now: 601_000 })).toBe('expired');
    expect(await store.consumeChallenge(userId, challenge.id, { digest, now: 600_999 })).toBe('ok');
  });

  it('G6: a resend moves the TTL to the new expiry, counted from the resend time', async () => {
    const userId = freshId('user');
    const challenge = emailChallenge(userId, 1_000, randomDigest());
    await store.createChallenge(challenge);
    await store.rotateChallenge(userId, challenge.id, {
      digest: randomDigest(),
      expiresAt: 2_000_000,
      now: 500_000,
    });
    await expectTtl(`{u:${userId}}:challenge:${challenge.id}`, 1_500_000 + RETAIN);
    await expectTtl(`{u:${userId}}:challenges`, 1_500_000 + RETAIN);
    await expectTtl(`{id:challenge:${challenge.id}}`, 1_500_000 + RETAIN);
  });

  it('a record created already expired is kept for the retention margin and answers expired, not not_found', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, 5_000, digest, { expiresAt: 4_000 });
    await store.createChallenge(challenge);
    await expectTtl(`{u:${userId}}:challenge:${challenge.id}`, RETAIN);
    expect(await store.consumeChallenge(userId, challenge.id, { digest, now: 5_000 })).toBe('expired');
  });

  it('H2: a pending enrollment and a trusted device carry TTLs from their own times', async () => {
    const userId = freshId('user');
    const pending = pendingTotp(userId, 10_000, { expiresAt: 70_000 });
    await store.createPendingEnrollment(pending);
    await expectTtl(`{u:${userId}}:pending:${pending.id}`, 60_000 + RETAIN);
    await expectTtl(`{id:cred:${pending.id}}`, 60_000 + RETAIN);
    const device = {
      id: freshId('dev'),
      userId,
      digest: randomDigest(),
      createdAt: 0,
      expiresAt: 30 * 86_400_000,
    };
    await store.addTrustedDevice(device);
    await expectTtl(`{u:${userId}}:device:${device.id}`, 30 * 86_400_000 + RETAIN);
    await expectTtl(`{id:device:${device.id}}`, 30 * 86_400_000 + RETAIN);
    await expectTtl(`{u:${userId}}:devices`, 30 * 86_400_000 + RETAIN);
    expect(await store.findTrustedDevice(userId, device.digest, { now: 30 * 86_400_000 - 1 })).toEqual(
      device,
    );
  });

  it('E1: an attempt counter lives until its window or lock ends, plus retention', async () => {
    const key = freshId('key');
    const limits = { maxFailures: 2, windowMs: 60_000, lockoutMs: 300_000 };
    await store.registerFailure(key, { now: 5_000, limits });
    await expectTtl(`{f:${key}}`, 60_000 + RETAIN);
    expect(await store.registerFailure(key, { now: 6_000, limits })).toEqual({
      count: 2,
      lockedUntil: 306_000,
    });
    await expectTtl(`{f:${key}}`, 300_000 + RETAIN);
    expect(await store.getFailures(key, { now: 305_999 })).toEqual({ count: 2, lockedUntil: 306_000 });
  });

  it('credentials (with their id claims and otp index), backup codes, settings, the session epoch, tenant settings and the audit log never expire', async () => {
    const userId = freshId('user');
    const tenantId = freshId('tenant');
    const credential = totpCredential(userId, 0);
    await store.addCredential(credential);
    const pending = pendingTotp(userId, 0, { expiresAt: 1_000 });
    await store.createPendingEnrollment(pending);
    await store.confirmEnrollment(userId, pending.id, { now: 1 });
    await store.replaceBackupCodes(userId, { digests: [randomDigest()], now: 0 });
    await store.putUserSettings({ userId, tenantId, useTwoFactor: true, mayToggle: false, updatedAt: 0 });
    await store.updateUserSettings(userId, { graceStartedAt: 0 }, { now: 0 });
    await store.bumpSessionEpoch(userId);
    await store.putTenantSettings({ tenantId, smtpCiphertext: fakeCiphertext(), updatedAt: 0 });
    await store.appendAudit({ id: freshId('evt'), at: 0, type: 'user.created', userId, tenantId });
    for (const key of [
      `{u:${userId}}:cred:${credential.id}`,
      `{u:${userId}}:cred:${pending.id}`,
      `{id:cred:${credential.id}}`,
      // A confirmed enrollment's claim loses the pending enrollment's TTL.
      `{id:cred:${pending.id}}`,
      '{otp}:credentials',
      `{u:${userId}}:credentials`,
      `{u:${userId}}:backup:codes`,
      `{u:${userId}}:backup:meta`,
      `{u:${userId}}:settings`,
      `{u:${userId}}:epoch`,
      `{t:${tenantId}}:users`,
      `{t:${tenantId}}:settings`,
      `{u:${userId}}:audit`,
      `{u:${userId}}:audit:events`,
      `{t:${tenantId}}:audit`,
      `{t:${tenantId}}:audit:events`,
      '{audit}:all',
      '{audit}:events',
      '{audit}:seq',
    ]) {
      expect(await client.pttl(`${prefix}${key}`), key).toBe(-1);
    }
  });

  it('I5: the session epoch is a counter without TTL that resetUser, the sweep and settings writes leave alone', async () => {
    const userId = freshId('user');
    const key = `${prefix}{u:${userId}}:epoch`;
    await store.bumpSessionEpoch(userId);
    await store.bumpSessionEpoch(userId);
    await store.addCredential(totpCredential(userId, 0));
    await store.createChallenge(emailChallenge(userId, 0, randomDigest(), { expiresAt: 1 }));
    await store.resetUser(userId);
    await store.sweepExpired({ now: 8_000_000_000_000 });
    await store.putUserSettings({ userId, useTwoFactor: true, mayToggle: false, updatedAt: 0 });
    await store.updateUserSettings(userId, { mayToggle: null }, { now: 1 });
    expect(await client.get(key)).toBe('2');
    expect(await client.pttl(key)).toBe(-1);
    expect(await store.getSessionEpoch(userId)).toBe(2);
  });

  it('B6: tenant settings are one JSON string without TTL, in the tenant slot, that resetUser and the sweep leave alone', async () => {
    const tenantId = freshId('tenant');
    const key = `${prefix}{t:${tenantId}}:settings`;
    const settings = { tenantId, smtpCiphertext: fakeCiphertext(), updatedAt: 0 };
    await store.putTenantSettings(settings);
    // A user of the tenant, and one named like it, reset; then a sweep far in the future.
    const userId = freshId('user');
    await store.putUserSettings({ userId, tenantId, useTwoFactor: true, mayToggle: false, updatedAt: 0 });
    await store.putUserSettings({
      userId: tenantId,
      tenantId,
      useTwoFactor: null,
      mayToggle: true,
      updatedAt: 0,
    });
    await store.resetUser(userId);
    await store.resetUser(tenantId);
    await store.sweepExpired({ now: 8_000_000_000_000 });
    expect(await client.pttl(key)).toBe(-1);
    expect(JSON.parse((await client.get(key)) ?? 'null')).toEqual({
      smtpCiphertext: settings.smtpCiphertext,
      updatedAt: 0,
    });
    expect(await store.getTenantSettings(tenantId)).toEqual(settings);
    // A put without smtpCiphertext replaces the value whole, still without TTL.
    await store.putTenantSettings({ tenantId, updatedAt: 1 });
    expect(JSON.parse((await client.get(key)) ?? 'null')).toEqual({ updatedAt: 1 });
    expect(await client.pttl(key)).toBe(-1);
  });

  it('the TTL removes an expired challenge by itself; its index entry is pruned at the next create', async () => {
    const shortLived = new RedisStore(client, { prefix, retentionMs: 1 });
    const userId = freshId('user');
    const challenge = emailChallenge(userId, 1_000, randomDigest(), { expiresAt: 1_001 });
    await shortLived.createChallenge(challenge);
    // A 2 ms TTL: wait until Redis has dropped the key (polling, no fixed sleep).
    for (
      let i = 0;
      i < 200 && (await client.exists(`${prefix}{u:${userId}}:challenge:${challenge.id}`)) === 1;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await shortLived.getChallenge(userId, challenge.id)).toBeNull();
    const next = emailChallenge(userId, 1_000, randomDigest());
    await shortLived.createChallenge(next);
    expect(await client.smembers(`${prefix}{u:${userId}}:challenges`)).toEqual([next.id]);
  });
});
