/**
 * Key layout: every key under the prefix, ids escaped so that no id can forge another key, the keys of
 * one user under one hash tag, and the constructor's checks of client and options.
 */
import { createHash } from 'node:crypto';
import { SecondFactorError } from '@secondfactor/core';
import {
  emailChallenge,
  emailCredential,
  fakeCiphertext,
  freshId,
  loginChallenge,
  pendingTotp,
  randomDigest,
  totpCredential,
  trustedDevice,
} from '@secondfactor/store/testing';
import { keyPart, type RedisLike, RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, keysUnder, randomPrefix, readKey, redisSkipReason } from './redis-env';

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

  it('rejects a missing client, a cluster client without nodes() and bad options as invalid_argument', () => {
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

  it('accepts a Redis Cluster client (isCluster and nodes(), as an ioredis Cluster has)', () => {
    const cluster = { ...client, isCluster: true, nodes: () => [client] };
    expect(new RedisStore(cluster).capabilities).toEqual({ multiProcess: true, durable: false });
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
    expect(await keysUnder(client, `${prefix}{f:`)).toEqual([`${prefix}{f:${keyPart(bystander)}}`]);
  });

  it('writes the key layout of the README: one hash tag per user, one per structure that spans users', async () => {
    const own = randomPrefix();
    try {
      const { fx, expected } = await populate(new RedisStore(client, { prefix: own }), Date.now());
      const mine = (await keysUnder(client, own)).map((key) => key.slice(own.length));
      expect(mine).toEqual(expected);
      // The escaped id has no braces, so the hash tag Redis Cluster uses is exactly u:<id>.
      const tag = `{u:${keyPart(fx.user)}}`;
      for (const key of mine.filter((name) => name.includes(keyPart(fx.user)) && !name.startsWith('{otp}')))
        expect(key.startsWith(tag), key).toBe(true);
      const all = await keysUnder(client, '');
      expect(all.filter((key) => key.includes(keyPart(fx.user)) && !key.startsWith(own))).toEqual([]);
    } finally {
      await deleteKeys(client, own);
    }
  });

  it('a cluster writes the same keys and values as a single node, each cross-slot structure in its own step', async () => {
    const t0 = Date.now();
    const [single, clustered] = [randomPrefix(), randomPrefix()];
    const asCluster: RedisLike = {
      call: (command, ...args) => client.call(command, ...args),
      isCluster: true,
      nodes: () => [asCluster],
    };
    const fx = fixture(t0);
    try {
      await populate(new RedisStore(client, { prefix: single }), t0, fx);
      await populate(new RedisStore(asCluster, { prefix: clustered }), t0, fx);
      const expected = await dump(client, single);
      const written = await dump(client, clustered);
      expect(Object.keys(written)).toEqual(Object.keys(expected));
      for (const [key, value] of Object.entries(expected)) {
        // A cluster's id claim also holds when it was taken, and a token: the user comes first in both.
        if (key.startsWith('{id:')) expect(String(written[key]).split(' ')[0], key).toBe(value);
        else expect(written[key], key).toEqual(value);
      }
    } finally {
      await deleteKeys(client, single);
      await deleteKeys(client, clustered);
    }
  });

  it('honours a keyPrefix set on the ioredis client as well', async () => {
    const scoped = await connectClient({ keyPrefix: `${prefix}client:` });
    try {
      const inner = new RedisStore(scoped, { prefix: 'inner:' });
      const credential = totpCredential(freshId('user'), Date.now());
      await inner.addCredential(credential);
      expect(await inner.getCredential(credential.userId, credential.id)).toEqual(credential);
      const key = `${prefix}client:inner:{u:${credential.userId}}:cred:${credential.id}`;
      expect(await keysUnder(client, key)).toEqual([key]);
    } finally {
      await scoped.quit();
    }
  });
});

