/**
 * @module
 * Memory-store primitives for backup codes: one set of unused digests per user. Each check-and-write
 * runs without an `await` in between: that is how the guarantees of `SecondFactorStore.replaceBackupCodes`
 * and `consumeBackupCode` (the contract, store.ts) hold here.
 */

import type { CheckedBackupCodeSet } from '../../adapter/operations';
import type { BackupCodeSet } from '../../records';
import type { ConsumeBackupCodeResult } from '../../store-types';
import type { MemoryCore } from '../core';

export async function replaceBackupCodes(
  core: MemoryCore,
  userId: string,
  { digests, salt, now, onlyIfNone }: CheckedBackupCodeSet,
): Promise<boolean> {
  const next = {
    userId,
    createdAt: now,
    digests: new Set(digests),
    ...(salt === undefined ? {} : { salt }),
  };
  await core.ready();
  // `onlyIfNone`: the check and the write below run with no await between them. `has` is true for any
  // set record, even a fully used one: exactly what the contract calls "has a set".
  if (onlyIfNone && core.state.backupCodes.has(userId)) return false;
  // F4: the whole set is replaced by one assignment.
  core.state.backupCodes.set(userId, next);
  await core.persist();
  return true;
}

export async function getBackupCodeSet(core: MemoryCore, userId: string): Promise<BackupCodeSet | null> {
  await core.ready();
  const set = core.state.backupCodes.get(userId);
  if (set === undefined) return null;
  const result: BackupCodeSet = { remaining: set.digests.size, createdAt: set.createdAt };
  if (set.salt !== undefined) result.salt = set.salt;
  return result;
}

export async function consumeBackupCode(
  core: MemoryCore,
  userId: string,
  digest: string,
): Promise<ConsumeBackupCodeResult> {
  await core.ready();
  const set = core.state.backupCodes.get(userId);
  if (set === undefined) return { consumed: false, remaining: 0 };
  // Set lookup of a keyed digest: the digest, not the code, is what an attacker could time.
  const consumed = set.digests.delete(digest);
  // The answer is taken before the write is awaited: later calls may change the set meanwhile.
  const result = { consumed, remaining: set.digests.size };
  if (consumed) await core.persist();
  return result;
}
