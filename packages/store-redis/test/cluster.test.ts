/**
 * What a Redis Cluster changes (README: Redis Cluster), on the local cluster (`.ci/redis-cluster.sh`,
 * started when absent; skipped only where `redis-server` is not installed): scripts cached on every
 * master, the steps of a verification whose counters live in other slots, the id claims that keep ids
 * unique across users, and the cross-user indexes whose leftovers from a failed step are never listed
 * and are repaired. Faults are placed by writing the leftover a failed step would leave, never by timing.
 */
import { createHash } from 'node:crypto';
import type { CredentialRecord } from '@secondfactor/store';
import {
  auditEvent,
  emailChallenge,
  emailCredential,
  freshId,
  loginChallenge,
  pendingTotp,
  randomDigest,
  totpCredential,
  userSettings,
} from '@secondfactor/store/testing';
import { REDIS_SCRIPTS, type RedisLike, RedisStore } from '@secondfactor/store-redis';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectCluster, deleteClusterKeys, ensureLocalCluster } from './cluster-env';
import { randomPrefix } from './redis-env';

const skip = await ensureLocalCluster();
if (skip !== undefined) console.warn(`[store-redis] cluster tests skipped: ${skip}`);

const SHAS = Object.values(REDIS_SCRIPTS).map((lua) => createHash('sha1').update(lua).digest('hex'));
const limits = { maxFailures: 3, windowMs: 600_000, lockoutMs: 60_000 };
const LEASE_MS = 5_000;

