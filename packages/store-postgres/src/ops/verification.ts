/**
 * @module
 * The read half of a verification: a credential and the state of some attempt counters, in one
 * `SELECT` (two scalar sub-selects), so checking the lockout and loading the secret is one round trip.
 */
import type { CredentialForVerification, CredentialForVerificationOptions } from '@secondfactor/store';
import { type FailureCounter, readFailureState } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { int, jsonRow, toCredential } from '../rows';
import { CREDENTIAL_COLUMNS } from './credentials';

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
