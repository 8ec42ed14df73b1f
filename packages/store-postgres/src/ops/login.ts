/**
 * @module
 * `completeLogin`: the success step of a login's second factor as one `WITH … UPDATE … DELETE … INSERT`
 * statement, so the decision and every write of it commit together or not at all.
 */
import type { CompleteLoginResult } from '@secondfactor/store';
import type { CheckedCompleteLoginOptions } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import type { TableNames } from '../names';
import { int, nullable } from '../rows';

/** The conditions of an open login challenge, on the row of `$2` of user `$1` at `$3`. */
const OPEN_LOGIN = `id = $2 AND user_id = $1 AND kind = 'login' AND consumed_at IS NULL
    AND $3::bigint < expires_at AND attempts < max_attempts`;

/** The conditions of `recordOtpUse` on credential `$4` of user `$1`: step `$5` is new, secret `$7`. */
const OTP_USABLE = `$4::text IS NOT NULL AND id = $4 AND user_id = $1
    AND (last_used_step IS NULL OR last_used_step < $5::bigint)
    AND ($7::text IS NULL OR secret_ciphertext = $7::text)`;

/** The code row of digest `$8` in the current generation of the user's set (locked in `code_set`). */
const CURRENT_CODE = `$8::text IS NOT NULL AND user_id = $1 AND digest = decode($8, 'hex')
    AND generation = (SELECT generation FROM code_set)`;

/**
 * The statement over the tables of `t`. Parameters: `$1` user, `$2` challenge, `$3` now; `$4`–`$7` the
 * OTP (credential, step, drift, sealed secret; `$4` NULL without one); `$8` the backup-code digest (NULL
 * without one); `$9` unlessLocked, `$10` clearFailures; `$11`–`$17` the audit record (`$11` NULL
 * without one).
 */
