/**
 * @module
 * User settings and the "who has 2FA" summaries.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { TwoFactorSummary, UserSettings } from '@secondfactor/store';
import type {
  CheckedPage,
  CheckedUpdateUserSettingsOptions,
  CheckedUserSettingsPatch,
} from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { int, nullable, toUserSettings } from '../rows';

const COLUMNS =
  'user_id, tenant_id, use_two_factor, may_toggle, grace_started_at, backup_codes_acknowledged_at, ' +
  'enrollment_reset_at, updated_at';

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
    `INSERT INTO ${ctx.t.userSettings} (${COLUMNS})
     VALUES ($1, $2, $3, $4, $5::bigint, $6::bigint, $7::bigint, $8::bigint)
     ON CONFLICT (user_id) DO UPDATE SET
       tenant_id = excluded.tenant_id,
       use_two_factor = excluded.use_two_factor,
       may_toggle = excluded.may_toggle,
       grace_started_at = excluded.grace_started_at,
       backup_codes_acknowledged_at = excluded.backup_codes_acknowledged_at,
       enrollment_reset_at = excluded.enrollment_reset_at,
       updated_at = excluded.updated_at`,
    [
      settings.userId,
      nullable(settings.tenantId),
      settings.useTwoFactor,
      settings.mayToggle,
      nullable(settings.graceStartedAt),
      nullable(settings.backupCodesAcknowledgedAt),
      nullable(settings.enrollmentResetAt),
      settings.updatedAt,
    ],
  );
}

/** The column of each patchable field, in the order of the statement's parameters `$4` to `$8`. */
const PATCH_COLUMNS = {
  useTwoFactor: 'use_two_factor',
  mayToggle: 'may_toggle',
  graceStartedAt: 'grace_started_at',
  backupCodesAcknowledgedAt: 'backup_codes_acknowledged_at',
  enrollmentResetAt: 'enrollment_reset_at',
} as const satisfies Record<keyof CheckedUserSettingsPatch, string>;

/** `column = <the new value if the patch names it, else the stored one>` for the conflict arm. */
const keepUnlessGiven = (column: string): string =>
  `${column} = CASE WHEN '${column}' = ANY ($3::text[]) THEN excluded.${column} ELSE s.${column} END`;

export async function updateUserSettings(
  ctx: Context,
  userId: string,
  patch: CheckedUserSettingsPatch,
  { now, tenantId }: CheckedUpdateUserSettingsOptions,
): Promise<UserSettings> {
  const fields = Object.keys(PATCH_COLUMNS) as (keyof CheckedUserSettingsPatch)[];
  const given = fields.filter((field) => patch[field] !== undefined).map((field) => PATCH_COLUMNS[field]);
  // How the guarantee of `updateUserSettings` (the contract, packages/store/src/store.ts) holds across
  // processes, in one statement. A missing row is inserted with the patch over the creation defaults (a
  // field not given is NULL: `useTwoFactor` and `mayToggle` then follow the policy). An existing row is
  // taken by the conflict arm, which locks it and computes every SET from its newest committed version
  // (`s`), even one committed after this statement's snapshot, as READ COMMITTED does for ON CONFLICT
  // DO UPDATE; each field the patch does not name is copied from that version. So concurrent updates of
  // different fields queue on the row lock and each keeps what the one before it wrote, and racing first
  // inserts are settled by the primary key: the loser waits for the winner's commit, then updates.
  const rows = await ctx.run(
    'updateUserSettings',
    `INSERT INTO ${ctx.t.userSettings} AS s (${COLUMNS})
     VALUES ($1, $2, $4::boolean, $5::boolean, $6::bigint, $7::bigint, $8::bigint, $9::bigint)
     ON CONFLICT (user_id) DO UPDATE SET
       tenant_id = COALESCE(excluded.tenant_id, s.tenant_id),
       ${Object.values(PATCH_COLUMNS).map(keepUnlessGiven).join(',\n       ')},
       updated_at = excluded.updated_at
     RETURNING ${COLUMNS}`,
    [
      userId,
      nullable(tenantId),
      given,
      nullable(patch.useTwoFactor),
      nullable(patch.mayToggle),
      nullable(patch.graceStartedAt),
      nullable(patch.backupCodesAcknowledgedAt),
      nullable(patch.enrollmentResetAt),
      now,
    ],
  );
  // RETURNING answers one row for either arm: none would be a fault of the driver, not an outcome.
  if (rows[0] === undefined) {
    throw new SecondFactorError('internal', 'PostgresStore.updateUserSettings: the database returned no row');
  }
  return toUserSettings(rows[0]);
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
                 FROM ${ctx.t.credentials} c WHERE c.user_id = u.user_id AND c.switched_off_at IS NULL),
                '{}') AS methods,
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
