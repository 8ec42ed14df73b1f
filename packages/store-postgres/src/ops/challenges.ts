/**
 * @module
 * Out-of-band and login challenges: the check of a submitted code and the count of the attempt happen
 * in one statement, so neither a concurrent success nor a concurrent failure can be lost.
 */
import type {
  ChallengeRecord,
  ConsumeChallengeOptions,
  ConsumeChallengeResult,
  RotateChallengeOptions,
} from '@secondfactor/store';
import type { Context } from '../context';
import { DIGEST_HEX, nullable, toChallenge } from '../rows';

const COLUMNS =
  'id, user_id, tenant_id, kind, purpose, credential_id, digest, created_at, expires_at, ' +
  'attempts, max_attempts, deliveries, consumed_at, data';
/** {@link COLUMNS} as read: the `bytea` digest as the contract's hex. */
const SELECTED = COLUMNS.replace('digest', DIGEST_HEX);

export async function createChallenge(ctx: Context, challenge: ChallengeRecord): Promise<void> {
  await ctx.run(
    'createChallenge',
    `INSERT INTO ${ctx.t.challenges} (${COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'hex'), $8::bigint, $9::bigint, $10::bigint, $11::integer, $12::bigint, $13::bigint, $14)`,
    [
      challenge.id,
      challenge.userId,
      nullable(challenge.tenantId),
      challenge.kind,
      challenge.purpose,
      nullable(challenge.credentialId),
      challenge.digest,
      challenge.createdAt,
      challenge.expiresAt,
      challenge.attempts,
      challenge.maxAttempts,
      challenge.deliveries,
      nullable(challenge.consumedAt),
      // JSON as text, not jsonb: jsonb refuses "\u0000" in strings, which the contract allows.
      challenge.data === undefined ? null : JSON.stringify(challenge.data),
    ],
  );
}

export async function getChallenge(
  ctx: Context,
  userId: string,
  challengeId: string,
): Promise<ChallengeRecord | null> {
  const rows = await ctx.run(
    'getChallenge',
    `SELECT ${SELECTED} FROM ${ctx.t.challenges} WHERE id = $2 AND user_id = $1`,
    [userId, challengeId],
  );
  return rows[0] === undefined ? null : toChallenge(rows[0]);
}

export async function consumeChallenge(
  ctx: Context,
  userId: string,
  challengeId: string,
  { digest, now }: ConsumeChallengeOptions,
): Promise<ConsumeChallengeResult> {
  const { t } = ctx;
  // D5, E1, G3 in one statement: the guarantee of `consumeChallenge` (the contract,
  // packages/store/src/store.ts), whose order of checks the CASE follows. FOR UPDATE queues concurrent
  // submissions on the row and gives each the newest version, so the outcome is decided on what the
  // previous caller left. Digests are keyed, so comparing them with `=` tells a timing attacker nothing
  // about the code.
  const rows = await ctx.run(
    'consumeChallenge',
    `WITH found AS (
       SELECT id, consumed_at, expires_at, attempts, max_attempts, digest
       FROM ${t.challenges} WHERE id = $2 AND user_id = $1
       FOR UPDATE
     ), decided AS (
       SELECT id, CASE
         WHEN consumed_at IS NOT NULL THEN 'consumed'
         WHEN $4::bigint >= expires_at THEN 'expired'
         WHEN attempts >= max_attempts THEN 'locked'
         WHEN digest = decode($3, 'hex') THEN 'ok'
         ELSE 'mismatch'
       END AS outcome
       FROM found
     ), counted AS (
       UPDATE ${t.challenges} c SET
         consumed_at = CASE WHEN decided.outcome = 'ok' THEN $4::bigint ELSE c.consumed_at END,
         attempts = CASE WHEN decided.outcome = 'mismatch' THEN c.attempts + 1 ELSE c.attempts END
       FROM decided
       WHERE c.id = decided.id AND decided.outcome IN ('ok', 'mismatch')
     )
     SELECT COALESCE((SELECT outcome FROM decided), 'not_found') AS outcome`,
    [userId, challengeId, digest, now],
  );
  return String(rows[0]?.outcome ?? 'not_found') as ConsumeChallengeResult;
}

export async function rotateChallenge(
  ctx: Context,
  userId: string,
  challengeId: string,
  { digest, expiresAt, now }: RotateChallengeOptions,
): Promise<ChallengeRecord | null> {
  // G6: the new digest replaces the old one in the same row; E4: attempts are not touched.
  const rows = await ctx.run(
    'rotateChallenge',
    `UPDATE ${ctx.t.challenges}
     SET digest = decode($3, 'hex'), expires_at = $4::bigint, deliveries = deliveries + 1
     WHERE id = $2 AND user_id = $1 AND consumed_at IS NULL AND expires_at > $5::bigint
     RETURNING ${SELECTED}`,
    [userId, challengeId, digest, expiresAt, now],
  );
  return rows[0] === undefined ? null : toChallenge(rows[0]);
}

export async function deleteChallenge(ctx: Context, userId: string, challengeId: string): Promise<boolean> {
  const rows = await ctx.run(
    'deleteChallenge',
    `DELETE FROM ${ctx.t.challenges} WHERE id = $2 AND user_id = $1 RETURNING 1`,
    [userId, challengeId],
  );
  return rows.length === 1;
}
