import { createHmac, scryptSync } from 'node:crypto';
import { createBackupCodeHasher, DEFAULT_SCRYPT_COST } from '@secondfactor/backup-codes';
import { SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';

const KEY = new Uint8Array(32).map((_, i) => i + 1);
const CODE = '7K2MQX9PR4TDW3HB';
// The store's digest rule: lowercase hex of 16 to 64 bytes.
const STORE_DIGEST = /^[0-9a-f]{32,128}$/;
// A light cost so the suite stays fast; the default cost is checked once below.
const LIGHT = { mode: 'scrypt', cost: { N: 16, r: 8, p: 1 }, allowLowCost: true } as const;

// Independent computations with node:crypto of the documented digest input.
const input = (userId: string, code: string): string =>
  `secondfactor.backup-code.v1\u0000${userId}\u0000${code}`;

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy(
    (error) => error instanceof SecondFactorError && error.code === code,
  );
}

describe('createBackupCodeHasher: keyed digest (F2)', () => {
  it('F2: is HMAC-SHA-256 under the server key of the user id and normalised code, in lowercase hex', async () => {
    const digest = await createBackupCodeHasher({ key: KEY }).digest('user-1', CODE, undefined);
    const expected = createHmac('sha256', KEY).update(input('user-1', CODE)).digest('hex');
    expect(digest).toBe(expected);
    expect(digest).toMatch(STORE_DIGEST);
    expect(digest).not.toContain(CODE.toLowerCase());
  });

  it('binds the digest to the user and the key', async () => {
    const hasher = createBackupCodeHasher({ key: KEY });
    const other = createBackupCodeHasher({ key: new Uint8Array(32).fill(9) });
    const a = await hasher.digest('user-1', CODE, undefined);
    expect(await hasher.digest('user-2', CODE, undefined)).not.toBe(a);
    expect(await other.digest('user-1', CODE, undefined)).not.toBe(a);
    expect(await hasher.digest('user-1', CODE, undefined)).toBe(a);
  });

  it('keeps its own copy of the key: wiping the caller buffer (also a Node Buffer) does not change digests', async () => {
    for (const key of [KEY.slice(), Buffer.from(KEY)]) {
      const hasher = createBackupCodeHasher({ key });
      const before = await hasher.digest('user-1', CODE, undefined);
      key.fill(0);
      expect(await hasher.digest('user-1', CODE, undefined)).toBe(before);
    }
  });

  it('F2: refuses keys shorter than 32 bytes and keys that are not bytes', () => {
    for (const key of [new Uint8Array(31), new Uint8Array(0), 'a'.repeat(64), undefined]) {
      expect(() => createBackupCodeHasher({ key: key as Uint8Array })).toThrow(SecondFactorError);
    }
    expect(() => createBackupCodeHasher({ mode: 'sha256' as 'hmac', key: KEY })).toThrow(SecondFactorError);
  });

  it('F8: digests only normalised codes (hyphens, lower case and look-alikes are refused) and has no salt', async () => {
    const hasher = createBackupCodeHasher({ key: KEY });
    expect(hasher.newSalt()).toBeUndefined();
    for (const code of ['7K2M-QX9P-R4TD-W3HB', '7k2mqx9pr4tdw3hb', '', 'O000000000000000']) {
      await rejects(hasher.digest('user-1', code, undefined), 'invalid_argument');
    }
    await rejects(hasher.digest('', CODE, undefined), 'invalid_argument');
    await rejects(hasher.digest('user-1', CODE, 'ab'.repeat(20)), 'invalid_argument');
  });
});

