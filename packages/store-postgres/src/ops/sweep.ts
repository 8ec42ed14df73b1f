/**
 * @module
 * `sweepExpired`: removes lapsed challenges, pending enrollments, trusted devices and attempt counters,
 * at most `limit` of each, in one statement. Each kind is a `DELETE` whose sub-select walks the kind's
 * expiry index (migration 3) and locks what it picks with `FOR UPDATE SKIP LOCKED`.
 */

import type { SweepExpiredResult } from '@secondfactor/store';
import type { CheckedSweepExpiredOptions } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import type { TableNames } from '../names';
import { int } from '../rows';

// The expression of the failures index `failures_lapse_at` (migration 3): when a counter reads as no
// failures, its lock's end if it was locked, else its window's end. Written identically here, so the
// planner matches the index.
const FAILURE_LAPSES_AT = 'COALESCE(locked_until, window_ends_at)';

/**
 * One `DELETE` of the lapsed rows of `table`, at most `$2`. The sub-select, an init plan run once, walks
 * the expiry index and locks what it picks; it skips rows a concurrent statement holds (it may be
 * renewing them; and with no waiting there is no lock cycle with a caller that locks several counters in
 * key order), and re-reads the newest version of each row it locks, so a row renewed since the
 * statement's snapshot is left alone. The `DELETE` then finds the picked rows by primary key
 * (`= ANY(ARRAY(…))`), so its cost is the limit, not the number of lapsed rows; the condition, checked
 * once more, is only a filter there.
 */
const deleteLapsed = (table: string, id: string, lapsesAt: string): string =>
  `DELETE FROM ${table} WHERE ${id} = ANY(ARRAY(
     SELECT ${id} FROM ${table} WHERE ${lapsesAt} <= $1::bigint LIMIT $2 FOR UPDATE SKIP LOCKED
   )) AND ${lapsesAt} <= $1::bigint RETURNING 1`;

/**
 * The sweep statement over the tables of `t`; `$1` is `now`, `$2` the limit per kind.
 *
 * @internal
 */
export const sweepStatement = (t: TableNames): string =>
  `WITH challenges AS (${deleteLapsed(t.challenges, 'id', 'expires_at')}),
        pending AS (${deleteLapsed(t.pendingEnrollments, 'id', 'expires_at')}),
        devices AS (${deleteLapsed(t.trustedDevices, 'id', 'expires_at')}),
        failures AS (${deleteLapsed(t.failures, 'key', FAILURE_LAPSES_AT)})
   SELECT (SELECT count(*) FROM challenges) AS challenges,
          (SELECT count(*) FROM pending) AS pending,
          (SELECT count(*) FROM devices) AS devices,
          (SELECT count(*) FROM failures) AS failures`;

export async function sweepExpired(
  ctx: Context,
  { now, limit }: CheckedSweepExpiredOptions,
): Promise<SweepExpiredResult> {
  const rows = await ctx.run('sweepExpired', sweepStatement(ctx.t), [now, limit]);
  const row = rows[0] ?? {};
  const result = {
    challenges: int(row.challenges ?? 0),
    pendingEnrollments: int(row.pending ?? 0),
    trustedDevices: int(row.devices ?? 0),
    failures: int(row.failures ?? 0),
  };
  return { ...result, more: Object.values(result).some((removed) => removed === limit) };
}
