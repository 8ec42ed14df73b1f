/**
 * One slot per script: on a Redis Cluster every key a script touches must lie in the slot of its
 * `KEYS[1]`. Redis refuses a key of another master ("non local key") but not one of another slot on the
 * same master, which would break only after a resharding, so this test watches every command the scripts
 * run (MONITOR shows each command a script sends, right after the script's own EVALSHA), while the store
 * works in cluster mode over the single test server, and checks the slot of every key of every script.
 */
import { createHash } from 'node:crypto';
import type { FailureLimits } from '@secondfactor/core';
import {
  auditEvent,
  emailChallenge,
  emailCredential,
  freshId,
  loginChallenge,
  pendingTotp,
  randomDigest,
  totpCredential,
  trustedDevice,
  userSettings,
} from '@secondfactor/store/testing';
import { REDIS_SCRIPTS, type RedisLike, RedisStore, type ScriptName } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, ensureLocalCluster } from './cluster-env';
import { connectClient, deleteKeys, randomPrefix, redisSkipReason } from './redis-env';
import { keySlot } from './slots';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] slot tests skipped: ${skip}`);

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const NAMES = new Map(Object.entries(REDIS_SCRIPTS).map(([name, lua]) => [sha1(lua), name]));

/** One script call as MONITOR showed it: its declared keys and the keys its commands touched. */
interface ScriptRun {
  name: string;
  declared: string[];
  touched: string[];
}

describe('keySlot', () => {
  it('gives the documented slot of 123456789 (CRC16 0x31C3) and hashes only a non-empty tag', () => {
    expect(keySlot('123456789')).toBe(0x31c3);
    expect(keySlot('a{123456789}b')).toBe(0x31c3);
    expect(keySlot('{}123456789')).not.toBe(0x31c3);
    expect(keySlot('x{u:1}:settings')).toBe(keySlot('{u:1}'));
  });

  it('agrees with CLUSTER KEYSLOT of the test cluster', async ({ skip: skipTest }) => {
    const reason = await ensureLocalCluster();
    if (reason !== undefined) {
      console.warn(`[store-redis] keySlot check against the cluster skipped: ${reason}`);
      return skipTest(reason);
    }
    const cluster = await connectCluster();
    try {
      const keys = ['sf:{u:user-1}:settings', 'sf:{f:user%003A1}', 'sf:{otp}:credentials', 'plain', 'a{}b'];
      for (const key of [...keys, ...Array.from({ length: 50 }, () => freshId('k'))]) {
        expect(keySlot(key), key).toBe(Number(await cluster.cluster('KEYSLOT', key)));
      }
    } finally {
      await cluster.quit();
    }
  });
});

describe.skipIf(skip !== undefined)('every script touches one slot on a cluster', () => {
  let client: Redis;
  let monitor: Redis;
  let prefix: string;
  const runs: ScriptRun[] = [];

  beforeAll(async () => {
    client = await connectClient();
    prefix = randomPrefix();
    monitor = await (await connectClient()).monitor();
    let current: ScriptRun | undefined;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const [command, script, count] = args;
      if (source === 'lua') {
        if (current !== undefined)
          current.touched.push(...args.slice(1).filter((arg) => arg.startsWith(prefix)));
        return;
      }
      current = undefined;
      // EVAL too: another test file may flush the script cache, and the store then falls back to it.
      const verb = command?.toUpperCase();
      const name =
        verb === 'EVALSHA'
          ? NAMES.get(script ?? '')
          : verb === 'EVAL'
            ? NAMES.get(sha1(script ?? ''))
            : undefined;
      const declared = args.slice(3, 3 + Number(count));
      // Other test files share the server: only scripts under this test's prefix are ours.
      if (name !== undefined && declared[0]?.startsWith(prefix)) {
        current = { name, declared, touched: [] };
        runs.push(current);
      }
    });
  });
  afterAll(async () => {
    monitor.disconnect();
    await deleteKeys(client, prefix);
    await client.quit();
  });

  it('runs every cluster step of every method in the slot of its KEYS[1]', async () => {
    const asCluster: RedisLike = {
      call: (command, ...args) => client.call(command, ...args),
      isCluster: true,
      nodes: () => [asCluster],
    };
    const store = new RedisStore(asCluster, { prefix });
    await store.loadScripts();
    await exercise(store, async (key, value) => {
      await client.set(`${prefix}${key}`, value);
    });
    // MONITOR delivers asynchronously: a last call, seen by the monitor, marks the end.
    const end = `${prefix}{u:end-of-test}:`;
    await store.getUserSettings('end-of-test');
    for (let i = 0; i < 250 && !runs.some((run) => run.declared[0] === end); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ours = runs.filter((run) => run.declared[0] !== end);
    expect(ours.length).toBeGreaterThan(50);

    for (const run of ours) {
      const slot = keySlot(run.declared[0] ?? '');
      const keys = [...run.declared, ...run.touched];
      const off = keys.filter((key) => keySlot(key) !== slot);
      expect(off, `${run.name} ${run.declared.join(' ')}`).toEqual([]);
    }
    // Every script ran, except the three that read across users in one step, which a cluster never sends.
    const ran = new Set(ours.map((run) => run.name));
    const singleNodeOnly: ScriptName[] = ['listUserSettings', 'listOtpCredentials', 'listAddressHolders'];
    const expected = Object.keys(REDIS_SCRIPTS).filter(
      (name) => !singleNodeOnly.includes(name as ScriptName),
    );
    expect([...ran].sort()).toEqual(expected.sort());
  });
});

/** Calls every method of the store, on every path a cluster takes. */
async function exercise(
  store: RedisStore,
  plant: (key: string, value: string) => Promise<void>,
): Promise<void> {
  const t0 = Date.now();
  const [userId, other] = [freshId('user'), freshId('user')];
  const tenantId = freshId('tenant');
  const limits: FailureLimits = { maxFailures: 2, windowMs: 60_000, lockoutMs: 60_000 };
  await store.putUserSettings(userSettings(userId, t0, { tenantId }));
  await store.putUserSettings(userSettings(userId, t0, { tenantId: freshId('tenant') }));
  await store.putUserSettings(userSettings(userId, t0, { tenantId }));
  await store.updateUserSettings(userId, { mayToggle: false }, { now: t0, tenantId: freshId('tenant') });
  await store.updateUserSettings(userId, { enrollmentResetAt: t0 }, { now: t0, tenantId });
  await store.getUserSettings(userId);
  await store.listUserSettings(tenantId, { limit: 1 });

  const totp = totpCredential(userId, t0);
  await store.addCredential(totp);
  await store.addCredential(emailCredential(userId, t0));
  await expect(store.addCredential({ ...totp, userId: other })).rejects.toMatchObject({ code: 'conflict' });
  await store.getCredential(userId, totp.id);
  await store.renameCredential(userId, totp.id, 'Phone');
  await store.switchCredential(userId, totp.id, t0);
  await store.switchCredential(userId, totp.id, null);
  const sms = emailCredential(userId, t0, { kind: 'sms', address: freshId('+1555'), tenantId });
  await store.addCredential(sms);
  await store.listAddressHolders({ tenantId, address: sms.address ?? '' });
  await store.deleteCredential(userId, sms.id);
  await store.listCredentials(userId);
  await store.getTwoFactorSummaries([userId, other]);
  await store.listOtpCredentials({ limit: 10 });
  await store.replaceCredentialSecret(userId, totp.id, {
    expected: totp.otp?.secretCiphertext ?? '',
    next: totp.otp?.secretCiphertext ?? '',
  });

  const [lock, clear] = [freshId('user:'), freshId('totp:')];
  await store.registerFailure(lock, { now: t0, limits });
  await store.registerFailure(clear, { now: t0, limits });
  await store.getFailures(lock, { now: t0 });
  await store.getCredentialForVerification(userId, totp.id, { now: t0, failureKeys: [lock, clear] });
  await store.recordOtpUse(userId, totp.id, {
    step: 1,
    now: t0,
    unlessLocked: [lock],
    clearFailures: [lock, clear],
  });
  await store.recordOtpUse(userId, totp.id, { step: 2, now: t0 });
  await store.clearFailures(lock);

  // A login: without counters one script; with counters and an audit record in steps; a known audit id.
  await store.bumpSessionEpoch(userId);
  await store.getSessionEpoch(userId);
  await store.putTenantSettings({ tenantId, smtpCiphertext: totp.otp?.secretCiphertext, updatedAt: t0 });
  await store.getTenantSettings(tenantId);
  const [login, stepped, again] = [
    loginChallenge(userId, t0),
    loginChallenge(userId, t0),
    loginChallenge(userId, t0),
  ];
  for (const challenge of [login, stepped, again]) await store.createChallenge(challenge);
  await store.completeLogin(userId, login.id, { now: t0, otp: { credentialId: totp.id, step: 3 } });
  const event = auditEvent(t0, { userId, tenantId });
  await store.completeLogin(userId, stepped.id, {
    now: t0,
    otp: { credentialId: totp.id, step: 4 },
    unlessLocked: [lock],
    clearFailures: [lock, clear],
    audit: event,
  });
  await expect(store.completeLogin(userId, again.id, { now: t0, audit: event })).rejects.toMatchObject({
    code: 'conflict',
  });
  // A wrong answer: the audit look-up, each counter and the login in their slots, then the log.
  const failed = auditEvent(t0, { userId, tenantId, type: 'login.failed' });
  await store.failLogin(userId, again.id, { now: t0, keys: [lock, clear], limits, audit: failed });
  await expect(
    store.failLogin(userId, null, { now: t0, keys: [lock], limits, audit: failed }),
  ).rejects.toMatchObject({ code: 'conflict' });

  const pending = pendingTotp(userId, t0);
  await store.createPendingEnrollment(pending);
  await store.getPendingEnrollment(userId, pending.id, { now: t0 });
  await store.confirmEnrollment(userId, pending.id, { now: t0, replaces: [totp.id] });
  const cancelled = pendingTotp(userId, t0);
  await store.createPendingEnrollment(cancelled);
  await store.deletePendingEnrollment(userId, cancelled.id);
  await store.deleteCredential(userId, pending.id);

  await store.replaceBackupCodes(userId, { digests: [randomDigest()], now: t0 });
  await store.getBackupCodeSet(userId);
  await store.consumeBackupCode(userId, randomDigest());

  const challenge = emailChallenge(userId, t0, randomDigest());
  await store.createChallenge(challenge);
  await store.getChallenge(userId, challenge.id);
  await store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: t0 });
  await store.rotateChallenge(userId, challenge.id, {
    digest: randomDigest(),
    expiresAt: t0 + 60_000,
    now: t0,
  });
  await store.deleteChallenge(userId, challenge.id);

  const device = trustedDevice(userId, t0);
  await store.addTrustedDevice(device);
  await store.findTrustedDevice(userId, device.digest, { now: t0 });
  await store.revokeTrustedDevices(userId);

  // A claim left by a step that failed long ago (its holder has no record with the id) is taken over.
  const stale = emailChallenge(userId, t0, randomDigest());
  await plant(`{id:challenge:${stale.id}}`, `${other} 1000 0123456789abcdef`);
  await store.createChallenge(stale);

  await store.appendAudit(auditEvent(t0, { userId, tenantId }));
  await store.listAudit({ userId, tenantId });
  await store.listAudit({ tenantId });
  await store.listAudit({});
  await store.addCredential(totpCredential(userId, t0));
  await store.addTrustedDevice(trustedDevice(userId, t0));
  await store.createChallenge(emailChallenge(userId, t0, randomDigest()));
  await store.resetUser(userId);
}
