/**
 * @module
 * Shared setup of the store-backed tests: hashers, a clock value, fresh user ids, a user with a set.
 */
import { createBackupCodeHasher, issueBackupCodes, normalizeBackupCode } from '@secondfactor/backup-codes';
import { MemoryStore } from '@secondfactor/store';

export const NOW: number = Date.UTC(2025, 10, 23);
export const hasher = createBackupCodeHasher({ key: crypto.getRandomValues(new Uint8Array(32)) });
// A light cost so the suite stays fast; hasher.test.ts checks the default cost once.
export const scrypt = createBackupCodeHasher({
  mode: 'scrypt',
  cost: { N: 16, r: 8, p: 1 },
  allowLowCost: true,
});

let nextUser = 0;
export const newUser = (): string => `user-${++nextUser}-${crypto.randomUUID()}`;

/** A memory store (new unless given) and a user holding a fresh default set issued at NOW. */
export async function setup(options: { store?: MemoryStore; userId?: string } = {}) {
  const store = options.store ?? new MemoryStore();
  const userId = options.userId ?? newUser();
  const { codes } = await issueBackupCodes(store, userId, { hasher, now: NOW });
  return { store, userId, codes };
}

/** Every spelling of a code that could betray it in stored state. */
export function spellings(code: string): string[] {
  const canonical = normalizeBackupCode(code)!;
  return [code, canonical, code.toLowerCase(), canonical.toLowerCase()];
}
