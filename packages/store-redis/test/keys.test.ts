/**
 * Key layout: every key under the prefix, ids escaped so that no id can forge another key, the keys of
 * one user under one hash tag, and the constructor's checks of client and options.
 */
import { SecondFactorError } from '@secondfactor/core';
import { emailChallenge, freshId, randomDigest, totpCredential } from '@secondfactor/store/testing';
import { keyPart, RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, keysUnder, randomPrefix, redisSkipReason } from './redis-env';

describe('keyPart', () => {
  it('keeps letters, digits and -._@ as they are', () => {
    expect(keyPart('user-42_a.b@example.org')).toBe('user-42_a.b@example.org');
  });

  it('escapes braces, colons, glob characters, % and non-ASCII as %XXXX per UTF-16 unit', () => {
    expect(keyPart('a}:{b')).toBe('a%007D%003A%007Bb');
    expect(keyPart('*?[]%')).toBe('%002A%003F%005B%005D%0025');
    expect(keyPart('é')).toBe('%00E9');
    expect(keyPart('\ud800')).toBe('%D800');
  });

  it('is injective on tricky pairs (an escape sequence typed literally stays apart)', () => {
    const ids = ['a%003Ab', 'a:b', '\ud800', '\ud801', '\ufffd', 'x y', 'x%0020y', 'A', 'a'];
    expect(new Set(ids.map(keyPart)).size).toBe(ids.length);
  });
});

describe('RedisStore options', () => {
  const client = { call: async () => null };

  it('rejects a missing client, a cluster client and bad options as invalid_argument', () => {
    const bad: [unknown, unknown][] = [
      [null, {}],
      [{}, {}],
      [{ ...client, isCluster: true }, {}],
      [client, { prefix: '' }],
      [client, { prefix: 'has space:' }],
      [client, { prefix: 'tag{x}:' }],
      [client, { prefix: 'glob*:' }],
      [client, { prefix: 'x'.repeat(65) }],
      [client, { retentionMs: 0 }],
      [client, { retentionMs: 1.5 }],
      [client, { durable: 'yes' }],
      [client, null],
    ];
    for (const [c, options] of bad) {
      expect(() => new RedisStore(c as never, options as never), JSON.stringify(options)).toThrowError(
        SecondFactorError,
      );
    }
  });

  it('declares multiProcess, and durable only when told so', () => {
    expect(new RedisStore(client).capabilities).toEqual({ multiProcess: true, durable: false });
    expect(new RedisStore(client, { durable: true }).capabilities).toEqual({
      multiProcess: true,
      durable: true,
    });
    expect(new RedisStore(client).prefix).toBe('sf:');
  });
});

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] key layout tests skipped: ${skip}`);

describe.skipIf(skip !== undefined)('key layout on Redis', () => {
  let client: Redis;
  let prefix: string;
  let store: RedisStore;

  beforeAll(async () => {
    client = await connectClient();
    prefix = randomPrefix();
    store = new RedisStore(client, { prefix });
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    await client.quit();
  });

  it('H3: ids made of key syntax ({, }, :, *, %) or non-ASCII round-trip and stay with their user', async () => {
    const t0 = Date.now();
    const ids = [
      [`a}:cred:b${freshId('')}`, `c*${freshId('')}`],
      [`a${freshId('')}`, `b}:{u:x}%${freshId('')}`],
      [`ä😀${freshId('')}`, `ü 🔑${freshId('')}`],
    ] as const;
    for (const [userId, id] of ids) await store.addCredential(totpCredential(userId, t0, { id }));
    for (const [userId, id] of ids) {
      expect((await store.listCredentials(userId)).map((item) => item.id)).toEqual([id]);
      expect((await store.getCredential(userId, id))?.userId).toBe(userId);
    }
  });

  it('E6: failure keys made of key syntax are read and cleared at the key registerFailure wrote, and no other', async () => {
    const now = Date.now();
    const limits = { maxFailures: 10, windowMs: 600_000, lockoutMs: 60_000 };
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    const tail = freshId('');
    // The second spells out the escaped form of the first: both must stay separate counters.
    const named = [`user:{42}*${tail}`, `user:%007B42%007D%002A${tail}`, `ü🔑 ${tail}`];
    const bystander = `user:{42}${tail}`;
    for (const [index, key] of [...named, bystander].entries()) {
      for (let i = 0; i <= index; i += 1) await store.registerFailure(key, { now, limits });
    }
    const read = await store.getCredentialForVerification(credential.userId, credential.id, {
      now,
      failureKeys: [...named, bystander],
    });
    expect(read.failures.map((state) => state.count)).toEqual([1, 2, 3, 4]);
    expect(
      await store.recordOtpUse(credential.userId, credential.id, { step: 1, now, clearFailures: named }),
    ).toBe(true);
    const after = await store.getCredentialForVerification(credential.userId, credential.id, {
      now,
      failureKeys: [...named, bystander],
    });
    expect(after.failures.map((state) => state.count)).toEqual([0, 0, 0, 4]);
    expect(await keysUnder(client, `${prefix}failures:`)).toEqual([
      `${prefix}failures:${keyPart(bystander)}`,
    ]);
  });

  it('writes keys under the prefix only; the keys of one user share the {u:…} hash tag', async () => {
    const userId = freshId('user:{x}');
    const t0 = Date.now();
    await store.putUserSettings({
      userId,
      tenantId: 't',
      requiredByAdmin: null,
      mayToggle: true,
      updatedAt: t0,
    });
    await store.addCredential(totpCredential(userId, t0));
    await store.replaceBackupCodes(userId, { digests: [randomDigest()], now: t0 });
    await store.createChallenge(emailChallenge(userId, t0, randomDigest()));
    await store.appendAudit({ id: freshId('evt'), at: t0, type: 'user.created', userId });
    const all = await keysUnder(client, '');
    const mine = await keysUnder(client, prefix);
    const tag = `{u:${keyPart(userId)}}`;
    const userKeys = mine.filter((key) => key.includes(tag));
    expect(userKeys.map((key) => key.slice(prefix.length + tag.length)).sort()).toEqual(
      [':audit', ':backup:codes', ':backup:meta', ':challenges', ':credentials', ':settings'].sort(),
    );
    // The escaped id has no braces, so the hash tag Redis Cluster would use is exactly u:<id>.
    for (const key of userKeys)
      expect(key.slice(key.indexOf('{') + 1, key.indexOf('}'))).toBe(`u:${keyPart(userId)}`);
    expect(all.filter((key) => key.includes(keyPart(userId)) && !key.startsWith(prefix))).toEqual([]);
  });

  it('honours a keyPrefix set on the ioredis client as well', async () => {
    const scoped = await connectClient({ keyPrefix: `${prefix}client:` });
    try {
      const inner = new RedisStore(scoped, { prefix: 'inner:' });
      const credential = totpCredential(freshId('user'), Date.now());
      await inner.addCredential(credential);
      expect(await inner.getCredential(credential.userId, credential.id)).toEqual(credential);
      expect(await keysUnder(client, `${prefix}client:inner:cred:${credential.id}`)).toHaveLength(1);
    } finally {
      await scoped.quit();
    }
  });
});
