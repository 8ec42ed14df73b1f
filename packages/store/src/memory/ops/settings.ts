/**
 * @module
 * Memory-store primitives for user settings and the "who has 2FA" summaries.
 */

import type { Method } from '@secondfactor/core';
import type {
  CheckedPage,
  CheckedUpdateUserSettingsOptions,
  CheckedUserSettingsPatch,
} from '../../adapter/operations';
import type { TwoFactorSummary, UserSettings } from '../../records';
import { byString, type MemoryCore } from '../core';
import { out } from '../state';
import { credentialsOf } from './credentials';

export async function getUserSettings(core: MemoryCore, userId: string): Promise<UserSettings | null> {
  await core.ready();
  const settings = core.state.settings.get(userId);
  return settings === undefined ? null : out(settings);
}

export async function putUserSettings(core: MemoryCore, settings: UserSettings): Promise<void> {
  await core.ready();
  core.state.settings.set(settings.userId, settings);
  await core.persist();
}

export async function updateUserSettings(
  core: MemoryCore,
  userId: string,
  patch: CheckedUserSettingsPatch,
  { now, tenantId }: CheckedUpdateUserSettingsOptions,
): Promise<UserSettings> {
  await core.ready();
  // Read, change and store with no `await` in between: concurrent patches of one user apply one after
  // the other, each to what the previous left (updateUserSettings in the contract, store.ts).
  const next: UserSettings = { ...(core.state.settings.get(userId) ?? created(userId)) };
  for (const [key, value] of Object.entries(patch) as [keyof CheckedUserSettingsPatch, unknown][]) {
    // A cleared time is left out of the record, as an absent optional field.
    if (value === null && key !== 'useTwoFactor' && key !== 'mayToggle') delete next[key];
    else (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (tenantId !== undefined) next.tenantId = tenantId;
  next.updatedAt = now;
  core.state.settings.set(userId, next);
  const result = out(next);
  await core.persist();
  return result;
}

// The record of a user nobody configured: both switches follow the policy.
const created = (userId: string): UserSettings => ({
  userId,
  useTwoFactor: null,
  mayToggle: null,
  updatedAt: 0,
});

export async function listUserSettings(
  core: MemoryCore,
  tenantId: string,
  { after, limit }: CheckedPage,
): Promise<UserSettings[]> {
  await core.ready();
  return [...core.state.settings.values()]
    .filter((item) => item.tenantId === tenantId && (after === undefined || item.userId > after))
    .sort((a, b) => byString(a.userId, b.userId))
    .slice(0, limit)
    .map(out);
}

export async function getTwoFactorSummaries(
  core: MemoryCore,
  userIds: string[],
): Promise<TwoFactorSummary[]> {
  await core.ready();
  return userIds.map((userId) => {
    const credentials = credentialsOf(core, userId);
    // A switched-off device is not "2FA on": only switched-on credentials give a method.
    const on = credentials.filter((item) => item.switchedOffAt === undefined);
    const methods = [...new Set(on.map((item) => item.kind))].sort(byString) as Method[];
    const backupCodesRemaining = core.state.backupCodes.get(userId)?.digests.size ?? 0;
    return { userId, methods, credentials: credentials.length, backupCodesRemaining };
  });
}
