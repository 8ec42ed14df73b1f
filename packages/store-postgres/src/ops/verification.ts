/**
 * @module
 * A verification in two primitives. `recordOtpUse`, the replay guard and success half: one
 * `WITH … UPDATE … DELETE` statement. `getCredentialForVerification`, the read half: a credential and the
 * state of some attempt counters in one `SELECT` (two scalar sub-selects), so checking the lockout and
 * loading the secret is one round trip.
 */
import type { CredentialForVerification, CredentialForVerificationOptions } from '@secondfactor/store';
import {
  type CheckedRecordOtpUseOptions,
  type FailureCounter,
  readFailureState,
} from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { int, jsonRow, nullable, toCredential } from '../rows';
import { CREDENTIAL_COLUMNS } from './credentials';

export async function recordOtpUse(
  ctx: Context,
  userId: string,
  credentialId: string,
  { step, now, driftSteps, ifSecret, unlessLocked, clearFailures }: CheckedRecordOtpUseOptions,
): Promise<boolean> {
  const { credentials, failures } = ctx.t;
  // How the guarantee of `recordOtpUse` (see the contract, packages/store/src/store.ts) holds across
  // processes: one statement, so the decision and every write commit together or not at all.
  // - `counters` locks the existing rows of every named key, in key order, before anything else. Under
  //   READ COMMITTED a plain sub-select would read the statement's snapshot: a registerFailure that
  //   locks a key after that snapshot would go unseen by the lock check and then be deleted by the
  //   clear (a success across a lock that was already counted, E1). FOR UPDATE waits for such a writer
  //   and returns its row as committed; later writers of these keys wait for this statement. Locking
  //   counters first, always in key order, keeps concurrent calls from deadlocking on them.
  // - RFC 6238 §5.2: the replay guard, the cached-secret check and the lock check are in the UPDATE's
  //   WHERE. Concurrent updates of the credential row queue on its lock and re-check the WHERE against
  //   the newest version (READ COMMITTED re-evaluation), so each decides on what the previous call, a
  //   rotation or a deletion committed.
  // - E6: the DELETE runs only if the UPDATE matched. (A data-modifying CTE always runs, even though the
  //   final SELECT does not read it.)
  const rows = await ctx.run(
    'recordOtpUse',
    `WITH counters AS (
       SELECT key, locked_until FROM ${failures}
       WHERE key = ANY ($6::text[]) OR key = ANY ($7::text[])
       ORDER BY key FOR UPDATE
     ), locks AS (
       SELECT count(*) AS locked FROM counters WHERE key = ANY ($6::text[]) AND locked_until > $3::bigint
     ), used AS (
       UPDATE ${credentials}
       SET last_used_step = $2::bigint, last_used_at = $3::bigint, drift_steps = COALESCE($4::bigint, drift_steps)
       WHERE id = $1 AND user_id = $8 AND (last_used_step IS NULL OR last_used_step < $2::bigint)
         AND ($5::text IS NULL OR secret_ciphertext = $5::text)
         AND (SELECT locked FROM locks) = 0
       RETURNING 1
     ), cleared AS (
       DELETE FROM ${failures}
       WHERE key = ANY ($7::text[]) AND EXISTS (SELECT 1 FROM used)
     )
     SELECT EXISTS (SELECT 1 FROM used) AS recorded`,
    [credentialId, step, now, nullable(driftSteps), nullable(ifSecret), unlessLocked, clearFailures, userId],
  );
  return rows[0]?.recorded === true;
}

/** A counter row as `json_build_object` below spells it. */
function toCounter(row: Record<string, unknown>): FailureCounter {
  return {
    count: int(row.count),
    windowEndsAt: int(row.window_ends_at),
    lockedUntil: row.locked_until === null ? null : int(row.locked_until),
    lockouts: int(row.lockouts),
  };
}

export async function getCredentialForVerification(
  ctx: Context,
  userId: string,
  credentialId: string,
  { now, failureKeys: keys }: CredentialForVerificationOptions,
): Promise<CredentialForVerification> {
  const { t } = ctx;
  // One statement sees one snapshot: the credential and the counters are read as of the same moment.
  // H3: the user id is part of the credential's key, so another user's credential reads as missing.
  const rows = await ctx.run(
    'getCredentialForVerification',
    `SELECT
       (SELECT row_to_json(c) FROM (
          SELECT ${CREDENTIAL_COLUMNS} FROM ${t.credentials} WHERE id = $2 AND user_id = $1
        ) c) AS credential,
       (SELECT json_agg(json_build_object('key', key, 'count', count, 'window_ends_at', window_ends_at,
                                          'locked_until', locked_until, 'lockouts', lockouts))
        FROM ${t.failures} WHERE key = ANY ($3::text[])) AS failures`,
    [userId, credentialId, keys],
  );
  const row = rows[0];
  const counters = new Map<string, FailureCounter>();
  const stored = row?.failures == null ? [] : (jsonRow(row.failures) as unknown as Record<string, unknown>[]);
  for (const item of stored) counters.set(String(item.key), toCounter(item));
  return {
    credential: row?.credential == null ? null : toCredential(jsonRow(row.credential)),
    // The same arithmetic as getFailures: the store package's own readFailureState.
    failures: keys.map((key) => readFailureState(counters.get(key) ?? null, now)),
  };
}
