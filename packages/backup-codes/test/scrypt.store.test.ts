import { issueBackupCodes, regenerateBackupCodes, verifyAndConsume } from '@secondfactor/backup-codes';
import { SecondFactorError } from '@secondfactor/core';
import { MemoryStore } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import { hasher, NOW, newUser, scrypt, setup, spellings } from './fixtures';

describe('salted scrypt mode on MemoryStore (F2)', () => {
  it('F2: stores a 128-bit salt in the set and verifies and consumes a code once', async () => {
    const store = new MemoryStore();
    const userId = newUser();
    const { codes } = await issueBackupCodes(store, userId, { hasher: scrypt, now: NOW, count: 4 });
    const set = await store.getBackupCodeSet(userId);
    expect(set?.salt).toMatch(/^01040801[0-9a-f]{32}$/);
    expect(await verifyAndConsume(store, userId, codes[2], { hasher: scrypt, now: NOW })).toMatchObject({
      valid: true,
      remaining: 3,
    });
    expect(await verifyAndConsume(store, userId, codes[2], { hasher: scrypt, now: NOW })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    const raw = store.exportSnapshot();
    for (const code of codes) for (const text of spellings(code)) expect(raw).not.toContain(text);
  });

  it('F2: each set gets its own salt; regenerating replaces it and kills the old codes', async () => {
    const store = new MemoryStore();
    const userId = newUser();
    const first = await issueBackupCodes(store, userId, { hasher: scrypt, now: NOW, count: 2 });
    const saltBefore = (await store.getBackupCodeSet(userId))?.salt;
    const second = await regenerateBackupCodes(store, userId, {
      hasher: scrypt,
      now: NOW,
      count: 2,
      reauthenticated: true,
    });
    expect((await store.getBackupCodeSet(userId))?.salt).not.toBe(saltBefore);
    expect(await verifyAndConsume(store, userId, first.codes[0], { hasher: scrypt, now: NOW })).toMatchObject(
      {
        valid: false,
      },
    );
    expect(
      await verifyAndConsume(store, userId, second.codes[0], { hasher: scrypt, now: NOW }),
    ).toMatchObject({
      valid: true,
    });
  });

  it('D4: 50 concurrent verifications of one code in scrypt mode yield exactly one success', async () => {
    const store = new MemoryStore();
    const userId = newUser();
    const { codes } = await issueBackupCodes(store, userId, { hasher: scrypt, now: NOW, count: 3 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        verifyAndConsume(store, userId, codes[0], { hasher: scrypt, now: NOW }),
      ),
    );
    expect(results.filter((result) => result.valid)).toHaveLength(1);
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(2);
  });

  it('a set issued in one mode does not verify in the other', async () => {
    const store = new MemoryStore();
    const keyedUser = (await setup({ store })).userId;
    await expect(
      verifyAndConsume(store, keyedUser, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', { hasher: scrypt, now: NOW }),
    ).rejects.toSatisfy((error) => error instanceof SecondFactorError && error.code === 'internal');
    const saltedUser = newUser();
    const { codes } = await issueBackupCodes(store, saltedUser, { hasher: scrypt, now: NOW, count: 2 });
    expect(await verifyAndConsume(store, saltedUser, codes[0], { hasher, now: NOW })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });
});