describe('createBackupCodeHasher: salted scrypt (F2)', () => {
  it('F2: each set gets a fresh salt with 128 random bits after a 4-byte cost header', () => {
    const hasher = createBackupCodeHasher(LIGHT);
    const salts = new Set(Array.from({ length: 1000 }, () => hasher.newSalt()));
    expect(salts.size).toBe(1000);
    for (const salt of salts) {
      expect(salt).toMatch(/^01040801[0-9a-f]{32}$/); // version 1, log2 N = 4, r = 8, p = 1
    }
  });

  it('uses the injected random source for the salt', () => {
    const hasher = createBackupCodeHasher({
      ...LIGHT,
      random: (bytes: Uint8Array) => {
        bytes.fill(0xab);
      },
    });
    expect(hasher.newSalt()).toBe(`01040801${'ab'.repeat(16)}`);
  });

  it('F2: refuses a random source that leaves the salt unwritten, never an all-zero salt', () => {
    const returnsNew = (bytes: Uint8Array): Uint8Array =>
      crypto.getRandomValues(new Uint8Array(bytes.length));
    const hasher = createBackupCodeHasher({ ...LIGHT, random: returnsNew });
    expect(() => hasher.newSalt()).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        message: expect.stringContaining('options.random'),
      }),
    );
  });

  it('F2: the digest is scrypt(N, r, p from the salt) of the user id and code, 32 bytes in lowercase hex', async () => {
    const hasher = createBackupCodeHasher(LIGHT);
    const salt = hasher.newSalt()!;
    const digest = await hasher.digest('user-1', CODE, salt);
    const expected = scryptSync(input('user-1', CODE), Buffer.from(salt, 'hex'), 32, { N: 16, r: 8, p: 1 });
    expect(digest).toBe(expected.toString('hex'));
    expect(digest).toMatch(STORE_DIGEST);
    expect(await hasher.digest('user-1', CODE, hasher.newSalt())).not.toBe(digest);
    expect(await hasher.digest('user-2', CODE, salt)).not.toBe(digest);
  });

  it('defaults to N = 2^15, r = 8, p = 1 and actually computes with it', async () => {
    expect(DEFAULT_SCRYPT_COST).toEqual({ N: 32_768, r: 8, p: 1 });
    const hasher = createBackupCodeHasher({ mode: 'scrypt' });
    const salt = hasher.newSalt()!;
    expect(salt.slice(0, 8)).toBe('010f0801');
    const expected = scryptSync(input('u', CODE), Buffer.from(salt, 'hex'), 32, {
      N: 32_768,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(await hasher.digest('u', CODE, salt)).toBe(expected.toString('hex'));
  });

  it('a set keeps the cost it was issued with after the configured cost changes', async () => {
    const before = createBackupCodeHasher(LIGHT);
    const after = createBackupCodeHasher({ ...LIGHT, cost: { N: 32, r: 8, p: 1 } });
    const salt = before.newSalt();
    expect(await after.digest('user-1', CODE, salt)).toBe(await before.digest('user-1', CODE, salt));
  });

  it('refuses costs below 2^14 unless allowLowCost, non-powers of two, and more than 256 MiB', () => {
    const bad = [
      { N: 2 ** 13, r: 8, p: 1 },
      { N: 3 * 2 ** 14, r: 8, p: 1 },
      { N: 2 ** 21, r: 8, p: 1 },
      { N: 2 ** 18, r: 16, p: 1 },
      { N: 2 ** 15, r: 0, p: 1 },
      { N: 2 ** 15, r: 8, p: 0 },
    ];
    for (const cost of bad) {
      expect(() => createBackupCodeHasher({ mode: 'scrypt', cost })).toThrow(SecondFactorError);
    }
    expect(() => createBackupCodeHasher({ mode: 'scrypt', cost: { N: 2 ** 14, r: 8, p: 1 } })).not.toThrow();
  });

  it('refuses a salt whose recorded cost is below the floor (a tampered or test set) or malformed', async () => {
    const production = createBackupCodeHasher({ mode: 'scrypt' });
    const testSalt = createBackupCodeHasher(LIGHT).newSalt();
    await rejects(production.digest('user-1', CODE, testSalt), 'invalid_argument');
    await rejects(production.digest('user-1', CODE, undefined), 'invalid_argument');
    await rejects(production.digest('user-1', CODE, `02${'0'.repeat(38)}`), 'invalid_argument');
    await rejects(production.digest('user-1', CODE, 'not hex'), 'invalid_argument');
  });
});
