/**
 * @module
 * User settings, tenant lists, "who has 2FA" summaries and the admin reset of one user.
 */
import type { Method } from '@secondfactor/core';
import type { ResetUserResult, TwoFactorSummary, UserSettings } from '@secondfactor/store';
import type { CheckedPage } from '@secondfactor/store/adapter';
import { type Field, parse, settingsJson } from '../codec';
import { keyPart } from '../key-part';
import type { OpContext } from './context';

/** The settings of `userId`, or null. */
export async function getUserSettings(ctx: OpContext, userId: string): Promise<UserSettings | null> {
  return parse<UserSettings | null>((await ctx.run('getUserSettings', [keyPart(userId)])) as Field);
}

/** Creates or replaces settings, moving the user between tenant lists in the same script. */
export async function putUserSettings(ctx: OpContext, settings: UserSettings): Promise<void> {
  const tenant = settings.tenantId === undefined ? '' : keyPart(settings.tenantId);
  await ctx.run('putUserSettings', [keyPart(settings.userId), settingsJson(settings), tenant]);
}

/** The settings of one tenant's users, by user id, a page at a time. */
export async function listUserSettings(
  ctx: OpContext,
  tenantId: string,
  { after, limit }: CheckedPage,
): Promise<UserSettings[]> {
  const from = after === undefined ? '' : keyPart(after);
  const rows = (await ctx.run('listUserSettings', [keyPart(tenantId), from, String(limit)])) as Field[];
  return rows.map((json) => parse<UserSettings>(json));
}

// Binary (code unit) order, as the memory store sorts.
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Which methods each user has, in the order asked. */
export async function getTwoFactorSummaries(ctx: OpContext, ids: string[]): Promise<TwoFactorSummary[]> {
  if (ids.length === 0) return [];
  const rows = (await ctx.run('getTwoFactorSummaries', ids.map(keyPart))) as [number, number, ...string[]][];
  return ids.map((userId, index) => {
    const [credentials, backupCodesRemaining, ...kinds] = rows[index] ?? [0, 0];
    const methods = [...new Set(kinds)].sort(byString) as Method[];
    return { userId, methods, credentials, backupCodesRemaining };
  });
}

/** Removes every credential, backup code, pending enrollment, device and challenge of the user. */
export async function resetUser(ctx: OpContext, userId: string): Promise<ResetUserResult> {
  const [credentials, backupCodes, pendingEnrollments, trustedDevices, challenges] = (await ctx.run(
    'resetUser',
    [keyPart(userId)],
  )) as number[];
  return {
    credentials: credentials ?? 0,
    backupCodes: backupCodes ?? 0,
    pendingEnrollments: pendingEnrollments ?? 0,
    trustedDevices: trustedDevices ?? 0,
    challenges: challenges ?? 0,
  };
}