const statement = (t: TableNames): string =>
  // How the guarantees of `completeLogin` (the contract, packages/store/src/store.ts) hold across
  // processes under READ COMMITTED. Every row the decision reads is locked FOR UPDATE, which waits for
  // a concurrent writer of that row and then re-checks the CTE's WHERE against the newest committed
  // version (a row deleted meanwhile drops out). So the decision is made on what the previous writer
  // left, and no writer can change a deciding row between the decision and this statement's commit.
  // - Lock order, the same in every call and compatible with the other primitives: the counters of both
  //   key lists in key order (as recordOtpUse), then the credential (as recordOtpUse) or the backup-code
  //   set and its code row (as consumeBackupCode), then the challenge (resetUser deletes credentials and
  //   sets before challenges; consumeChallenge and deleteChallenge hold the challenge alone). Each
  //   locking CTE reads the one before it in its WHERE, and a sub-select without row references runs
  //   once before its scan, so no row is locked before the ones earlier in this order.
  // - E1, I3: `unlocked` reads the unlessLocked counters as locked above, so a registerFailure that
  //   committed a lock before them is seen, and one that comes later waits for this statement. (A counter
  //   row first inserted after this statement's snapshot is seen by none of its parts: that failure is
  //   ordered after the login, and the clear does not delete it.)
  // - D3 (RFC 6238 §5.2): `credential` holds recordOtpUse's conditions; concurrent logins with the same
  //   step queue on the credential row, and the second finds the step used.
  // - D4: `code_set` queues on the set row as consumeBackupCode does, and `code` locks the code row of
  //   the current generation: a code deleted by a concurrent use after the snapshot drops out there,
  //   instead of counting as present.
  // - D5: `challenge` holds the conditions of an open login, so of concurrent calls for one challenge only
  //   the first finds it unconsumed; consumeChallenge's attempts and consumption are seen the same way.
  // - One decision: `decision` is whether the challenge row passed, which it can only when the factor
  //   and the lock check did. Each write repeats its conditions and requires `decision`: on rows this
  //   statement holds locked they find what the decision found, so they all happen or none does. A
  //   data-modifying CTE always runs to completion, read by the final SELECT or not.
  // - The audit INSERT is in the statement: an existing id violates the unique index and aborts the
  //   whole statement (`conflict`, nothing written), as appendAudit does.
  // - The epoch is read FOR SHARE after the decision: a bumpSessionEpoch committed before is seen, one
  //   that comes later waits for this commit, so the value returned is the one after the step.
  `WITH counters AS (
     SELECT key, locked_until FROM ${t.failures}
     WHERE key = ANY ($9::text[]) OR key = ANY ($10::text[])
     ORDER BY key FOR UPDATE
   ), unlocked AS (
     SELECT count(*) = 0 AS ok FROM counters WHERE key = ANY ($9::text[]) AND locked_until > $3::bigint
   ), credential AS (
     SELECT id FROM ${t.credentials} WHERE ${OTP_USABLE} AND (SELECT ok FROM unlocked) FOR UPDATE
   ), code_set AS (
     SELECT generation FROM ${t.backupCodeSets}
     WHERE $8::text IS NOT NULL AND user_id = $1 AND (SELECT ok FROM unlocked) FOR UPDATE
   ), code AS (
     SELECT 1 FROM ${t.backupCodes} WHERE ${CURRENT_CODE} FOR UPDATE
   ), factor AS (
     SELECT (SELECT ok FROM unlocked) AND CASE
       WHEN $4::text IS NOT NULL THEN EXISTS (SELECT 1 FROM credential)
       WHEN $8::text IS NOT NULL THEN EXISTS (SELECT 1 FROM code)
       ELSE true
     END AS ok
   ), challenge AS (
     SELECT id FROM ${t.challenges} WHERE ${OPEN_LOGIN} AND (SELECT ok FROM factor) FOR UPDATE
   ), decision AS (
     SELECT EXISTS (SELECT 1 FROM challenge) AS ok
   ), consumed AS (
     UPDATE ${t.challenges} SET consumed_at = $3::bigint
     WHERE ${OPEN_LOGIN} AND (SELECT ok FROM decision)
   ), recorded AS (
     UPDATE ${t.credentials}
     SET last_used_step = $5::bigint, last_used_at = $3::bigint, drift_steps = COALESCE($6::bigint, drift_steps)
     WHERE ${OTP_USABLE} AND (SELECT ok FROM decision)
   ), used_code AS (
     DELETE FROM ${t.backupCodes} WHERE ${CURRENT_CODE} AND (SELECT ok FROM decision)
   ), counted AS (
     UPDATE ${t.backupCodeSets} SET remaining = remaining - 1
     WHERE $8::text IS NOT NULL AND user_id = $1 AND (SELECT ok FROM decision)
     RETURNING remaining
   ), cleared AS (
     DELETE FROM ${t.failures} WHERE key = ANY ($10::text[]) AND (SELECT ok FROM decision)
   ), audited AS (
     INSERT INTO ${t.auditEvents} (id, at, type, user_id, actor_id, tenant_id, data)
     SELECT $11, $12::bigint, $13, $14, $15, $16, $17
     WHERE $11::text IS NOT NULL AND (SELECT ok FROM decision)
   ), epoch AS (
     SELECT epoch FROM ${t.sessionEpochs} WHERE user_id = $1 AND (SELECT ok FROM decision) FOR SHARE
   )
   SELECT (SELECT ok FROM decision) AS ok,
          (SELECT remaining FROM counted) AS remaining,
          COALESCE((SELECT epoch FROM epoch), 0) AS epoch`;

export async function completeLogin(
  ctx: Context,
  userId: string,
  challengeId: string,
  { now, otp, backupCodeDigest, unlessLocked, clearFailures, audit }: CheckedCompleteLoginOptions,
): Promise<CompleteLoginResult> {
  const rows = await ctx.run('completeLogin', statement(ctx.t), [
    userId,
    challengeId,
    now,
    nullable(otp?.credentialId),
    nullable(otp?.step),
    nullable(otp?.driftSteps),
    nullable(otp?.ifSecret),
    nullable(backupCodeDigest),
    unlessLocked,
    clearFailures,
    nullable(audit?.id),
    nullable(audit?.at),
    nullable(audit?.type),
    nullable(audit?.userId),
    nullable(audit?.actorId),
    nullable(audit?.tenantId),
    audit?.data === undefined ? null : JSON.stringify(audit.data),
  ]);
  const row = rows[0];
  if (row?.ok !== true) return { status: 'refused' };
  return {
    status: 'ok',
    sessionEpoch: int(row.epoch),
    ...(backupCodeDigest === undefined ? {} : { backupCodesRemaining: int(row.remaining) }),
  };
}
