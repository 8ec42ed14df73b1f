/**
 * @module
 * User settings and the "who has 2FA" summaries.
 */
import type { TwoFactorSummary, UserSettings } from '@secondfactor/store';
import type { CheckedPage } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { int, nullable, toUserSettings } from '../rows';

const COLUMNS =
  'user_id, tenant_id, use_two_factor, may_toggle, grace_started_at, backup_codes_acknowledged_at, updated_at';

export async function getUserSettings(ctx: Context, userId: string): Promise<UserSettings | null> {
  const rows = await ctx.run(
    'getUserSettings',
    `SELECT ${COLUMNS} FROM ${ctx.t.userSettings} WHERE user_id = $1`,
    [userId],
  );
  return rows[0] === undefined ? null : toUserSettings(rows[0]);
}

export async function putUserSettings(ctx: Context, settings: UserSettings): Promise<void> {
  await ctx.run(
    'putUserSettings',
    `INSERT INTO ${ctx.t.userSettings} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5::bigint, $6::bigint, $7::bigint)
     ON CONFLICT (user_id) DO UPDATE SET
       tenant_id = excluded.tenant_id,
       use_two_factor = excluded.use_two_factor,
       may_toggle = excluded.may_toggle,
       grace_started_at = excluded.grace_started_at,
       backup_codes_acknowledged_at = excluded.backup_codes_acknowledged_at,
       updated_at = excluded.updated_at`,
    [
      settings.userId,
      nullable(settings.tenantId),
      settings.useTwoFactor,
      settings.mayToggle,
      nullable(settings.graceStartedAt),
      nullable(settings.backupCodesAcknowledgedAt),
      settings.updatedAt,
    ],
  );
}

export async function listUserSettings(
  ctx: Context,
  tenantId: string,
  { after, limit }: CheckedPage,
): Promise<UserSettings[]> {
  const rows = await ctx.run(
    'listUserSettings',
    `SELECT ${COLUMNS} FROM ${ctx.t.userSettings}
     WHERE tenant_id = $1 AND ($2::text IS NULL OR user_id > $2)
     ORDER BY user_id LIMIT $3`,
    [tenantId, nullable(after), limit],
  );
  return rows.map(toUserSettings);
}

export async function getTwoFactorSummaries(ctx: Context, ids: string[]): Promise<TwoFactorSummary[]> {
  if (ids.length === 0) return [];
  // One row per requested id, in the order (and with the repeats) of the request.
  const rows = await ctx.run(
    'getTwoFactorSummaries',
    `SELECT u.user_id,
       COALESCE((SELECT array_agg(DISTINCT c.kind COLLATE "C" ORDER BY c.kind COLLATE "C")
                 FROM ${ctx.t.credentials} c WHERE c.user_id = u.user_id), '{}') AS methods,
       (SELECT count(*) FROM ${ctx.t.credentials} c WHERE c.user_id = u.user_id) AS credentials,
       COALESCE((SELECT s.remaining FROM ${ctx.t.backupCodeSets} s WHERE s.user_id = u.user_id), 0) AS remaining
     FROM unnest($1::text[]) WITH ORDINALITY AS u (user_id, position)
     ORDER BY u.position`,
    [ids],
  );
  return rows.map((row) => ({
    userId: String(row.user_id),
    methods: (row.methods as TwoFactorSummary['methods']) ?? [],
    credentials: int(row.credentials),
    backupCodesRemaining: int(row.remaining),
  }));
}
