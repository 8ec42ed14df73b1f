/**
 * @module
 * The memory store's admin "Reset 2FA" (`resetUser`): every record kind of one user but the settings,
 * removed with no `await` in between.
 */

import type { ResetUserResult } from '../../store-types';
import type { MemoryCore } from '../core';

export async function resetUser(core: MemoryCore, userId: string): Promise<ResetUserResult> {
  await core.ready();
  const { state } = core;
  const remove = <T extends { userId: string }>(map: Map<string, T>): number => {
    let removed = 0;
    for (const [id, item] of map) if (item.userId === userId && map.delete(id)) removed += 1;
    return removed;
  };
  const result: ResetUserResult = {
    credentials: remove(state.credentials),
    backupCodes: state.backupCodes.get(userId)?.digests.size ?? 0,
    pendingEnrollments: remove(state.pending),
    trustedDevices: remove(state.devices),
    challenges: remove(state.challenges),
  };
  state.backupCodes.delete(userId);
  await core.persist();
  return result;
}
