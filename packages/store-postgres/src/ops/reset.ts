/**
 * @module
 * Admin "Reset 2FA": everything of a user but the settings, in one statement.
 */
import type { ResetUserResult } from '@secondfactor/store';
import type { Context } from '../context';
import { int } from '../rows';

export async function resetUser(ctx: Context, userId: string): Promise<ResetUserResult> {
  const { t } = ctx;
  // Each CTE deletes one kind of record; the statement commits all of them or none. Deleting the set
  // row removes its code rows by ON DELETE CASCADE; the count is the set's remaining codes.
  const rows = await ctx.run(
    'resetUser',
    `WITH credentials AS (DELETE FROM ${t.credentials} WHERE user_id = $1 RETURNING 1),
          sets AS (DELETE FROM ${t.backupCodeSets} WHERE user_id = $1 RETURNING remaining),
          pending AS (DELETE FROM ${t.pendingEnrollments} WHERE user_id = $1 RETURNING 1),
          devices AS (DELETE FROM ${t.trustedDevices} WHERE user_id = $1 RETURNING 1),
          challenges AS (DELETE FROM ${t.challenges} WHERE user_id = $1 RETURNING 1)
     SELECT (SELECT count(*) FROM credentials) AS credentials,
            (SELECT COALESCE(sum(remaining), 0) FROM sets) AS backup_codes,
            (SELECT count(*) FROM pending) AS pending,
            (SELECT count(*) FROM devices) AS devices,
            (SELECT count(*) FROM challenges) AS challenges`,
    [userId],
  );
  const row = rows[0] ?? {};
  return {
    credentials: int(row.credentials ?? 0),
    backupCodes: int(row.backup_codes ?? 0),
    pendingEnrollments: int(row.pending ?? 0),
    trustedDevices: int(row.devices ?? 0),
    challenges: int(row.challenges ?? 0),
  };
}