describe.skipIf(skip !== undefined)('RedisStore on a Redis Cluster', () => {
  let cluster: Cluster;
  let prefix: string;
  let store: RedisStore;
  // Every command the store sends, in order (commands of one step run in parallel count once each).
  let sent: string[] = [];

  beforeAll(async () => {
    cluster = await connectCluster();
    prefix = randomPrefix();
    const counting: RedisLike = {
      call: (command, ...args) => {
        sent.push(command);
        return cluster.call(command, ...args);
      },
      isCluster: true,
      nodes: (role) => cluster.nodes(role),
    };
    store = new RedisStore(counting, { prefix });
    await store.loadScripts();
  });
  beforeEach(() => {
    sent = [];
  });
  afterAll(async () => {
    if (cluster === undefined) return;
    await deleteClusterKeys(cluster, prefix);
    await cluster.quit();
  });

  const key = (name: string): string => `${prefix}${name}`;

  it('loadScripts puts every script in the cache of every master', async () => {
    const masters = cluster.nodes('master');
    expect(masters).toHaveLength(3);
    await Promise.all(masters.map((node) => node.script('FLUSH')));
    await store.loadScripts();
    for (const node of masters) expect(await node.script('EXISTS', ...SHAS)).toEqual(SHAS.map(() => 1));
  });

  it('after SCRIPT FLUSH on every master a call still works: NOSCRIPT, then EVAL once on the master of its slot', async () => {
    const credential = totpCredential(freshId('user'), Date.now());
    await Promise.all(cluster.nodes('master').map((node) => node.script('FLUSH')));
    sent = [];
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 1, now: Date.now() })).toBe(
      false,
    );
    expect(sent).toEqual(['EVALSHA', 'EVAL']);
    sent = [];
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 1, now: Date.now() })).toBe(
      false,
    );
    expect(sent).toEqual(['EVALSHA']);
    await store.loadScripts();
  });

  it('E6: a use that names counters takes three steps (begin, counters, end); without counters one script', async () => {
    const now = Date.now();
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const counter = freshId('totp:');
    await store.registerFailure(counter, { now, limits });
    sent = [];
    expect(
      await store.recordOtpUse(credential.userId, credential.id, { step: 1, now, clearFailures: [counter] }),
    ).toBe(true);
    expect(sent).toEqual(['EVALSHA', 'EVALSHA', 'EVALSHA']);
    expect(await store.getFailures(counter, { now })).toEqual({ count: 0, lockedUntil: null });
    sent = [];
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 2, now })).toBe(true);
    expect(sent).toEqual(['EVALSHA']);
    // A replayed step is refused by the first step: no counter is touched.
    sent = [];
    expect(
      await store.recordOtpUse(credential.userId, credential.id, { step: 2, now, clearFailures: [counter] }),
    ).toBe(false);
    expect(sent).toEqual(['EVALSHA']);
  });

  it('E1: with a counter locked in another slot the use is refused before any counter is cleared, and its use key is given back', async () => {
    const now = Date.now();
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const [factor, locked] = [freshId('totp:'), freshId('user:')];
    await store.registerFailure(factor, { now, limits });
    for (let i = 0; i < limits.maxFailures; i++) await store.registerFailure(locked, { now, limits });
    const options = { step: 1, now, unlessLocked: [factor, locked], clearFailures: [factor, locked] };
    expect(await store.recordOtpUse(credential.userId, credential.id, options)).toBe(false);
    expect(await store.getFailures(factor, { now })).toEqual({ count: 1, lockedUntil: null });
    expect(await store.getFailures(locked, { now })).toEqual({ count: 3, lockedUntil: now + 60_000 });
    expect(await cluster.exists(key(`{u:${credential.userId}}:use:${credential.id}`))).toBe(0);
    expect(await store.getCredential(credential.userId, credential.id)).toEqual(credential);
    // Once the lock lapses the same use records.
    expect(
      await store.recordOtpUse(credential.userId, credential.id, { ...options, now: now + 60_000 }),
    ).toBe(true);
  });

  it('a use key left by a process that died refuses every use of the credential (fail closed); reads still answer', async () => {
    const now = Date.now();
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const counter = freshId('totp:');
    await store.registerFailure(counter, { now, limits });
    const use = key(`{u:${credential.userId}}:use:${credential.id}`);
    await cluster.set(use, 'token-of-a-dead-process', 'PX', 60_000);
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 1, now })).toBe(false);
    expect(
      await store.recordOtpUse(credential.userId, credential.id, { step: 1, now, clearFailures: [counter] }),
    ).toBe(false);
    const read = await store.getCredentialForVerification(credential.userId, credential.id, {
      now,
      failureKeys: [counter],
    });
    expect(read).toEqual({ credential, failures: [{ count: 1, lockedUntil: null }] });
    // Its lease ends (here: the key goes): uses record again.
    await cluster.del(use);
    expect(
      await store.recordOtpUse(credential.userId, credential.id, { step: 1, now, clearFailures: [counter] }),
    ).toBe(true);
    expect(await store.getFailures(counter, { now })).toEqual({ count: 0, lockedUntil: null });
  });

  describe('completeLogin', () => {
    /** A user with a login challenge, a TOTP credential and backup codes, and one counter with a failure. */
    async function scene(now: number) {
      const credential = totpCredential(freshId('user'), now);
      const { userId } = credential;
      const challenge = loginChallenge(userId, now);
      const codes = [randomDigest(), randomDigest()];
      const counter = freshId('user:');
      await store.addCredential(credential);
      await store.createChallenge(challenge);
      await store.replaceBackupCodes(userId, { digests: codes, now });
      await store.registerFailure(counter, { now, limits });
      const lease = key(`{u:${userId}}:login:use`);
      return { credential, userId, challenge, codes, counter, lease };
    }

    it('I3/E6/H8: with counters and an audit record it takes steps (audit id, begin, counters, end, then the log); without, one script', async () => {
      const now = Date.now();
      const { credential, userId, challenge, counter, lease } = await scene(now);
      const audit = auditEvent(now, { userId });
      sent = [];
      const done = await store.completeLogin(userId, challenge.id, {
        now,
        otp: { credentialId: credential.id, step: 1 },
        unlessLocked: [counter],
        clearFailures: [counter],
        audit,
      });
      expect(done).toEqual({ status: 'ok', sessionEpoch: 0 });
      // auditExists, beginLogin, gateFailures, endLogin, then appendAudit and the user's audit index.
      expect(sent).toHaveLength(6);
      expect(await store.getFailures(counter, { now })).toEqual({ count: 0, lockedUntil: null });
      expect(await store.listAudit({ userId })).toEqual([audit]);
      expect(await cluster.exists(lease, key(`{u:${userId}}:use:${credential.id}`))).toBe(0);
      const next = loginChallenge(userId, now);
      await store.createChallenge(next);
      sent = [];
      expect(await store.completeLogin(userId, next.id, { now })).toEqual({ status: 'ok', sessionEpoch: 0 });
      expect(sent).toEqual(['EVALSHA']);
    });

    it('E1/H8: a known audit id with a locked counter is refused, as on a single node; alone it is a conflict; either way nothing changes and the lease is given back', async () => {
      const now = Date.now();
      const { userId, challenge, codes, counter, lease } = await scene(now);
      const existing = auditEvent(now, { userId });
      await store.appendAudit(existing);
      const login = {
        now,
        backupCode: { digest: codes[0] ?? '' },
        unlessLocked: [counter],
        clearFailures: [counter],
        audit: existing,
      };
      await expect(store.completeLogin(userId, challenge.id, login)).rejects.toMatchObject({
        code: 'conflict',
      });
      for (let i = 1; i < limits.maxFailures; i++) await store.registerFailure(counter, { now, limits });
      expect(await store.completeLogin(userId, challenge.id, login)).toEqual({ status: 'refused' });
      expect(await cluster.exists(lease)).toBe(0);
      expect((await store.getChallenge(userId, challenge.id))?.consumedAt).toBeUndefined();
      expect((await store.getBackupCodeSet(userId))?.remaining).toBe(2);
      expect(await store.getFailures(counter, { now })).toEqual({
        count: limits.maxFailures,
        lockedUntil: now + limits.lockoutMs,
      });
      expect(await store.listAudit({ userId })).toEqual([existing]);
    });

    it('a login lease left by a process that died refuses every login of the user until it ends (fail closed)', async () => {
      const now = Date.now();
      const { credential, userId, challenge, codes, counter, lease } = await scene(now);
      await cluster.set(lease, 'token-of-a-dead-process', 'PX', 60_000);
      const withCode = { now, backupCode: { digest: codes[0] ?? '' } };
      expect(await store.completeLogin(userId, challenge.id, withCode)).toEqual({ status: 'refused' });
      expect(
        await store.completeLogin(userId, challenge.id, { ...withCode, clearFailures: [counter] }),
      ).toEqual({ status: 'refused' });
      expect(await store.getFailures(counter, { now })).toEqual({ count: 1, lockedUntil: null });
      // Its lease ends (here: the key goes): the login completes.
      await cluster.del(lease);
      expect(
        await store.completeLogin(userId, challenge.id, { ...withCode, clearFailures: [counter] }),
      ).toEqual({ status: 'ok', sessionEpoch: 0, backupCodesRemaining: 1 });
      // A credential's use in flight (its use key) refuses an OTP login, not one with a backup code.
      const use = key(`{u:${userId}}:use:${credential.id}`);
      await cluster.set(use, 'token-of-a-dead-process', 'PX', 60_000);
      const [otpLogin, codeLogin] = [loginChallenge(userId, now), loginChallenge(userId, now)];
      await store.createChallenge(otpLogin);
      await store.createChallenge(codeLogin);
      const otp = { credentialId: credential.id, step: 1 };
      expect(await store.completeLogin(userId, otpLogin.id, { now, otp })).toEqual({ status: 'refused' });
      expect(
        await store.completeLogin(userId, codeLogin.id, { now, backupCode: { digest: codes[1] ?? '' } }),
      ).toEqual({ status: 'ok', sessionEpoch: 0, backupCodesRemaining: 0 });
      await cluster.del(use);
    });
  });

  describe('id claims', () => {
    const old = (user: string): string => `${user} 1000 0123456789abcdef`;

    it('refuses another user while the holder has the record, and releases the claim with the record', async () => {
      const credential = totpCredential(freshId('user'), Date.now());
      const other = { ...credential, userId: freshId('user') };
      await store.addCredential(credential);
      const claim = key(`{id:cred:${credential.id}}`);
      expect((await cluster.get(claim))?.split(' ')[0]).toBe(credential.userId);
      await expect(store.addCredential(other)).rejects.toMatchObject({ code: 'conflict' });
      // Older than the lease, but the holder still has the record: refused all the same.
      await cluster.set(claim, old(credential.userId));
      await expect(store.addCredential(other)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store.deleteCredential(credential.userId, credential.id)).toBe(true);
      expect(await cluster.exists(claim)).toBe(0);
      await store.addCredential(other);
      expect(await store.getCredential(other.userId, other.id)).toEqual(other);
    });

    it('takes over a claim whose holder has no record once it is older than the lease; a younger one is refused', async () => {
      const challenge = emailChallenge(freshId('user'), Date.now(), null);
      const claim = key(`{id:challenge:${challenge.id}}`);
      // Left by another user whose record was never written (its second step failed) a moment ago.
      await cluster.set(claim, `someone-else ${Date.now()} 0123456789abcdef`);
      await expect(store.createChallenge(challenge)).rejects.toMatchObject({ code: 'conflict' });
      // The same leftover, older than the lease: taken over.
      await cluster.set(claim, old('someone-else'));
      await store.createChallenge(challenge);
      expect((await cluster.get(claim))?.split(' ')[0]).toBe(challenge.userId);
      expect(await store.getChallenge(challenge.userId, challenge.id)).not.toBeNull();
    });

    it('an expiring record claims its id for its TTL plus the lease; confirmation makes the claim permanent', async () => {
      const retainMs = 3_600_000;
      const scoped = new RedisStore(cluster, { prefix, retentionMs: retainMs });
      const pending = pendingTotp(freshId('user'), 1_000, { expiresAt: 61_000 });
      await scoped.createPendingEnrollment(pending);
      const claim = key(`{id:cred:${pending.id}}`);
      const ttl = await cluster.pttl(claim);
      expect(ttl).toBeLessThanOrEqual(60_000 + retainMs + LEASE_MS);
      expect(ttl).toBeGreaterThan(60_000 + retainMs);
      expect((await scoped.confirmEnrollment(pending.userId, pending.id, { now: 2_000 })).status).toBe('ok');
      expect(await cluster.pttl(claim)).toBe(-1);
    });
  });

  describe('indexes that span users', () => {
    it('listOtpCredentials skips entries whose credential is gone and still fills each page', async () => {
      const userId = freshId('user');
      const base = freshId('cred');
      const ids = ['1', '3', '5'].map((n) => `${base}-${n}`);
      for (const id of ids) await store.addCredential(totpCredential(userId, 1, { id }));
      // Left by steps that failed: an entry for a credential never written, one for another user's id.
      await cluster.zadd(
        key('{otp}:credentials'),
        0,
        `${base}-2 ${userId}`,
        0,
        `${base}-4 ${freshId('user')}`,
      );
      const seen: string[] = [];
      let after = base;
      for (let page = 0; page < 5; page++) {
        const rows = await store.listOtpCredentials({ after, limit: 2 });
        const ours = rows.filter((row) => row.id.startsWith(`${base}-`));
        seen.push(...ours.map((row) => row.id));
        if (ours.length < 2) break;
        expect(rows).toHaveLength(2);
        after = rows[1]?.id ?? '';
      }
      expect(seen).toEqual(ids);
    });

    it('an address index entry is written before its credential and removed after it: leftovers are skipped, left in place, and each page still fills', async () => {
      const tenantId = freshId('tenant');
      const address = freshId('+1555');
      const index = key(`{addr:${tenantId}:${createHash('sha256').update(address).digest('hex')}}`);
      const base = freshId('user');
      const [a, c, e] = ['a', 'c', 'e'].map((n) =>
        emailCredential(`${base}-${n}`, 1, { tenantId, kind: 'sms', address }),
      ) as [CredentialRecord, CredentialRecord, CredentialRecord];
      for (const credential of [a, c, e]) await store.addCredential(credential);
      // Left by steps that failed: an add whose credential was never written, and a delete whose index
      // step never ran (the user's credential of that id now holds another number).
      const moved = emailCredential(`${base}-d`, 1, { tenantId, kind: 'sms', address: freshId('+1555') });
      await store.addCredential(moved);
      await cluster.zadd(index, 0, `${base}-b ${freshId('cred')}`, 0, `${moved.userId} ${moved.id}`);
      const holder = (credential: CredentialRecord) => ({
        userId: credential.userId,
        tenantId,
        credentialId: credential.id,
        kind: 'sms',
      });
      expect(await store.listAddressHolders({ tenantId, address, limit: 2 })).toEqual([holder(a), holder(c)]);
      expect(await store.listAddressHolders({ tenantId, address })).toEqual([a, c, e].map(holder));
      // Skipped, not removed: another step may be about to write the credential an entry stands for.
      expect(await cluster.zcard(index)).toBe(5);

      // A delete removes its entry after the credential; a switch keeps it.
      expect(await store.switchCredential(c.userId, c.id, 7)).toBe(true);
      expect(await store.deleteCredential(a.userId, a.id)).toBe(true);
      expect(await cluster.zscore(index, `${a.userId} ${a.id}`)).toBeNull();
      expect(await store.listAddressHolders({ tenantId, address })).toEqual([
        { ...holder(c), switchedOffAt: 7 },
        holder(e),
      ]);
      expect((await store.resetUser(e.userId)).credentials).toBe(1);
      expect(await cluster.zscore(index, `${e.userId} ${e.id}`)).toBeNull();
      expect(await cluster.zscore(index, `${c.userId} ${c.id}`)).not.toBeNull();
    });

    it('listUserSettings skips entries of users whose settings name another tenant and still fills each page', async () => {
      const tenantId = freshId('tenant');
      const base = freshId('user');
      const users = ['a', 'c', 'e'].map((n) => `${base}-${n}`);
      for (const userId of users) await store.putUserSettings(userSettings(userId, 1, { tenantId }));
      // Users that moved on (the removal step failed) or have no settings at all.
      await store.putUserSettings(userSettings(`${base}-b`, 1, { tenantId: freshId('tenant') }));
      await cluster.zadd(key(`{t:${tenantId}}:users`), 0, `${base}-b`, 0, `${base}-d`);
      const first = await store.listUserSettings(tenantId, { limit: 2 });
      expect(first.map((row) => row.userId)).toEqual([users[0], users[1]]);
      const second = await store.listUserSettings(tenantId, { after: users[1], limit: 2 });
      expect(second.map((row) => row.userId)).toEqual([users[2]]);
    });

    it('an audit append whose index step failed is completed by a retry, which still answers conflict', async () => {
      const [userId, tenantId] = [freshId('user'), freshId('tenant')];
      const event = auditEvent(1_000, { userId, tenantId });
      await store.appendAudit(event);
      // What a failed second step leaves: the event in the log of all events, not in the user's index.
      await cluster.del(key(`{u:${userId}}:audit`), key(`{u:${userId}}:audit:events`));
      expect(await store.listAudit({ userId })).toEqual([]);
      await expect(store.appendAudit({ ...event, type: 'changed' })).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await store.listAudit({ userId })).toEqual([event]);
      expect(await store.listAudit({ tenantId })).toEqual([event]);
    });
  });
});
