/**
 * @module
 * `failLogin`: a wrong second-factor answer as one `WITH … INSERT … UPDATE … INSERT` statement, so the
 * counters, the challenge's attempt and the audit record commit together or not at all.
 */
import type { FailLoginResult, FailureState } from '@secondfactor/store';
import type { CheckedFailLoginOptions } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import type { TableNames } from '../names';
import { int, nullable } from '../rows';
import { countFailures, limitParams, stateOf } from './failures';

/**
 * The statement over the tables of `t`. Parameters: `$1` the keys, `$2`–`$7` now and the limits (as
 * registerFailure's), `$8` user, `$9` challenge (NULL for none), `$10`–`$16` the audit record, whose
 * `$16` data is a JSON object without `failures` and `locked`.
 */
const statement = (t: TableNames): string =>
  // How the guarantees of `failLogin` (the contract, packages/store/src/store.ts) hold across processes
  // under READ COMMITTED:
  // - Lock order, as completeLogin's: the counters in key order (the INSERT takes the keys sorted and
  //   locks each row as it reaches it), then the challenge. `found` reads `counted` in its WHERE, a
  //   sub-select run once before its scan, so the challenge is locked only after every counter.
  // - E1: each counter is counted by the upsert of registerFailure, on the newest version of its row.
  // - The attempt is consumeChallenge's mismatch: `found` locks the row FOR UPDATE (waiting for a
  //   concurrent writer, then reading its newest version), and `attempted` counts only an open one.
  // - H8: the audit INSERT is in the statement: an existing id violates the unique index and aborts it
  //   all (`conflict`, nothing counted). Its data is the caller's object with `failures` (the first
  //   key's count) and `locked` (any key locked at now) appended from `counted`.
  `WITH counted AS (
     ${countFailures(t.failures, 'SELECT unnest($1::text[]) AS key ORDER BY 1')}
   ), found AS (
     SELECT id, consumed_at, expires_at, attempts, max_attempts FROM ${t.challenges}
     WHERE $9::text IS NOT NULL AND id = $9 AND user_id = $8 AND (SELECT count(*) FROM counted) > 0
     FOR UPDATE
   ), attempted AS (
     UPDATE ${t.challenges} c SET attempts = c.attempts + 1
     FROM found
     WHERE c.id = found.id AND found.consumed_at IS NULL AND $2::bigint < found.expires_at
       AND found.attempts < found.max_attempts
     RETURNING c.attempts
   ), audited AS (
     INSERT INTO ${t.auditEvents} (id, at, type, user_id, actor_id, tenant_id, data)
     SELECT $10, $11::bigint, $12, $13, $14, $15,
       CASE WHEN $16::text = '{}' THEN '{' ELSE left($16::text, -1) || ',' END
       || '"failures":' || COALESCE((SELECT count FROM counted WHERE key = ($1::text[])[1]), 0)
       || ',"locked":'
       || CASE WHEN EXISTS (SELECT 1 FROM counted WHERE locked_until > $2::bigint) THEN 'true' ELSE 'false' END
       || '}'
   )
   SELECT key, count, locked_until,
          COALESCE((SELECT attempts FROM attempted), (SELECT attempts FROM found)) AS attempts
   FROM counted`;

export async function failLogin(
  ctx: Context,
  userId: string,
  challengeId: string | null,
  options: CheckedFailLoginOptions,
): Promise<FailLoginResult> {
  const { keys, audit } = options;
  const rows = await ctx.run('failLogin', statement(ctx.t), [
    keys,
    ...limitParams(options),
    userId,
    challengeId,
    audit.id,
    audit.at,
    audit.type,
    nullable(audit.userId),
    nullable(audit.actorId),
    nullable(audit.tenantId),
    JSON.stringify(audit.data),
  ]);
  const byKey = new Map<unknown, FailureState>(rows.map((row) => [row.key, stateOf(row)]));
  const first = rows[0];
  return {
    // The keys in the caller's order (the statement counts them in key order).
    states: keys.map((key) => byKey.get(key) ?? { count: 0, lockedUntil: null }),
    attempts: first === undefined || first.attempts === null ? null : int(first.attempts),
  };
}