/** One of every record for one user whose id, like the tenant's, needs escaping. */
function fixture(t0: number) {
  const user = freshId('user:{x}');
  const tenant = freshId('tenant ');
  return {
    user,
    tenant,
    settings: { userId: user, tenantId: tenant, useTwoFactor: null, mayToggle: true, updatedAt: t0 },
    totp: totpCredential(user, t0),
    email: emailCredential(user, t0),
    pending: pendingTotp(user, t0),
    challenge: emailChallenge(user, t0, randomDigest()),
    device: trustedDevice(user, t0),
    codes: [randomDigest(), randomDigest()],
    event: { id: freshId('evt'), at: t0, type: 'user.created', userId: user, tenantId: tenant },
    failure: freshId('user:'),
    login: loginChallenge(user, t0),
    loginEvent: { id: freshId('evt'), at: t0, type: 'login.succeeded', userId: user },
    tenantSettings: { tenantId: tenant, smtpCiphertext: fakeCiphertext(), updatedAt: t0 },
  };
}

/** Writes the fixture and returns the key names (without the prefix) it must leave. */
async function populate(store: RedisStore, t0: number, fx = fixture(t0)) {
  await store.putUserSettings(fx.settings);
  await store.addCredential(fx.totp);
  await store.addCredential(fx.email);
  await store.createPendingEnrollment(fx.pending);
  await store.createChallenge(fx.challenge);
  await store.addTrustedDevice(fx.device);
  await store.replaceBackupCodes(fx.user, { digests: fx.codes, now: t0 });
  await store.appendAudit(fx.event);
  await store.registerFailure(fx.failure, {
    now: t0,
    limits: { maxFailures: 5, windowMs: 60_000, lockoutMs: 60_000 },
  });
  // The methods that change records in place, and the login (its steps on a cluster) with its audit record.
  await store.updateUserSettings(fx.user, { mayToggle: null, enrollmentResetAt: t0 }, { now: t0 });
  await store.renameCredential(fx.user, fx.email.id, 'Work mail');
  await store.switchCredential(fx.user, fx.email.id, t0);
  expect(await store.listAddressHolders({ address: fx.email.address ?? '' })).toEqual([
    { userId: fx.user, credentialId: fx.email.id, kind: 'email', switchedOffAt: t0 },
  ]);
  await store.bumpSessionEpoch(fx.user);
  await store.putTenantSettings(fx.tenantSettings);
  await store.createChallenge(fx.login);
  const done = await store.completeLogin(fx.user, fx.login.id, {
    now: t0,
    otp: { credentialId: fx.totp.id, step: 1 },
    unlessLocked: [fx.failure],
    audit: fx.loginEvent,
  });
  expect(done).toEqual({ status: 'ok', sessionEpoch: 1 });
  const [u, t] = [`{u:${keyPart(fx.user)}}`, `{t:${keyPart(fx.tenant)}}`];
  const expected = [
    `${u}:settings`,
    `${u}:credentials`,
    `${u}:cred:${fx.totp.id}`,
    `${u}:cred:${fx.email.id}`,
    `${u}:pending`,
    `${u}:pending:${fx.pending.id}`,
    `${u}:challenges`,
    `${u}:challenge:${fx.challenge.id}`,
    `${u}:challenge:${fx.login.id}`,
    `${u}:epoch`,
    `${u}:devices`,
    `${u}:device:${fx.device.id}`,
    `${u}:backup:codes`,
    `${u}:backup:meta`,
    `${u}:audit`,
    `${u}:audit:events`,
    `${t}:users`,
    `${t}:audit`,
    `${t}:audit:events`,
    `${t}:settings`,
    `{f:${keyPart(fx.failure)}}`,
    `{id:cred:${fx.totp.id}}`,
    `{id:cred:${fx.email.id}}`,
    `{id:cred:${fx.pending.id}}`,
    `{id:challenge:${fx.challenge.id}}`,
    `{id:challenge:${fx.login.id}}`,
    `{id:device:${fx.device.id}}`,
    `{addr::${createHash('sha256')
      .update(fx.email.address ?? '')
      .digest('hex')}}`,
    '{otp}:credentials',
    '{audit}:all',
    '{audit}:events',
    '{audit}:seq',
  ].sort();
  return { fx, expected };
}

/** Every key under `prefix` (without it) with its value. */
async function dump(client: Redis, prefix: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of await keysUnder(client, prefix))
    out[key.slice(prefix.length)] = await readKey(client, key);
  return out;
}
