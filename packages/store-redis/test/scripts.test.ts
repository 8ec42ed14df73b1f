/**
 * Script loading and round trips: each store call is one EVALSHA; after `SCRIPT FLUSH` (or a restart or
 * failover) the next call falls back to EVAL once and works; bad input sends no command at all.
 */
import { SecondFactorError } from '@secondfactor/core';
import { MAX_FAILURE_KEYS } from '@secondfactor/store';
import {
  auditEvent,
  emailCredential,
  freshId,
  loginChallenge,
  randomDigest,
  totpCredential,
} from '@secondfactor/store/testing';
import { REDIS_SCRIPTS, type RedisLike, RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] script tests skipped: ${skip}`);

/** `count` fresh attempt-counter keys. */
const keys = (count: number): string[] => Array.from({ length: count }, () => freshId('key'));

describe.skipIf(skip !== undefined)('scripts and round trips', () => {
  let client: Redis;
  let prefix: string;
  let store: RedisStore;
  // Every command the store sends, in order. The store awaits each reply before it returns, so
  // commands sent by one call = round trips of that call.
  let sent: string[] = [];

  beforeAll(async () => {
    client = await connectClient();
    prefix = randomPrefix();
    const counting: RedisLike = {
      call: (command, ...args) => {
        sent.push(command);
        return client.call(command, ...args);
      },
    };
    store = new RedisStore(counting, { prefix });
    await store.loadScripts();
  });
  beforeEach(() => {
    sent = [];
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    await client.quit();
  });

  it('E6: a cold TOTP verification (read credential and counters, record use and clear counters) is 2 round trips', async () => {
    const credential = totpCredential(freshId('user'), Date.now());
    const failureKeys = [`user:${credential.userId}`, `totp:${credential.id}`];
    const limits = { maxFailures: 5, windowMs: 600_000, lockoutMs: 60_000 };
    await store.addCredential(credential);
    const now = Date.now();
    for (const key of failureKeys) await store.registerFailure(key, { now, limits });
    sent = [];
    const { credential: loaded, failures } = await store.getCredentialForVerification(
      credential.userId,
      credential.id,
      { now, failureKeys },
    );
    expect(loaded).toEqual(credential);
    expect(failures).toEqual([
      { count: 1, lockedUntil: null },
      { count: 1, lockedUntil: null },
    ]);
    expect(
      await store.recordOtpUse(credential.userId, credential.id, {
        step: 58_000_000,
        now,
        driftSteps: 0,
        clearFailures: failureKeys,
      }),
    ).toBe(true);
    expect(sent).toEqual(['EVALSHA', 'EVALSHA']);
    // Checked outside the counted calls: the counters went in the second round trip.
    for (const key of failureKeys)
      expect(await store.getFailures(key, { now })).toEqual({ count: 0, lockedUntil: null });
  });

  it('E6/D1: a replayed step costs the same 2 round trips and clears no counter', async () => {
    const credential = totpCredential(freshId('user'), Date.now(), { lastUsedStep: 58_000_000 });
    const key = `user:${credential.userId}`;
    await store.addCredential(credential);
    const now = Date.now();
    await store.registerFailure(key, {
      now,
      limits: { maxFailures: 5, windowMs: 600_000, lockoutMs: 60_000 },
    });
    sent = [];
    await store.getCredentialForVerification(credential.userId, credential.id, { now, failureKeys: [key] });
    expect(
      await store.recordOtpUse(credential.userId, credential.id, {
        step: 58_000_000,
        now,
        clearFailures: [key],
      }),
    ).toBe(false);
    expect(sent).toEqual(['EVALSHA', 'EVALSHA']);
    expect(await store.getFailures(key, { now })).toEqual({ count: 1, lockedUntil: null });
  });

  it('E1/E6: a warm TOTP verification (sealed credential cached in the process) is 1 round trip, refused or not', async () => {
    const credential = totpCredential(freshId('user'), Date.now());
    const failureKeys = [`user:${credential.userId}`, `totp:${credential.id}`];
    const limits = { maxFailures: 2, windowMs: 600_000, lockoutMs: 60_000 };
    await store.addCredential(credential);
    const now = Date.now();
    await store.registerFailure(failureKeys[0]!, { now, limits });
    const warm = {
      now,
      driftSteps: 0,
      ifSecret: credential.otp?.secretCiphertext,
      unlessLocked: failureKeys,
      clearFailures: failureKeys,
    };
    sent = [];
    expect(await store.recordOtpUse(credential.userId, credential.id, { ...warm, step: 58_000_000 })).toBe(
      true,
    );
    expect(sent).toEqual(['EVALSHA']);
    expect(await store.getFailures(failureKeys[0]!, { now })).toEqual({ count: 0, lockedUntil: null });
    // Locked: refused in the same single script, and the lock stays.
    await store.registerFailure(failureKeys[1]!, { now, limits });
    await store.registerFailure(failureKeys[1]!, { now, limits });
    sent = [];
    expect(await store.recordOtpUse(credential.userId, credential.id, { ...warm, step: 58_000_001 })).toBe(
      false,
    );
    expect(sent).toEqual(['EVALSHA']);
    expect(await store.getFailures(failureKeys[1]!, { now })).toEqual({
      count: 2,
      lockedUntil: now + 60_000,
    });
  });

  it('I3/E6/H8: a login completed with an OTP step, counters and an audit record is 1 round trip, refused or not', async () => {
    const now = Date.now();
    const credential = totpCredential(freshId('user'), now);
    const { userId } = credential;
    const challenge = loginChallenge(userId, now);
    const counters = keys(MAX_FAILURE_KEYS);
    await store.addCredential(credential);
    await store.createChallenge(challenge);
    const login = {
      now,
      otp: { credentialId: credential.id, step: 58_000_000, driftSteps: 0 },
      unlessLocked: counters,
      clearFailures: counters,
      audit: auditEvent(now, { userId, tenantId: freshId('tenant') }),
    };
    sent = [];
    expect(await store.completeLogin(userId, challenge.id, login)).toEqual({ status: 'ok', sessionEpoch: 0 });
    expect(sent).toEqual(['EVALSHA']);
    sent = [];
    expect(await store.completeLogin(userId, challenge.id, login)).toEqual({ status: 'refused' });
    expect(sent).toEqual(['EVALSHA']);
    expect(await store.listAudit({ userId })).toEqual([login.audit]);
  });

  it('E1/H8: a wrong answer counted on counters and a login, with its audit record, is 1 round trip', async () => {
    const now = Date.now();
    const userId = freshId('user');
    const challenge = loginChallenge(userId, now);
    const counters = keys(MAX_FAILURE_KEYS);
    await store.createChallenge(challenge);
    const audit = auditEvent(now, { userId, type: 'login.failed', data: { method: 'totp' } });
    const limits = { maxFailures: 5, windowMs: 60_000, lockoutMs: 60_000 };
    sent = [];
    const failed = await store.failLogin(userId, challenge.id, { now, keys: counters, limits, audit });
    expect(sent).toEqual(['EVALSHA']);
    expect(failed).toEqual({ states: counters.map(() => ({ count: 1, lockedUntil: null })), attempts: 1 });
    expect(await store.listAudit({ userId })).toEqual([
      { ...audit, data: { method: 'totp', failures: 1, locked: false } },
    ]);
  });

  it('every primitive is a single EVALSHA, multi-key writes included', async () => {
    const userId = freshId('user');
    const now = Date.now();
    const calls: (() => Promise<unknown>)[] = [
      () => store.replaceBackupCodes(userId, { digests: [randomDigest(), randomDigest()], now }),
      () => store.consumeBackupCode(userId, randomDigest()),
      () =>
        store.registerFailure(freshId('key'), {
          now,
          limits: { maxFailures: 3, windowMs: 1_000, lockoutMs: 1_000 },
        }),
      () => store.resetUser(userId),
      () => store.listAudit({ userId }),
      () =>
        store.recordOtpUse(freshId('user'), freshId('cred'), {
          step: 1,
          now,
          clearFailures: keys(MAX_FAILURE_KEYS),
        }),
      () =>
        store.getCredentialForVerification(userId, freshId('cred'), { now, failureKeys: ['a', 'b', 'c'] }),
      () => store.updateUserSettings(userId, { useTwoFactor: true }, { now, tenantId: freshId('tenant') }),
      () => store.renameCredential(userId, freshId('cred'), 'Phone'),
      () => store.switchCredential(userId, freshId('cred'), now),
      () => store.listAddressHolders({ tenantId: freshId('tenant'), address: '+15555550100' }),
      () => store.listAddressHolders({ address: 'someone@example.org', limit: 100 }),
      () => store.addCredential(emailCredential(userId, now, { tenantId: freshId('tenant') })),
      () => store.deleteCredential(userId, freshId('cred')),
      () => store.bumpSessionEpoch(userId),
      () => store.getSessionEpoch(userId),
      () =>
        store.putTenantSettings({
          tenantId: userId,
          smtpCiphertext: `sf1.k1.${'A'.repeat(40)}`,
          updatedAt: now,
        }),
      () => store.putTenantSettings({ tenantId: userId, updatedAt: now }),
      () => store.getTenantSettings(userId),
      () => store.getTenantSettings(freshId('tenant')),
    ];
    for (const call of calls) {
      sent = [];
      await call();
      expect(sent).toEqual(['EVALSHA']);
    }
  });

  it('after SCRIPT FLUSH the next call still works: NOSCRIPT, then EVAL once, then EVALSHA again', async () => {
    const credential = totpCredential(freshId('user'), Date.now());
    await store.addCredential(credential);
    await client.script('FLUSH');
    sent = [];
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 1, now: Date.now() })).toBe(
      true,
    );
    expect(sent).toEqual(['EVALSHA', 'EVAL']);
    sent = [];
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 1, now: Date.now() })).toBe(
      false,
    );
    expect(sent).toEqual(['EVALSHA']);
  });

  it('loadScripts puts every script in the cache, under the SHA-1 the store runs it by', async () => {
    await client.script('FLUSH');
    await store.loadScripts();
    const texts = Object.values(REDIS_SCRIPTS);
    const { createHash } = await import('node:crypto');
    const shas = texts.map((text) => createHash('sha1').update(text).digest('hex'));
    expect(await client.script('EXISTS', ...shas)).toEqual(shas.map(() => 1));
    sent = [];
    await store.getCredential(freshId('user'), freshId('cred'));
    expect(sent).toEqual(['EVALSHA']);
  });

  it('a call with bad input rejects before any command is sent', async () => {
    const bad: (() => Promise<unknown>)[] = [
      () => store.recordOtpUse(freshId('user'), '', { step: 1, now: 1 }),
      () => store.consumeBackupCode(freshId('user'), 'NOT-A-DIGEST'),
      () => store.replaceBackupCodes(freshId('user'), { digests: [randomDigest(), 'zz'], now: 1 }),
      () => store.addCredential({ ...totpCredential(freshId('user'), 1), label: 'a\nb' }),
      () =>
        store.registerFailure(freshId('key'), {
          now: 1,
          limits: { maxFailures: 0, windowMs: 1, lockoutMs: 1 },
        }),
      () => store.confirmEnrollment(freshId('user'), freshId('pend'), { now: 1, replaces: [''] }),
      // One key over the limit: nothing is recorded, nothing cleared.
      () =>
        store.recordOtpUse(freshId('user'), freshId('cred'), {
          step: 1,
          now: 1,
          clearFailures: keys(MAX_FAILURE_KEYS + 1),
        }),
      () =>
        store.recordOtpUse(freshId('user'), freshId('cred'), { step: 1, now: 1, clearFailures: ['ok', ''] }),
      () =>
        store.recordOtpUse(freshId('user'), freshId('cred'), {
          step: 1,
          now: 1,
          clearFailures: 'user:1' as never,
        }),
      () =>
        store.recordOtpUse(freshId('user'), freshId('cred'), {
          step: 1,
          now: 1,
          unlessLocked: keys(MAX_FAILURE_KEYS + 1),
        }),
      () =>
        store.recordOtpUse(freshId('user'), freshId('cred'), {
          step: 1,
          now: 1,
          unlessLocked: ['ok', 'a\u0000b'],
        }),
      () =>
        store.recordOtpUse(freshId('user'), freshId('cred'), {
          step: 1,
          now: 1,
          ifSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        }),
      () =>
        store.getCredentialForVerification(freshId('user'), freshId('cred'), {
          now: 1,
          failureKeys: ['a\nb'],
        }),
      () => store.getCredentialForVerification(freshId('user'), freshId('cred'), { now: 1 } as never),
      () => store.getTenantSettings('a\u0000b'),
      () => store.putTenantSettings({ tenantId: freshId('tenant'), smtpCiphertext: 'hunter2', updatedAt: 1 }),
      () => store.putTenantSettings({ tenantId: '', updatedAt: 1 }),
      () => store.switchCredential(freshId('user'), freshId('cred'), -1),
      () => store.listAddressHolders({ address: '' }),
      () => store.listAddressHolders({ address: 'a@example.org', limit: 0 }),
    ];
    for (const call of bad) {
      await expect(call()).rejects.toSatisfy(
        (error) => error instanceof SecondFactorError && error.code === 'invalid_argument',
      );
    }
    expect(sent).toEqual([]);
  });
});
