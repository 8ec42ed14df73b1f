/**
 * Faults: a lost connection makes a call fail cleanly with `store_unavailable` (never hang, never leak
 * arguments), and because every write is one script, which Redis runs whole or not at all, a connection
 * cut in the middle of many writes leaves no half-written state. Where the cut falls is set by a proxy
 * (`cutting-proxy.ts`), never by a race against the scheduler.
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
import { startCuttingProxy } from './cutting-proxy';
import { connectClient, deleteKeys, keysUnder, REDIS_URL, randomPrefix, redisSkipReason } from './redis-env';

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
    const error = await store.consumeBackupCode(userId, digests[0]!).catch((reason: unknown) => reason);
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
      const result = await store.consumeBackupCode(userId, digest).catch((reason: unknown) => reason);
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

  it('D7: a connection cut in the middle of 2,400 multi-key writes leaves every record whole: each write applied wholly or not at all', async () => {
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

    // The fault, placed by a proxy instead of by timing: the server receives the first 1,203 writes
    // whole and half of the 1,204th, and the client hears back from the first 1,000 only. Writes
    // 1,000–1,202 are applied with their answers lost; every later one never reaches the server.
    const APPLIED = 1_203;
    const ANSWERED = 1_000;
    const proxy = await startCuttingProxy(REDIS_URL);
    // No retries and no resend: a command whose reply is lost fails, so the caller sees the fault.
    const victim = await connectClient(
      { autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0 },
      proxy.url,
    );
    const store = new RedisStore(victim, { prefix });
    await store.loadScripts();
    const cut = proxy.cutAfter({ commands: APPLIED, replies: ANSWERED, partialBytes: 40 });
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
        store.replaceCredentialSecret(item.old.userId, item.old.id, {
          expected: item.old.otp!.secretCiphertext,
          next: fakeCiphertext(),
        }),
      );
      calls.push(store.recordOtpUse(item.extra.userId, item.extra.id, { step: 9, now: t0 + 5 }));
    }
    const outcomes = await Promise.allSettled(calls);
    expect(await cut).toEqual({ commandsForwarded: APPLIED, repliesForwarded: ANSWERED, partialBytes: 40 });
    await proxy.close();
    victim.disconnect();

    // Each call is one command: exactly the answered ones resolved, every other one is store_unavailable.
    for (const [index, outcome] of outcomes.entries()) {
      expect(outcome.status, `call ${index}`).toBe(index < ANSWERED ? 'fulfilled' : 'rejected');
      if (outcome.status === 'rejected')
        expect(isUnavailable(outcome.reason), String(outcome.reason)).toBe(true);
    }

    const keys = new Set(await keysUnder(admin, prefix));
    const applied = (index: number, call: number): boolean => index * 6 + call < APPLIED;
    for (const [index, item] of plan.entries()) {
      const credentials = (await healthy.listCredentials(item.userId)).map((c) => c.id);
      // Enrollment: pending gone, replaced credential gone and the new one indexed, or nothing at all.
      if (applied(index, 0)) {
        expect(keys.has(`${prefix}{u:${item.userId}}:pending:${item.pending.id}`)).toBe(false);
        expect(credentials).not.toContain(item.old.id);
        expect(await healthy.getCredential(item.userId, item.pending.id)).toMatchObject({ lastUsedStep: 7 });
      } else {
        expect(keys.has(`${prefix}{u:${item.userId}}:pending:${item.pending.id}`)).toBe(true);
        expect(credentials).toContain(item.old.id);
        expect(credentials).not.toContain(item.pending.id);
      }
      // Every credential record is indexed for its user and vice versa, and holds the id's claim.
      for (const credentialId of [item.old.id, item.pending.id, item.extra.id]) {
        const stored = keys.has(`${prefix}{u:${item.userId}}:cred:${credentialId}`);
        expect(stored).toBe(credentials.includes(credentialId));
        // The pending enrollment's claim stays while the enrollment does.
        const pendingLeft = credentialId === item.pending.id && !applied(index, 0);
        expect(keys.has(`${prefix}{id:cred:${credentialId}}`)).toBe(stored || pendingLeft);
      }
      // Backup codes: the whole old set or the whole new set, never a mixture.
      const codes = (await admin.smembers(`${prefix}{u:${item.userId}}:backup:codes`)).sort();
      expect(codes).toEqual([...(applied(index, 1) ? item.newCodes : item.oldCodes)].sort());
      expect((await healthy.getBackupCodeSet(item.userId))?.createdAt).toBe(applied(index, 1) ? t0 + 5 : t0);
      expect(credentials.includes(item.extra.id)).toBe(applied(index, 2));
      // Audit: the body and its index entries exist together; the write cut in half left nothing.
      const events = await healthy.listAudit({ userId: item.userId });
      expect(events.map((event) => event.id)).toEqual(applied(index, 3) ? [item.eventId] : []);
      expect(keys.has(`${prefix}{u:${item.userId}}:audit`)).toBe(applied(index, 3));
      if (applied(index, 2)) {
        const extra = await healthy.getCredential(item.userId, item.extra.id);
        expect(extra?.lastUsedStep ?? null).toBe(applied(index, 5) ? 9 : null);
      }
    }
    // The otp index (`<id> <user>`) lists exactly the stored credentials, all of them TOTP here.
    const otpIndex = new Set(await admin.zrange(`${prefix}{otp}:credentials`, '0', '-1'));
    const stored = [...keys].flatMap((key) => {
      const match = /^\{u:([^}]*)\}:cred:(.*)$/.exec(key.slice(prefix.length));
      return match === null ? [] : [`${match[2]} ${match[1]}`];
    });
    expect(stored.length).toBeGreaterThan(0);
    expect([...otpIndex].sort()).toEqual(stored.sort());
  });

  it('an error reply from Redis is internal, without the arguments of the call', async () => {
    const credential = totpCredential(freshId('user'), 1);
    // Something else wrote a string where the store keeps a hash: every script on it fails (WRONGTYPE).
    await admin.set(`${prefix}{u:${credential.userId}}:cred:${credential.id}`, 'not a hash');
    const next = fakeCiphertext();
    const error = await healthy
      .replaceCredentialSecret(credential.userId, credential.id, {
        expected: credential.otp!.secretCiphertext,
        next: next,
      })
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
