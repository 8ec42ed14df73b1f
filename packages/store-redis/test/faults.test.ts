/**
 * Faults: a lost connection makes a call fail cleanly with `store_unavailable` (never hang, never leak
 * arguments), and because every write is one script, which Redis runs to its end before it handles a
 * killed connection, a connection killed in the middle of many writes leaves no half-written state.
 */
import { isSecondFactorError, SecondFactorError } from '@secondfactor/core';
import {
  fakeCiphertext,
  freshId,
  pendingTotp,
  randomDigest,
  totpCredential,
} from '@secondfactor/store/testing';
import { RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, keysUnder, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] fault tests skipped: ${skip}`);

const isUnavailable = (error: unknown): boolean =>
  isSecondFactorError(error) && error.code === 'store_unavailable';

describe.skipIf(skip !== undefined)('faults', () => {
  let admin: Redis;
  let prefix: string;
  let healthy: RedisStore;

  beforeAll(async () => {
    admin = await connectClient();
    prefix = randomPrefix();
    healthy = new RedisStore(admin, { prefix });
  });
  afterAll(async () => {
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  it('a call on a disconnected client rejects with store_unavailable and writes nothing', async () => {
    const userId = freshId('user');
    const digests = [randomDigest(), randomDigest()];
    await healthy.replaceBackupCodes(userId, { digests, now: 1 });
    const client = await connectClient();
    const store = new RedisStore(client, { prefix });
    client.disconnect();
    const error = await store.consumeBackupCode(userId, digests[0]!, 2).catch((reason: unknown) => reason);
    expect(isUnavailable(error)).toBe(true);
    // J3: neither the message nor the cause carries the digest (ioredis puts the arguments on its errors).
    const text = JSON.stringify({ error, cause: (error as Error).cause, stack: (error as Error).stack });
    expect(text).not.toContain(digests[0]);
    expect((error as Error).cause).not.toHaveProperty('command');
    expect(await healthy.getBackupCodeSet(userId)).toMatchObject({ remaining: 2 });
  });

  it('a connection killed between calls: the next call fails cleanly or works after the reconnect, and state stays consistent', async () => {
    const client = await connectClient({ retryStrategy: () => 20, maxRetriesPerRequest: 0 });
    const store = new RedisStore(client, { prefix });
    const userId = freshId('user');
    const digests = [randomDigest(), randomDigest(), randomDigest()];
    await store.replaceBackupCodes(userId, { digests, now: 1 });
    await admin.client('KILL', 'ID', String(await client.client('ID')));
    const outcomes: string[] = [];
    let consumed = 0;
    for (const digest of digests) {
      const result = await store.consumeBackupCode(userId, digest, 2).catch((reason: unknown) => reason);
      if (result instanceof Error) {
        expect(isUnavailable(result)).toBe(true);
        outcomes.push('unavailable');
      } else {
        outcomes.push('answered');
        if ((result as { consumed: boolean }).consumed) consumed += 1;
      }
    }
    // Whatever the calls answered, the set holds exactly the codes not reported consumed, or fewer if a
    // call applied and lost its reply: never a code consumed twice, never a code back.
    const remaining = (await healthy.getBackupCodeSet(userId))?.remaining ?? -1;
    expect(remaining).toBeLessThanOrEqual(3 - consumed);
    expect(outcomes.filter((item) => item === 'answered').length).toBeGreaterThan(0);
    client.disconnect();
  });

  it('D7: killing the connection while 2,400 multi-key writes are in flight leaves every record whole', async () => {
    const t0 = 1_000_000;
    const users = Array.from({ length: 400 }, () => freshId('user'));
    const plan = users.map((userId) => ({
      userId,
      old: totpCredential(userId, t0),
      pending: pendingTotp(userId, t0),
      oldCodes: [randomDigest(), randomDigest(), randomDigest()],
      newCodes: [randomDigest(), randomDigest(), randomDigest(), randomDigest()],
      extra: totpCredential(userId, t0 + 1),
      eventId: freshId('evt'),
    }));
    for (const item of plan) {
      await healthy.addCredential(item.old);
      await healthy.createPendingEnrollment(item.pending);
      await healthy.replaceBackupCodes(item.userId, { digests: item.oldCodes, now: t0 });
    }

    // No retries and no resend: a command whose reply is lost fails, so the caller sees the fault.
    const victim = await connectClient({ autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0 });
    const store = new RedisStore(victim, { prefix });
    await store.loadScripts();
    const id = String(await victim.client('ID'));
    // Hold the socket's writes back and release them in one burst: Redis then works through a long
    // queue in 16 KB reads while the kill from the other connection arrives between two of them.
    victim.stream.cork();
    const calls: Promise<unknown>[] = [];
    for (const item of plan) {
      calls.push(
        store.confirmEnrollment(item.userId, item.pending.id, {
          now: t0 + 5,
          lastUsedStep: 7,
          replaces: [item.old.id],
        }),
      );
      calls.push(store.replaceBackupCodes(item.userId, { digests: item.newCodes, now: t0 + 5 }));
      calls.push(store.addCredential(item.extra));
      calls.push(
        store.appendAudit({
          id: item.eventId,
          at: t0 + 5,
          type: 'enrollment.confirmed',
          userId: item.userId,
        }),
      );
      calls.push(
        store.replaceCredentialSecret(item.old.id, item.old.otp!.secretCiphertext, fakeCiphertext()),
      );
      calls.push(store.recordOtpUse(item.extra.id, 9, { now: t0 + 5 }));
    }
    // Handlers on every call now: calls cut off by the kill reject while the test still awaits the kill,
    // and a rejection without a handler at that moment is reported as an unhandled error of the run.
    const settled = Promise.allSettled(calls);
    victim.stream.uncork();
    await calls[0];
    await admin.client('KILL', 'ID', id);
    const outcomes = await settled;
    const rejected = outcomes.filter((item) => item.status === 'rejected');
    for (const item of rejected) expect(isUnavailable(item.reason), String(item.reason)).toBe(true);
    // The kill landed while writes were in flight: some were answered, some were cut off.
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.length).toBeLessThan(outcomes.length);
    victim.disconnect();

    const keys = new Set(await keysUnder(admin, prefix));
    for (const [index, item] of plan.entries()) {
      const [confirm, , add, append] = outcomes.slice(index * 6, index * 6 + 4);
      // Enrollment: either nothing happened, or pending gone + replaced credential gone + new one indexed.
      const credentials = (await healthy.listCredentials(item.userId)).map((c) => c.id);
      const pendingLeft = keys.has(`${prefix}pending:${item.pending.id}`);
      if (pendingLeft) {
        expect(credentials).toContain(item.old.id);
        expect(credentials).not.toContain(item.pending.id);
        expect(confirm?.status).toBe('rejected');
      } else {
        expect(credentials).not.toContain(item.old.id);
        expect(credentials).toContain(item.pending.id);
        expect(await healthy.getCredential(item.userId, item.pending.id)).toMatchObject({ lastUsedStep: 7 });
      }
      // Every credential record is indexed for its user and vice versa.
      for (const credentialId of [item.old.id, item.pending.id, item.extra.id]) {
        expect(keys.has(`${prefix}cred:${credentialId}`)).toBe(credentials.includes(credentialId));
      }
      if (add?.status === 'fulfilled') expect(credentials).toContain(item.extra.id);
      // Backup codes: the whole old set or the whole new set, never a mixture.
      const codes = (await admin.smembers(`${prefix}{u:${item.userId}}:backup:codes`)).sort();
      expect([[...item.oldCodes].sort(), [...item.newCodes].sort()]).toContainEqual(codes);
      const set = await healthy.getBackupCodeSet(item.userId);
      expect(set?.createdAt).toBe(codes.length === 4 ? t0 + 5 : t0);
      // Audit: the body and its index entries exist together.
      const events = await healthy.listAudit({ userId: item.userId });
      expect(events.length).toBe(keys.has(`${prefix}{u:${item.userId}}:audit`) ? 1 : 0);
      if (append?.status === 'fulfilled') expect(events.map((event) => event.id)).toEqual([item.eventId]);
    }
    const otpIndex = new Set(await admin.zrange(`${prefix}otp-credentials`, '0', '-1'));
    for (const key of keys) {
      if (key.startsWith(`${prefix}cred:`))
        expect(otpIndex.has(key.slice(`${prefix}cred:`.length))).toBe(true);
    }
    for (const member of otpIndex) expect(keys.has(`${prefix}cred:${member}`)).toBe(true);
  });

  it('an error reply from Redis is internal, without the arguments of the call', async () => {
    const credential = totpCredential(freshId('user'), 1);
    // Something else wrote a string where the store keeps a hash: every script on it fails (WRONGTYPE).
    await admin.set(`${prefix}cred:${credential.id}`, 'not a hash');
    const next = fakeCiphertext();
    const error = await healthy
      .replaceCredentialSecret(credential.id, credential.otp!.secretCiphertext, next)
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SecondFactorError);
    expect((error as SecondFactorError).code).toBe('internal');
    const text = JSON.stringify({
      error,
      cause: String((error as Error).cause),
      stack: (error as Error).stack,
    });
    expect(text).not.toContain(next);
    expect(text).not.toContain(credential.otp!.secretCiphertext);
  });
});
