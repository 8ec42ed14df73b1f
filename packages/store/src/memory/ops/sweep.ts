/**
 * @module
 * The memory store's sweep of lapsed records (`sweepExpired`; what lapses is defined on
 * `SecondFactorStore.sweepExpired` in the contract, store.ts). It decides and deletes with no `await` in
 * between, so no concurrent call can renew a record between the two.
 */
import type { CheckedSweepExpiredOptions } from '../../adapter/operations';
import type { SweepExpiredResult } from '../../store-types';
import type { MemoryCore } from '../core';

// Deletes up to `limit` entries of `map` that `lapsed` picks; returns how many.
function sweep<T>(map: Map<string, T>, limit: number, lapsed: (item: T) => boolean): number {
  let removed = 0;
  for (const [id, item] of map) {
    if (removed === limit) break;
    if (lapsed(item)) {
      map.delete(id);
      removed += 1;
    }
  }
  return removed;
}

export async function sweepExpired(
  core: MemoryCore,
  { now, limit }: CheckedSweepExpiredOptions,
): Promise<SweepExpiredResult> {
  await core.ready();
  const { state } = core;
  const expired = (item: { expiresAt: number }): boolean => now >= item.expiresAt;
  const result = {
    challenges: sweep(state.challenges, limit, expired),
    pendingEnrollments: sweep(state.pending, limit, expired),
    trustedDevices: sweep(state.devices, limit, expired),
    // Lapsed exactly when `readFailureState` reads nothing: a lock that ended, or a window without a lock.
    failures: sweep(state.failures, limit, (counter) => now >= (counter.lockedUntil ?? counter.windowEndsAt)),
  };
  const more = Object.values(result).some((removed) => removed === limit);
  if (Object.values(result).some((removed) => removed > 0)) await core.persist();
  return { ...result, more };
}
