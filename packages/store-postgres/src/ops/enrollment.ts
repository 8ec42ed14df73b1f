/**
 * @module
 * Pending enrollments and their confirmation: pending → active credential in one statement (its
 * guarantee: `SecondFactorStore.confirmEnrollment` in the contract, packages/store/src/store.ts).
 */

import { SecondFactorError } from '@secondfactor/core';
import type { ConfirmEnrollmentResult, NowOptions, PendingEnrollmentRecord } from '@secondfactor/store';
import type { CheckedConfirmEnrollmentOptions } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { jsonRow, nullable, toCredential, toPendingEnrollment } from '../rows';
import { CREDENTIAL_COLUMNS } from './credentials';

const PENDING_COLUMNS =
  'id, user_id, tenant_id, kind, label, secret_ciphertext, algorithm, digits, period, address, created_at, expires_at';

export async function createPendingEnrollment(ctx: Context, pending: PendingEnrollmentRecord): Promise<void> {
  const { otp } = pending;
  // The id becomes the credential's id on confirmation, so it must be free in both tables. A pending
  // id already taken is a primary-key violation; a credential id yields no row. Both are `conflict`.
  const rows = await ctx.run(
    'createPendingEnrollment',
    `INSERT INTO ${ctx.t.pendingEnrollments} (${PENDING_COLUMNS})
     SELECT $1, $2, $3, $4, $5, $6, $7, $8::smallint, $9::integer, $10, $11::bigint, $12::bigint
     WHERE NOT EXISTS (SELECT 1 FROM ${ctx.t.credentials} WHERE id = $1)
     RETURNING 1`,
    [
      pending.id,
      pending.userId,
      nullable(pending.tenantId),
      pending.kind,
      pending.label,
      nullable(otp?.secretCiphertext),
      nullable(otp?.algorithm),
      nullable(otp?.digits),
      nullable(otp?.period),
      nullable(pending.address),
      pending.createdAt,
      pending.expiresAt,
    ],
  );
  if (rows.length === 0) throw new SecondFactorError('conflict', 'pending.id already exists');
}

export async function getPendingEnrollment(
  ctx: Context,
  userId: string,
  pendingId: string,
  { now }: NowOptions,
): Promise<PendingEnrollmentRecord | null> {
  const rows = await ctx.run(
    'getPendingEnrollment',
    `SELECT ${PENDING_COLUMNS} FROM ${ctx.t.pendingEnrollments}
     WHERE id = $2 AND user_id = $1 AND expires_at > $3::bigint`,
    [userId, pendingId, now],
  );
  return rows[0] === undefined ? null : toPendingEnrollment(rows[0]);
}

export async function confirmEnrollment(
  ctx: Context,
  userId: string,
  pendingId: string,
  { now, lastUsedStep, replaces }: CheckedConfirmEnrollmentOptions,
): Promise<ConfirmEnrollmentResult> {
  const { t } = ctx;
  // One statement: the DELETE … RETURNING takes the pending row (concurrent confirmations queue on its
  // lock, and those after the first find it gone), the INSERT makes it a credential with the same id,
  // and the replaced credentials of the same user go only if the insert happened. A credential id that
  // is taken fails the insert, which rolls the whole statement back (`conflict`, nothing changed).
  // An expired pending enrollment is left in place and reported as `expired`.
  const rows = await ctx.run(
    'confirmEnrollment',
    `WITH taken AS (
       DELETE FROM ${t.pendingEnrollments}
       WHERE id = $2 AND user_id = $1 AND expires_at > $3::bigint
       RETURNING ${PENDING_COLUMNS}
     ), created AS (
       INSERT INTO ${t.credentials} (${CREDENTIAL_COLUMNS})
       SELECT id, user_id, tenant_id, kind, label, secret_ciphertext, algorithm, digits, period, address,
              $4::bigint, NULL, $3::bigint, CASE WHEN $4::bigint IS NULL THEN NULL ELSE $3::bigint END, NULL
       FROM taken
       RETURNING ${CREDENTIAL_COLUMNS}
     ), replaced AS (
       DELETE FROM ${t.credentials}
       WHERE user_id = $1 AND id = ANY ($5::text[]) AND id <> $2 AND EXISTS (SELECT 1 FROM created)
       RETURNING 1
     )
     SELECT (SELECT row_to_json(c) FROM created c) AS credential,
            EXISTS (SELECT 1 FROM ${t.pendingEnrollments}
                    WHERE id = $2 AND user_id = $1 AND expires_at <= $3::bigint) AS expired`,
    [userId, pendingId, now, nullable(lastUsedStep), replaces],
  );
  const row = rows[0];
  if (row?.credential != null) return { status: 'ok', credential: toCredential(jsonRow(row.credential)) };
  return { status: row?.expired === true ? 'expired' : 'not_found' };
}

export async function deletePendingEnrollment(
  ctx: Context,
  userId: string,
  pendingId: string,
): Promise<boolean> {
  const rows = await ctx.run(
    'deletePendingEnrollment',
    `DELETE FROM ${ctx.t.pendingEnrollments} WHERE id = $2 AND user_id = $1 RETURNING 1`,
    [userId, pendingId],
  );
  return rows.length === 1;
}
