/**
 * @module
 * I11 for backup codes: a user without codes, a wrong code and a malformed code cost the same hashing work,
 * so response time cannot tell an attacker whether a user has backup codes. Work is counted, never timed:
 * the hash primitives are wrapped in spies that call the real functions and record their parameters.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import {
  type BackupCodeHasher,
  createBackupCodeHasher,
  issueBackupCodes,
  type VerifyBackupCodeResult,
  verifyAndConsume,
} from '@secondfactor/backup-codes';
import { MemoryStore } from '@secondfactor/store';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NOW, newUser } from './fixtures';

vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return { ...original, scryptAsync: vi.fn(original.scryptAsync) };
});
vi.mock('@noble/hashes/hmac.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('@noble/hashes/hmac.js')>();
  return { ...original, hmac: Object.assign(vi.fn(original.hmac), { create: original.hmac.create }) };
});

const scryptSpy = vi.mocked(scryptAsync);
const hmacSpy = vi.mocked(hmac);

// Deliberately not the default and not the fixtures' cost, so a decoy that used a constant of its own
// instead of the hasher's configured cost would show up.
const COST = { N: 32, r: 2, p: 3 };
const WELL_FORMED = 'ZZZZ-ZZZZ-ZZZZ-ZZZZ';
const MALFORMED = ['not a code', '', 'ZZZZ-ZZZZ', null];

/** The hashing one call did: one entry per derivation, with the parameters that set its cost. */
function work(): unknown[] {
  return [
    ...scryptSpy.mock.calls.map(([, salt, options]) => ({
      scrypt: { N: options.N, r: options.r, p: options.p, dkLen: options.dkLen, saltBytes: salt.length },
    })),
    ...hmacSpy.mock.calls.map(([hash, key]) => ({ hmac: { hash: hash.outputLen, keyBytes: key.length } })),
  ];
}

interface Path {
  name: string;
  expected: VerifyBackupCodeResult;
  run: () => Promise<VerifyBackupCodeResult>;
}

/** Every failing path of one hasher, plus the success path as the reference. */
async function paths(hasher: BackupCodeHasher): Promise<Path[]> {
  const store = new MemoryStore();
  const verify = (userId: string, input: unknown) =>
    verifyAndConsume(store, userId, input, { hasher, now: NOW });
  const withCodes = newUser();
  const { codes } = await issueBackupCodes(store, withCodes, { hasher, now: NOW, count: 3 });
  const usedUp = newUser();
  const [last] = (await issueBackupCodes(store, usedUp, { hasher, now: NOW, count: 1 })).codes;
  await verify(usedUp, last);
  const without = newUser();
  const fail = (reason: 'malformed' | 'mismatch' | 'no_codes'): VerifyBackupCodeResult => ({
    valid: false,
    reason,
  });
  return [
    {
      name: 'right code (reference)',
      expected: expect.objectContaining({ valid: true }),
      run: () => verify(withCodes, codes[0]),
    },
    {
      name: 'user with codes, wrong code',
      expected: fail('mismatch'),
      run: () => verify(withCodes, WELL_FORMED),
    },
    {
      name: 'user with codes, used code',
      expected: fail('mismatch'),
      run: () => verify(withCodes, codes[0]),
    },
    { name: 'user without a set', expected: fail('no_codes'), run: () => verify(without, WELL_FORMED) },
    { name: 'user whose codes are all used', expected: fail('no_codes'), run: () => verify(usedUp, last) },
    ...MALFORMED.flatMap((input) => [
      {
        name: `user with codes, malformed ${JSON.stringify(input)}`,
        expected: fail('malformed'),
        run: () => verify(withCodes, input),
      },
      {
        name: `user without a set, malformed ${JSON.stringify(input)}`,
        expected: fail('malformed'),
        run: () => verify(without, input),
      },
    ]),
  ];
}

/** The hashing work of each path, with its result checked: the answers themselves must not change. */
async function workByPath(hasher: BackupCodeHasher): Promise<Record<string, unknown[]>> {
  const byPath: Record<string, unknown[]> = {};
  for (const path of await paths(hasher)) {
    scryptSpy.mockClear();
    hmacSpy.mockClear();
    expect(await path.run(), path.name).toEqual(path.expected);
    byPath[path.name] = work();
  }
  return byPath;
}

/** The same `work` for every path of `byPath`, compared as a whole so a failure lists every path that differs. */
const everyPath = (byPath: Record<string, unknown[]>, work: unknown[]): Record<string, unknown[]> =>
  Object.fromEntries(Object.keys(byPath).map((name) => [name, work]));

describe('verifyAndConsume does the same hashing work on every path (I11)', () => {
  beforeEach(() => {
    scryptSpy.mockClear();
    hmacSpy.mockClear();
  });

  it('I11: scrypt mode: no codes, a wrong code and a malformed code each cost one scrypt at the configured cost', async () => {
    const hasher = createBackupCodeHasher({ mode: 'scrypt', cost: COST, allowLowCost: true });
    const byPath = await workByPath(hasher);
    const one = [{ scrypt: { ...COST, dkLen: 32, saltBytes: 20 } }];
    expect(byPath).toEqual(everyPath(byPath, one));
  });

  it('I11: hmac mode: no codes, a wrong code and a malformed code each cost one HMAC-SHA-256 under the server key', async () => {
    const hasher = createBackupCodeHasher({ key: crypto.getRandomValues(new Uint8Array(48)) });
    const byPath = await workByPath(hasher);
    const one = [{ hmac: { hash: 32, keyBytes: 48 } }];
    expect(byPath).toEqual(everyPath(byPath, one));
  });

  it('I11: a user without codes makes the same store calls as a user with codes and a wrong code', async () => {
    for (const hasher of [
      createBackupCodeHasher({ mode: 'scrypt', cost: COST, allowLowCost: true }),
      createBackupCodeHasher({ key: crypto.getRandomValues(new Uint8Array(32)) }),
    ]) {
      const store = new MemoryStore();
      const withCodes = newUser();
      await issueBackupCodes(store, withCodes, { hasher, now: NOW, count: 2 });
      const calls: string[] = [];
      for (const method of ['getBackupCodeSet', 'consumeBackupCode', 'replaceBackupCodes'] as const) {
        const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
        vi.spyOn(store, method).mockImplementation((...args: unknown[]) => {
          calls.push(method);
          return original(...args) as never;
        });
      }
      const storeCalls = async (userId: string): Promise<string[]> => {
        calls.length = 0;
        await verifyAndConsume(store, userId, WELL_FORMED, { hasher, now: NOW });
        return [...calls];
      };
      expect(await storeCalls(newUser()), hasher.mode).toEqual(await storeCalls(withCodes));
    }
  });
});
