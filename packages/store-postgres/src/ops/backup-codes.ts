/**
 * @module
 * Backup codes: one row per code digest, grouped under a per-user set row. The set row carries the
 * current `generation` and the `remaining` count; every statement locks it before it touches a code
 * row, so writers of one user queue on it and take row locks in the same order (no deadlock).
 * Digests are `bytea`: the hex of the contract is decoded in the statement (see `rows.ts`).
 */
import type { BackupCodeSet, ConsumeBackupCodeResult } from '@secondfactor/store';
import type { CheckedBackupCodeSet } from '@secondfactor/store/adapter';
import type { Context } from '../context';
import { int, nullable } from '../rows';

export async function replaceBackupCodes(
  ctx: Context,
  userId: string,
  { digests, salt, now, onlyIfNone }: CheckedBackupCodeSet,
): Promise<boolean> {
  const { t } = ctx;
  // F4, in one statement: the upsert moves the set to a new generation (and locks it); from then on a
  // code of any older generation no longer matches in consumeBackupCode. The old rows are deleted in the
  // same statement; one that a concurrent replacement inserted after this statement's snapshot is left
  // behind, inert, and removed by the next replacement.
  // onlyIfNone ($5): the conflict arm's WHERE is false, so an existing set row (even one with no codes
  // left) is locked but not touched, current_set is empty and nothing else is written. The primary key
  // decides races even under READ COMMITTED: a concurrent insert of the same user waits for the first
  // one's transaction and then takes the conflict arm. That is how the `onlyIfNone` guarantee of
  // `replaceBackupCodes` (the contract, packages/store/src/store.ts) holds here.
  const rows = await ctx.run(
    'replaceBackupCodes',
    `WITH current_set AS (
       INSERT INTO ${t.backupCodeSets} AS s (user_id, generation, salt, remaining, created_at)
       VALUES ($1, 1, $2, cardinality($3::text[]), $4::bigint)
       ON CONFLICT (user_id) DO UPDATE SET
         generation = s.generation + 1,
         salt = excluded.salt,
         remaining = excluded.remaining,
         created_at = excluded.created_at
       WHERE NOT $5::boolean
       RETURNING user_id, generation
     ), retired AS (
       DELETE FROM ${t.backupCodes} c USING current_set
       WHERE c.user_id = current_set.user_id AND c.generation <> current_set.generation
     ), added AS (
       INSERT INTO ${t.backupCodes} (user_id, digest, generation)
       SELECT current_set.user_id, decode(digest, 'hex'), current_set.generation
       FROM current_set, unnest($3::text[]) AS digest
     )
     SELECT EXISTS (SELECT 1 FROM current_set) AS written`,
    [userId, nullable(salt), digests, now, onlyIfNone],
  );
  return rows[0]?.written === true;
}

export async function getBackupCodeSet(ctx: Context, userId: string): Promise<BackupCodeSet | null> {
  const rows = await ctx.run(
    'getBackupCodeSet',
    `SELECT salt, remaining, created_at FROM ${ctx.t.backupCodeSets} WHERE user_id = $1`,
    [userId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    ...(row.salt === null ? {} : { salt: String(row.salt) }),
    remaining: int(row.remaining),
    createdAt: int(row.created_at),
  };
}

export async function consumeBackupCode(
  ctx: Context,
  userId: string,
  digest: string,
): Promise<ConsumeBackupCodeResult> {
  const { t } = ctx;
  // D4 (the guarantee of `consumeBackupCode`, in the contract), in one statement. FOR UPDATE queues
  // concurrent consumers of the user on the set row and hands each the newest version of it; the
  // DELETE … RETURNING then finds the code row only if no earlier caller deleted it. `remaining` is
  // decremented in the same statement, so the count a caller gets back is its own.
  const rows = await ctx.run(
    'consumeBackupCode',
    `WITH current_set AS (
       SELECT user_id, generation, remaining FROM ${t.backupCodeSets} WHERE user_id = $1 FOR UPDATE
     ), used AS (
       DELETE FROM ${t.backupCodes} c USING current_set
       WHERE c.user_id = current_set.user_id AND c.digest = decode($2, 'hex') AND c.generation = current_set.generation
       RETURNING 1
     ), counted AS (
       UPDATE ${t.backupCodeSets} SET remaining = remaining - 1
       WHERE user_id = $1 AND EXISTS (SELECT 1 FROM used)
       RETURNING remaining
     )
     SELECT EXISTS (SELECT 1 FROM used) AS consumed,
            COALESCE((SELECT remaining FROM counted), (SELECT remaining FROM current_set), 0) AS remaining`,
    [userId, digest],
  );
  const row = rows[0];
  return { consumed: row?.consumed === true, remaining: row === undefined ? 0 : int(row.remaining) };
}
