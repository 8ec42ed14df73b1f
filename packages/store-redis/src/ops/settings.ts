/**
 * @module
 * User settings, the tenant lists of users and "who has 2FA" summaries. A tenant's list `P{t:<tenant>}:users`
 * spans users: on a single node it is written in the settings script; on a cluster the new entry is
 * added before the settings and the old one removed after, and a listing reads each user's settings and
 * keeps only those that name the tenant, so an entry a failed step left behind is never listed.
 * `updateUserSettings` writes the fields it changes into the settings hash in one script
 * (`scripts/settings.ts`), so concurrent updates of different fields all land.
 */
import type { Method } from '@secondfactor/core';
import type { TwoFactorSummary, UserSettings } from '@secondfactor/store';
import type {
  CheckedPage,
  CheckedUpdateUserSettingsOptions,
  CheckedUserSettingsPatch,
} from '@secondfactor/store/adapter';
import {
  applySettingsChange,
  decodeSettings,
  type Field,
  settingsChangeFields,
  settingsJson,
} from '../codec';
import { keyPart } from '../key-part';
import { type OpContext, withRoot } from './context';

const decode = (fields: Field[] | null): UserSettings | null =>
  fields === null ? null : decodeSettings(fields);

/** The settings of `userId`, or null. */
export async function getUserSettings(ctx: OpContext, userId: string): Promise<UserSettings | null> {
  return getSettingsOf(ctx, keyPart(userId));
}

const getSettingsOf = async (ctx: OpContext, userPart: string): Promise<UserSettings | null> =>
  decode((await ctx.run('getUserSettings', [ctx.key.user(userPart)], [])) as Field[] | null);

/**
 * A settings write (`write`, in the user's slot) with the tenant lists kept around it on a cluster
 * (README: Redis Cluster): the entry of `tenant`, the user's tenant after the write ('' = none;
 * undefined when the write keeps it), is added before, and that of the previous tenant the script
 * reports is removed after.
 */
async function withTenantLists<T>(
  ctx: OpContext,
  user: string,
  tenant: string | undefined,
  write: () => Promise<{ previous: string; result: T }>,
): Promise<T> {
  const usersOf = (part: string): string => `${ctx.key.tenant(part)}users`;
  if (ctx.cluster && tenant) await ctx.run('indexWrite', [usersOf(tenant)], ['add', user]);
  const { previous, result } = await write();
  if (ctx.cluster && tenant !== undefined && previous !== '' && previous !== tenant) {
    await ctx.run('indexWrite', [usersOf(previous)], ['remove', user]);
  }
  return result;
}

/** Creates or replaces settings, moving the user between tenant lists (README: Redis Cluster). */
export async function putUserSettings(ctx: OpContext, settings: UserSettings): Promise<void> {
  const user = keyPart(settings.userId);
  const tenant = settings.tenantId === undefined ? '' : keyPart(settings.tenantId);
  await withTenantLists(ctx, user, tenant, async () => {
    const args = [user, settingsJson(settings), tenant];
    const previous = (await ctx.run('putUserSettings', withRoot(ctx, ctx.key.user(user)), args)) as string;
    return { previous, result: undefined };
  });
}

/**
 * Changes the fields `patch` names in one script, creating the record when the user has none, and
 * resolves the settings after it. A tenant, when given, moves the user between tenant lists as
 * `putUserSettings` does.
 */
export async function updateUserSettings(
  ctx: OpContext,
  userId: string,
  patch: CheckedUserSettingsPatch,
  { now, tenantId }: CheckedUpdateUserSettingsOptions,
): Promise<UserSettings> {
  const user = keyPart(userId);
  const tenant = tenantId === undefined ? undefined : keyPart(tenantId);
  const change =
    tenantId === undefined ? { ...patch, updatedAt: now } : { ...patch, tenantId, updatedAt: now };
  const created: UserSettings = { userId, useTwoFactor: null, mayToggle: null, updatedAt: now };
  const json = settingsJson(applySettingsChange(created, change));
  return withTenantLists(ctx, user, tenant, async () => {
    const args = [user, tenant ?? '', json, ...settingsChangeFields(change)];
    const [previous, after] = (await ctx.run(
      'updateUserSettings',
      withRoot(ctx, ctx.key.user(user)),
      args,
    )) as [string, Field[]];
    return { previous, result: decodeSettings(after) };
  });
}

/** The settings of one tenant's users, by user id, a page at a time. */
export async function listUserSettings(
  ctx: OpContext,
  tenantId: string,
  { after, limit }: CheckedPage,
): Promise<UserSettings[]> {
  const base = ctx.key.tenant(keyPart(tenantId));
  let from = after === undefined ? '-' : `(${keyPart(after)}`;
  if (!ctx.cluster) {
    const rows = (await ctx.run(
      'listUserSettings',
      [base, ctx.key.root],
      [from, String(limit)],
    )) as Field[][];
    return rows.map(decodeSettings);
  }
  const found: UserSettings[] = [];
  for (;;) {
    const users = (await ctx.run('indexPage', [`${base}users`], [from, String(limit)])) as string[];
    const rows = await Promise.all(users.map((user) => getSettingsOf(ctx, user)));
    for (const settings of rows) {
      if (settings?.tenantId === tenantId && found.length < limit) found.push(settings);
    }
    const last = users[users.length - 1];
    if (found.length === limit || users.length < limit || last === undefined) return found;
    from = `(${last}`;
  }
}

// Binary (code unit) order, as the memory store sorts.
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Which methods each user has, in the order asked: one script, or one per user on a cluster. */
export async function getTwoFactorSummaries(ctx: OpContext, ids: string[]): Promise<TwoFactorSummary[]> {
  if (ids.length === 0) return [];
  type Row = [number, number, ...string[]];
  const bases = ids.map((id) => ctx.key.user(keyPart(id)));
  const rows = ctx.cluster
    ? await Promise.all(
        bases.map(async (base) => ((await ctx.run('getTwoFactorSummaries', [base], [])) as Row[])[0]),
      )
    : ((await ctx.run('getTwoFactorSummaries', bases, [])) as Row[]);
  return ids.map((userId, index) => {
    const [credentials, backupCodesRemaining, ...kinds] = rows[index] ?? [0, 0];
    const methods = [...new Set(kinds)].sort(byString) as Method[];
    return { userId, methods, credentials, backupCodesRemaining };
  });
}
