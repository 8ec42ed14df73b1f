/**
 * @module
 * Credentials, the RFC 6238 §5.2 replay guard and the compare-and-set of sealed secrets.
 */
import type { CredentialRecord, ReplaceCredentialSecretOptions } from '@secondfactor/store';
import type { CheckedPage, CheckedRecordOtpUseOptions } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { nullable, toCredential } from '../rows';

/** Every column of a credential row, in the order `toCredential` reads them. */
export const CREDENTIAL_COLUMNS: string =
  'id, user_id, tenant_id, kind, label, secret_ciphertext, algorithm, digits, period, address, ' +
  'last_used_step, drift_steps, created_at, last_used_at';

export async function addCredential(ctx: Context, credential: CredentialRecord): Promise<void> {
  const { otp } = credential;
  // A duplicate id violates the primary key: `conflict`, and nothing is written.
  await ctx.run(
    'addCredential',
    `INSERT INTO ${ctx.t.credentials} (${CREDENTIAL_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bigint, $12::bigint, $13::bigint, $14::bigint)`,
    [
      credential.id,
      credential.userId,
      nullable(credential.tenantId),
      credential.kind,
      credential.label,
      nullable(otp?.secretCiphertext),
      nullable(otp?.algorithm),
      nullable(otp?.digits),
      nullable(otp?.period),
      nullable(credential.address),
      nullable(credential.lastUsedStep),
      nullable(credential.driftSteps),
      credential.createdAt,
      nullable(credential.lastUsedAt),
    ],
  );
}

export async function getCredential(
  ctx: Context,
  userId: string,
  credentialId: string,
): Promise<CredentialRecord | null> {
  // H3: the user id is part of the key, so another user's credential reads as missing.
  const rows = await ctx.run(
    'getCredential',
    `SELECT ${CREDENTIAL_COLUMNS} FROM ${ctx.t.credentials} WHERE id = $2 AND user_id = $1`,
    [userId, credentialId],
  );
  return rows[0] === undefined ? null : toCredential(rows[0]);
}

export async function listCredentials(ctx: Context, userId: string): Promise<CredentialRecord[]> {
  const rows = await ctx.run(
    'listCredentials',
    `SELECT ${CREDENTIAL_COLUMNS} FROM ${ctx.t.credentials} WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
  return rows.map(toCredential);
}

export async function deleteCredential(ctx: Context, userId: string, credentialId: string): Promise<boolean> {
  const rows = await ctx.run(
    'deleteCredential',
    `DELETE FROM ${ctx.t.credentials} WHERE id = $2 AND user_id = $1 RETURNING 1`,
    [userId, credentialId],
  );
  return rows.length === 1;
}

export async function recordOtpUse(
  ctx: Context,
  userId: string,
  credentialId: string,
  { step, now, driftSteps, ifSecret, unlessLocked, clearFailures }: CheckedRecordOtpUseOptions,
): Promise<boolean> {
  const { credentials, failures } = ctx.t;
  // One statement, so the decision and every write commit together or not at all.
  // - `counters` locks the existing rows of every named key, in key order, before anything else. Under
  //   READ COMMITTED a plain sub-select would read the statement's snapshot: a registerFailure that
  //   locks a key after that snapshot would go unseen by the lock check and then be deleted by the
  //   clear (a success across a lock that was already counted, E1). FOR UPDATE waits for such a writer
  //   and returns its row as committed; later writers of these keys wait for this statement. Locking
  //   counters first, always in key order, keeps concurrent calls from deadlocking on them.
  // - RFC 6238 §5.2: the replay guard, the cached-secret check and the lock check are in the UPDATE's
  //   WHERE. Concurrent updates of the credential row queue on its lock and re-check the WHERE against
  //   the newest version (READ COMMITTED re-evaluation), so one call matches, and a rotation or deletion
  //   committed first refuses an `ifSecret` of the old secret.
  // - E6: the DELETE removes the named counters only if the UPDATE matched. (A data-modifying CTE always
  //   runs, even though the final SELECT does not read it.)
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

export async function replaceCredentialSecret(
  ctx: Context,
  userId: string,
  credentialId: string,
  { expected, next }: ReplaceCredentialSecretOptions,
): Promise<boolean> {
  const rows = await ctx.run(
    'replaceCredentialSecret',
    `UPDATE ${ctx.t.credentials} SET secret_ciphertext = $3
     WHERE id = $1 AND user_id = $4 AND secret_ciphertext = $2 RETURNING 1`,
    [credentialId, expected, next, userId],
  );
  return rows.length === 1;
}

export async function listOtpCredentials(
  ctx: Context,
  { after, limit }: CheckedPage,
): Promise<CredentialRecord[]> {
  const rows = await ctx.run(
    'listOtpCredentials',
    `SELECT ${CREDENTIAL_COLUMNS} FROM ${ctx.t.credentials}
     WHERE secret_ciphertext IS NOT NULL AND ($1::text IS NULL OR id > $1)
     ORDER BY id LIMIT $2`,
    [nullable(after), limit],
  );
  return rows.map(toCredential);
}
