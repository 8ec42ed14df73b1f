/**
 * Records as earlier versions of the adapter stored them still read and change: settings whose JSON has
 * a boolean `mayToggle` and no `enrollmentResetAt`, and a login challenge without the `kind` field that
 * `completeLogin` compares. And what the in-place changes write: an update only the fields it changes,
 * which `putUserSettings` then replaces whole; a rename only the label.
 */
import type { UserSettings } from '@secondfactor/store';
import {
  emailChallenge,
  freshId,
  loginChallenge,
  randomDigest,
  totpCredential,
} from '@secondfactor/store/testing';
import { keyPart, RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] stored-record tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)(
  'records stored by earlier versions, and what in-place changes write',
  () => {
    let client: Redis;
    let prefix: string;
    let store: RedisStore;
    const settingsKey = (userId: string): string => `${prefix}{u:${keyPart(userId)}}:settings`;

    beforeAll(async () => {
      client = await connectClient();
      prefix = randomPrefix();
      store = new RedisStore(client, { prefix });
    });
    afterAll(async () => {
      await deleteKeys(client, prefix);
      await client.quit();
    });

    it('settings stored with a boolean mayToggle and no enrollmentResetAt read as stored, and update field by field', async () => {
      const [userId, tenantId] = [freshId('user'), freshId('tenant')];
      // Exactly what putUserSettings wrote before mayToggle could be null: the JSON and the escaped tenant.
      const stored: UserSettings = {
        userId,
        tenantId,
        useTwoFactor: true,
        mayToggle: false,
        graceStartedAt: 5_000,
        backupCodesAcknowledgedAt: 6_000,
        updatedAt: 7_000,
      };
      await client.hset(settingsKey(userId), 'json', JSON.stringify(stored), 'tenant', keyPart(tenantId));
      await client.zadd(`${prefix}{t:${keyPart(tenantId)}}:users`, 0, keyPart(userId));
      expect(await store.getUserSettings(userId)).toEqual(stored);
      expect(await store.listUserSettings(tenantId)).toEqual([stored]);

      const patch = { mayToggle: null, graceStartedAt: null, enrollmentResetAt: 8_000 };
      const updated = await store.updateUserSettings(userId, patch, { now: 9_000 });
      const { graceStartedAt: _cleared, ...kept } = stored;
      const expected = { ...kept, mayToggle: null, enrollmentResetAt: 8_000, updatedAt: 9_000 };
      expect(updated).toEqual(expected);
      expect(Object.hasOwn(updated, 'graceStartedAt')).toBe(false);
      expect(await store.getUserSettings(userId)).toEqual(expected);
      expect(await store.listUserSettings(tenantId)).toEqual([expected]);
      // The stored JSON is left as it was: the update wrote only the fields it changed.
      expect(await client.hget(settingsKey(userId), 'json')).toBe(JSON.stringify(stored));
    });

    it('putUserSettings replaces the record whole: fields an update wrote before do not come back', async () => {
      const userId = freshId('user');
      await store.updateUserSettings(userId, { useTwoFactor: true, mayToggle: true }, { now: 1 });
      await store.updateUserSettings(userId, { graceStartedAt: 2 }, { now: 2, tenantId: freshId('tenant') });
      const replaced: UserSettings = { userId, useTwoFactor: false, mayToggle: null, updatedAt: 3 };
      await store.putUserSettings(replaced);
      expect(await store.getUserSettings(userId)).toEqual(replaced);
      expect(await client.hkeys(settingsKey(userId))).toEqual(['json']);
    });

    it('an update of a user without settings writes the record as putUserSettings would', async () => {
      const [userId, tenantId] = [freshId('user'), freshId('tenant')];
      const created = await store.updateUserSettings(userId, { graceStartedAt: 4 }, { now: 5, tenantId });
      expect(created).toEqual({
        userId,
        tenantId,
        useTwoFactor: null,
        mayToggle: null,
        graceStartedAt: 4,
        updatedAt: 5,
      });
      expect(await client.hgetall(settingsKey(userId))).toEqual({
        json: JSON.stringify(created),
        tenant: keyPart(tenantId),
      });
    });

    it('I3: a login challenge stored without its kind field completes; another kind stored so is refused', async () => {
      const userId = freshId('user');
      const now = Date.now();
      const login = loginChallenge(userId, now);
      const code = emailChallenge(userId, now, randomDigest());
      for (const challenge of [login, code]) {
        await store.createChallenge(challenge);
        await client.hdel(`${prefix}{u:${keyPart(userId)}}:challenge:${challenge.id}`, 'kind');
      }
      expect(await store.completeLogin(userId, code.id, { now })).toEqual({ status: 'refused' });
      expect(await store.completeLogin(userId, login.id, { now })).toEqual({ status: 'ok', sessionEpoch: 0 });
      expect((await store.getChallenge(userId, login.id))?.consumedAt).toBe(now);
      expect((await store.getChallenge(userId, code.id))?.consumedAt).toBeUndefined();
    });

    it('H9: a rename writes the label only; the sealed secret, the last used step and the JSON part stay', async () => {
      const credential = totpCredential(freshId('user'), 1_000, { lastUsedStep: 7, driftSteps: 1 });
      await store.addCredential(credential);
      const key = `${prefix}{u:${keyPart(credential.userId)}}:cred:${credential.id}`;
      const before = await client.hgetall(key);
      expect(await store.renameCredential(credential.userId, credential.id, 'Work phone')).toBe(true);
      expect(await client.hgetall(key)).toEqual({ ...before, label: 'Work phone' });
      const renamed = { ...credential, label: 'Work phone' };
      expect(await store.listCredentials(credential.userId)).toEqual([renamed]);
      const otp = await store.listOtpCredentials({ limit: 1_000 });
      expect(otp.find((item) => item.id === credential.id)).toEqual(renamed);
      // The replay guard reads the same hash: the renamed credential still refuses its last step.
      expect(await store.recordOtpUse(credential.userId, credential.id, { step: 7, now: 2_000 })).toBe(false);
    });
  },
);
