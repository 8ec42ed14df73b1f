/**
 * The address indexes on a single node (README: Key layout): one sorted set per tenant and address whose
 * key name carries the SHA-256 of the address, never the address; the credential hash names the index it
 * is listed in; a stale entry is skipped and removed in the step that read it; a credential stored
 * before the indexes existed reads, switches and deletes as before and is not listed. And what a switch
 * writes: the `switchedOffAt` field only.
 */
import { createHash } from 'node:crypto';
import type { CredentialRecord } from '@secondfactor/store';
import { emailCredential, freshId, totpCredential } from '@secondfactor/store/testing';
import { keyPart, RedisStore } from '@secondfactor/store-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, deleteKeys, keysUnder, randomPrefix, redisSkipReason } from './redis-env';

const skip = await redisSkipReason();
if (skip !== undefined) console.warn(`[store-redis] address index tests skipped: ${skip}`);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe.skipIf(skip !== undefined)('address indexes on a single node', () => {
  let client: Redis;
  let prefix: string;
  let store: RedisStore;
  const credKey = (userId: string, id: string): string => `${prefix}{u:${keyPart(userId)}}:cred:${id}`;

  beforeAll(async () => {
    client = await connectClient();
    prefix = randomPrefix();
    store = new RedisStore(client, { prefix });
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    await client.quit();
  });

  it('the index key names the escaped tenant and the SHA-256 of the address; no key name holds the address', async () => {
    const tenantId = `${freshId('tenant')} {x}`;
    const address = `${freshId('+1555')}`;
    const credential = emailCredential(freshId('user'), 1_000, { tenantId, kind: 'sms', address });
    const loose = emailCredential(freshId('user'), 1_000, { kind: 'voice', address });
    await store.addCredential(credential);
    await store.addCredential(loose);
    const tag = `${keyPart(tenantId)}:${sha256(address)}`;
    const index = `${prefix}{addr:${tag}}`;
    const looseIndex = `${prefix}{addr::${sha256(address)}}`;
    expect(await client.zrange(index, '0', '-1')).toEqual([`${credential.userId} ${credential.id}`]);
    expect(await client.zrange(looseIndex, '0', '-1')).toEqual([`${loose.userId} ${loose.id}`]);
    expect(await client.hget(credKey(credential.userId, credential.id), 'addressTag')).toBe(tag);
    expect((await keysUnder(client, prefix)).filter((key) => key.includes(address))).toEqual([]);
    // A credential without an address is in no address index and has no tag.
    const totp = totpCredential(credential.userId, 1_000, { tenantId });
    await store.addCredential(totp);
    expect(await client.hexists(credKey(totp.userId, totp.id), 'addressTag')).toBe(0);
  });

  it('stale entries (credential gone, or holding another address) are skipped and removed in the same step', async () => {
    const tenantId = freshId('tenant');
    const address = freshId('+1555');
    const base = freshId('user');
    const [first, second, third] = ['a', 'b', 'c'].map((n) =>
      emailCredential(`${base}-${n}`, 1_000, { tenantId, kind: 'sms', address }),
    ) as [CredentialRecord, CredentialRecord, CredentialRecord];
    for (const credential of [first, third]) await store.addCredential(credential);
    // The same user and id holding another number, and a credential that was never written.
    await store.addCredential({ ...second, address: freshId('+1555') });
    const index = `${prefix}{addr:${tenantId}:${sha256(address)}}`;
    const stale = [`${second.userId} ${second.id}`, `${base}-a0 ${freshId('cred')}`];
    await client.zadd(index, 0, stale[0] ?? '', 0, stale[1] ?? '');
    expect(await client.zcard(index)).toBe(4);
    const holder = (credential: CredentialRecord) => ({
      userId: credential.userId,
      tenantId,
      credentialId: credential.id,
      kind: 'sms',
    });
    expect(await store.listAddressHolders({ tenantId, address, limit: 2 })).toEqual([
      holder(first),
      holder(third),
    ]);
    expect(await client.zrange(index, '0', '-1')).toEqual([
      `${first.userId} ${first.id}`,
      `${third.userId} ${third.id}`,
    ]);
  });

  it('a credential stored before the address indexes existed reads, switches and deletes as before, and is not listed', async () => {
    const tenantId = freshId('tenant');
    const credential = emailCredential(freshId('user'), 1_000, { tenantId, address: freshId('+1555') });
    await store.addCredential(credential);
    // What addCredential wrote before: no tag in the hash, no index entry.
    const key = credKey(credential.userId, credential.id);
    await client.hdel(key, 'addressTag');
    await deleteKeys(client, `${prefix}{addr:${tenantId}:`);
    expect(await store.getCredential(credential.userId, credential.id)).toEqual(credential);
    // A missing entry only costs a new check of the address: the safe direction.
    expect(await store.listAddressHolders({ tenantId, address: credential.address ?? '' })).toEqual([]);
    expect(await store.switchCredential(credential.userId, credential.id, 2_000)).toBe(true);
    expect((await store.listCredentials(credential.userId))[0]?.switchedOffAt).toBe(2_000);
    expect(await store.deleteCredential(credential.userId, credential.id)).toBe(true);
    expect(await store.getCredential(credential.userId, credential.id)).toBeNull();
  });

  it('H9: a switch writes switchedOffAt only (and removes it to switch on); the JSON part, the secret and the index entry stay', async () => {
    const credential = totpCredential(freshId('user'), 1_000, { lastUsedStep: 7, address: freshId('+1555') });
    await store.addCredential(credential);
    const key = credKey(credential.userId, credential.id);
    const before = await client.hgetall(key);
    expect(await store.switchCredential(credential.userId, credential.id, 3_000)).toBe(true);
    expect(await client.hgetall(key)).toEqual({ ...before, switchedOffAt: '3000' });
    expect(await store.listAddressHolders({ address: credential.address ?? '' })).toEqual([
      { userId: credential.userId, credentialId: credential.id, kind: 'totp', switchedOffAt: 3_000 },
    ]);
    expect(await store.switchCredential(credential.userId, credential.id, null)).toBe(true);
    expect(await client.hgetall(key)).toEqual(before);
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 7, now: 4_000 })).toBe(false);
  });
});
