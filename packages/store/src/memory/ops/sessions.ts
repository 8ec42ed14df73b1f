/**
 * @module
 * The memory store's session epochs: one counter per user, kept apart from the settings so that
 * `putUserSettings`, `resetUser` and the sweep never touch it (the contract, store.ts).
 */

import type { MemoryCore } from '../core';

export async function getSessionEpoch(core: MemoryCore, userId: string): Promise<number> {
  await core.ready();
  return core.state.epochs.get(userId) ?? 0;
}

export async function bumpSessionEpoch(core: MemoryCore, userId: string): Promise<number> {
  await core.ready();
  // Read and write with no `await` between: concurrent bumps each get their own value.
  const epoch = (core.state.epochs.get(userId) ?? 0) + 1;
  core.state.epochs.set(userId, epoch);
  await core.persist();
  return epoch;
}
